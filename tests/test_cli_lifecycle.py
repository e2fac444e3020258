"""CLI grammar of the life-cycle commands: session cancel/reopen, withdraw/move --force."""

from __future__ import annotations

import json

import pytest

from tests import factories

NIK = "3375014107900001"


@pytest.fixture
def attended(cli, db, monkeypatch):
    """Session 1 (2-3 July 2024) with one person present on both days; today after it."""
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-07-10")
    sid = factories.make_session(db)
    assert cli("participant", "enroll", sid, NIK, "--name", "Ani").exit_code == 0
    for day in ("1", "2"):
        assert cli("attendance", "mark", sid, "--day", day, "--all").exit_code == 0
    return sid


def test_cancel_needs_yes_and_force_with_attendance(cli, db, attended):
    r = cli("session", "cancel", attended)
    assert r.exit_code == 1 and r.stderr.endswith("add --yes to confirm.\n")
    r = cli("session", "cancel", attended, "--yes")
    assert r.exit_code == 1 and "has attendance recorded (2 mark(s))" in r.stderr and "--force" in r.stderr
    r = cli("session", "cancel", attended, "--yes", "--force", "--format", "json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["status"], out["enrollments_kept"], out["attendance_marks"]) == ("cancelled", 1, 2)
    r = cli("session", "reopen", attended, "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["status"] == "done"


def test_withdraw_after_attending_needs_force_and_yes(cli, db, attended):
    r = cli("participant", "withdraw", attended, NIK)
    assert r.exit_code == 1 and "attended 2 of 2 day(s)" in r.stderr and len(r.stderr.splitlines()) == 1
    r = cli("participant", "withdraw", attended, NIK, "--force")
    assert r.exit_code == 1 and r.stderr == "Error: --force withdraws someone who attended; add --yes to confirm.\n"
    r = cli("participant", "withdraw", attended, NIK, "--force", "--yes", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["attended"] == "2/2" and json.loads(r.stdout)["completed"] is True
    (e,) = json.loads(cli("participant", "show", NIK, "--format", "json").stdout)["enrollments"]
    assert (e["status"], e["record"]) == ("withdrawn", "withdrawn after 2 of 2 days, completed")
    r = cli("report", "certificates", attended, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert [c["name"] for c in json.loads(r.stdout)] == ["Ani"]


def test_instructor_list_all_and_show_archived(cli, pekalongan_db, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-06-03")
    assert cli("instructor", "add", "Siti Aminah", "--skill", "Merajut").exit_code == 0
    assert cli("session", "plan", "Bendan Kergon", "--skill", "Merajut", "--start", "2024-07-02",
               "-i", "Siti Aminah").exit_code == 0
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-07-10")
    r = cli("instructor", "remove", "Siti Aminah")
    assert r.exit_code == 0 and r.output.startswith("Archived instructor Siti Aminah: kept on the 1 done session")
    assert json.loads(cli("instructor", "list", "--format", "json").stdout) == []
    assert [i["name"] for i in json.loads(cli("instructor", "list", "--all", "--format", "json").stdout)] == [
        "Siti Aminah"]
    assert "Archived on" in cli("instructor", "show", "Siti Aminah").stdout
