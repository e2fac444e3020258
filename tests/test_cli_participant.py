"""`pelatihan participant ...`: exit codes, output, then the rows."""

from __future__ import annotations

import csv
import io
import json

import pytest

from pelatihan_cli.db import open_db
from tests.factories import kelurahan_id, make_session

N1, N2, N3 = "3375014207900001", "3375010207900002", "3375010207900003"


@pytest.fixture
def sid(db):
    return make_session(db, capacity=2, days=("2030-07-01", "2030-07-02"))


def enroll(cli, sid, nik, name, *extra):
    return cli("participant", "enroll", sid, nik, "--name", name, *extra)


def reopen(db_path):
    return open_db(db_path)


def test_enroll_one_line_and_rows(cli, sid, db_path):
    r = enroll(cli, sid, N1, "Siti Aminah", "--phone", "0812 3456 7890", "--sex", "perempuan")
    assert r.exit_code == 0, r.stderr
    assert r.output == f"Enrolled Siti Aminah in session {sid} (Bendan Kergon · Merajut), seat 1 of 2.\n"
    db = reopen(db_path)
    assert db.execute("SELECT nik, phone, sex FROM participant").fetchall() == [(N1, "+6281234567890", "P")]
    assert "337501******0001" in db.execute("SELECT command FROM audit_log").fetchone()[0]


def test_enroll_json_keys_and_masking(cli, sid):
    r = enroll(cli, sid, N1, "Siti Aminah", "--format", "json")
    assert json.loads(r.stdout) == {"nik": "337501******0001", "session_id": sid, "status": "enrolled", "position": 1}
    r = enroll(cli, sid, N1, "Siti Aminah", "--format", "json", "--show-nik")
    assert json.loads(r.stdout) == {"nik": N1, "session_id": sid, "status": "unchanged", "position": 1}


def test_waitlist_no_waitlist_and_already_enrolled(cli, sid, db_path):
    enroll(cli, sid, N1, "Ani")
    enroll(cli, sid, N2, "Bayu")
    r = enroll(cli, sid, N3, "Cici")
    assert r.exit_code == 0 and r.output.startswith("Waitlisted Cici for session") and r.output.endswith("position 1.\n")
    r = enroll(cli, sid, N3, "Cici")
    assert r.exit_code == 0 and "nothing changed" in r.output
    r = enroll(cli, sid, "3375010207900004", "Dedi", "--no-waitlist")
    assert r.exit_code == 1 and r.stderr.startswith("Error: Capacity:") and "--no-waitlist" in r.stderr
    assert reopen(db_path).execute("SELECT count(*) FROM participant").fetchone()[0] == 3


def test_rule_errors_are_one_line(cli, sid, db):
    kelurahan_id(db, "Podosugih")
    cases = [
        (("3375010207900",), "must have exactly 16 digits"),
        (("3375010307150001",), "Age rule"),
        (("3375010207900001", "--birth-date", "03/07/1990"), "does not match NIK"),
        (("3375010207900001", "--kelurahan", "Podosugih"), "Domicile rule"),
        (("3375010207900001", "--phone", "021-555-1234"), "not a mobile number"),
        (("3375010207900001", "--sex", "X"), "write L or P"),
    ]
    for (nik, *extra), fragment in cases:
        r = enroll(cli, sid, nik, "Orang", *extra)
        assert r.exit_code == 1
        assert r.stderr.startswith("Error: ") and fragment in r.stderr and r.stderr.count("\n") == 1
    assert db.execute("SELECT count(*) FROM participant").fetchone()[0] == 0


