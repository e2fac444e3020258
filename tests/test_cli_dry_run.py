"""--dry-run on the bulk writes (kelurahan, instructor, session and attendance import):
every row is checked and counted as for real, then nothing is written, audit log included."""

from __future__ import annotations

import json

import pytest

from factories import enroll_direct, make_participant, make_session
from pelatihan_cli.db import open_db
from pelatihan_cli.resources import data_path

TABLES = ("kelurahan", "instructor", "instructor_skill", "skill", "session", "session_day", "attendance",
          "audit_log", "programme")


def snapshot(db_path):
    db = open_db(db_path)
    try:
        return {t: db.execute(f"SELECT * FROM [{t}] ORDER BY rowid").fetchall() for t in TABLES}
    finally:
        db.conn.close()


@pytest.fixture
def setup(cli, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-06-03")
    assert cli("init", "--pekalongan").exit_code == 0
    return cli


def test_kelurahan_import_dry_run(setup, tmp_path, db_path):
    cli = setup
    f = tmp_path / "k.csv"
    f.write_text("code,name,kecamatan\n33.75.01.1002,Medono,Pekalongan Barat\n,Kelurahan Uji,Pekalongan Barat\n")
    before = snapshot(db_path)
    r = cli("kelurahan", "import", f, "--dry-run")
    assert r.exit_code == 0, r.output
    assert "Dry run, nothing written. Read 2 row(s): 1 would be added, 1 unchanged." in r.output
    r = cli("kelurahan", "import", f, "--dry-run", "--format", "json")
    assert json.loads(r.stdout) == {"read": 2, "added": 1, "unchanged": 1, "dry_run": True}
    assert snapshot(db_path) == before
    r = cli("kelurahan", "import", f)
    assert "Read 2 row(s): 1 added, 1 unchanged." in r.output and "Dry run" not in r.output
    assert snapshot(db_path) != before


def test_instructor_and_session_import_dry_run(setup, tmp_path, db_path):
    cli = setup
    before = snapshot(db_path)
    r = cli("instructor", "import", data_path("instructors_2024.csv"), "--dry-run")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("Dry run, nothing written. Read 12 row(s): 12 would be added, 0 would be updated")
    r = cli("instructor", "import", data_path("instructors_2024.csv"), "--dry-run", "-f", "json")
    assert json.loads(r.stdout)["added"] == 12 and json.loads(r.stdout)["dry_run"] is True
    assert snapshot(db_path) == before
    assert cli("instructor", "import", data_path("instructors_2024.csv")).exit_code == 0

    f = tmp_path / "s.csv"
    f.write_text("kelurahan,skill,start\nMedono,Merajut,2024-07-02\nPringrejo,Batik,2024-07-09\n")
    before = snapshot(db_path)
    r = cli("session", "import", f, "--dry-run")
    assert r.exit_code == 0, r.output
    assert "Dry run, nothing written. Read 2 row(s): 2 session(s) would be planned, 0 unchanged." in r.output
    assert snapshot(db_path) == before  # no session, no programme, no audit entry
    # a bad row is still refused in a dry run
    f.write_text("kelurahan,skill,start\nMedono,Merajut,2024-07-13\n")
    r = cli("session", "import", f, "--dry-run")
    assert r.exit_code == 1 and "not a working day" in r.stderr
    assert snapshot(db_path) == before


def test_attendance_import_dry_run(cli, db, db_path, tmp_path):
    a, b = "3375014107900001", "3375014107900002"
    sid = make_session(db, days=("2024-07-02", "2024-07-03"))
    enroll_direct(db, make_participant(db, a, "Ani"), sid)
    enroll_direct(db, make_participant(db, b, "Budi"), sid)
    f = tmp_path / "a.csv"
    f.write_text(f"nik,day,hadir,session\n{a},1,ya,{sid}\n{b},1,tidak,{sid}\n{a},2,ya,{sid}\n")
    before = snapshot(db_path)
    r = cli("attendance", "import", f, "--dry-run")
    assert r.exit_code == 0, r.output
    assert "Dry run, nothing written. Read 3 row(s): 3 mark(s) in 1 session(s), 3 would be changed." in r.output
    r = cli("attendance", "import", f, "--dry-run", "--format", "json")
    out = json.loads(r.stdout)
    assert (out["marked"], out["changed"], out["dry_run"]) == (3, 3, True)
    assert snapshot(db_path) == before
    r = cli("attendance", "import", f)
    assert "3 changed" in r.output
    after = snapshot(db_path)
    assert len(after["attendance"]) == 3 and len(after["audit_log"]) == len(before["audit_log"]) + 1
