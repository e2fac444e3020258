"""CLI of the planning area: skill, instructor, holiday, calendar, session, report schedule."""

from __future__ import annotations

import json

import pytest

from pelatihan_cli.db import open_db
from pelatihan_cli.resources import data_path


@pytest.fixture(autouse=True)
def _before_the_2024_programme(monkeypatch):
    """Today is before the sessions these tests plan in 2024, so they are still 'planned'
    (moved, resized); a test of another phase sets PELATIHAN_TODAY itself."""
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-06-03")


@pytest.fixture
def setup(cli):
    assert cli("init", "--pekalongan").exit_code == 0
    # today is pinned in 2024 and some tests plan in 2030: a wider planning horizon
    assert cli("config", "set", "plan_horizon_years", "10").exit_code == 0
    r = cli("instructor", "import", str(data_path("instructors_2024.csv")))
    assert r.exit_code == 0, r.stderr
    assert "12 added" in r.output
    return cli


def rows(db_path, sql, params=()):
    db = open_db(db_path)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.conn.close()


def test_instructor_add_list_show_remove(cli, db_path):
    r = cli("instructor", "add", "Siti Aminah", "--skill", "Merajut", "--skill", "kerajinan", "--phone", "081234567890")
    assert r.exit_code == 0, r.stderr
    assert r.output == "Added instructor Siti Aminah (kerajinan, Merajut).\n"
    r = cli("instructor", "list", "--format", "json")
    assert json.loads(r.stdout) == [{"name": "Siti Aminah", "phone": "0812-****-7890",
                                     "skills": ["kerajinan", "Merajut"], "sessions": 0, "booked_days": 0, "archived": None}]
    r = cli("instructor", "list", "--show-nik", "--format", "csv")
    assert "0812-3456-7890" in r.stdout
    r = cli("skill", "list", "--format", "json")
    assert [s["name"] for s in json.loads(r.stdout)] == ["kerajinan", "Merajut"]
    r = cli("instructor", "add", "SITI aminah", "--skill", "Tas")
    assert r.exit_code == 1 and r.stderr.startswith("Error: Instructor 'Siti Aminah' already exists")
    assert "use `pelatihan instructor update 'Siti Aminah' --add-skill ... --phone ...`" in r.stderr
    r = cli("instructor", "show", "siti aminah", "--format", "json")
    assert json.loads(r.stdout)["booked_days"] == []
    assert cli("instructor", "remove", "Siti Aminah").exit_code == 0
    assert rows(db_path, "SELECT count(*) FROM instructor") == [(0,)]


