"""Messages (issue 13, point 5): destructive commands need --yes without a terminal,
NIKs in messages are masked like output, and files are never overwritten unasked."""

from __future__ import annotations

import pytest

from tests.factories import make_session

NIK = "3375014107900001"


def test_restore_without_yes_and_without_a_terminal_says_add_yes(cli, tmp_path):
    backup = tmp_path / "copy.db"
    assert cli("backup", backup).exit_code == 0
    r = cli("restore", backup)
    assert r.exit_code == 1
    assert r.stderr == f"Error: restoring replaces the database with {backup}; add --yes to confirm.\n"
    assert cli("restore", backup, "--yes").exit_code == 0


def test_kelurahan_remove_without_yes_says_add_yes(cli, pekalongan_db):
    r = cli("kelurahan", "remove", "Medono")
    assert r.exit_code == 1
    assert r.stderr == "Error: removing kelurahan Medono cannot be undone; add --yes to confirm.\n"
    assert pekalongan_db.execute("SELECT count(*) FROM kelurahan WHERE name = 'Medono'").fetchone()[0] == 1
    r = cli("kelurahan", "remove", "Medono", "-y")
    assert r.exit_code == 0 and pekalongan_db.execute(
        "SELECT count(*) FROM kelurahan WHERE name = 'Medono'").fetchone()[0] == 0


def test_restore_asks_on_a_terminal(cli, tmp_path, monkeypatch):
    from pelatihan_cli.cli import _guards

    backup = tmp_path / "copy.db"
    assert cli("backup", backup).exit_code == 0
    monkeypatch.setattr(_guards, "stdin_is_terminal", lambda: True)
    r = cli("restore", backup, input="n\n")
    assert r.exit_code == 1 and "Replace the database with the backup" in r.stderr
    assert r.stderr.endswith("Error: Nothing was changed.\n")


@pytest.fixture
def sid(db):
    return make_session(db, days=("2030-07-01", "2030-07-02"))


def test_nik_in_error_messages_is_masked(cli, sid):
    # issue 13: 'errors print full NIKs although the README promises masking everywhere'
    for args in (["participant", "withdraw", sid, NIK], ["participant", "show", NIK],
                 ["participant", "update", NIK, "--name", "X"], ["participant", "erase", NIK, "--yes"],
                 ["participant", "move", sid, NIK, "--to", sid]):
        r = cli(*args)
        assert r.exit_code == 1, args
        assert "337501******0001" in r.stderr and NIK not in r.stderr, (args, r.stderr)
    assert cli("participant", "enroll", sid, NIK, "--name", "Siti Aminah").exit_code == 0
    r = cli("participant", "enroll", sid, NIK, "--name", "Budi Santoso")
    assert r.exit_code == 1 and NIK not in r.stderr
    r = cli("participant", "withdraw", sid, "3375014107900002")
    assert r.exit_code == 1 and "337501******0002" in r.stderr and "3375014107900002" not in r.stderr


def test_show_nik_shows_the_nik_in_messages(cli, sid):
    r = cli("participant", "show", NIK, "--show-nik")
    assert r.exit_code == 1 and NIK in r.stderr


def test_import_row_errors_mask_the_nik(cli, sid, tmp_path):
    f = tmp_path / "list.csv"
    f.write_text("nik,nama\n3375014107900001,Siti\n3399014107900001,Budi\n", encoding="utf-8")
    r = cli("participant", "import", f, "--session", sid)
    assert r.exit_code == 1
    assert "3399014107900001" not in r.stderr and "339901******0001" in r.stderr
    assert "row 3" in r.stderr


def test_roster_output_refuses_an_existing_file_without_force(cli, sid, tmp_path):
    # issue 13: `roster -o` overwrote silently while backup/export needed --force
    out = tmp_path / "hadir.csv"
    out.write_text("keep me", encoding="utf-8")
    r = cli("roster", "2030-07-01", "-f", "csv", "-o", out)
    assert r.exit_code == 1
    assert r.stderr == f"Error: {out} already exists; choose another file name, or add --force to overwrite it.\n"
    assert out.read_text(encoding="utf-8") == "keep me"
    r = cli("roster", "2030-07-01", "-f", "csv", "-o", out, "--force")
    assert r.exit_code == 0 and out.read_text(encoding="utf-8").startswith("session_id,")
    pdf = tmp_path / "roster-2030-07-01.pdf"
    assert cli("roster", "2030-07-01", "-f", "pdf", "-o", pdf).exit_code == 0
    assert cli("roster", "2030-07-01", "-f", "pdf", "-o", pdf).exit_code == 1
