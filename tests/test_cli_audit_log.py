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


def test_log_table_hides_nothing_at_80_columns(cli, db, monkeypatch):
    from pelatihan_cli.cli import _common

    assert cli("kelurahan", "add", "Medono", "--kecamatan", "Pekalongan Barat").exit_code == 0
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(_common, "_console", None)
    r = cli("log")
    assert r.exit_code == 0, r.stderr
    assert "…" not in r.stdout  # long words are folded, not cut
    assert "At (WIB)" in r.stdout and max(len(line) for line in r.stdout.splitlines()) <= 80


def test_log_times_are_stored_in_utc_and_shown_in_the_offices_zone(cli, db):
    db.execute("INSERT INTO audit_log (at, os_user, command, action) VALUES "
               "('2024-07-02T03:15:00', 'op', 'pelatihan x', 'kelurahan.add')")
    db.conn.commit()
    r = cli("log", "--format", "json")
    assert json.loads(r.stdout)[0]["at"] == "2024-07-02T10:15:00+07:00"  # WIB, UTC+7
    assert "2024-07-02\n10:15:00" not in r.stdout
    assert cli("config", "set", "timezone", "Asia/Makassar").exit_code == 0
    r = cli("log", "--action", "kelurahan", "--format", "json")
    assert json.loads(r.stdout)[0]["at"] == "2024-07-02T11:15:00+08:00"  # WITA
    assert "At (WITA)" in cli("log", "--action", "kelurahan").stdout
    r = cli("config", "set", "timezone", "Asia/Jakrta")
    assert r.exit_code == 1 and "unknown time zone 'Asia/Jakrta'" in r.stderr
    r = cli("log", "--action", "nothing")
    assert r.exit_code == 0 and "No audit entries for action 'nothing'" in r.stderr
    # the stored value stays UTC
    assert db.execute("SELECT at FROM audit_log WHERE os_user = 'op'").fetchone()[0] == "2024-07-02T03:15:00"


NIK_A = "3375014107900001"  # enrolled by the fixture below
NIK_B = "3375015508950002"


