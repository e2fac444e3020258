"""Programmes: one database serves every year (issue 11, points 1, 2 and 9).

Each test is a defect of the first version: it planned, routed, counted or printed across
years. "Today" is set with PELATIHAN_TODAY, as an operator's laptop clock would be."""

from __future__ import annotations

import json
import sqlite3

import pytest

from pelatihan_cli.resources import data_path

REQ_2024 = str(data_path("programme_2024.csv"))
REQ_2025 = str(data_path("programme_2025.csv"))


def rows(db_path, sql, params=()):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def city(cli, monkeypatch):
    """Kota Pekalongan with its instructors; today is before the 2024 programme."""
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-06-03")
    assert cli("init", "--pekalongan").exit_code == 0
    assert cli("instructor", "import", str(data_path("instructors_2024.csv"))).exit_code == 0
    return cli


def _auto_plan(cli, start, end, requests, *extra):
    r = cli("session", "auto-plan", "--from", start, "--to", end, "--requests", requests, "--max-per-day", "2",
            *extra)
    assert r.exit_code == 0, r.stderr
    return r


def test_auto_plan_of_2025_on_the_2024_database_plans_the_2025_programme(city, db_path, monkeypatch):
    _auto_plan(city, "2024-07-01", "2024-08-27", REQ_2024)
    monkeypatch.setenv("PELATIHAN_TODAY", "2025-06-02")
    r = _auto_plan(city, "2025-07-01", "2025-08-29", REQ_2025)
    # the first version said "every request already has a planned session" and planned nothing
    assert r.stdout.splitlines()[-1] == (
        "Planned 54 session(s) for 27 kelurahan; 0 of 54 request(s) already had a session in "
        "Pelatihan Kewirausahaan Masyarakat Kota Pekalongan 2025.")
    assert rows(db_path, "SELECT p.year, count(*) FROM session s JOIN programme p ON p.id = s.programme_id "
                         "GROUP BY p.year") == [(2024, 54), (2025, 54)]
    # planning 2025 again finds its own sessions
    r = _auto_plan(city, "2025-07-01", "2025-08-29", REQ_2025)
    assert "54 of 54 request(s) already had a session" in r.stdout


def test_auto_plan_of_2024_is_not_skipped_because_later_years_have_sessions(city, db_path):
    for kel, skill in (("Medono", "Hantaran"), ("Medono", "Tas")):
        r = city("session", "plan", kel, "--skill", skill, "--start", "2027-07-05")
        assert r.exit_code == 0, r.stderr
    r = _auto_plan(city, "2024-07-01", "2024-08-27", REQ_2024)
    assert "Planned 54 session(s)" in r.stdout and "0 of 54 request(s)" in r.stdout
    assert rows(db_path, "SELECT count(*) FROM session WHERE start_date LIKE '2024-%'") == [(54,)]


def test_a_dry_run_in_a_new_year_creates_no_programme(city, db_path):
    r = _auto_plan(city, "2024-07-01", "2024-08-27", REQ_2024, "--dry-run", "--format", "json")
    assert len(json.loads(r.stdout)) == 54
    assert rows(db_path, "SELECT count(*) FROM programme") == [(0,)]


@pytest.fixture
def two_years(city, monkeypatch):
    """Medono: a 2024 session with free seats, a 2025 one; today is in 2025."""
    cli = city
    assert cli("session", "plan", "Medono", "--skill", "Tas", "--start", "2024-07-02").exit_code == 0
    assert cli("session", "plan", "Medono", "--skill", "Tas", "--start", "2025-07-07").exit_code == 0
    monkeypatch.setenv("PELATIHAN_TODAY", "2025-06-02")
    return cli


