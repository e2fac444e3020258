"""The life of a session (planned -> running -> done, or cancelled) and history that is
kept: instructors of done sessions, cancel/reopen, late records, forced withdrawals and
moves, erasure of someone holding a future seat. "Today" is set with PELATIHAN_TODAY."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pelatihan_cli.errors import Conflict, NotFound
from pelatihan_cli.services import (
    attendance, enrollment, erasure, instructors, participants, reports, roster, schedule, sessions,
)
from tests import factories

JULY = ("2024-07-02", "2024-07-03")   # the session's two days
BEFORE, DAY2, AFTER = "2024-06-03", "2024-07-03", "2024-07-10"


def nik(n: int) -> str:
    return f"3375014107900{n:03d}"  # women born 1990-07-01, Kota Pekalongan


def today(monkeypatch, day: str) -> None:
    monkeypatch.setenv("PELATIHAN_TODAY", day)


def enroll(db, sid: int, n: int, name: str | None = None):
    return enrollment.enroll(db, sid, enrollment.PersonInput(nik=nik(n), name=name or f"Peserta {n}"))


def count(db, sql, params=()):
    return db.execute(sql, params).fetchone()[0]


@pytest.fixture
def db2(db, monkeypatch):
    """A 2-day session (2-3 July 2024, capacity 2) taught by Siti Aminah, with two people enrolled."""
    today(monkeypatch, BEFORE)
    sid = factories.make_session(db, days=JULY, capacity=2)
    instructors.add(db, "Siti Aminah", ["Merajut"])
    sessions.update(db, sid, instructors=["Siti Aminah"])
    enroll(db, sid, 1, "Ani")
    enroll(db, sid, 2, "Bayu")
    return db, sid


def attend_all(db, sid, monkeypatch, days=(1, 2)):
    today(monkeypatch, AFTER)
    for d in days:
        attendance.mark(db, sid, d, all_enrolled=True)


# --- a done session does not block instructor changes ----------------------------------

def test_instructor_of_a_done_session_is_archived_not_deleted(db2, monkeypatch):
    db, sid = db2
    with pytest.raises(Conflict, match="booked on 1 planned or running session"):
        instructors.remove(db, "Siti Aminah")
    today(monkeypatch, DAY2)  # running: still blocks
    with pytest.raises(Conflict, match="planned or running"):
        instructors.remove(db, "Siti Aminah")
    today(monkeypatch, AFTER)
    assert instructors.remove(db, "Siti Aminah") == {"name": "Siti Aminah", "archived": True, "done_sessions": 1}
    assert sessions.get_session(db, sid)["instructors"] == ["Siti Aminah"]  # kept on the record
    assert instructors.list_instructors(db) == []
    (row,) = instructors.list_instructors(db, include_archived=True)
    assert row["name"] == "Siti Aminah" and row["archived"] and row["sessions"] == 0
    assert instructors.show(db, "siti aminah")["archived"] == row["archived"]
    with pytest.raises(Conflict, match="was removed on .* add them again with `pelatihan instructor add`"):
        sessions.plan(db, "Bendan Kergon", "Merajut", "2024-08-05", instructors=["Siti Aminah"])
    # adding them again restores them for planning
    assert instructors.add(db, "Siti Aminah", ["Merajut"])["restored"] is True
    assert sessions.plan(db, "Bendan Kergon", "Merajut", "2024-08-05", instructors=["Siti Aminah"])["instructors"]


def test_instructor_without_sessions_is_deleted(db):
    instructors.add(db, "Rina", ["Tas"])
    assert instructors.remove(db, "Rina") == {"name": "Rina", "archived": False, "done_sessions": 0}
    assert count(db, "SELECT count(*) FROM instructor") == 0


def test_remove_skill_is_blocked_only_by_planned_or_running_sessions(db2, monkeypatch):
    db, _ = db2
    instructors.update(db, "Siti Aminah", add_skills=["Tas"])
    with pytest.raises(Conflict, match="booked on session"):
        instructors.update(db, "Siti Aminah", remove_skills=["Merajut"])
    today(monkeypatch, AFTER)
    assert instructors.update(db, "Siti Aminah", remove_skills=["Merajut"])["removed"] == ["Merajut"]


# --- a done session keeps its days and capacity -------------------------------------------

def test_done_session_cannot_move_nor_change_capacity_but_venue_and_instructor_can_be_corrected(db2, monkeypatch):
    db, sid = db2
    today(monkeypatch, AFTER)
    with pytest.raises(Conflict, match="is done .* moving it is refused"):
        sessions.move(db, sid, "2024-08-05")
    with pytest.raises(Conflict, match="is done .* changing its capacity is refused"):
        sessions.update(db, sid, capacity=5)
    r = sessions.update(db, sid, venue="Aula RW 3")
    assert r["changed"] == ["venue"] and r["session"]["status"] == "done"
    assert '"done_session": 1' in count(db, "SELECT changes FROM audit_log ORDER BY id DESC LIMIT 1")


# --- cancel and reopen -------------------------------------------------------------------------

def test_cancel_keeps_enrollments_as_history_and_frees_the_year(db2, monkeypatch):
    db, sid = db2
    other = factories.make_session(db, skill="Tas", days=("2024-08-05", "2024-08-06"))
    c = sessions.cancel(db, sid, "banjir")
    assert (c["status"], c["enrollments_kept"], c["attendance_marks"]) == ("cancelled", 2, 0)
    assert db.execute("SELECT status, cancelled FROM enrollment ORDER BY id").fetchall() == [("enrolled", 1)] * 2
    assert count(db, "SELECT count(*) FROM instructor_day") == 0
    # not the year's training: Ani may join another session of 2024
    assert enroll(db, other, 1, "Ani").status == "enrolled"
    shown = participants.show(db, nik(1))["enrollments"]
    assert [(e["session_id"], e["status"], e["record"]) for e in shown] == [
        (other, "enrolled", ""), (sid, "cancelled", "cancelled session")]
    assert [r["status"] for r in participants.list_participants(db, session_id=sid)] == ["cancelled"] * 2


def test_cancel_with_attendance_needs_force(db2, monkeypatch):
    db, sid = db2
    attend_all(db, sid, monkeypatch)
    with pytest.raises(Conflict, match=r"has attendance recorded \(4 mark\(s\)\).*add --force"):
        sessions.cancel(db, sid)
    assert sessions.get_session(db, sid)["status"] == "done"
    assert len(reports.certificates(db, sid)) == 2
    c = sessions.cancel(db, sid, force=True)
    assert c["attendance_marks"] == 4 and count(db, "SELECT count(*) FROM attendance") == 4
    assert reports.certificates(db) == []  # a cancelled session counts nowhere


def test_reopen_restores_bookings_and_enrollments(db2):
    db, sid = db2
    sessions.cancel(db, sid)
    r = sessions.reopen(db, sid)
    assert (r["status"], r["enrollments_restored"], r["instructor_days"], r["enrolled"]) == ("planned", 2, 2, 2)
    assert db.execute("SELECT DISTINCT cancelled FROM enrollment").fetchall() == [(0,)]
    assert count(db, "SELECT count(*) FROM instructor_day WHERE session_id = ?", [sid]) == 2
    with pytest.raises(Conflict, match="is not cancelled; nothing to reopen"):
        sessions.reopen(db, sid)
    assert count(db, "SELECT count(*) FROM audit_log WHERE action = 'session.reopen'") == 1


def test_reopen_lists_every_conflict_and_writes_nothing(db2):
    db, sid = db2
    sessions.cancel(db, sid)
    # meanwhile Ani joined another 2024 training, and Siti Aminah teaches elsewhere on 3 July
    other = factories.make_session(db, kelurahan="Bendan Kergon", skill="Tas", days=("2024-08-05", "2024-08-06"))
    enroll(db, other, 1, "Ani")
    instructors.update(db, "Siti Aminah", add_skills=["Batik"])
    factories.kelurahan_id(db, "Medono")
    clash = sessions.plan(db, "Medono", "Batik", "2024-07-03", instructors=["Siti Aminah"])
    before = db.execute("SELECT * FROM enrollment ORDER BY id").fetchall()
    with pytest.raises(Conflict) as e:
        sessions.reopen(db, sid)
    message = str(e.value)
    assert message.startswith(f"Session {sid} cannot be reopened (2 problem(s)): ")
    assert f"instructor 'Siti Aminah' is booked on 2024-07-03 in session {clash['id']} (Medono · Batik)" in message
    assert f"Ani (337501******0001) is now in session {other} (Bendan Kergon · Tas)" in message
    assert "Nothing was changed" in message
    assert sessions.get_session(db, sid)["status"] == "cancelled"
    assert db.execute("SELECT * FROM enrollment ORDER BY id").fetchall() == before
    # once Ani is withdrawn from the cancelled session and the clash is gone, it reopens
    enrollment.withdraw(db, sid, nik(1))
    sessions.cancel(db, clash["id"])
    assert sessions.reopen(db, sid)["enrolled"] == 1


def test_a_done_and_cancelled_session_can_be_reopened(db2, monkeypatch):
    db, sid = db2
    sessions.cancel(db, sid)
    today(monkeypatch, AFTER)
    assert sessions.reopen(db, sid)["status"] == "done"


# --- rules meaning "not cancelled" keep working for running and done sessions ---------------

def test_running_session_day_2_has_its_roster_and_attendance(db2, monkeypatch):
    db, sid = db2
    today(monkeypatch, DAY2)
    assert sessions.get_session(db, sid)["status"] == "running"
    (day,) = roster.roster(db, dt.date(2024, 7, 3))
    assert day["session_id"] == sid and day["day"] == 2 and len(day["participants"]) == 2
    assert attendance.mark(db, sid, 2, all_enrolled=True)["present"] == 2
    assert [s["id"] for s in sessions.list_sessions(db, status="running")] == [sid]
    assert [r["sessions"] for r in schedule.schedule(db, "2024-07-03", "2024-07-03")] == [[sid]]


def test_done_session_counts_in_summary_certificates_schedule_and_lists(db2, monkeypatch):
    db, sid = db2
    attend_all(db, sid, monkeypatch)
    assert sessions.get_session(db, sid)["status"] == "done"
    summary = reports.summary(db, factories.programme_id(db, 2024))
    (row,) = [r for r in summary["rows"] if r["sessions"]]
    assert (row["sessions"], row["enrolled"], row["completed"]) == (1, 2, 2)
    assert len(reports.certificates(db)) == 2
    assert [r["sessions"] for r in schedule.schedule(db, "2024-07-01", "2024-07-31")] == [[sid], [sid]]
    assert len(roster.roster(db, dt.date(2024, 7, 2))[0]["participants"]) == 2
    assert [s["id"] for s in sessions.list_sessions(db, status="done")] == [sid]


def test_late_enrollment_into_a_done_session_is_recorded(db2, monkeypatch):
    db, sid = db2
    sessions.update(db, sid, capacity=3)
    today(monkeypatch, AFTER)
    r = enroll(db, sid, 3, "Cici")
    assert r.status == "enrolled" and r.late_record and "is done" in r.warnings[0]
    changes = json.loads(count(db, "SELECT changes FROM audit_log ORDER BY id DESC LIMIT 1"))
    assert changes["late_record"] == 1


# --- history is kept: withdraw and move after attending ----------------------------------------

def test_withdraw_after_attending_needs_force_and_keeps_the_completion(db2, monkeypatch):
    db, sid = db2
    attend_all(db, sid, monkeypatch)
    with pytest.raises(Conflict, match=r"attended 2 of 2 day\(s\) of session .*, completed; .*add --force"):
        enrollment.withdraw(db, sid, nik(1))
    r = enrollment.withdraw(db, sid, nik(1), "pindah kota", force=True)
    assert (r.attended, r.days, r.completed) == (2, 2, True)
    assert "attendance stays recorded: 2 of 2 day(s), completed" in r.message()
    (e,) = participants.show(db, nik(1))["enrollments"]
    assert (e["status"], e["attended"], e["completed"], e["record"]) == (
        "withdrawn", "2/2", True, "withdrawn after 2 of 2 days, completed")
    # still counted: certificates, summary, attendance's completion rule
    assert sorted(c["name"] for c in reports.certificates(db, sid)) == ["Ani", "Bayu"]
    summary = reports.summary(db, factories.programme_id(db, 2024))
    assert sum(r["completed"] for r in summary["rows"]) == 2
    assert count(db, f"SELECT count(*) FROM ({attendance.completed_sql()})") == 2


def test_withdraw_without_attendance_needs_no_force(db2, monkeypatch):
    db, sid = db2
    today(monkeypatch, DAY2)
    attendance.mark(db, sid, 1, [nik(2)])
    assert enrollment.withdraw(db, sid, nik(1)).previous_status == "enrolled"


def test_move_after_attending_needs_force(db2, monkeypatch):
    db, sid = db2
    attend_all(db, sid, monkeypatch, days=(1,))
    other = factories.make_session(db, skill="Tas", days=("2024-08-05", "2024-08-06"))
    with pytest.raises(Conflict, match=r"attended 1 of 2 day\(s\).*to move them anyway add --force"):
        enrollment.move(db, nik(1), other)
    moved = enrollment.move(db, nik(1), other, force=True)
    assert moved.enrolled.status == "enrolled"
    old = [e for e in participants.show(db, nik(1))["enrollments"] if e["session_id"] == sid][0]
    assert (old["status"], old["attended"], old["record"]) == ("withdrawn", "1/2", "withdrawn after 1 of 2 days")


# --- erasure withdraws from sessions that are not done ------------------------------------------

def test_erase_frees_a_future_seat_promotes_the_waitlist_and_counts_agree(db2, monkeypatch):
    db, sid = db2
    enroll(db, sid, 3, "Cici")  # waitlisted (capacity 2)
    r = erasure.erase(db, nik(1))
    assert r["withdrawn_from"] == [sid] and r["withdrawn"] == 1
    assert r["promoted"] == [{"session_id": sid, "name": "Cici", "nik": "337501******0003", "seat": 2}]
    today(monkeypatch, DAY2)
    enrolled = sessions.get_session(db, sid)["enrolled"]
    listed = [p for p in participants.list_participants(db, session_id=sid) if p["status"] == "enrolled"]
    (day,) = roster.roster(db, dt.date(2024, 7, 3))
    summary = reports.summary(db, factories.programme_id(db, 2024))
    assert enrolled == len(listed) == len(day["participants"]) == sum(r["enrolled"] for r in summary["rows"]) == 2
    assert "(erased)" not in json.dumps(day) and None not in [p["name"] for p in day["participants"]]
    assert db.execute("SELECT status, withdraw_reason FROM enrollment WHERE participant_id = 1").fetchone() == (
        "withdrawn", "erased")


def test_erase_keeps_a_done_session_record_and_its_counts_agree(db2, monkeypatch):
    db, sid = db2
    attend_all(db, sid, monkeypatch)
    r = erasure.erase(db, nik(1))
    assert r["withdrawn"] == 0 and r["promoted"] == []
    listed = participants.list_participants(db, session_id=sid)
    (day,) = roster.roster(db, dt.date(2024, 7, 2))
    assert sessions.get_session(db, sid)["enrolled"] == len(listed) == len(day["participants"]) == 2
    assert sorted([p["name"] for p in listed], key=str) == ["Bayu", None]
    assert len(reports.certificates(db, sid)) == 2
    with pytest.raises(NotFound):
        erasure.find(db, nik(1))
