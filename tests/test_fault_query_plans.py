"""Query plans of the hot lookups: a roster, the sessions of a day, the participants of a
kelurahan must use indexes (SEARCH), never read a whole big table (SCAN), so that they
stay fast on a database of a million participants (bench/scale.py). The summary reads
everything, but in one pass per statement: no big table is scanned more than once.

The SQL is captured from the services themselves (sqlite3 trace callback), so a change
of query or a lost index in migrations.py is caught here."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests import factories

pytestmark = pytest.mark.fault

BIG = {"participant", "enrollment", "session", "session_day", "attendance", "audit_log", "instructor_day"}
_FROM = re.compile(r"\b(?:FROM|JOIN)\s+([A-Za-z_]\w*)(?:\s+(?:AS\s+)?(?!ON\b|WHERE\b|JOIN\b|LEFT\b|GROUP\b|ORDER\b|USING\b)([A-Za-z_]\w*))?",
                   re.IGNORECASE)


def _aliases(sql: str) -> dict[str, str]:
    out = {}
    for table, alias in _FROM.findall(sql):
        out[table] = table
        if alias:
            out[alias] = table
    return out


def plans(db, fn) -> list[tuple[str, list[str]]]:
    """(sql, plan lines) of every SELECT the call runs."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        fn()
    finally:
        db.conn.set_trace_callback(None)
    out = []
    for sql in seen:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        lines = [r[3] for r in db.conn.execute("EXPLAIN QUERY PLAN " + sql)]
        out.append((sql, lines))
    return out


def big_scans(sql: str, lines: list[str]) -> list[str]:
    names = _aliases(sql)
    bad = []
    for line in lines:
        m = re.match(r"SCAN (\w+)", line)
        if m and names.get(m.group(1), m.group(1)) in BIG:
            bad.append(line)
    return bad


@pytest.fixture
def programme(pekalongan_db):
    db = pekalongan_db
    sids = [factories.make_session(db, kelurahan=k, skill=s, days=(d1, d2), capacity=3)
            for k, s, d1, d2 in [("Medono", "Tas", "2024-07-02", "2024-07-03"),
                                 ("Medono", "Buket", "2024-07-02", "2024-07-03"),
                                 ("Tirto", "Tas", "2024-07-04", "2024-07-05")]]
    kid = factories.kelurahan_id(db, "Medono")
    for i in range(8):
        pid = db.execute("INSERT INTO participant (nik, name, sex, kelurahan_id, ak1_number) VALUES (?, ?, 'L', ?, ?)",
                         [f"33750101019{i + 1:05d}", f"Orang {i}", kid, "A1" if i % 2 else None]).lastrowid
        sid = sids[i % 3]
        status = "enrolled" if i < 6 else "waitlisted"
        eid = db.execute("INSERT INTO enrollment (participant_id, session_id, year, status, seq) VALUES (?, ?, 2024, ?, ?)",
                         [pid, sid, status, i + 1]).lastrowid
        if status == "enrolled":
            db.execute("INSERT INTO attendance (enrollment_id, day_no, present) VALUES (?, 1, 1), (?, 2, 1)", [eid, eid])
    db.conn.commit()
    return db


def _strict(db, fn):
    found = plans(db, fn)
    assert found, "the service ran no SELECT"
    problems = [(sql.split()[:12], bad) for sql, lines in found if (bad := big_scans(sql, lines))]
    assert not problems, problems


def test_roster_uses_indexes(programme):
    from pelatihan_cli.services import roster

    _strict(programme, lambda: roster.roster(programme, dt.date(2024, 7, 2)))


def test_session_list_of_a_day_uses_indexes(programme):
    from pelatihan_cli.services import sessions

    _strict(programme, lambda: sessions.list_sessions(programme, date="2024-07-02"))


def test_participant_list_of_a_kelurahan_uses_indexes(programme):
    from pelatihan_cli.services import participants

    _strict(programme, lambda: participants.list_participants(programme, kelurahan="Medono"))


def test_summary_reads_each_big_table_once_per_statement(programme):
    from pelatihan_cli.services import reports

    for sql, lines in plans(programme, lambda: reports.summary(programme, 1)):
        names = _aliases(sql)
        tables = [names.get(re.match(r"SCAN (\w+)", line).group(1)) for line in big_scans(sql, lines)]
        assert len(tables) == len(set(tables)), (sql.split()[:12], lines)
        assert not any(line.startswith("CORRELATED") for line in lines), (sql.split()[:12], lines)
        if re.search(r"\bFROM attendance\b", sql):
            # attendance is the biggest table: read it from the covering index attendance_present
            assert any("COVERING INDEX attendance_present" in line for line in lines), lines


def test_lookup_by_nik_uses_the_unique_index(programme):
    from pelatihan_cli.services import erasure

    _strict(programme, lambda: erasure.find(programme, "3375010101900001"))


def test_the_checker_catches_a_lost_index(programme):
    from pelatihan_cli.services import roster

    programme.execute("DROP INDEX session_day_date")
    found = plans(programme, lambda: roster.roster(programme, dt.date(2024, 7, 2)))
    assert any(big_scans(sql, lines) for sql, lines in found)


def test_the_possible_duplicate_look_up_uses_the_name_key_index(programme):
    """m007: a new person is compared with the registered people born that day through the
    index (birth date, person key), both for keyed rows and rows written without a key;
    before, each import copied every participant's key into a temporary table."""
    from pelatihan_cli.services.enrollment import Enroller

    enroller = Enroller(programme)
    look_up = lambda: enroller._registered_twins([("1990-07-02", "sitiaminah"), ("1985-03-04", "budi")])  # noqa: E731
    _strict(programme, look_up)
    found = plans(programme, look_up)
    assert len(found) == 2 and all(any("participant_person_key" in line for line in lines) for _sql, lines in found)
