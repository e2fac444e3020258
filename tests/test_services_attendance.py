"""services.attendance: the marking rules, import, and completion."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from factories import enroll_direct, make_participant, make_session
from pelatihan_cli.errors import Conflict, NotFound, RowErrors, ValidationError
from pelatihan_cli.services import attendance

TODAY = dt.date(2024, 7, 10)
A, B, C, W = "3375014107900001", "3375014107900002", "3375014107900003", "3375014107900009"


@pytest.fixture
def sess(db):
    sid = make_session(db)  # 2024-07-02, 2024-07-03
    for nik, name in ((A, "Ani"), (B, "Budi"), (C, "Citra")):
        enroll_direct(db, make_participant(db, nik, name), sid)
    enroll_direct(db, make_participant(db, W, "Wati"), sid, status="waitlisted")
    return sid


def marks(db):
    return sorted(db.execute(
        "SELECT p.nik, a.day_no, a.present FROM attendance a JOIN enrollment e ON e.id = a.enrollment_id "
        "JOIN participant p ON p.id = e.participant_id").fetchall())


def test_mark_all_except_gives_the_excepted_the_opposite_mark(db, sess):
    c = attendance.mark(db, sess, 1, all_enrolled=True, except_niks=[C], today=TODAY)
    assert c == {"marked": 3, "changed": 3, "present": 2, "absent": 1}
    assert marks(db) == [(A, 1, 1), (B, 1, 1), (C, 1, 0)]
    action, changes = db.execute("SELECT action, changes FROM audit_log").fetchone()
    assert action == "attendance.mark" and json.loads(changes)["present"] == 2


def test_marking_twice_is_harmless_and_absent_overwrites(db, sess):
    attendance.mark(db, sess, 1, [A], today=TODAY)
    assert attendance.mark(db, sess, 1, [A], today=TODAY)["changed"] == 0
    assert attendance.mark(db, sess, 1, ["3375 0141 0790 0001"], absent=True, today=TODAY)["changed"] == 1
    assert marks(db) == [(A, 1, 0)]


def test_day_must_be_in_range_and_not_in_the_future(db, sess):
    with pytest.raises(ValidationError, match="the day must be 1 to 2, not 3"):
        attendance.mark(db, sess, 3, [A], today=TODAY)
    with pytest.raises(ValidationError, match="the day must be 1 to 2, not 0"):
        attendance.mark(db, sess, 0, [A], today=TODAY)
    with pytest.raises(ValidationError, match="Day 2 of session 1 is 2024-07-03, still in the future"):
        attendance.mark(db, sess, 2, [A], today=dt.date(2024, 7, 2))
    attendance.mark(db, sess, 1, [A], today=dt.date(2024, 7, 2))  # the day itself is fine
    assert marks(db) == [(A, 1, 1)]


def test_only_enrolled_niks_and_nothing_marked_on_error(db, sess):
    with pytest.raises(NotFound, match=f"1 NIK\\(s\\) not enrolled in session 1: {W}.*attendance show 1 --show-nik"):
        attendance.mark(db, sess, 1, [A, W], today=TODAY)
    with pytest.raises(ValidationError, match="not 16 digits"):
        attendance.mark(db, sess, 1, ["12"], today=TODAY)
    with pytest.raises(ValidationError, match="not both"):
        attendance.mark(db, sess, 1, [A], all_enrolled=True, today=TODAY)
    with pytest.raises(ValidationError, match="--except only works together with --all"):
        attendance.mark(db, sess, 1, [A], except_niks=[B], today=TODAY)
    with pytest.raises(NotFound, match="No session with id 77"):
        attendance.mark(db, 77, 1, [A], today=TODAY)
    assert marks(db) == []


def test_cancelled_session_refused(db):
    sid = make_session(db, status="cancelled")
    with pytest.raises(Conflict, match="cancelled"):
        attendance.mark(db, sid, 1, all_enrolled=True, today=TODAY)


def test_show_and_completion(db, sess):
    attendance.mark(db, sess, 1, all_enrolled=True, today=TODAY)
    attendance.mark(db, sess, 2, all_enrolled=True, except_niks=[B], today=TODAY)
    data = attendance.show(db, sess)
    assert data["days"] == 2 and data["dates"] == {1: "2024-07-02", 2: "2024-07-03"}
    assert [(r["name"], r["present_days"], r["completed"]) for r in data["rows"]] == [
        ("Ani", [1, 2], True), ("Budi", [1], False), ("Citra", [1, 2], True)]
    assert data["rows"][0]["nik"] == "337501******0001"
    assert attendance.show(db, sess, show_nik=True)["rows"][0]["nik"] == A
    completed = [r[0] for r in db.execute(attendance.completed_sql())]
    assert len(completed) == 2


def test_parse_hadir():
    for v in ("yes", "Ya", " YA ", "1", 1, True, "✓", "v", "hadir"):
        assert attendance.parse_hadir(v) == 1, v
    for v in ("no", "Tidak", "0", 0, False, "-", "✗"):
        assert attendance.parse_hadir(v) == 0, v
    for v in ("", None, "maybe", 2):
        assert attendance.parse_hadir(v) is None, v


def test_import_all_or_nothing_with_row_errors(db, sess, tmp_path):
    f = tmp_path / "hadir.csv"
    f.write_text(
        "nik,day,hadir,session\n"
        f"{A},1,ya,{sess}\n"
        f"{W},1,ya,{sess}\n"          # row 3: waitlisted, not enrolled
        f"{B},3,ya,{sess}\n"          # row 4: no day 3
        f"{C},1,mungkin,{sess}\n"     # row 5: bad hadir
        f"{A},1,tidak,{sess}\n",      # row 6: contradicts row 2
        encoding="utf-8")
    with pytest.raises(RowErrors) as e:
        attendance.import_file(db, f, today=TODAY)
    assert [(x["row"], x["column"]) for x in e.value.errors] == [(3, "nik"), (4, "day"), (5, "hadir"), (6, "hadir")]
    assert "contradicts row 2" in e.value.errors[3]["message"]
    assert marks(db) == []


def test_import_by_kelurahan_and_skill(db, sess, tmp_path):
    f = tmp_path / "hadir.csv"
    f.write_text("NIK;Hari;Hadir;Kelurahan;Keterampilan\n"
                 f"{A};1;✓;bendan kergon;MERAJUT\n{A};2;1;Bendan Kergon;Merajut\n{B};1;tidak;Bendan Kergon;Merajut\n",
                 encoding="utf-8")
    # the next year's Merajut session in the same kelurahan does not make the rows ambiguous:
    # kelurahan + skill name the session of the import's programme (default: the current)
    from factories import make_session

    make_session(db, days=("2025-07-01", "2025-07-02"))
    c = attendance.import_file(db, f, today=TODAY, programme="2024")
    assert c == {"rows": 3, "marked": 3, "changed": 3, "sessions": 1, "programme": "Pelatihan Kewirausahaan 2024",
                 "dry_run": False}
    assert marks(db) == [(A, 1, 1), (A, 2, 1), (B, 1, 0)]
    assert db.execute("SELECT action FROM audit_log").fetchone()[0] == "attendance.import"
    # given 2025, the same rows name the 2025 session (whose days are still to come)
    with pytest.raises(RowErrors, match="Day 1 of session 2 is 2025-07-01, still in the future"):
        attendance.import_file(db, f, today=TODAY, programme="2025")
    with pytest.raises(RowErrors, match="no MERAJUT session in Bendan Kergon of Pelatihan Kewirausahaan 2026"):
        make_session(db, skill="Batik", days=("2026-07-01",))
        attendance.import_file(db, f, today=TODAY, programme="2026")


def test_import_missing_columns(db, sess, tmp_path):
    f = tmp_path / "hadir.csv"
    f.write_text("nik,hadir\n1,1\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"missing column\(s\) day, session \(or kelurahan and skill\)"):
        attendance.import_file(db, f, today=TODAY)
