"""open_db: the file is ours or it is refused, unchanged (issue 2, point 3)."""

from __future__ import annotations

import os
import sqlite3
import stat
import zipfile

import pytest

from pelatihan_cli.db import default_db_path, open_db, schema_version
from pelatihan_cli.errors import DatabaseError
from pelatihan_cli.migrations import migrations

LATEST = migrations._migrations[-1].name


def test_new_database_is_migrated_with_wal_and_foreign_keys(tmp_path):
    db = open_db(tmp_path / "new.db", create=True)
    assert schema_version(db) == LATEST
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    # NIK and phone are TEXT
    cols = {c.name: c.type for c in db["participant"].columns}
    assert cols["nik"] == "TEXT" and cols["phone"] == "TEXT"


def test_default_path_comes_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv("PELATIHAN_DB", str(tmp_path / "env.db"))
    assert default_db_path() == tmp_path / "env.db"
    monkeypatch.delenv("PELATIHAN_DB")
    assert default_db_path().name == "pelatihan.db"


def _bytes(p):
    return p.read_bytes()


@pytest.fixture
def text_file(tmp_path):
    p = tmp_path / "notes.db"
    p.write_text("this is not a database\n")
    return p


@pytest.fixture
def zip_file(tmp_path):
    p = tmp_path / "archive.db"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("a.txt", "hello")
    return p


@pytest.fixture
def other_app(tmp_path):
    p = tmp_path / "other.db"
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('x')")
    conn.commit()
    conn.close()
    return p


@pytest.fixture
def newer(tmp_path):
    p = tmp_path / "newer.db"
    open_db(p, create=True).conn.close()
    conn = sqlite3.connect(p)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('pelatihan', 'm999_future', 'x')"
    )
    conn.commit()
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    return p


@pytest.mark.parametrize(
    "fixture, message",
    [
        ("text_file", "is not a SQLite database"),
        ("zip_file", "is not a SQLite database"),
        ("other_app", "is a SQLite database of another application (tables: customers)"),
        ("newer", "was written by a newer version of pelatihan (schema m999_future). Upgrade pelatihan"),
    ],
)
def test_bad_files_are_refused_unchanged(request, cli, fixture, message):
    path = request.getfixturevalue(fixture)
    before = _bytes(path)
    with pytest.raises(DatabaseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        open_db(path)
    r = cli("--db", path, "kelurahan", "list")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: ") and message in r.stderr
    assert r.stderr.count("\n") == 1
    assert "Traceback" not in r.stderr + r.stdout
    assert _bytes(path) == before
    assert not os.path.exists(str(path) + "-wal")


def test_directory_is_refused(cli, tmp_path):
    r = cli("--db", tmp_path, "info")
    assert r.exit_code == 1
    assert r.stderr == f"Error: {tmp_path} is a directory, not a database file. Give a file path with --db.\n"


def test_empty_file_is_refused_unchanged(cli, tmp_path):
    p = tmp_path / "empty.db"
    p.write_bytes(b"")
    r = cli("--db", p, "info")
    assert r.exit_code == 1
    assert "is an empty file, not a pelatihan database" in r.stderr
    assert p.read_bytes() == b""


def test_read_only_database_can_be_read_but_not_written(cli, tmp_path):
    p = tmp_path / "ro.db"
    assert cli("--db", p, "init", "--pekalongan").exit_code == 0
    os.chmod(p, stat.S_IRUSR | stat.S_IRGRP)
    try:
        before = p.read_bytes()
        r = cli("--db", p, "kelurahan", "list", "--format", "json")
        assert r.exit_code == 0, r.stderr
        assert len(__import__("json").loads(r.stdout)) == 27
        r = cli("--db", p, "kelurahan", "add", "Baru", "-K", "Pekalongan Barat")
        assert r.exit_code == 1
        assert r.stderr.startswith("Error: The database is read-only")
        assert p.read_bytes() == before
    finally:
        os.chmod(p, stat.S_IRUSR | stat.S_IWUSR)


def test_info_json(cli, db_path):
    cli("init", "--pekalongan")
    r = cli("info", "--format", "json")
    assert r.exit_code == 0
    data = __import__("json").loads(r.stdout)
    assert data["path"] == str(db_path)
    assert data["schema_version"] == LATEST
    assert data["counts"]["kelurahan"] == 27