def test_import_of_2025_applicants_never_lands_in_the_2024_session(two_years, db_path, tmp_path):
    f = tmp_path / "medono_2025.csv"
    f.write_text("NIK,Nama,Kelurahan,Pelatihan\n3375015207900001,Sri Wahyuni,Medono,Tas\n", encoding="utf-8")
    r = two_years("participant", "import", f)
    assert r.exit_code == 0, r.stderr
    assert "started on" not in r.stderr  # the first version put them in 2024's free seat
    assert rows(db_path, "SELECT e.session_id, e.year FROM enrollment e") == [(2, 2025)]
    assert "Programme: Pelatihan Kewirausahaan Masyarakat Kota Pekalongan 2025 (the default" in r.stderr


def test_import_refuses_a_session_id_of_another_programme(two_years, db_path, tmp_path):
    f = tmp_path / "sesi.csv"
    f.write_text("NIK,Nama,Sesi\n3375015207900001,Sri Wahyuni,1\n", encoding="utf-8")
    r = two_years("participant", "import", f)
    assert r.exit_code == 1
    assert "session 1 belongs to programme 'Pelatihan Kewirausahaan Masyarakat Kota Pekalongan 2024'" in r.stderr
    assert "give --programme 1" in r.stderr
    assert rows(db_path, "SELECT count(*) FROM enrollment") == [(0,)]
    # saying which programme is filled puts the late paper record where it belongs
    r = two_years("participant", "import", f, "--programme", "2024")
    assert r.exit_code == 0, r.stderr
    assert rows(db_path, "SELECT session_id, year FROM enrollment") == [(1, 2024)]


def test_one_training_per_programme_year_names_the_programme(city, db_path):
    cli = city
    cli("programme", "add", "PKW Batch 1 2024", "--year", "2024", "--from", "2024-01-01", "--to", "2024-07-31")
    cli("programme", "add", "PKW Batch 2 2024", "--year", "2024", "--from", "2024-08-01", "--to", "2024-12-31")
    assert cli("session", "plan", "Medono", "--skill", "Tas", "--start", "2024-07-02").exit_code == 0
    assert cli("session", "plan", "Medono", "--skill", "Buket", "--start", "2024-08-06").exit_code == 0
    ok = cli("participant", "enroll", "1", "3375015207900001", "--name", "Sri Wahyuni")
    assert ok.exit_code == 0, ok.stderr
    r = cli("participant", "enroll", "2", "3375015207900001", "--name", "Sri Wahyuni")
    assert r.exit_code == 1
    assert "already in session 1 (Medono · Tas) of programme 'PKW Batch 1 2024' in 2024" in r.stderr


