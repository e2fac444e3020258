"""The audit log: every write records when, who, the command (NIKs masked) and counts; `pelatihan log`."""

from __future__ import annotations

import csv
import io
import json

from pelatihan_cli.services import audit, auditlog


def _entries(db):
    return db.execute("SELECT os_user, command, action, changes FROM audit_log ORDER BY id").fetchall()


def test_a_write_is_logged_with_user_command_and_counts(cli, db):
    r = cli("kelurahan", "add", "Medono", "--kecamatan", "Pekalongan Barat")
    assert r.exit_code == 0, r.stderr
    ((user, command, action, changes),) = _entries(db)
    assert user == audit.os_user() and user
    assert command == "pelatihan kelurahan add Medono --kecamatan 'Pekalongan Barat'"
    assert action == "kelurahan.add"
    assert isinstance(json.loads(changes), dict)


def test_reads_and_failed_writes_log_nothing(cli, db):
    assert cli("kelurahan", "add", "Medono", "--kecamatan", "Pekalongan Barat").exit_code == 0
    assert cli("kelurahan", "list", "--format", "json").exit_code == 0
    assert cli("info").exit_code == 0
    r = cli("kelurahan", "add", "MEDONO", "--kecamatan", "Pekalongan Barat")  # duplicate: refused
    assert r.exit_code == 1
    assert len(_entries(db)) == 1


def test_niks_are_masked_in_the_logged_command(db):
    audit.set_command(["participant", "update", "3375014107900001", "--name", "Siti"])
    audit.record(db, "participant.update", {"updated": 1})
    audit.set_command([])
    command = _entries(db)[-1][1]
    assert "3375014107900001" not in command
    assert command == "pelatihan participant update '337501******0001' --name '***'"
    # 15 or 17 digits are not NIKs and stay as typed
    assert audit.mask_text("123456789012345 12345678901234567") == "123456789012345 12345678901234567"


def test_log_lists_newest_first_in_every_format(cli, db):
    for name in ("Medono", "Podosugih", "Tirto"):
        assert cli("kelurahan", "add", name, "--kecamatan", "Pekalongan Barat").exit_code == 0
    r = cli("log", "--limit", "2", "--format", "json")
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [list(x) for x in rows] == [["id", "at", "user", "action", "changes", "command"]] * 2
    assert [x["command"].split()[3] for x in rows] == ["Tirto", "Podosugih"]
    assert isinstance(rows[0]["changes"], dict)
    r = cli("log", "--format", "csv")
    parsed = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(parsed) == 3 and parsed[0]["action"] == "kelurahan.add"
    r = cli("log")
    assert r.exit_code == 0 and "kelurahan.add" in r.stdout
    r = cli("log", "--limit", "0")
    assert r.exit_code == 2


def test_log_filters_by_action(cli, db):
    assert cli("kelurahan", "add", "Medono", "--kecamatan", "Pekalongan Barat").exit_code == 0
    audit.record(db, "participant.erase", {"participants": 1})
    db.conn.commit()
    r = cli("log", "--action", "participant", "--format", "json")
    assert [x["action"] for x in json.loads(r.stdout)] == ["participant.erase"]
    r = cli("log", "--action", "kelurahan.add", "--format", "json")
    assert [x["action"] for x in json.loads(r.stdout)] == ["kelurahan.add"]


def test_empty_log(cli, db):
    r = cli("log", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []


def test_scrub_command_removes_personal_option_values():
    # entries written before values were hidden at record time, and AK1 numbers
    cmd = "pelatihan participant enroll 3 --nik 337501******0001 --name 'Siti Aminah' --phone=0812 --address 'Jl. X' --sex P"
    assert auditlog.scrub_command(cmd, "[erased]") == (
        "pelatihan participant enroll 3 --nik '337501******0001' --name '[erased]' '--phone=[erased]' "
        "--address '[erased]' --sex P"
    )


def test_scrub_command_leaves_hidden_values_alone():
    cmd = "pelatihan participant ak1 337501******0001 --number AK1-77 --name '***'"
    assert auditlog.scrub_command(cmd, "[erased]") == (
        "pelatihan participant ak1 '337501******0001' --number '[erased]' --name '***'")