def test_started_session_warns_on_stderr(cli, db, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2020-03-03")  # day 2 of 2
    old = make_session(db, skill="Batik", days=("2020-03-02", "2020-03-03"))
    r = enroll(cli, old, "3375010207900001", "Orang")
    assert r.exit_code == 0
    assert "Warning:" in r.stderr and "started on 2020-03-02" in r.stderr
    assert "Enrolled Orang" in r.stderr and r.stdout == ""  # not a terminal: the sentence on stderr


def test_withdraw_promotes_and_says_who(cli, sid, db_path):
    enroll(cli, sid, N1, "Ani")
    enroll(cli, sid, N2, "Bayu")
    enroll(cli, sid, N3, "Cici")
    r = cli("participant", "withdraw", sid, N1, "--reason", "sakit")
    assert r.exit_code == 0
    assert "Withdrew Ani" in r.output and "Promoted Cici from the waitlist to seat 2" in r.output
    db = reopen(db_path)
    assert db.execute("SELECT p.name, e.status FROM enrollment e JOIN participant p ON p.id = e.participant_id "
                      "ORDER BY p.name").fetchall() == [("Ani", "withdrawn"), ("Bayu", "enrolled"), ("Cici", "enrolled")]
    r = cli("participant", "withdraw", sid, "3375010207909999")
    assert r.exit_code == 1 and "No participant with NIK '337501******9999'" in r.stderr


def test_move(cli, sid, db):
    other = make_session(db, skill="Menjahit", days=("2030-08-05",))
    enroll(cli, sid, N1, "Ani")
    r = cli("participant", "move", sid, N1, "--to", other)
    assert r.exit_code == 0, r.stderr
    assert r.output.startswith(f"Moved Ani from session {sid}") and "seat 1 of 20" in r.output
    r = cli("participant", "move", other, N1, "--to", 999)
    assert r.exit_code == 1 and r.stderr == "Error: No session with id 999; see `pelatihan session list`.\n"


def test_update_and_ak1(cli, sid, db_path):
    enroll(cli, sid, N2, "Bayu")
    r = cli("participant", "update", N2, "--name", "Bayu Aji", "--phone", "+62 813 1111 2222")
    assert r.exit_code == 0 and r.output == "Updated Bayu Aji: name, phone.\n"
    r = cli("participant", "update", N2, "--sex", "P")
    assert r.exit_code == 1 and "does not match NIK" in r.stderr
    r = cli("participant", "update", N2, "--birth-date", "1970-07-02")
    assert r.exit_code == 1 and "does not match NIK" in r.stderr
    r = cli("participant", "ak1", N2, "--number", "3375-AK1-0099", "--date", "2024-01-05")
    assert r.exit_code == 0 and "3375-AK1-0099" in r.output
    db = reopen(db_path)
    assert db.execute("SELECT name, phone FROM participant").fetchall() == [("Bayu Aji", "+6281311112222")]
    assert db.execute("SELECT number, number_key, issued_on FROM ak1_card").fetchall() == [
        ("3375-AK1-0099", "3375AK10099", "2024-01-05")]


def test_list_json_keys_masked_and_filters(cli, sid, db):
    enroll(cli, sid, N1, "Ani", "--phone", "081234567890")
    enroll(cli, sid, N2, "Bayu")
    enroll(cli, sid, N3, "Cici")
    r = cli("participant", "list", "--format", "json")
    data = json.loads(r.stdout)
    assert list(data[0]) == ["nik", "name", "sex", "birth_date", "age", "kelurahan", "phone", "session_id", "programme",
                             "status", "position", "ak1_number", "attended", "completed"]
    assert data[0] == {"nik": "337501******0001", "name": "Ani", "sex": "P", "birth_date": "1990-**-**", "age": 39,
                       "kelurahan": "Bendan Kergon", "phone": "0812-****-7890", "session_id": sid, "programme": "Pelatihan Kewirausahaan 2030",
                       "status": "enrolled", "position": 1, "ak1_number": None, "attended": "0/2",
                       "completed": False}
    assert [(d["name"], d["status"], d["position"]) for d in data] == [
        ("Ani", "enrolled", 1), ("Bayu", "enrolled", 2), ("Cici", "waitlisted", 1)]
    full = json.loads(cli("participant", "list", "--format", "json", "--show-nik").stdout)
    assert full[0]["nik"] == N1 and full[0]["birth_date"] == "1990-07-02" and full[0]["phone"] == "0812-3456-7890"
    assert [d["name"] for d in json.loads(cli("participant", "list", "--status", "waitlisted", "--format", "json").stdout)] == ["Cici"]
    assert [d["name"] for d in json.loads(cli("participant", "list", "--search", "bay", "--format", "json").stdout)] == ["Bayu"]
    assert json.loads(cli("participant", "list", "--session", sid, "--kelurahan", "bendan kergon", "--format", "json").stdout) == data
    csv_out = cli("participant", "list", "--format", "csv").stdout
    assert csv_out.splitlines()[0] == ("nik,name,sex,birth_date,age,kelurahan,phone,session_id,programme,status,position,ak1_number,"
                                       "attended,completed")
    assert N1 not in csv_out and "337501******0001" in csv_out
    table = cli("participant", "list").stdout
    assert N1 not in table


def test_show(cli, sid):
    enroll(cli, sid, N1, "Ani", "--phone", "081234567890")
    r = cli("participant", "show", "3375 0142 0790 0001")
    assert r.exit_code == 0
    assert "337501******0001" in r.stdout and N1 not in r.stdout and "0812-****-7890" in r.stdout
    data = json.loads(cli("participant", "show", N1, "--format", "json").stdout)
    assert data["name"] == "Ani" and data["enrollments"][0]["status"] == "enrolled"
    r = cli("participant", "show", "1234")
    assert r.exit_code == 1 and "must have exactly 16 digits" in r.stderr


def test_show_has_what_update_sets_birth_place_work_status_and_a_masked_bank_account(cli, sid):
    """`participant update --birth-place/--work-status/--bank-account` values are shown (the
    account masked like the receipts' unless --show-nik), in the table, JSON and CSV."""
    enroll(cli, sid, N1, "Ani")
    r = cli("participant", "update", N1, "--birth-place", "Batang", "--work-status", "belum bekerja",
            "--bank-account", "BRI 0123-01-000456-50-7")
    assert r.exit_code == 0, r.stderr
    r = cli("participant", "show", N1)
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "Born in:   Batang" in lines and "Work:      seeking" in lines
    assert "Bank acct: **************6507" in lines and "0123" not in r.stdout
    data = json.loads(cli("participant", "show", N1, "--format", "json").stdout)
    assert (data["birth_place"], data["work_status"], data["bank_account"]) == ("Batang", "seeking", "**************6507")
    data = json.loads(cli("participant", "show", N1, "--format", "json", "--show-nik").stdout)
    assert data["bank_account"] == "BRI 0123-01-000456-50-7"
    rows = list(csv.DictReader(io.StringIO(cli("participant", "show", N1, "--format", "csv").stdout)))
    assert rows[0]["birth_place"] == "Batang" and rows[0]["bank_account"] == "**************6507"


def test_every_participant_command_has_help(cli):
    for cmd in ["enroll", "withdraw", "move", "update", "ak1", "list", "show"]:
        r = cli("participant", cmd, "--help")
        assert r.exit_code == 0 and "Usage" in r.stdout


def test_update_without_any_option_says_what_to_give(cli, db):
    r = cli("participant", "update", "3375014107900001")
    assert r.exit_code == 1
    assert r.stderr == ("Error: Nothing to update: give at least one of --name, --phone, --address, "
                        "--birth-date, --sex, --kelurahan, --birth-place, --work-status, --bank-account, --new-nik.\n")
