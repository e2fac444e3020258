"""Planning in a year whose cuti bersama the installed `holidays` package does not know yet
(issue 12, point 5): session plan, session import and session auto-plan warn once on stderr,
saying how to add them; a year it knows, or one where they were added as local holidays,
gives no warning."""

from __future__ import annotations

import json

import pytest

from pelatihan_cli.db import open_db
from pelatihan_cli.domain.calendar import cuti_bersama_known
from pelatihan_cli.resources import data_path
from pelatihan_cli.services import holidays

# 2031: the installed holidays package has no cuti bersama for it (checked below)
LATE = 2031
WARNING_START = f"Warning: the cuti bersama of {LATE} are not known to the installed holidays "
WARNING_END = ("package, so they count as working days here; once they are decreed, add each with "
               "`pelatihan holiday add DATE \"Cuti bersama ...\"` (this warning then stops), or upgrade the "
               "package: pip install -U holidays.")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2026-09-01")


@pytest.fixture
def setup(cli):
    assert cli("init", "--pekalongan").exit_code == 0
    assert cli("instructor", "import", str(data_path("instructors_2024.csv"))).exit_code == 0
    return cli


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "cuti bersama" in line]


def assert_one_warning(stderr: str) -> None:
    (line,) = warnings(stderr)
    assert line.startswith(WARNING_START) and line.endswith(WARNING_END)


def test_the_installed_package_knows_2026_but_not_2031():
    assert cuti_bersama_known(2026) and not cuti_bersama_known(LATE)


def test_service_warning_names_every_unknown_year_once(db):
    assert holidays.cuti_bersama_warnings(db, [2025, 2026]) == []
    (w,) = holidays.cuti_bersama_warnings(db, [2032, LATE, LATE, 2026])
    assert w.startswith(f"the cuti bersama of {LATE} and 2032 are not known")


def test_session_plan_warns_in_an_unknown_year_and_not_in_a_known_one(setup):
    cli = setup
    r = cli("session", "plan", "Bendan Kergon", "--skill", "Merajut", "--start", f"{LATE}-07-01")
    assert r.exit_code == 0, r.stderr
    assert_one_warning(r.stderr)
    r = cli("session", "plan", "Medono", "--skill", "Merajut", "--start", "2026-07-01", "--format", "json")
    assert r.exit_code == 0 and r.stderr == ""


def test_adding_a_cuti_bersama_day_as_a_local_holiday_ends_the_warning(setup):
    cli = setup
    r = cli("holiday", "add", f"{LATE}-01-02", "Cuti bersama Tahun Baru")
    assert r.exit_code == 0, r.stderr
    r = cli("session", "plan", "Bendan Kergon", "--skill", "Merajut", "--start", f"{LATE}-07-01")
    assert r.exit_code == 0 and warnings(r.stderr) == []


def test_session_import_warns_once_for_all_its_rows(setup, tmp_path, db_path):
    cli = setup
    f = tmp_path / "s.csv"
    f.write_text("kelurahan,skill,start\n"
                 f"Bendan Kergon,Merajut,{LATE}-07-01\n"
                 f"Medono,Merajut,{LATE}-07-03\n"
                 f"Podosugih,Merajut,{LATE}-07-07\n")
    r = cli("session", "import", str(f))
    assert r.exit_code == 0, r.stderr
    assert r.stderr.startswith("Read 3 row(s): 3 session(s) planned, 0 unchanged.\n")
    assert_one_warning(r.stderr)
    db = open_db(db_path)
    try:
        assert db.execute("SELECT count(*) FROM session").fetchone()[0] == 3
    finally:
        db.conn.close()


def test_auto_plan_warns_once_also_in_a_dry_run(setup):
    cli = setup
    args = ["session", "auto-plan", "--from", f"{LATE}-07-01", "--to", f"{LATE}-09-30", "--requests",
            str(data_path("programme_2024.csv")), "--max-per-day", "2"]
    r = cli(*args, "--dry-run", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert len(json.loads(r.stdout)) == 54
    assert_one_warning(r.stderr)
    r = cli(*args)
    assert r.exit_code == 0, r.stderr
    assert_one_warning(r.stderr)
    r = cli("session", "auto-plan", "--from", "2026-07-01", "--to", "2026-09-30", "--requests",
            str(data_path("programme_2024.csv")), "--max-per-day", "2", "--dry-run")
    assert r.exit_code == 0 and warnings(r.stderr) == []
