"""`pelatihan backup` and `pelatihan restore`."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from pelatihan_cli.db import open_db
from tests import factories


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _kelurahan(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM kelurahan ORDER BY name")]
    finally:
        conn.close()


@pytest.fixture
def programme(pekalongan_db):
    factories.make_session(pekalongan_db)
    return pekalongan_db


def test_backup_writes_a_checked_copy(cli, programme, tmp_path):
    target = tmp_path / "copy.db"
    r = cli("backup", target)
    assert r.exit_code == 0, r.stderr
    assert f"Backed up to {target}" in r.output and "integrity ok" in r.output
    r = cli("backup", tmp_path / "copy2.db", "--format", "json")
    out = json.loads(r.stdout)
    assert out["file"] == str(tmp_path / "copy2.db") and out["bytes"] == (tmp_path / "copy2.db").stat().st_size
    assert out["counts"]["session"] == 1 and out["integrity"] == "ok"
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # a single self-contained file, not a WAL database needing its -wal file
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert not (tmp_path / "copy.db-wal").exists()
    assert len(_kelurahan(target)) == 27
    copy = open_db(target)  # opens as a pelatihan database
    assert copy.execute("SELECT count(*) FROM session").fetchone()[0] == 1
    copy.conn.close()
    # no temporary file left behind
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    log = programme.execute("SELECT action, changes FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert log[0] == "ops.backup" and '"kelurahan": 27' in log[1]


def test_backup_refuses_to_overwrite_without_force(cli, programme, tmp_path):
    target = tmp_path / "copy.db"
    target.write_text("precious")
    r = cli("backup", target)
    assert r.exit_code == 1
    assert "already exists" in r.stderr and "--force" in r.stderr
    assert target.read_text() == "precious"
    r = cli("backup", target, "--force")
    assert r.exit_code == 0, r.stderr
    assert len(_kelurahan(target)) == 27


def test_backup_into_a_directory_makes_a_timestamped_file(cli, programme, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    r = cli("backup", folder)
    assert r.exit_code == 0, r.stderr
    files = list(folder.iterdir())
    assert len(files) == 1 and files[0].name.startswith("test-") and files[0].suffix == ".db"


def test_backup_refuses_the_database_itself_and_missing_directories(cli, programme, db_path, tmp_path):
    before = _sha(db_path)
    r = cli("backup", db_path)
    assert r.exit_code == 1 and "is the database itself" in r.stderr
    r = cli("backup", tmp_path / "nope" / "copy.db")
    assert r.exit_code == 1 and "does not exist" in r.stderr
    assert "Traceback" not in r.stderr
    assert _sha(db_path) == before  # the refused backup left the database as it was


def test_restore_replaces_the_database_and_keeps_the_old_one(cli, programme, db_path, tmp_path):
    target = tmp_path / "copy.db"
    assert cli("backup", target).exit_code == 0
    assert cli("kelurahan", "add", "Kelurahan Baru", "--kecamatan", "Pekalongan Barat").exit_code == 0
    assert "Kelurahan Baru" in _kelurahan(db_path)

    r = cli("restore", target, "--yes")
    assert r.exit_code == 0, r.stderr
    assert "previous database is kept as" in r.stderr and r.stdout == ""  # not a terminal: the sentence on stderr
    assert "Kelurahan Baru" not in _kelurahan(db_path)
    kept = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name and p.suffix == ".db"]
    assert len(kept) == 1 and "Kelurahan Baru" in _kelurahan(kept[0])
    db = open_db(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0] == "ops.restore"
    db.conn.close()
    # the backup itself is untouched by the restore
    assert len(_kelurahan(target)) == 27


def test_restore_is_seen_by_a_connection_that_stays_open(cli, programme, db_path, tmp_path):
    target = tmp_path / "copy.db"
    assert cli("backup", target).exit_code == 0
    other = open_db(db_path)  # e.g. another operator's long-running process
    assert cli("kelurahan", "add", "Kelurahan Baru", "--kecamatan", "Pekalongan Barat").exit_code == 0
    assert cli("restore", target, "--yes").exit_code == 0
    assert other.execute("SELECT count(*) FROM kelurahan").fetchone()[0] == 27
    assert other.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    other.conn.close()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p.write_text("nik,name\n1,x\n"), "not a SQLite database"),
        (lambda p: p.write_bytes(b""), "empty file"),
        (lambda p: p.write_bytes(b"PK\x03\x04" + b"\0" * 100), "not a SQLite database"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE songs (id INTEGER)").connection.commit(), "another application"),
    ],
    ids=["text", "empty", "zip", "other-app"],
)
def test_restore_refuses_bad_files_and_changes_nothing(cli, programme, db_path, tmp_path, make, message):
    bad = tmp_path / "bad.db"
    make(bad)
    bad_before = _sha(bad)
    programme.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _kelurahan(db_path)
    r = cli("restore", bad, "--yes")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: ") and message in r.stderr
    assert "Traceback" not in r.stderr
    # the hint is about the backup file, not about --db (the database in use)
    assert "--db" not in r.stderr and "PELATIHAN_DB" not in r.stderr
    assert r.stderr.endswith("Nothing was restored; give a file made by `pelatihan backup`.\n")
    assert _kelurahan(db_path) == before
    assert _sha(bad) == bad_before
    assert not [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]


def test_restore_refuses_a_newer_schema(cli, programme, tmp_path):
    newer = tmp_path / "newer.db"
    assert cli("backup", newer).exit_code == 0
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('pelatihan', 'm999_future', '2030-01-01')")
    conn.commit()
    conn.close()
    r = cli("restore", newer, "--yes")
    assert r.exit_code == 1 and "newer version of pelatihan" in r.stderr


def test_restore_refuses_a_damaged_file(cli, programme, tmp_path, db_path):
    damaged = tmp_path / "damaged.db"
    assert cli("backup", damaged).exit_code == 0
    data = bytearray(damaged.read_bytes())
    page = 4096
    for i in range(2 * page + 100, min(len(data), 6 * page)):  # scribble over some b-tree pages
        data[i] = 0xA5
    damaged.write_bytes(bytes(data))
    r = cli("restore", damaged, "--yes")
    assert r.exit_code == 1
    assert "damaged" in r.stderr or "not a usable SQLite database" in r.stderr
    assert len(_kelurahan(db_path)) == 27


def test_restore_refuses_missing_file(cli, programme, tmp_path):
    r = cli("restore", tmp_path / "missing.db", "--yes")
    assert r.exit_code == 1 and "does not exist" in r.stderr


# --- the audit log across backup and restore (issue 11, point 8) ----------------------

LOG_SQL = "SELECT id, at, os_user, command, action, changes FROM audit_log ORDER BY id"


def _log(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(LOG_SQL).fetchall()
    finally:
        conn.close()


def test_restore_keeps_the_entries_written_since_the_backup(cli, programme, db_path, tmp_path):
    target = tmp_path / "copy.db"
    assert cli("backup", target).exit_code == 0
    assert cli("kelurahan", "add", "Kelurahan Baru", "--kecamatan", "Pekalongan Barat").exit_code == 0
    before = _log(db_path)
    in_backup = _log(target)
    since = before[len(in_backup):]
    assert before[: len(in_backup)] == in_backup
    assert [e[4] for e in since] == ["ops.backup", "kelurahan.add"]

    r = cli("restore", target, "--yes")
    assert r.exit_code == 0, r.stderr
    assert "The audit log keeps the 2 entries written since the backup." in r.output
    after = _log(db_path)
    # the backup's log, then the entries written since it (same ids, same text), then the restore
    assert after[:-1] == before
    restore_entry = after[-1]
    assert restore_entry[4] == "ops.restore"
    assert restore_entry[0] == before[-1][0] + 1
    changes = json.loads(restore_entry[5])
    assert changes["entries_kept"] == 2 and changes["kelurahan"] == 27
    assert "entries_lost" not in changes
    # the data is the backup's
    assert "Kelurahan Baru" not in _kelurahan(db_path)
    # and the next entry still gets a new id
    assert cli("kelurahan", "add", "Kelurahan Lain", "--kecamatan", "Pekalongan Barat").exit_code == 0
    assert _log(db_path)[-1][0] == restore_entry[0] + 1


def test_restore_of_a_backup_with_a_longer_log_never_reuses_ids(cli, programme, db_path, tmp_path):
    """A backup from elsewhere whose log is longer than the current one: the restore entry
    still comes after every id either database had."""
    other = tmp_path / "other.db"
    assert cli("--db", other, "init", "--pekalongan").exit_code == 0
    for n in range(5):
        assert cli("--db", other, "kelurahan", "add", f"Kelurahan {n}", "--kecamatan", "Pekalongan Barat").exit_code == 0
    copy = tmp_path / "other-copy.db"
    assert cli("--db", other, "backup", copy).exit_code == 0
    current_last = _log(db_path)[-1][0]
    backup_last = _log(copy)[-1][0]
    assert backup_last > current_last
    assert cli("restore", copy, "--yes").exit_code == 0
    after = _log(db_path)
    assert after[:-1] == _log(copy)
    assert after[-1][4] == "ops.restore" and after[-1][0] == backup_last + 1


def test_restore_over_a_damaged_database_says_the_later_entries_are_lost(cli, programme, db_path, tmp_path):
    target = tmp_path / "copy.db"
    assert cli("backup", target).exit_code == 0
    for n in range(3):
        assert cli("kelurahan", "add", f"Kelurahan {n}", "--kecamatan", "Pekalongan Barat").exit_code == 0
    damaged_last = _log(db_path)[-1][0]
    programme.conn.close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db_path.read_bytes())
    for i in range(100, len(data)):  # everything after the file header: nothing can be read
        data[i] = 0xA5
    db_path.write_bytes(bytes(data))

    r = cli("restore", target, "--yes")
    assert r.exit_code == 0, r.stderr
    assert "could not all be read" in r.stderr and "Traceback" not in r.stderr
    after = _log(db_path)
    assert after[:-1] == _log(target)
    restore_entry = after[-1]
    changes = json.loads(restore_entry[5])
    assert restore_entry[4] == "ops.restore"
    assert changes["entries_lost"] == "unknown" and changes["entries_kept"] == 0
    assert ".damaged-" in changes["damaged_kept_as"]
    assert restore_entry[0] > damaged_last  # not even the lost ids are reused


def test_restore_over_a_database_damaged_elsewhere_keeps_its_readable_log(cli, programme, db_path, tmp_path):
    """Damage outside the audit log's pages: what can be read is carried over, and the
    restore entry says nothing was lost."""
    target = tmp_path / "copy.db"
    assert cli("backup", target).exit_code == 0
    assert cli("kelurahan", "add", "Kelurahan Baru", "--kecamatan", "Pekalongan Barat").exit_code == 0
    before = _log(db_path)
    programme.conn.close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'kelurahan'").fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(db_path.read_bytes())
    for i in range((root - 1) * page, root * page):  # the kelurahan table's root page
        data[i] = 0xA5
    db_path.write_bytes(bytes(data))
    assert cli("kelurahan", "list").exit_code == 1  # damaged indeed

    r = cli("restore", target, "--yes")
    assert r.exit_code == 0, r.stderr
    after = _log(db_path)
    assert after[:-1] == before
    changes = json.loads(after[-1][5])
    assert changes["entries_lost"] == 0 and changes["entries_kept"] == 2


def test_a_backup_that_waits_too_long_for_the_lock_writes_nothing_and_can_be_retried(
        cli, programme, db_path, tmp_path, monkeypatch):
    import pelatihan_cli.db as dbmod

    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 300)
    target = tmp_path / "copy.db"
    entries = len(_log(db_path))
    holder = sqlite3.connect(db_path)
    holder.execute("BEGIN IMMEDIATE")  # another process is writing and does not let go
    try:
        r = cli("backup", target)
    finally:
        holder.rollback()
        holder.close()
    assert r.exit_code == 1
    assert r.stderr == (
        "Error: The database stayed locked by another pelatihan process for too long, so the backup "
        f"could not be logged; nothing was written to {target}. Run the command again.\n"
    )
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert len(_log(db_path)) == entries
    r = cli("backup", target)  # the retry works
    assert r.exit_code == 0, r.stderr
    assert _log(db_path)[-1][4] == "ops.backup" and len(_log(db_path)) == entries + 1


def test_a_backup_whose_name_is_taken_meanwhile_is_logged_as_failed(cli, programme, db_path, tmp_path, monkeypatch):
    """The target appears between the check and the rename (another backup, a copy): it is
    kept, and the entry already written is followed by 'ops.backup.failed'."""
    from pelatihan_cli.services import backup

    target = tmp_path / "copy.db"

    def someone_else(name):
        if name == "committed":
            target.write_text("someone else's file")

    monkeypatch.setattr(backup, "_step", someone_else)
    r = cli("backup", target)
    assert r.exit_code == 1
    assert "appeared while the backup was being made; nothing was written there" in r.stderr
    assert target.read_text() == "someone else's file"
    log = _log(db_path)
    assert [e[4] for e in log[-2:]] == ["ops.backup", "ops.backup.failed"]
    assert json.loads(log[-1][5])["entry"] == log[-2][0]
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM setting WHERE key LIKE 'backup.pending.%'").fetchone()[0] == 0
    conn.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_backup_of_a_read_only_database_warns_that_it_is_not_logged(cli, programme, db_path, tmp_path):
    import os
    import stat

    programme.conn.close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    os.chmod(db_path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        r = cli("backup", tmp_path / "copy.db")
    finally:
        os.chmod(db_path, stat.S_IRUSR | stat.S_IWUSR)
    assert r.exit_code == 0, r.stderr
    # not a terminal: the sentence follows the warning on stderr
    assert r.stderr.startswith("Warning: the database is read-only, so this backup is not in its audit log.\nBacked up to ")
