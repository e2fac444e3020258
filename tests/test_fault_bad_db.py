"""Fault suite: bad database files, end to end (a fresh `python -m pelatihan_cli` process).

Each bad file gives one clear `Error:` line, exit 1, no traceback, and its bytes are
unchanged, for a read (`kelurahan list`), a write (`kelurahan add`) and `backup`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import zipfile

import pytest

from pelatihan_cli.db import open_db

pytestmark = pytest.mark.fault

READ = ("kelurahan", "list", "--format", "json")
WRITE = ("kelurahan", "add", "Baru", "--kecamatan", "Pekalongan Barat")


def _sha(path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


@pytest.fixture(scope="module")
def good_db(tmp_path_factory):
    """A real pelatihan database (27 kelurahan), in rollback-journal mode so that it is one file."""
    path = tmp_path_factory.mktemp("good") / "good.db"
    db = open_db(path, create=True)
    from pelatihan_cli.services import kelurahan

    kelurahan.load_pekalongan(db)
    db.execute("PRAGMA journal_mode = DELETE")
    db.conn.close()
    return path


def _text(p, good):
    p.write_text("nik,nama\n3375014107900001,Siti\n")


def _empty(p, good):
    p.write_bytes(b"")


def _zip(p, good):
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("peserta.csv", "nik,nama\n")


def _other_app(p, good):
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.commit()
    conn.close()


def _newer(p, good):
    shutil.copy(good, p)
    conn = sqlite3.connect(p)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('pelatihan', 'm999_future', 'x')")
    conn.commit()
    conn.close()


def _damaged(p, good):
    data = bytearray(good.read_bytes())
    for i in range(4096 + 100, min(len(data), 4096 * 30)):
        data[i] = 0xA5
    p.write_bytes(bytes(data))


def _truncated(p, good):
    p.write_bytes(good.read_bytes()[:50_000])


CASES = {
    "text": (_text, "is not a SQLite database"),
    "empty": (_empty, "is an empty file, not a pelatihan database"),
    "zip": (_zip, "is not a SQLite database"),
    "other-app": (_other_app, "is a SQLite database of another application (tables: moz_places)"),
    "newer-schema": (_newer, "was written by a newer version of pelatihan (schema m999_future)"),
    "damaged": (_damaged, "is damaged (database disk image is malformed). Restore it from a backup"),
    "truncated": (_truncated, "is damaged"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_is_refused_unchanged(run_cli, tmp_path, good_db, case):
    make, message = CASES[case]
    path = tmp_path / "bad.db"
    make(path, good_db)
    before = _sha(path)
    for args in (READ, WRITE, ("backup", tmp_path / "copy.db")):
        r = run_cli("--db", path, *args)
        assert r.returncode == 1, (args, r.stdout, r.stderr)
        assert r.stderr.startswith("Error: ") and message in r.stderr, r.stderr
        assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
        assert _sha(path) == before
    assert not (tmp_path / "copy.db").exists()
    assert not (tmp_path / "bad.db-wal").exists() or case in ("newer-schema", "damaged", "truncated")


def test_directory_is_refused(run_cli, tmp_path):
    r = run_cli("--db", tmp_path, *READ)
    assert r.returncode == 1
    assert r.stderr == f"Error: {tmp_path} is a directory, not a database file. Give a file path with --db.\n"


def test_missing_directory_is_refused_and_not_created(run_cli, tmp_path):
    path = tmp_path / "no-such-dir" / "x.db"
    for args in (READ, WRITE):
        r = run_cli("--db", path, *args)
        assert r.returncode == 1
        assert r.stderr == f"Error: no database at {path}; create it with pelatihan --db {path} init\n"
    # even init does not make a directory for a --db path: it is most likely a typo
    r = run_cli("--db", path, "init")
    assert r.returncode == 1
    assert r.stderr == f"Error: The directory {path.parent} does not exist. Create it, or choose another path with --db.\n"
    assert not path.parent.exists()


def test_damaged_database_can_be_restored_from_a_backup(run_cli, tmp_path, good_db):
    path = tmp_path / "live.db"
    _damaged(path, good_db)
    damaged_bytes = _sha(path)
    r = run_cli("--db", path, "restore", good_db, "--yes")
    assert r.returncode == 0, r.stderr
    kept = [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and _sha(kept[0]) == damaged_bytes
    r = run_cli("--db", path, *READ)
    assert r.returncode == 0 and len(json.loads(r.stdout)) == 27


@pytest.fixture
def read_only(tmp_path, good_db):
    path = tmp_path / "ro.db"
    shutil.copy(good_db, path)
    open_db(path).conn.close()  # back to WAL mode, as pelatihan leaves it
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    yield path
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def test_read_only_database_reads_but_refuses_writes(run_cli, read_only, tmp_path):
    before = _sha(read_only)
    r = run_cli("--db", read_only, *READ)
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)) == 27
    for args in (WRITE, ("config", "set", "age_min", "18")):
        r = run_cli("--db", read_only, *args)
        assert r.returncode == 1
        assert r.stderr.startswith("Error: ") and "read-only" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr
    # backup and export still work from a read-only database (they only read it)
    assert run_cli("--db", read_only, "backup", tmp_path / "copy.db").returncode == 0
    assert run_cli("--db", read_only, "export", "-o", tmp_path / "x.json").returncode == 0
    r = run_cli("--db", read_only, "restore", tmp_path / "copy.db", "--yes")
    assert r.returncode == 1 and "read-only" in r.stderr
    assert _sha(read_only) == before


_WRITER = r"""
import sqlite3, sys, os, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA wal_autocheckpoint = 0")
conn.execute("INSERT INTO kelurahan (name, name_key, kecamatan) VALUES ('Dari WAL', 'dari wal', 'Pekalongan Barat')")
print("committed", flush=True)
time.sleep(60)
"""


def test_read_only_database_with_committed_rows_still_in_the_wal(run_cli, tmp_path, good_db):
    """A writer died (SIGKILL) after committing: the rows live only in the -wal file.
    Made read-only, the database must still show them."""
    path = tmp_path / "wal.db"
    shutil.copy(good_db, path)
    open_db(path).conn.close()
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "committed"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert (tmp_path / "wal.db-wal").stat().st_size > 0
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP)
    try:
        before = _sha(path)
        r = run_cli("--db", path, *READ)
        assert r.returncode == 0, r.stderr
        assert "Dari WAL" in [k["name"] for k in json.loads(r.stdout)]
        r = run_cli("--db", path, *WRITE)
        assert r.returncode == 1 and "read-only" in r.stderr
        assert _sha(path) == before
    finally:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def _big_kelurahan_csv(path, n=3000):
    lines = ["code,name,kecamatan"] + [f",Kelurahan Nomor {i},Kecamatan {i % 7}" for i in range(n)]
    path.write_text("\n".join(lines) + "\n")


def test_full_disk_via_max_page_count(cli, db, db_path, tmp_path, monkeypatch):
    """SQLITE_FULL (as on a full disk): clear error, nothing saved, database sound."""
    from pelatihan_cli import db as dbmod
    from pelatihan_cli.services import kelurahan

    kelurahan.load_pekalongan(db)
    real_open = dbmod.open_db

    def cramped(*a, **kw):
        d = real_open(*a, **kw)
        pages = d.execute("PRAGMA page_count").fetchone()[0]
        d.execute(f"PRAGMA max_page_count = {pages}")
        return d

    monkeypatch.setattr(dbmod, "open_db", cramped)
    csv = tmp_path / "many.csv"
    _big_kelurahan_csv(csv)
    r = cli("kelurahan", "import", csv)
    assert r.exit_code == 1
    assert r.stderr == "Error: The disk is full; nothing was saved. Free some space and run the command again.\n"
    assert db.execute("SELECT count(*) FROM kelurahan").fetchone()[0] == 27
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    monkeypatch.setattr(dbmod, "open_db", real_open)
    assert cli("kelurahan", "import", csv).exit_code == 0


@pytest.fixture
def tiny_disk(tmp_path):
    """A 400 KiB tmpfs (needs root and mount rights; skipped otherwise)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a real full disk needs root to mount a small tmpfs")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mnt)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.decode().strip()}")
    yield mnt
    subprocess.run(["umount", str(mnt)], check=False)