def test_holiday_and_calendar(cli, db_path):
    r = cli("holiday", "add", "2024-12-24", "Cuti daerah")
    assert r.exit_code == 0 and r.output == "Added local holiday 2024-12-24 (Cuti daerah).\n"
    r = cli("calendar", "--from", "2024-12-23", "--to", "2024-12-28", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert [(d["date"], d["working"], d["reason"]) for d in json.loads(r.stdout)] == [
        ("2024-12-23", True, None),
        ("2024-12-24", False, "local holiday: Cuti daerah"),
        ("2024-12-25", False, "national holiday: Christmas Day"),
        ("2024-12-26", False, "national holiday: Christmas Joint Holiday"),
        ("2024-12-27", True, None),
        ("2024-12-28", False, "weekend"),
    ]
    r = cli("holiday", "list", "--format", "json")
    assert json.loads(r.stdout) == [{"date": "2024-12-24", "name": "Cuti daerah", "kind": "local"}]
    r = cli("holiday", "remove", "2024-12-25")
    assert r.exit_code == 1 and "national holiday (Christmas Day)" in r.stderr
    assert cli("holiday", "remove", "24/12/2024").exit_code == 0
    assert rows(db_path, "SELECT count(*) FROM holiday") == [(0,)]
    r = cli("calendar", "--from", "2024-12-28", "--to", "2024-12-01")
    assert r.exit_code == 1 and "before --from" in r.stderr


def test_session_plan_prints_id_and_json(setup, db_path, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-06-03")
    cli = setup
    r = cli("session", "plan", "Bendan Kergon", "--skill", "Merajut", "--start", "2024-12-24",
            "--instructor", "Siti Aminah", "--venue", "Aula Kelurahan")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0] == "1"
    r = cli("session", "plan", "Pringrejo", "--skill", "Buket", "--start", "2024-07-05", "--format", "json")
    s = json.loads(r.stdout)
    assert s == {"id": 2, "programme": "Pelatihan Kewirausahaan Masyarakat Kota Pekalongan 2024", "kelurahan": "Pringrejo", "kecamatan": "Pekalongan Barat", "skill": "Buket",
                 "days": ["2024-07-05", "2024-07-08"], "capacity": 20, "enrolled": 0, "waitlisted": 0,
                 "venue": None, "instructors": [], "status": "planned"}
    r = cli("session", "list", "--format", "json")
    assert [(x["id"], x["days"]) for x in json.loads(r.stdout)] == [
        (2, ["2024-07-05", "2024-07-08"]), (1, ["2024-12-24", "2024-12-27"])]
    assert rows(db_path, "SELECT date FROM instructor_day ORDER BY date") == [("2024-12-24",), ("2024-12-27",)]


def test_session_plan_errors_are_one_line_and_write_nothing(setup, db_path):
    cli = setup
    cli("session", "plan", "Bendan Kergon", "--skill", "Merajut", "--start", "2024-07-02", "-i", "Siti Aminah")
    cases = [
        (["Bendan Kergon", "--skill", "Merajut", "--start", "2024-07-06"],
         "Error: Saturday 2024-07-06 is not a working day (weekend). The next working day is Monday 2024-07-08"),
        (["Pringrejo", "--skill", "Kerajinan", "--start", "2024-07-03", "-i", "siti aminah"],
         "Error: Instructor 'Siti Aminah' is already booked on 2024-07-03 in session 1 (Bendan Kergon, Merajut)"),
        (["Pringrejo", "--skill", "Tas", "--start", "2024-07-10", "-i", "Lina Marlina"],
         "Error: Instructor 'Lina Marlina' does not teach 'Tas' (teaches: Merajut)"),
        (["Pringrejo", "--skill", "Tas", "--start", "2024-07-10", "--capacity", "0"], "Error: Capacity must be at least 1"),
        (["Pringrejo", "--skill", "Tas", "--start", "2024-07-10", "--days", "0"], "Error: Days must be at least 1"),
        (["Pringrejo", "--skill", "", "--start", "2024-07-10"], "Error: The skill is empty"),
        (["Pringrejos", "--skill", "Tas", "--start", "2024-07-10"], "Error: Unknown kelurahan 'Pringrejos'"),
    ]
    for args, message in cases:
        r = cli("session", "plan", *args)
        assert r.exit_code == 1, args
        assert r.stderr.startswith(message), r.stderr
        assert len(r.stderr.splitlines()) == 1
    assert rows(db_path, "SELECT count(*) FROM session") == [(1,)]
    r = cli("session", "plan", "Pringrejo", "--skill", "Tas", "--start", "2024-07-10", "-i", "Lina Marlina", "--any-skill")
    assert r.exit_code == 0


def test_session_show_move_cancel(setup, db_path):
    cli = setup
    cli("session", "plan", "Bendan Kergon", "--skill", "Merajut", "--start", "2024-07-02", "-i", "Siti Aminah")
    r = cli("session", "show", "1")
    assert r.exit_code == 0 and "Day 1:       2024-07-02 (Selasa, 2 Juli 2024)" in r.stdout
    r = cli("session", "move", "1", "--start", "2024-12-24", "--format", "json")
    assert json.loads(r.stdout)["days"] == ["2024-12-24", "2024-12-27"]
    r = cli("session", "cancel", "1", "--reason", "hujan")
    assert r.exit_code == 1 and r.stderr == ("Error: cancelling session 1 frees its instructors and seats; "
                                             "add --yes to confirm.\n")
    r = cli("session", "cancel", "1", "--reason", "hujan", "--yes")
    assert r.exit_code == 0 and r.output == "Cancelled session 1 (Bendan Kergon, Merajut).\n"
    assert rows(db_path, "SELECT status, cancel_reason FROM session") == [("cancelled", "hujan")]
    assert rows(db_path, "SELECT count(*) FROM instructor_day") == [(0,)]
    r = cli("session", "show", "7")
    assert r.exit_code == 1 and r.stderr == "Error: No session with id 7; see `pelatihan session list`.\n"
    r = cli("session", "list", "--status", "planned", "--format", "json")
    assert json.loads(r.stdout) == []


def test_session_import_cli_lists_bad_rows(setup, tmp_path, db_path):
    cli = setup
    f = tmp_path / "s.csv"
    f.write_text("kelurahan,skill,start,days,capacity,venue,instructor\n"
                 "Bendan Kergon,Merajut,2024-07-02,2,20,,Siti Aminah\n"
                 "Pringrejo,Buket,2024-12-25,2,20,,\n")
    r = cli("session", "import", str(f))
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert lines[0].startswith("Error: 1 bad row(s) in s.csv, nothing planned. Row 3:")
    assert lines[1].startswith("  row 3, start '2024-12-25': Wednesday 2024-12-25 is not a working day")
    assert rows(db_path, "SELECT count(*) FROM session") == [(0,)]
    f.write_text(f.read_text().replace("2024-12-25", "2024-12-24"))
    r = cli("session", "import", str(f))
    # not a terminal: the sentence on stderr (stdout is for --format json/csv)
    assert r.exit_code == 0 and r.stderr.startswith("Read 2 row(s): 2 session(s) planned, 0 unchanged.\n")
    assert r.stdout == ""
    r = cli("session", "import", str(f), "--format", "json")
    out = json.loads(r.stdout)
    assert (out["read"], out["planned"], out["unchanged"], out["ids"], out["dry_run"]) == (2, 0, 2, [], False)


def test_auto_plan_and_report_schedule(setup, db_path):
    cli = setup
    args = ["session", "auto-plan", "--from", "2024-07-01", "--to", "2024-08-27",
            "--requests", str(data_path("programme_2024.csv"))]
    r = cli(*args)
    assert r.exit_code == 1
    assert "need 54 event-days, but 42 working day(s) × --max-per-day 1 give 42" in r.stderr
    r = cli(*args, "--max-per-day", "2", "--dry-run", "--format", "json")
    assert r.exit_code == 0 and len(json.loads(r.stdout)) == 54
    assert rows(db_path, "SELECT count(*) FROM session") == [(0,)]
    r = cli(*args, "--max-per-day", "2")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[-1] == ("Planned 54 session(s) for 27 kelurahan; 0 of 54 request(s) already had "
                                         "a session in Pelatihan Kewirausahaan Masyarakat Kota Pekalongan 2024.")
    r = cli("report", "schedule", "--from", "2024-07-01", "--to", "2024-08-31", "--format", "json")
    data = json.loads(r.stdout)
    assert len({d["kelurahan"] for d in data}) == 27 and len(data) == 54
    assert data[0]["date"] == "2024-07-01" and data[-1]["date"] <= "2024-08-27"
    r = cli("report", "schedule", "--from", "2024-07-02", "--to", "2024-07-02")
    assert r.exit_code == 0 and "Selasa, 2 Juli 2024" in r.stdout


def _enroll(cli, session, nik, name):
    r = cli("participant", "enroll", str(session), nik, "--name", name, "--birth-date", "1990-07-01",
            "--sex", "P")
    assert r.exit_code == 0, r.stderr
    return r


def test_session_update_capacity_venue_instructor(setup, db_path):
    cli = setup
    cli("session", "plan", "Bendan Kergon", "--skill", "Merajut", "--start", "2030-07-02", "--capacity", "1")
    for i, name in enumerate(["Ayu", "Budi Lestari", "Cici"], start=1):
        _enroll(cli, 1, f"33750141079000{i:02d}", name)
    r = cli("session", "update", "1", "--capacity", "2", "--venue", "Aula")
    assert r.exit_code == 0, r.stderr
    assert r.output.splitlines() == [
        "Updated capacity and venue of session 1: Bendan Kergon, Merajut, 2030-07-02, 2030-07-03, capacity 2.",
        "Promoted Budi Lestari from the waitlist to seat 2.",
    ]
    r = cli("session", "update", "1", "--capacity", "1")
    assert r.exit_code == 1
    assert r.stderr == ("Error: Session 1 has 2 people enrolled; its capacity cannot go down to 1. Give --capacity 2 "
                        "or more, or withdraw people first (pelatihan participant withdraw).\n")
    r = cli("session", "update", "1", "--instructor", "Dewi Lestari")
    assert r.exit_code == 1 and "does not teach 'Merajut'" in r.stderr and "--any-skill" in r.stderr
    r = cli("session", "update", "1", "-i", "Siti Aminah", "--format", "json")
    s = json.loads(r.stdout)
    assert (s["capacity"], s["enrolled"], s["waitlisted"], s["venue"], s["instructors"]) == \
        (2, 2, 1, "Aula", ["Siti Aminah"])
    assert rows(db_path, "SELECT count(*) FROM instructor_day WHERE session_id = 1") == [(2,)]
    r = cli("session", "update", "1")
    assert r.exit_code == 1 and r.stderr.startswith("Error: Nothing to change")
    r = cli("session", "update", "1", "--venue", "Aula")
    assert r.output == "Session 1 already has these values; nothing changed.\n"


def test_session_cancel_says_where_the_enrolled_people_are(setup, db_path):
    cli = setup
    cli("session", "plan", "Bendan Kergon", "--skill", "Merajut", "--start", "2030-07-02")
    _enroll(cli, 1, "3375014107900001", "Ayu")
    r = cli("session", "cancel", "1", "-y")
    assert r.exit_code == 0
    assert r.output.splitlines()[1].startswith("Its 1 enrolled and 0 waitlisted people stay on its record as "
                                               "cancelled")
    assert "pelatihan session reopen 1" in r.output
    assert rows(db_path, "SELECT status, cancelled FROM enrollment") == [("enrolled", 1)]


def test_session_import_weekends_option(setup, tmp_path, db_path):
    cli = setup
    f = tmp_path / "s.csv"
    f.write_text("kelurahan,skill,start\nPringrejo,Buket,2024-07-13\n")
    r = cli("session", "import", str(f))
    assert r.exit_code == 1 and "Saturday 2024-07-13 is not a working day" in r.stderr
    r = cli("session", "import", str(f), "--weekends")
    assert r.exit_code == 0, r.stderr
    assert rows(db_path, "SELECT date FROM session_day ORDER BY day_no") == [("2024-07-13",), ("2024-07-14",)]
    assert rows(db_path, "SELECT weekends FROM session") == [(1,)]


def test_session_plan_same_kelurahan_skill_and_start_warns(setup, db_path):
    cli = setup
    assert cli("session", "plan", "Bendan Kergon", "--skill", "Merajut", "--start", "2024-07-02").exit_code == 0
    r = cli("session", "plan", "bendan kergon", "--skill", "merajut", "--start", "2024-07-02", "-i", "Siti Aminah")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "2\n"   # not a terminal: the id alone on stdout, the sentence on stderr
    assert r.stderr.endswith("Warning: session 1 (Bendan Kergon · Merajut) already starts on 2024-07-02; "
                        "planned another one.\n")
    assert rows(db_path, "SELECT id, start_date, status FROM session ORDER BY id") == [
        (1, "2024-07-02", "planned"), (2, "2024-07-02", "planned")]
    r = cli("session", "plan", "Bendan Kergon", "--skill", "Merajut", "--start", "2024-07-03")
    assert r.exit_code == 0 and "Warning" not in r.stderr and "Error" not in r.stderr


def test_session_move_refused_when_someone_leaves_the_age_rule(setup, db_path):
    cli = setup
    cli("session", "plan", "Bendan Kergon", "--skill", "Merajut", "--start", "2030-07-02")
    # 64 on 2030-07-02, 65 on 2031-01-06
    r = cli("participant", "enroll", "1", "3375014501660001", "--name", "Siti Aminah")
    assert r.exit_code == 0, r.stderr
    r = cli("session", "move", "1", "--start", "2031-01-06")
    assert r.exit_code == 1
    assert r.stderr == ("Error: Move refused: on 2031-01-06, 1 participant(s) would be outside the age rule 15–64 "
                        "(first: Siti Aminah, 337501******0001, 65). Withdraw or move them first "
                        "(see `pelatihan participant list --session 1`).\n")
    assert rows(db_path, "SELECT start_date FROM session") == [("2030-07-02",)]
    assert rows(db_path, "SELECT date FROM session_day ORDER BY day_no") == [("2030-07-02",), ("2030-07-03",)]
    assert rows(db_path, "SELECT year, status FROM enrollment") == [(2030, "enrolled")]
    assert rows(db_path, "SELECT count(*) FROM audit_log WHERE action = 'session.move'") == [(0,)]
    r = cli("session", "move", "1", "--start", "2031-01-03")
    assert r.exit_code == 0, r.stderr
    assert rows(db_path, "SELECT year FROM enrollment") == [(2031,)]


def test_instructor_update_rules(setup, db_path):
    cli = setup
    cli("instructor", "add", "Ibu Uji", "--skill", "Merajut", "--skill", "Kerajinan")
    cli("session", "plan", "Bendan Kergon", "--skill", "Merajut", "--start", "2024-07-02", "-i", "Ibu Uji")

    def state():
        return (rows(db_path, "SELECT name, phone FROM instructor WHERE name LIKE 'Ibu%'"),
                rows(db_path, "SELECT s.name FROM instructor_skill x JOIN skill s ON s.id = x.skill_id "
                              "JOIN instructor i ON i.id = x.instructor_id WHERE i.name LIKE 'Ibu%' ORDER BY 1"),
                rows(db_path, "SELECT count(*) FROM audit_log"))

    before = state()
    refusals = [
        (["Ibu Uji"], "Error: Nothing to change: give --add-skill, --remove-skill, --phone, --rename, --tax-category, --golongan and/or --bank-account.\n"),
        (["Ibu Uji", "--remove-skill", "merajut"],
         "Error: Cannot remove 'Merajut' from instructor 'Ibu Uji': they are booked on session 1 "
         "(Bendan Kergon · Merajut, from 2024-07-02); give it another instructor "
         "(`pelatihan session update 1 --instructor ...`) or cancel it first.\n"),
        (["Ibu Uji", "--add-skill", "Tas", "--rename", "siti aminah"],
         "Error: Cannot rename 'Ibu Uji' to 'siti aminah': instructor 'Siti Aminah' already exists; "
         "names must be unique. Choose another name.\n"),
        (["Ibu Uji", "--add-skill", "Tas", "--phone", "12"], "Error: Phone '12' is not a valid Indonesian number"),
        (["Ibu Uji", "--remove-skill", "Batik"],
         "Error: Instructor 'Ibu Uji' does not teach 'Batik' (teaches: Kerajinan, Merajut); nothing to remove.\n"),
        (["Ibu Ujo", "--add-skill", "Tas"], "Error: Unknown instructor 'Ibu Ujo'. Did you mean 'Ibu Uji'"),
    ]
    for args, message in refusals:
        r = cli("instructor", "update", *args)
        assert r.exit_code == 1, args
        assert r.stderr.startswith(message), r.stderr
        assert len(r.stderr.splitlines()) == 1
    assert state() == before  # nothing written, nothing logged
    r = cli("instructor", "update", "ibu uji", "--add-skill", "Tas", "--remove-skill", "Kerajinan",
            "--phone", "0813-4567-2910", "--rename", "Ibu Uji Lestari")
    assert r.exit_code == 0, r.stderr
    assert r.output == ("Updated instructor Ibu Uji Lestari: renamed from Ibu Uji; added Tas; removed Kerajinan; "
                        "phone changed. Skills: Merajut, Tas.\n")
    assert state()[:2] == ([("Ibu Uji Lestari", "+6281345672910")], [("Merajut",), ("Tas",)])
    assert rows(db_path, "SELECT action, command FROM audit_log ORDER BY id DESC LIMIT 1")[0][0] == "instructor.update"
    assert state()[2] == [(before[2][0][0] + 1,)]  # exactly one audit entry
    assert rows(db_path, "SELECT DISTINCT i.name FROM instructor_day d JOIN instructor i ON i.id = d.instructor_id") \
        == [("Ibu Uji Lestari",)]
    r = cli("instructor", "update", "Ibu Uji Lestari", "--add-skill", "tas")
    assert r.exit_code == 0 and r.output == "Instructor Ibu Uji Lestari already has these values; nothing changed.\n"
    assert state()[2] == [(before[2][0][0] + 1,)]


@pytest.mark.parametrize("command", [
    ["skill"], ["skill", "list"], ["instructor", "add"], ["instructor", "update"], ["instructor", "list"],
    ["instructor", "show"],
    ["instructor", "remove"], ["instructor", "import"], ["holiday", "add"], ["holiday", "list"],
    ["holiday", "remove"], ["calendar"], ["session", "plan"], ["session", "list"], ["session", "show"],
    ["session", "move"], ["session", "update"], ["session", "cancel"], ["session", "import"],
    ["session", "auto-plan"], ["report", "schedule"],
])
def test_help(cli, command):
    r = cli(*command, "--help")
    assert r.exit_code == 0
    assert "Usage:" in r.stdout
