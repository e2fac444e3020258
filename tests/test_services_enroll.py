"""Enrollment service: every rule, the waitlist, withdraw/move, and the Enroller contract."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pelatihan_cli.db import write_transaction
from pelatihan_cli.errors import Conflict, NotFound, ValidationError
from pelatihan_cli.services import settings
from pelatihan_cli.services.enrollment import (
    EnrollOptions, Enroller, PersonInput, enroll, move, promote_waitlisted, withdraw,
)
from tests.factories import kelurahan_id, make_session

TODAY = dt.date(2024, 6, 1)  # before the default session's first day 2024-07-02


def nik(serial: int, ddmmyy: str = "020790") -> str:
    return f"337501{ddmmyy}{serial:04d}"


def P(serial: int = 1, name: str = "Budi Santoso", **kw) -> PersonInput:
    return PersonInput(nik=kw.pop("nik", nik(serial)), name=name, **kw)


def go(db, sid, person, **opts):
    return enroll(db, sid, person, EnrollOptions(**opts), today=TODAY)


def rows(db, sql, params=()):
    return db.execute(sql, params).fetchall()


def test_enroll_creates_participant_and_enrollment(db):
    sid = make_session(db)
    r = go(db, sid, P(name="Siti Aminah", nik="3375 0142 0790 0001", phone="0812 3456 7890", address="Jl. Sriwijaya 3"))
    assert (r.status, r.position, r.capacity, r.warnings) == ("enrolled", 1, 20, [])
    assert r.message() == f"Enrolled Siti Aminah in session {sid} (Bendan Kergon · Merajut), seat 1 of 20"
    (p,) = rows(db, "SELECT nik, name, birth_date, sex, phone, address, kelurahan_id, age_band, nik_mismatch_accepted FROM participant")
    assert p == ("3375014207900001", "Siti Aminah", "1990-07-02", "P", "+6281234567890", "Jl. Sriwijaya 3",
                 kelurahan_id(db), "25-34", 0)
    assert rows(db, "SELECT session_id, year, status, seq, outside_domicile FROM enrollment") == [(sid, 2024, "enrolled", 1, 0)]
    (a,) = rows(db, "SELECT action, changes FROM audit_log")
    assert a[0] == "participant.enroll" and json.loads(a[1])["enrolled"] == 1


def test_same_enrollment_again_is_unchanged_and_writes_nothing(db):
    sid = make_session(db)
    go(db, sid, P(phone="081234567890"))
    before = rows(db, "SELECT * FROM participant") + rows(db, "SELECT * FROM enrollment")
    r = go(db, sid, P(phone="+62 812-3456-7890"))
    assert (r.status, r.position) == ("unchanged", 1)
    assert "nothing changed" in r.message()
    assert rows(db, "SELECT * FROM participant") + rows(db, "SELECT * FROM enrollment") == before
    assert rows(db, "SELECT count(*) FROM audit_log") == [(1,)]


def test_same_enrollment_with_new_details_is_updated(db):
    sid = make_session(db)
    go(db, sid, P())
    r = go(db, sid, P(name="Budi  Santoso Putra", phone="0812-1111-2222"))
    assert r.status == "updated"
    assert rows(db, "SELECT name, phone FROM participant") == [("Budi Santoso Putra", "+6281211112222")]
    assert rows(db, "SELECT count(*) FROM enrollment") == [(1,)]


# --- age ----------------------------------------------------------------------------------

@pytest.mark.parametrize("ddmmyy,ok", [
    ("020709", True),    # 15 on 2024-07-02 (first day)
    ("030709", False),   # 14: turns 15 the day after
    ("030759", True),    # 64: turns 65 the day after
    ("020759", False),   # 65 on the first day
])
def test_age_boundaries_on_first_day(db, ddmmyy, ok):
    sid = make_session(db)
    person = P(nik=nik(1, ddmmyy))
    if ok:
        assert go(db, sid, person).status == "enrolled"
    else:
        with pytest.raises(ValidationError, match="Age rule") as e:
            go(db, sid, person)
        assert e.value.field == "nik"
        assert rows(db, "SELECT count(*) FROM participant") == [(0,)]


def test_age_bounds_come_from_settings(db):
    sid = make_session(db)
    settings.set_value(db, "age_min", "18")
    with pytest.raises(ValidationError, match="must be 18 to 64"):
        go(db, sid, P(nik=nik(1, "020707")))  # 17
    settings.set_value(db, "age_min", "17")
    assert go(db, sid, P(nik=nik(1, "020707"))).status == "enrolled"


def test_women_day_plus_40(db):
    sid = make_session(db)
    go(db, sid, P(nik=nik(1, "420790")))
    assert rows(db, "SELECT sex, birth_date FROM participant") == [("P", "1990-07-02")]


# --- NIK agreement -----------------------------------------------------------------------

def test_birth_date_mismatch_refused_then_accepted_and_recorded(db):
    sid = make_session(db)
    with pytest.raises(ValidationError, match="1990-07-03 does not match NIK .* encodes 1990-07-02") as e:
        go(db, sid, P(birth_date="1990-07-03"))
    assert e.value.field == "birth_date" and e.value.value == "1990-07-03"
    r = go(db, sid, P(birth_date="1990-07-03"), accept_nik_mismatch=True)
    assert any("accepted" in w for w in r.warnings)
    assert rows(db, "SELECT birth_date, nik_mismatch_accepted FROM participant") == [("1990-07-03", 1)]


def test_sex_mismatch_refused(db):
    sid = make_session(db)
    with pytest.raises(ValidationError, match="Sex Perempuan does not match") as e:
        go(db, sid, P(sex="Perempuan"))
    assert e.value.field == "sex"
    assert go(db, sid, P(sex="laki-laki")).status == "enrolled"


# --- session -------------------------------------------------------------------------------

def test_cancelled_and_unknown_session_refused(db):
    sid = make_session(db, status="cancelled")
    with pytest.raises(ValidationError, match="is cancelled") as e:
        go(db, sid, P())
    assert e.value.field == "session"
    with pytest.raises(NotFound, match="No session with id 99; see `pelatihan session list`"):
        go(db, 99, P())


def test_started_session_allowed_with_warning(db):
    sid = make_session(db)
    r = enroll(db, sid, P(), today=dt.date(2024, 7, 3))  # day 2 of 2: running
    assert r.status == "enrolled" and "started on 2024-07-02" in r.warnings[0] and not r.late_record


def test_done_session_allowed_as_a_late_record_with_warning_and_audit(db):
    sid = make_session(db)
    r = enroll(db, sid, P(), today=dt.date(2024, 7, 5))  # after the last day: done
    assert r.status == "enrolled" and r.late_record
    assert r.warnings == ["session 1 (Bendan Kergon · Merajut) is done (its last day was 2024-07-03); "
                          "recording a late enrollment from the paper records (recorded)."]
    changes = db.execute("SELECT changes FROM audit_log WHERE action = 'participant.enroll'").fetchone()[0]
    assert '"late_record": 1' in changes


# --- domicile ------------------------------------------------------------------------------

def test_domicile_must_be_session_kelurahan_unless_allowed(db):
    sid = make_session(db)
    kelurahan_id(db, "Podosugih")
    with pytest.raises(ValidationError, match="lives in Podosugih") as e:
        go(db, sid, P(kelurahan="podosugih"))
    assert e.value.field == "kelurahan"
    r = go(db, sid, P(kelurahan="Podosugih"), allow_outside=True)
    assert r.outside_domicile
    assert rows(db, "SELECT outside_domicile FROM enrollment") == [(1,)]
    assert json.loads(rows(db, "SELECT changes FROM audit_log")[-1][0])["outside_domicile"] == 1


def test_unknown_kelurahan(db):
    sid = make_session(db)
    with pytest.raises(ValidationError, match="Unknown kelurahan 'Bendan Kergn'.*Did you mean 'Bendan Kergon'"):
        go(db, sid, P(kelurahan="Bendan Kergn"))


# --- one per year --------------------------------------------------------------------------

def test_one_active_enrollment_per_year_names_the_first_session(db):
    s1 = make_session(db)
    s2 = make_session(db, skill="Menjahit", days=("2024-09-02",))
    s3 = make_session(db, skill="Batik", days=("2025-02-03",))
    go(db, s1, P())
    with pytest.raises(Conflict, match=rf"already in session {s1} \(Bendan Kergon · Merajut\) of programme 'Pelatihan Kewirausahaan 2024' in 2024"):
        go(db, s2, P())
    assert go(db, s3, P()).status == "enrolled"  # another year
    withdraw(db, s1, nik(1))
    assert go(db, s2, P()).status == "enrolled"


# --- capacity and waitlist -----------------------------------------------------------------

def test_capacity_then_waitlist_then_no_waitlist(db):
    sid = make_session(db, capacity=2)
    assert [go(db, sid, P(i)).status for i in (1, 2, 3, 4)] == ["enrolled", "enrolled", "waitlisted", "waitlisted"]
    r = go(db, sid, P(5))
    assert (r.status, r.position) == ("waitlisted", 3)
    assert r.message().endswith("position 3")
    with pytest.raises(Conflict, match="is full .2 of 2 seats. and --no-waitlist"):
        go(db, sid, P(6), no_waitlist=True)
    assert rows(db, "SELECT count(*) FROM participant") == [(5,)]


def test_withdraw_promotes_first_waitlisted_and_says_who(db):
    sid = make_session(db, capacity=1)
    go(db, sid, P(1, name="Ani"))
    go(db, sid, P(2, name="Bayu"))
    go(db, sid, P(3, name="Cici"))
    w = withdraw(db, sid, nik(1), reason="pindah kerja")
    assert [p.name for p in w.promoted] == ["Bayu"]
    assert "Promoted Bayu from the waitlist to seat 1" in w.message()
    assert rows(db, "SELECT p.name, e.status, e.withdraw_reason FROM enrollment e JOIN participant p ON p.id = e.participant_id ORDER BY e.seq") == [
        ("Ani", "withdrawn", "pindah kerja"), ("Bayu", "enrolled", None), ("Cici", "waitlisted", None)]
    # Cici is now first on the waitlist
    assert go(db, sid, P(3, name="Cici")).position == 1
    # withdrawing a waitlisted person promotes nobody
    assert withdraw(db, sid, nik(3)).promoted == []
    assert "already withdrawn" in withdraw(db, sid, nik(3)).message()


def test_reenroll_after_withdraw_goes_to_the_back(db):
    sid = make_session(db, capacity=1)
    go(db, sid, P(1))
    go(db, sid, P(2))
    withdraw(db, sid, nik(1))
    r = go(db, sid, P(1))
    assert (r.status, r.position) == ("waitlisted", 1)


def test_database_trigger_backs_the_capacity(db):
    import sqlite3

    sid = make_session(db, capacity=1)
    go(db, sid, P(1))
    go(db, sid, P(2))
    with pytest.raises(sqlite3.IntegrityError, match="session full"):
        db.execute("UPDATE enrollment SET status = 'enrolled' WHERE status = 'waitlisted'")


def test_promote_after_capacity_raised(db):
    sid = make_session(db, capacity=1)
    go(db, sid, P(1))
    go(db, sid, P(2))
    db.execute("UPDATE session SET capacity = 3 WHERE id = ?", [sid])
    with write_transaction(db):
        assert [p.seat for p in promote_waitlisted(db, sid)] == [2]


# --- move ------------------------------------------------------------------------------------

def test_move_under_the_same_rules(db):
    s1 = make_session(db, capacity=1)
    s2 = make_session(db, skill="Menjahit", days=("2024-08-05",), capacity=1)
    s3 = make_session(db, kelurahan="Podosugih", skill="Batik", days=("2024-08-05",))
    go(db, s1, P(1, name="Ani"))
    go(db, s1, P(2, name="Bayu"))
    m = move(db, nik(1), s2, today=TODAY)
    assert (m.enrolled.status, m.enrolled.position) == ("enrolled", 1)
    assert [p.name for p in m.promoted] == ["Bayu"]
    assert "Moved Ani from session 1" in m.message()
    with pytest.raises(ValidationError, match="lives in Bendan Kergon"):
        move(db, nik(1), s3, today=TODAY)
    # refused move left everything as it was
    assert rows(db, "SELECT session_id, status FROM enrollment WHERE participant_id = 1 ORDER BY id") == [
        (s1, "withdrawn"), (s2, "enrolled")]
    m = move(db, nik(1), s3, EnrollOptions(allow_outside=True), today=TODAY)
    assert m.enrolled.outside_domicile
    with pytest.raises(Conflict, match="already in"):
        move(db, nik(1), s3, today=TODAY)


# --- Enroller contract (used by the batch importer) -----------------------------------------

def test_enroller_refuses_without_writing_and_continues(db):
    sid = make_session(db, capacity=2)
    with write_transaction(db):
        e = Enroller(db, today=TODAY)
        assert e.enroll(P(1), sid).status == "enrolled"
        for bad, field in [
            (P(2, phone="021 555 1234"), "phone"),
            (P(2, name="  "), "name"),
            (P(nik="12345"), "nik"),
            (P(2, sex="X"), "sex"),
            (P(2, birth_date="31/02/1990"), "birth_date"),
            (P(2, kelurahan="Nowhere"), "kelurahan"),
        ]:
            with pytest.raises(ValidationError) as err:
                e.enroll(bad, sid)
            assert err.value.field == field
        assert e.enroll(P(2), sid).status == "enrolled"
        assert e.enroll(P(3), sid).position == 1
    assert rows(db, "SELECT count(*) FROM participant") == [(3,)]


def test_enroller_rolls_back_partial_writes_on_db_refusal(db):
    sid = make_session(db, capacity=1)
    with write_transaction(db):
        e = Enroller(db, today=TODAY)
        e.enroll(P(1), sid)
        e._counts(sid)[0] = 0  # make the cache lie: the trigger must still refuse
        with pytest.raises(Conflict, match="is full"):
            e.enroll(P(2), sid)
    assert rows(db, "SELECT count(*) FROM participant") == [(1,)]


def test_enroller_requires_a_transaction(db):
    sid = make_session(db)
    with pytest.raises(RuntimeError):
        Enroller(db).enroll(P(1), sid)