def test_real_full_disk(run_cli, tiny_disk, tmp_path):
    path = tiny_disk / "x.db"
    assert run_cli("--db", path, "init", "--pekalongan").returncode == 0
    filler = tiny_disk / "filler"
    free = shutil.disk_usage(tiny_disk).free
    filler.write_bytes(b"\0" * max(0, free - 44 * 1024))  # room to open, not to import
    csv = tmp_path / "many.csv"
    _big_kelurahan_csv(csv)
    before = _sha(path)
    r = run_cli("--db", path, "kelurahan", "import", csv)
    assert r.returncode == 1
    assert r.stderr == "Error: The disk is full; nothing was saved. Free some space and run the command again.\n"
    assert _sha(path) == before
    # completely full: even opening needs room for the -shm file; still one clear line
    with open(filler, "ab") as f:
        try:
            f.write(b"\0" * shutil.disk_usage(tiny_disk).free)
        except OSError:
            pass
    r = run_cli("--db", path, *READ)
    assert r.returncode == 1
    assert r.stderr.startswith("Error: The disk holding") and "is full" in r.stderr, r.stderr
    assert _sha(path) == before
    filler.unlink()
    r = run_cli("--db", path, *READ)
    assert r.returncode == 0 and len(json.loads(r.stdout)) == 27
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
