"""Enroller.enroll_many (the importer's batch path) against Enroller.enroll (one person at a
time, `participant enroll`): for the same input in the same order both must give the same
outcome per item (status, position, warnings, or the same refusal) and the same rows in the
database afterwards, full sessions, waitlists, duplicates and bad rows included."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pelatihan_cli.db import open_db, write_transaction
from pelatihan_cli.errors import Conflict, PelatihanError
from pelatihan_cli.services.enrollment import EnrollOptions, Enroller, EnrollResult, PersonInput
from tests.factories import enroll_direct, make_participant, make_session

TODAY = dt.date(2024, 6, 1)


def nik(serial: int, ddmmyy: str = "020790") -> str:
    return f"337501{ddmmyy}{serial:04d}"


def setup(db) -> dict:
    """Two small sessions in Bendan Kergon, one in Medono, one cancelled; a registered
    person withdrawn from session a, one already waitlisted in b."""
    s = {
        "a": make_session(db, capacity=2),
        "b": make_session(db, capacity=1, skill="Desain Produk & Kemasan"),
        "m": make_session(db, kelurahan="Medono", capacity=3),
        "x": make_session(db, skill="Batik", status="cancelled"),
    }
    p = make_participant(db, nik(900), "Rina Withdrawn", sex="L", phone=None)
    e = enroll_direct(db, p, s["a"])
    db.execute("UPDATE enrollment SET status = 'withdrawn' WHERE id = ?", [e])
    q = make_participant(db, nik(901), "Yuni Waiting", sex="L", phone=None)
    enroll_direct(db, q, s["b"])
    db.conn.commit()
    return s


def outcome(r) -> tuple:
    if isinstance(r, EnrollResult):
        return ("ok", r.nik, r.session_id, r.status, r.enrollment_status, r.position, tuple(r.warnings),
                r.participant_created, r.outside_domicile, r.nik_mismatch_accepted, r.message())
    assert isinstance(r, PelatihanError), r
    return ("refused", type(r).__name__, str(r), getattr(r, "field", None), getattr(r, "value", None))


def snapshot(db) -> tuple:
    participants = db.execute(
        "SELECT id, nik, name, birth_date, sex, address, kelurahan_id, phone, ak1_number, ak1_date, "
        "nik_mismatch_accepted, age_band FROM participant ORDER BY id").fetchall()
    enrollments = db.execute(
        "SELECT id, participant_id, session_id, year, status, seq, outside_domicile, withdraw_reason "
        "FROM enrollment ORDER BY id").fetchall()
    return participants, enrollments


def one_by_one(db, items) -> list[tuple]:
    out = []
    with write_transaction(db):
        e = Enroller(db, today=TODAY)
        for person, session, opts in items:
            try:
                out.append(outcome(e.enroll(person, session() if callable(session) else session, opts)))
            except PelatihanError as err:
                out.append(outcome(err))
    return out


def batched(db, items, chunk: int) -> list[tuple]:
    out = []
    with write_transaction(db):
        e = Enroller(db, today=TODAY)
        for i in range(0, len(items), chunk):
            out += [outcome(r) for _sid, r in e.enroll_many(items[i:i + chunk])]
    return out


def both_ways(tmp_path, make_items, chunk: int):
    results = []
    for name in ("single", "batch"):
        db = open_db(tmp_path / f"{name}.db", create=True)
        s = setup(db)
        items = make_items(s)
        got = one_by_one(db, items) if name == "single" else batched(db, items, chunk)
        results.append((got, snapshot(db)))
        db.conn.close()
    return results


OPT = EnrollOptions()


def table_items(s: dict) -> list:
    a, b, m, x = s["a"], s["b"], s["m"], s["x"]
    P = PersonInput
    return [
        (P(nik(1), "Budi Santoso", phone="0812 3456 7890"), a, OPT),          # seat 1
        (P(nik(2, "420790"), "Siti Aminah", sex="P"), a, OPT),                # seat 2
        (P(nik(3), "Agus Pratama"), a, OPT),                                  # waitlist 1
        (P(nik(3), "Agus Pratama"), a, OPT),                                  # same again: unchanged
        (P(nik(3), "Agus  Pratama", address="Jl. Melati 2"), a, OPT),         # updated
        (P(nik(3), "Agus Pratama", address="Jl. Melati 2"), a, OPT),          # unchanged after that
        (P(nik(4), "Eko"), a, EnrollOptions(no_waitlist=True)),               # full, refused
        (P(nik(1), "Budi Santoso"), b, OPT),                                  # one per year
        (P(nik(5), "Dewi", birth_date="03/07/1990"), a, OPT),                 # NIK mismatch
        (P(nik(5), "Dewi", birth_date="03/07/1990"), a, EnrollOptions(accept_nik_mismatch=True)),
        (P(nik(6), "Nur", phone="021 555 1234"), a, OPT),                     # landline
        (P("12345", "Short"), a, OPT),                                        # bad NIK
        (P(nik(7, "020712"), "Too Young"), a, OPT),                           # age 12
        (P(nik(8), "Lives Elsewhere", kelurahan="Medono"), a, OPT),           # domicile
        (P(nik(8), "Lives Elsewhere", kelurahan="Medono"), a, EnrollOptions(allow_outside=True)),
        (P(nik(8), "Lives Elsewhere"), m, OPT),                               # one per year again
        (P(nik(900), "Rina Withdrawn"), a, OPT),                              # back in, end of queue
        (P(nik(901), "Yuni Waiting", phone="+62 813 1111 2222"), b, OPT),     # updated, still seated
        (P(nik(10), "Slamet"), b, OPT),                                       # b full: waitlist 1
        (P(nik(11), "Ahmad"), x, OPT),                                        # cancelled session
        (P(nik(12), "Muhammad"), 9999, OPT),                                  # no such session
        (P(nik(13), "Rahayu", kelurahan="Nowhere"), m, OPT),                  # unknown kelurahan
        (P(nik(14), "Lestari", ak1_number="AK1-77", ak1_date="1/6/2024"), m, OPT),
        (P(nik(14), "Lestari", ak1_number="AK1-78"), m, OPT),                 # updated AK1
        (P(nik(15), "Hidayat"), lambda: m, OPT),                               # session chosen late
        (P(nik(16), "Setiawan", sex="laki-laki"), m, OPT),                    # m full now: waitlist
    ]


@pytest.mark.parametrize("chunk", [1, 3, 7, 100])
def test_batch_equals_one_by_one(tmp_path, chunk):
    (single, single_rows), (batch, batch_rows) = both_ways(tmp_path, table_items, chunk)
    assert batch == single
    assert batch_rows == single_rows
    statuses = [o[3] if o[0] == "ok" else o[1] for o in single]
    # the scenario really covers what it claims
    assert statuses.count("waitlisted") >= 3 and "unchanged" in statuses and "updated" in statuses
    assert {"Conflict", "ValidationError"} <= set(statuses)


def test_batch_falls_back_to_one_by_one_when_the_database_refuses(tmp_path):
    """A cache that lies (as a concurrent writer outside the lock would make it) still
    cannot overfill a session: the capacity trigger refuses, the chunk is replayed person
    by person, and the refusal lands on the right person."""
    db = open_db(tmp_path / "t.db", create=True)
    sid = make_session(db, capacity=1)
    with write_transaction(db):
        e = Enroller(db, today=TODAY)
        e.enroll(PersonInput(nik(1), "Budi"), sid)
        e._counts(sid)[0] = 0  # lie: one seat free
        out = e.enroll_many([(PersonInput(nik(2), "Agus"), sid, OPT), (PersonInput(nik(3), "Eko"), sid, OPT)])
    assert out[0][1].status == "waitlisted" and out[1][1].status == "waitlisted"
    assert db.execute("SELECT p.nik, e.status FROM enrollment e JOIN participant p ON p.id = e.participant_id "
                      "ORDER BY e.id").fetchall() == [(nik(1), "enrolled"), (nik(2), "waitlisted"),
                                                      (nik(3), "waitlisted")]


def test_batch_replay_names_the_refused_person(tmp_path, monkeypatch):
    db = open_db(tmp_path / "t.db", create=True)
    sid = make_session(db, capacity=1)
    with write_transaction(db):
        e = Enroller(db, today=TODAY)
        e.enroll(PersonInput(nik(1), "Budi"), sid)
        real = e._counts

        def lying(session_id):  # always claims a free seat
            c = real(session_id)
            c[0] = 0
            return c

        monkeypatch.setattr(e, "_counts", lying)
        out = e.enroll_many([(PersonInput(nik(2), "Agus"), sid, OPT)])
    assert isinstance(out[0][1], Conflict) and "is full" in str(out[0][1]) and "NIK '3375010207900002'" in str(out[0][1])
    assert db.execute("SELECT count(*) FROM participant").fetchone() == (1,)


def test_enroll_many_requires_a_transaction(db):
    with pytest.raises(RuntimeError):
        Enroller(db).enroll_many([])


# --- property: any sequence of people, sessions and options ---------------------------------

people = st.tuples(
    st.integers(1, 8),                                   # NIK serial (repeats = duplicates)
    st.sampled_from(["020790", "420790", "020712", "320790"]),  # man, woman, too young, bad day
    st.sampled_from(["Budi", "Siti Aminah", " ", "Eko  Santoso"]),
    st.sampled_from([None, "02/07/1990", "1990-07-03", "31/02/1990"]),
    st.sampled_from([None, "L", "P", "X"]),
    st.sampled_from([None, "0812 3456 7890", "021 555 1234"]),
    st.sampled_from([None, "Medono"]),
    st.sampled_from(["a", "b", "m", "x"]),
    st.sampled_from([OPT, EnrollOptions(no_waitlist=True), EnrollOptions(allow_outside=True),
                     EnrollOptions(accept_nik_mismatch=True)]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(people, min_size=1, max_size=14), st.integers(1, 6))
def test_batch_equals_one_by_one_for_any_input(tmp_path_factory, rows, chunk):
    tmp = tmp_path_factory.mktemp("prop")

    def make_items(s):
        return [(PersonInput(nik(serial, ddmmyy), name, birth_date=birth, sex=sex, phone=phone, kelurahan=kel),
                 s[which], opts)
                for serial, ddmmyy, name, birth, sex, phone, kel, which, opts in rows]

    (single, single_rows), (batch, batch_rows) = both_ways(tmp, make_items, chunk)
    assert batch == single
    assert batch_rows == single_rows


def test_no_savepoint_per_person_in_a_clean_chunk(tmp_path):
    """The point of the batch path: a chunk of valid new people is written with
    executemany and no savepoint at all (its new ids undo it), not one savepoint and
    three statements per person."""
    db = open_db(tmp_path / "t.db", create=True)
    sid = make_session(db, capacity=50)
    seen: list[str] = []
    with write_transaction(db):
        e = Enroller(db, today=TODAY)
        e.session(sid)
        e._counts(sid)
        db.conn.set_trace_callback(seen.append)
        out = e.enroll_many([(PersonInput(nik(i), "Budi"), sid, OPT) for i in range(1, 31)])
        db.conn.set_trace_callback(None)
    assert [r.status for _s, r in out] == ["enrolled"] * 30
    assert sum(s.startswith("SAVEPOINT") for s in seen) == 0
    assert sum(s.startswith("INSERT INTO participant") for s in seen) == 30  # executemany traces each row
    assert not any(s.startswith("SELECT") and "WHERE nik = " in s for s in seen)


def test_a_refused_chunk_of_new_people_is_undone_before_the_replay(tmp_path):
    """No savepoint: the rows the chunk added before the refusal are deleted again, so the
    replay starts from the state before the chunk and nobody is written twice."""
    db = open_db(tmp_path / "t.db", create=True)
    sid = make_session(db, capacity=2)
    with write_transaction(db):
        e = Enroller(db, today=TODAY)
        e.enroll(PersonInput(nik(1), "Budi"), sid)
        e._counts(sid)[0] = 0  # lie: two seats free, so the chunk's second insert is refused
        out = e.enroll_many([(PersonInput(nik(2), "Agus"), sid, OPT), (PersonInput(nik(3), "Eko"), sid, OPT),
                             (PersonInput(nik(4), "Dewi"), sid, OPT)])
    assert [r.status for _s, r in out] == ["enrolled", "waitlisted", "waitlisted"]
    assert db.execute("SELECT p.nik, e.status, e.seq FROM enrollment e JOIN participant p ON p.id = e.participant_id "
                      "ORDER BY e.seq").fetchall() == [(nik(1), "enrolled", 1), (nik(2), "enrolled", 2),
                                                       (nik(3), "waitlisted", 3), (nik(4), "waitlisted", 4)]
    assert db.execute("SELECT count(*) FROM participant").fetchone() == (4,)
