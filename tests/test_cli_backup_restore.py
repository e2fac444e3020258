"""`pelatihan backup` and `pelatihan restore`."""

from __future__ import annotations

import hashlib
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
    assert f"Backed up to {target}" in r.stdout and "integrity ok" in r.stdout
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

    r = cli("restore", target)
    assert r.exit_code == 0, r.stderr
    assert "previous database is kept as" in r.stdout
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
    assert cli("restore", target).exit_code == 0
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
    r = cli("restore", bad)
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
    r = cli("restore", newer)
    assert r.exit_code == 1 and "newer version of pelatihan" in r.stderr


def test_restore_refuses_a_damaged_file(cli, programme, tmp_path, db_path):
    damaged = tmp_path / "damaged.db"
    assert cli("backup", damaged).exit_code == 0
    data = bytearray(damaged.read_bytes())
    page = 4096
    for i in range(2 * page + 100, min(len(data), 6 * page)):  # scribble over some b-tree pages
        data[i] = 0xA5
    damaged.write_bytes(bytes(data))
    r = cli("restore", damaged)
    assert r.exit_code == 1
    assert "damaged" in r.stderr or "not a usable SQLite database" in r.stderr
    assert len(_kelurahan(db_path)) == 27


def test_restore_refuses_missing_file(cli, programme, tmp_path):
    r = cli("restore", tmp_path / "missing.db")
    assert r.exit_code == 1 and "does not exist" in r.stderr
