"""participant merge: two records of one person become one."""

from __future__ import annotations

from pelatihan_cli.services.audit import mask_text  # NIKs in messages are masked (issue 13)

import datetime as dt
import json

import pytest

from pelatihan_cli.errors import Conflict
from pelatihan_cli.services import ak1, merge
from pelatihan_cli.services.enrollment import EnrollOptions, PersonInput, enroll
from tests.factories import make_session

KEEP = "3375014107900001"
OTHER = "3375014107900011"   # a mistyped NIK of the same woman


def test_merge_moves_enrollments_attendance_and_cards(db):
    s24 = make_session(db)
    s25 = make_session(db, kelurahan="Bendan Kergon", days=("2025-07-01", "2025-07-02"))
    enroll(db, s24, PersonInput(nik=OTHER, name="Sri Suryani", phone="081234567890"), EnrollOptions(),
           today=dt.date(2024, 6, 1))
    db.execute("INSERT INTO attendance (enrollment_id, day_no, present) VALUES (1, 1, 1)")
    ak1.record(db, OTHER, "AK1-1", "2024-07-03", today=dt.date(2024, 9, 1))
    enroll(db, s25, PersonInput(nik=KEEP, name="Sri Suryani"), EnrollOptions(), today=dt.date(2025, 6, 1))
    r = merge.merge(db, KEEP, OTHER)
    assert (r["enrollments"], r["attendance"], r["ak1_cards"], r["filled"]) == (1, 1, 1, ["phone"])
    assert db.execute("SELECT nik, phone FROM participant").fetchall() == [(KEEP, "+6281234567890")]
    assert db.execute("SELECT count(*) FROM enrollment WHERE participant_id = 2").fetchone() == (2,)
    assert db.execute("SELECT participant_id FROM ak1_card").fetchall() == [(2,)]
    assert json.loads(db.execute("SELECT changes FROM audit_log WHERE action = 'participant.merge'").fetchone()[0])[
        "enrollments"] == 1


def test_merge_refuses_two_trainings_in_one_year_naming_the_sessions(db):
    a = make_session(db)
    b = make_session(db, kelurahan="Medono", days=("2024-08-05", "2024-08-06"))
    enroll(db, a, PersonInput(nik=OTHER, name="Sri"), EnrollOptions(), today=dt.date(2024, 6, 1))
    enroll(db, b, PersonInput(nik=KEEP, name="Sri", kelurahan="Medono"), EnrollOptions(), today=dt.date(2024, 6, 1))
    with pytest.raises(Conflict, match=rf"training in 2024 \(sessions {b} and {a}\)"):
        merge.merge(db, KEEP, OTHER)
    assert db.execute("SELECT count(*) FROM participant").fetchone() == (2,)


def test_merge_refuses_one_session_twice(db):
    a = make_session(db)
    enroll(db, a, PersonInput(nik=OTHER, name="Sri"), EnrollOptions(), today=dt.date(2024, 6, 1))
    enroll(db, a, PersonInput(nik=KEEP, name="Sri"), EnrollOptions(), today=dt.date(2024, 6, 1))
    db.execute("UPDATE enrollment SET status = 'withdrawn' WHERE participant_id = 1")
    with pytest.raises(Conflict, match=rf"Both records are in session\(s\) {a}"):
        merge.merge(db, KEEP, OTHER)


def test_cli_merge_shows_differences_and_needs_yes(cli, db):
    a = make_session(db)
    enroll(db, a, PersonInput(nik=OTHER, name="Sri Suryanii"), EnrollOptions(), today=dt.date(2024, 6, 1))
    enroll(db, make_session(db, days=("2025-07-01", "2025-07-02")), PersonInput(nik=KEEP, name="Sri Suryani"),
           EnrollOptions(), today=dt.date(2025, 6, 1))
    r = cli("participant", "merge", KEEP, OTHER)
    assert r.exit_code == 1
    assert r.stderr == mask_text(f"Error: merging {OTHER} into {KEEP} removes the record of {OTHER} "
                                 "(name 'Sri Suryani' (kept) vs 'Sri Suryanii'); add --yes to confirm.\n")
    r = cli("participant", "merge", KEEP, OTHER, "--yes", "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["enrollments"] == 1