def test_two_programmes_covering_a_date_need_programme(city, db_path):
    cli = city
    assert cli("programme", "add", "PKW 2025", "--year", "2025", "--from", "2025-06-01", "--to", "2025-09-30").exit_code == 0
    assert cli("programme", "add", "Kartu Prakerja Daerah 2025", "--year", "2025", "--from", "2025-07-01",
               "--to", "2025-12-31").exit_code == 0
    r = cli("session", "plan", "Medono", "--skill", "Tas", "--start", "2025-07-07")
    assert r.exit_code == 1
    assert "2 programmes cover 2025-07-07: 'PKW 2025' (id 1, 2025-06-01 to 2025-09-30); " \
           "'Kartu Prakerja Daerah 2025' (id 2, 2025-07-01 to 2025-12-31)" in r.stderr
    assert "--programme" in r.stderr
    assert rows(db_path, "SELECT count(*) FROM session") == [(0,)]
    r = cli("session", "plan", "Medono", "--skill", "Tas", "--start", "2025-07-07", "-p", "pkw 2025", "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["programme"] == "PKW 2025"
    # outside a programme's window: refused with the window named
    r = cli("session", "plan", "Medono", "--skill", "Buket", "--start", "2025-11-03", "-p", "PKW 2025")
    assert r.exit_code == 1 and "runs from 2025-06-01 to 2025-09-30" in r.stderr
    # a session moves to another programme covering its days while it has no attendance
    r = cli("session", "update", "1", "--programme", "Kartu Prakerja Daerah 2025", "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert rows(db_path, "SELECT programme_id FROM session WHERE id = 1") == [(2,)]


def test_a_session_no_programme_covers_joins_its_years_programme(city, db_path):
    cli = city
    assert cli("programme", "add", "PKW 2025", "--year", "2025", "--from", "2025-06-01", "--to", "2025-09-30").exit_code == 0
    r = cli("session", "plan", "Medono", "--skill", "Tas", "--start", "2025-11-03")
    assert r.exit_code == 1
    assert "No programme covers 2025-11-03" in r.stderr and "programme update 1 --from ... --to ..." in r.stderr
    r = cli("session", "plan", "Medono", "--skill", "Tas", "--start", "2026-03-02")
    assert r.exit_code == 0, r.stderr
    # created on the spot, named and titled like the most recent one, for its calendar year
    assert rows(db_path, "SELECT name, year, start_date, end_date, funding FROM programme WHERE year = 2026") == [
        ("Pelatihan Kewirausahaan Masyarakat Kota Pekalongan 2026", 2026, "2026-01-01", "2026-12-31", "DBHCHT")]
    assert json.loads(rows(db_path, "SELECT changes FROM audit_log WHERE action = 'session.plan'")[0][0])[
        "programmes_created"] == 1


def test_roster_of_2027_prints_2027_and_the_programmes_own_texts(city, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    cli = city
    assert cli("session", "plan", "Medono", "--skill", "Tas", "--start", "2027-07-05").exit_code == 0
    assert cli("participant", "enroll", "1", "3375015207900001", "--name", "Sri Wahyuni").exit_code == 0
    r = cli("programme", "update", "2027", "--funding", "APBD", "--set", "doc_officer_name=Drs. Budi Santoso")
    assert r.exit_code == 0, r.stderr
    r = cli("roster", "2027-07-05", "-f", "pdf", "-o", tmp_path / "r.pdf")
    assert r.exit_code == 0, r.stderr
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "r.pdf").pages)
    assert "Pelatihan Kewirausahaan Masyarakat Kota Pekalongan Tahun 2027" in text
    assert "Sumber dana: APBD 2027" in text and "Drs. Budi Santoso" in text
    assert "2024" not in text
    # the per-programme texts are no longer global settings
    r = cli("config", "set", "doc_programme_title", "Pelatihan Tahun 2027")
    assert r.exit_code == 1
    assert "use `pelatihan programme update PROGRAMME --title TEXT`" in r.stderr


def test_summary_is_per_programme_with_people_counted_once(city, db_path, monkeypatch):
    cli = city
    assert cli("session", "plan", "Medono", "--skill", "Tas", "--start", "2024-07-02").exit_code == 0
    assert cli("session", "plan", "Medono", "--skill", "Buket", "--start", "2025-07-07").exit_code == 0
    nik = "3375015207900001"
    assert cli("participant", "enroll", "1", nik, "--name", "Sri Wahyuni").exit_code == 0
    assert cli("participant", "enroll", "2", nik, "--name", "Sri Wahyuni").exit_code == 0
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-07-03")
    assert cli("attendance", "mark", "1", "--day", "1", "--all").exit_code == 0
    assert cli("attendance", "mark", "1", "--day", "2", "--all").exit_code == 0
    assert cli("participant", "ak1", nik, "--number", "AK1/3375/0001", "--date", "2024-07-03").exit_code == 0
    monkeypatch.setenv("PELATIHAN_TODAY", "2025-06-02")
    r = cli("report", "summary", "--format", "json")
    assert r.exit_code == 0, r.stderr
    # the default (2025, running today's window) is named on stderr for scripts
    assert r.stderr.startswith("Programme: Pelatihan Kewirausahaan Masyarakat Kota Pekalongan 2025")
    medono = [d for d in json.loads(r.stdout) if d["kelurahan"] == "Medono"]
    assert [(d["programme"][-4:], d["sessions"], d["enrolled"], d["completed"], d["ak1"]) for d in medono] == [
        ("2025", 1, 1, 0, 0)]  # the 2024 card is not 2025's outcome
    r = cli("report", "summary", "--all-programmes", "--format", "json")
    medono = [d for d in json.loads(r.stdout) if d["kelurahan"] == "Medono"]
    assert [(d["programme"][-4:], d["sessions"], d["enrolled"], d["completed"], d["ak1"]) for d in medono] == [
        ("2024", 1, 1, 1, 1), ("2025", 1, 1, 0, 0)]
    r = cli("report", "summary", "--all-programmes")
    assert "Summary · Pelatihan Kewirausahaan Masyarakat Kota Pekalongan 2024" in r.stdout
    assert "Summary · Pelatihan Kewirausahaan Masyarakat Kota Pekalongan 2025" in r.stdout


def test_session_list_shows_the_current_programme_and_dates_select_across(two_years):
    r = two_years("session", "list", "--format", "json")
    assert [(s["id"], s["programme"][-4:]) for s in json.loads(r.stdout)] == [(2, "2025")]
    r = two_years("session", "list", "--programme", "2024", "--format", "json")
    assert [s["id"] for s in json.loads(r.stdout)] == [1]
    assert [s["status"] for s in json.loads(r.stdout)] == ["done"]
    r = two_years("session", "list", "--from", "2024-01-01", "--to", "2025-12-31", "--format", "json")
    assert [s["id"] for s in json.loads(r.stdout)] == [1, 2]
    r = two_years("session", "list", "--all-programmes")
    assert r.exit_code == 0 and "done" in r.stdout and "planned" in r.stdout
    r = two_years("session", "list", "--programme", "2023")
    assert r.exit_code == 1 and "No programme '2023'" in r.stderr


def test_pinned_current_programme(two_years):
    assert two_years("config", "set", "current_programme", "2024").exit_code == 0
    r = two_years("session", "list", "--format", "json")
    assert [s["id"] for s in json.loads(r.stdout)] == [1]
    r = two_years("config", "set", "current_programme", "1999")
    assert r.exit_code == 0  # not checked when set; a command using it says what is wrong
    r = two_years("session", "list")
    assert r.exit_code == 1 and "No programme '1999'" in r.stderr


def test_programme_add_list_show_update(city, db_path):
    cli = city
    r = cli("programme", "add", "PKW 2025", "--year", "2025", "--from", "2025-06-01", "--to", "2025-09-30",
            "--title", "Pelatihan Kewirausahaan Tahun 2025", "--funding", "Sumber dana: DBHCHT 2025", "-f", "json")
    assert r.exit_code == 0, r.stderr
    p = json.loads(r.stdout)
    # a year typed into the texts is stripped: documents print the programme's year
    assert (p["title_line"], p["funding_line"]) == ("Pelatihan Kewirausahaan Tahun 2025", "Sumber dana: DBHCHT 2025")
    assert cli("programme", "add", "pkw-2025", "--year", "2025").exit_code == 1  # same name
    r = cli("programme", "add", "2026", "--year", "2026")
    assert r.exit_code == 1 and "cannot be only digits" in r.stderr
    r = cli("programme", "update", "2025", "--from", "2025-09-01", "--to", "2025-08-01")
    assert r.exit_code == 1 and "before --from" in r.stderr
    assert cli("session", "plan", "Medono", "--skill", "Tas", "--start", "2025-07-07").exit_code == 0
    r = cli("programme", "update", "2025", "--from", "2025-08-01")
    assert r.exit_code == 1 and "Session 1 (2025-07-07 to 2025-07-08) would fall outside" in r.stderr
    r = cli("programme", "update", "PKW 2025", "--set", "doc_programme_title=x")
    assert r.exit_code == 1 and "use --title" in r.stderr
    r = cli("programme", "list", "--format", "csv")
    assert r.stdout.splitlines()[0] == "id,name,year,start_date,end_date,funding,title,sessions"
    assert rows(db_path, "SELECT action FROM audit_log WHERE action LIKE 'programme.%'") == [("programme.add",)]
