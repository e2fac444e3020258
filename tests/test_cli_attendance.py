"""`pelatihan attendance` end to end."""

from __future__ import annotations

import datetime as dt
import json

from factories import enroll_direct, make_participant, make_session
from pelatihan_cli.db import open_db

A, B = "3375014107900001", "3375014107900002"


def setup(db, days=("2024-07-02", "2024-07-03")):
    sid = make_session(db, days=days)
    enroll_direct(db, make_participant(db, A, "Ani"), sid)
    enroll_direct(db, make_participant(db, B, "Budi"), sid)
    return sid


def test_mark_show_json(cli, db, db_path):
    sid = setup(db)
    r = cli("attendance", "mark", sid, "--day", "1", "--all")
    assert r.exit_code == 0, r.stderr
    assert r.output.strip() == "Session 1, day 1: 2 present, 0 absent marked (2 changed)."
    assert cli("attendance", "mark", sid, "--day", "2", A).exit_code == 0
    r = cli("attendance", "show", sid, "--format", "json")
    assert json.loads(r.stdout) == [
        {"nik": "337501******0001", "name": "Ani", "present_days": [1, 2], "completed": True},
        {"nik": "337501******0002", "name": "Budi", "present_days": [1], "completed": False},
    ]
    r = cli("attendance", "show", sid)
    assert "Session 1: 1 of 2 completed" in r.stdout and "✓" in r.stdout
    assert open_db(db_path).execute("SELECT count(*) FROM attendance").fetchone()[0] == 3


def test_future_day_refused(cli, db):
    from pelatihan_cli import clock

    today = clock.today()  # the office's date (WIB), not the machine's UTC one
    tomorrow = today + dt.timedelta(days=1)
    sid = setup(db, days=(today.isoformat(), tomorrow.isoformat()))
    assert cli("attendance", "mark", sid, "--day", "1", "--all").exit_code == 0
    r = cli("attendance", "mark", sid, "--day", "2", "--all")
    assert r.exit_code == 1
    assert f"Day 2 of session {sid} is {tomorrow.isoformat()}, still in the future" in r.stderr


def test_import_errors_listed_per_row(cli, db, tmp_path):
    sid = setup(db)
    f = tmp_path / "a.csv"
    f.write_text(f"nik,day,hadir,session\n{A},1,ya,{sid}\n{A},1,??,{sid}\n3375019999999999,1,ya,{sid}\n")
    r = cli("attendance", "import", f)
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert lines[0].startswith("Error: 2 bad row(s) in")
    assert lines[1].startswith("  row 3, hadir '??': write yes/no")
    assert lines[2] == "  row 4, nik '337501******9999': not enrolled in session 1"
    f.write_text(f"nik,day,hadir,session\n{A},1,ya,{sid}\n{B},1,0,{sid}\n")
    r = cli("attendance", "import", f)
    assert r.exit_code == 0 and r.output.strip() == "Read 2 row(s): 2 mark(s) in 1 session(s), 2 changed."


def test_import_an_officers_sheet_with_a_title_block(cli, db, tmp_path):
    """An officer's attendance sheet: two title lines above the header (the header is the
    first of the first 20 rows with NIK and hadir columns); the rows keep their sheet numbers."""
    sid = setup(db)
    f = tmp_path / "hadir.csv"
    f.write_text("DAFTAR HADIR PELATIHAN\nKelurahan Bendan Kergon\n\n"
                 f"NIK;Hari ke;Hadir;Sesi\n{A};1;ya;{sid}\n{B};1;??;{sid}\n", encoding="utf-8")
    r = cli("attendance", "import", f)
    assert r.exit_code == 1 and r.stderr.splitlines()[1].startswith("  row 6, hadir '??'")
    f.write_text("DAFTAR HADIR PELATIHAN\nKelurahan Bendan Kergon\n\n"
                 f"NIK;Hari ke;Hadir;Sesi\n{A};1;ya;{sid}\n{B};1;tidak;{sid}\n", encoding="utf-8")
    r = cli("attendance", "import", f)
    assert r.exit_code == 0 and r.output.strip() == "Read 2 row(s): 2 mark(s) in 1 session(s), 2 changed."

