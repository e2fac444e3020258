"""The audit log never holds a NIK, phone, birth date, address or name as typed."""

from __future__ import annotations

from pelatihan_cli.services import audit


def test_nik_masked_whatever_the_separators():
    for typed in ("3375014107900001", "3375.0141.0790.0001", "3375 0141 0790 0001", "3375-0141-0790-0001"):
        assert audit.mask_text(f"--nik {typed}") == "--nik 337501******0001"


def test_shorter_and_longer_digit_runs_are_left_alone():
    assert audit.mask_text("session 12 day 2 code 33.75.01.1006") == "session 12 day 2 code 33.75.01.1006"
    assert audit.mask_text("12345678901234567") == "12345678901234567"


def test_personal_options_are_hidden():
    argv = ["participant", "enroll", "3", "3375014107900001", "--name", "Siti Aminah",
            "--phone", "0812-3456-7890", "--birth-date=1990-07-01", "--address", "Jl. Merdeka 1"]
    assert audit.mask_argv(argv) == ["participant", "enroll", "3", "337501******0001", "--name", "***",
                                     "--phone", "***", "--birth-date=***", "--address", "***"]


def test_enroll_writes_a_masked_audit_row(cli, db):
    from tests.factories import make_session

    sid = make_session(db, days=("2030-07-02", "2030-07-03"))
    r = cli("participant", "enroll", sid, "3375.0141.0790.0001", "--name", "Siti Aminah",
            "--phone", "081234567890")
    assert r.exit_code == 0, r.stderr
    rows = db.execute("SELECT command FROM audit_log WHERE action LIKE 'participant.%' OR action LIKE 'enroll%'").fetchall()
    assert rows, db.execute("SELECT action FROM audit_log").fetchall()
    text = " ".join(r[0] for r in rows)
    assert "337501******0001" in text
    assert "0141" not in text.replace("337501******0001", "")
    assert "Siti" not in text and "081234567890" not in text


def test_show_nik_is_logged_once_per_command(cli, db):
    from tests.factories import make_session

    sid = make_session(db, days=("2024-07-02", "2024-07-03"))
    assert cli("participant", "enroll", sid, "3375014107900001", "--name", "Siti").exit_code == 0
    before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    r = cli("roster", "2024-07-02", "--format", "json", "--show-nik")
    assert r.exit_code == 0, r.stderr
    assert "3375014107900001" in r.stdout
    rows = db.execute("SELECT action, command FROM audit_log WHERE id > ?", [before]).fetchall()
    assert len(rows) == 1
    assert rows[0][0].endswith("show_nik") and "--show-nik" in rows[0][1]


def test_instructor_phones_shown_in_full_are_logged(cli, db):
    assert cli("instructor", "add", "Bu Ani", "--skill", "Merajut", "--phone", "081234567890").exit_code == 0
    r = cli("instructor", "list", "--show-nik", "--format", "json")
    assert r.exit_code == 0 and "0812-3456-7890" in r.stdout
    assert db.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone() == ("instructor.list.show_nik",)


def test_show_nik_on_a_read_only_database_is_refused_not_left_unlogged(cli, db, db_path):
    import os
    import stat

    from tests.factories import make_session

    sid = make_session(db, days=("2024-07-02", "2024-07-03"))
    assert cli("participant", "enroll", sid, "3375014107900001", "--name", "Siti").exit_code == 0
    db.conn.close()
    os.chmod(db_path, stat.S_IRUSR)
    try:
        r = cli("participant", "list", "--show-nik")
        assert r.exit_code == 1
        assert r.stderr.startswith("Error: The database is read-only, so a use of --show-nik cannot be logged")
        assert "3375014107900001" not in r.stdout
        assert cli("participant", "list").exit_code == 0  # masked reading still works
    finally:
        os.chmod(db_path, stat.S_IRUSR | stat.S_IWUSR)