def test_every_writing_command_of_the_cli_is_logged_once(cli, pekalongan_db, tmp_path, monkeypatch):
    """A new write command that forgets audit.record() fails here: each command of the
    whole CLI that changes the database adds exactly one entry, of its own area."""
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-07-15")  # session 1 done, session 2 still planned
    db = pekalongan_db
    (tmp_path / "kel.csv").write_text("code,name,kecamatan\n,Kelurahan Dua,Pekalongan Utara\n")
    (tmp_path / "sess.csv").write_text("kelurahan,skill,start,days,capacity\nMedono,Tas,2024-09-02,2,20\n")
    (tmp_path / "instr.csv").write_text("name,skills\nIbu Dua,Batik\n")
    steps = [
        ("kelurahan.add", ["kelurahan", "add", "Kelurahan Uji", "--kecamatan", "Pekalongan Utara"]),
        ("kelurahan.import", ["kelurahan", "import", tmp_path / "kel.csv"]),
        ("kelurahan.rename", ["kelurahan", "rename", "Kelurahan Dua", "Kelurahan Tiga"]),
        ("kelurahan.update", ["kelurahan", "update", "Kelurahan Tiga", "--code", "33.75.03.1099"]),
        ("kelurahan.remove", ["kelurahan", "remove", "Kelurahan Tiga", "--yes"]),
        ("config.set", ["config", "set", "doc_officer_name", "Drs. Budi"]),
        ("config.unset", ["config", "unset", "doc_officer_name"]),
        ("instructor.add", ["instructor", "add", "Ibu Uji", "--skill", "Merajut"]),
        ("instructor.import", ["instructor", "import", tmp_path / "instr.csv"]),
        ("instructor.update", ["instructor", "update", "Ibu Uji", "--add-skill", "Tas"]),
        ("skill.rename", ["skill", "rename", "Batik", "Batik Tulis"]),
        ("instructor.remove", ["instructor", "remove", "Ibu Dua"]),
        ("skill.remove", ["skill", "remove", "Batik Tulis", "--yes"]),
        ("holiday.add", ["holiday", "add", "2024-07-15", "Libur Uji"]),
        ("holiday.remove", ["holiday", "remove", "2024-07-15"]),
        ("session.plan", ["session", "plan", "Medono", "--skill", "Merajut", "--start", "2024-07-01"]),
        ("session.plan", ["session", "plan", "Medono", "--skill", "Batik", "--start", "2024-08-01"]),
        ("skill.merge", ["skill", "merge", "Batik", "Merajut", "--yes"]),
        ("session.move", ["session", "move", "2", "--start", "2024-08-05"]),
        ("session.import", ["session", "import", tmp_path / "sess.csv"]),
        ("session.cancel", ["session", "cancel", "3", "--reason", "uji", "--yes"]),
        ("session.reopen", ["session", "reopen", "3"]),
        ("participant.enroll", ["participant", "enroll", "1", NIK_A, "--name", "Siti Aminah",
                                "--kelurahan", "Medono"]),
        ("participant.enroll", ["participant", "enroll", "1", NIK_B, "--name", "Budi Santoso",
                                "--kelurahan", "Medono"]),
        ("participant.update", ["participant", "update", NIK_A, "--phone", "0812-3456-7890"]),
        ("participant.ak1", ["participant", "ak1", NIK_A, "--number", "AK1-1", "--date", "2024-07-03"]),
        ("attendance.mark", ["attendance", "mark", "1", "--day", "1", "--all"]),
        ("attendance.import", ["attendance", "import", tmp_path / "att.csv"]),
        ("budget.set", ["budget", "set", "-p", "2024", "--ceiling", "Rp 10.000.000", "--transport", "50.000"]),
        ("receipt.print", ["receipt", "transport", "1", "--day", "1", "-o", tmp_path / "t1.pdf"]),
        ("receipt.reissue", ["receipt", "transport", "1", "--day", "1", "-o", tmp_path / "t2.pdf", "--reissue",
                             "--reason", "uji"]),
        ("instructor.update", ["instructor", "update", "Ibu Uji", "--tax-category", "no-npwp"]),
        ("participant.update", ["participant", "update", NIK_A, "--birth-place", "Pekalongan",
                                "--work-status", "belum bekerja"]),
        ("certificate.issue", ["certificate", "issue", "1"]),
        ("certificate.print", ["certificate", "print", "1", "-o", tmp_path / "sertifikat.pdf"]),
        ("certificate.revoke", ["certificate", "revoke", "0001/PKW/DINPERINAKER/2024", "--reason", "uji"]),
        ("followup.record", ["followup", "record", NIK_A, "--status", "wirausaha", "--since", "2024-07-10"]),
        ("followup.import", ["followup", "import", tmp_path / "survey.csv"]),
        ("participant.move", ["participant", "move", NIK_B, "--to", "2", "--force", "--yes"]),
        ("participant.withdraw", ["participant", "withdraw", "2", NIK_B]),
        ("participant.erase", ["participant", "erase", NIK_B, "--yes"]),
        ("participant.import", ["participant", "import", tmp_path / "people.csv"]),
        ("ops.backup", ["backup", tmp_path / "copy.db"]),
        ("ops.restore", ["restore", tmp_path / "copy.db", "--yes"]),
    ]
    (tmp_path / "att.csv").write_text(f"session,nik,day,hadir\n1,{NIK_A},2,ya\n")
    (tmp_path / "survey.csv").write_text(f"Timestamp,NIK,Status pekerjaan\n2024/07/12 10:00:00,{NIK_A},Bekerja\n")
    (tmp_path / "people.csv").write_text(
        "nik,nama,kelurahan,session\n3375016203920003,Rina Lestari,Medono,1\n")
    for action, args in steps:
        before = db.execute("SELECT max(id) FROM audit_log").fetchone()[0] or 0
        r = cli(*args)
        assert r.exit_code == 0, (args, r.stdout, r.stderr)
        if action == "ops.restore":  # the backup's log, the entry written since it, then the restore's own
            last = db.execute("SELECT action, command FROM audit_log ORDER BY id DESC LIMIT 3").fetchall()
            assert [a for a, _c in last] == ["ops.restore", "ops.backup", "participant.import"], last
            continue
        new = [a for (a,) in db.execute("SELECT action FROM audit_log WHERE id > ? ORDER BY id", [before])]
        assert new == [action], (args, new)
