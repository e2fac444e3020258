"""Fault suite: a process killed with SIGKILL in the middle of a large import, or of a
backup, leaves a sound database (integrity_check ok) holding none of the interrupted
import's rows, and the next command works."""

from __future__ import annotations

import csv
import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pelatihan_cli.db import open_db
from tests import factories

pytestmark = pytest.mark.fault

ROOT = Path(__file__).resolve().parent.parent


def _write_list(path: Path, n: int, start: int = 0) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["nik", "nama", "alamat", "no_hp"])
        for i in range(start, start + n):
            day, month, year = 1 + i % 28, 1 + (i // 28) % 12, 70 + (i // 336) % 30
            w.writerow([f"337501{day:02d}{month:02d}{year:02d}{1 + i // 10080:04d}", f"Peserta Nomor {i}",
                        f"Jl. Merdeka No. {i}", f"0812{i:08d}"])
    return path


def _holds_write_lock(db_path: Path) -> bool:
    conn = sqlite3.connect(db_path, timeout=0)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.rollback()
        return False
    except sqlite3.OperationalError as e:
        assert "locked" in str(e)
        return True
    finally:
        conn.close()


def _spawn(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pelatihan_cli", *[str(a) for a in args]],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def _run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pelatihan_cli", *[str(a) for a in args]],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_sigkill_in_the_middle_of_a_large_import(pekalongan_db, db_path, tmp_path):
    sid = factories.make_session(pekalongan_db, capacity=100_000)
    pekalongan_db.conn.close()
    assert _run("--db", db_path, "participant", "import", _write_list(tmp_path / "small.csv", 5),
                "--session", sid).returncode == 0
    big = _write_list(tmp_path / "big.csv", 30_000, start=100)   # seconds of work: killed well before the end

    proc = _spawn("--db", db_path, "participant", "import", big, "--session", sid)
    deadline = time.monotonic() + 60
    while not _holds_write_lock(db_path):  # wait until the import is inside its transaction
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    time.sleep(0.3)  # well into the rows
    assert proc.poll() is None, "the import finished before it could be killed; make the list bigger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM participant").fetchone()[0] == 5
    assert conn.execute("SELECT count(*) FROM enrollment").fetchone()[0] == 5
    assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'participant.import'").fetchone()[0] == 1
    conn.close()

    # the next commands work: a read, a write, and the same import again (a smaller part of it)
    r = _run("--db", db_path, "participant", "list", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)) == 5
    r = _run("--db", db_path, "participant", "import", _write_list(tmp_path / "again.csv", 50, start=100),
             "--session", sid)
    assert r.returncode == 0, r.stderr
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM participant").fetchone()[0] == 55
    conn.close()


@pytest.fixture(scope="module")
def large_db(tmp_path_factory):
    """~25 MB: 150,000 participants written with direct SQL, so a backup takes a while."""
    path = tmp_path_factory.mktemp("large") / "large.db"
    db = open_db(path, create=True)
    kid = factories.kelurahan_id(db)
    db.execute(
        """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000)
           INSERT INTO participant (nik, name, birth_date, sex, address, kelurahan_id, phone)
           SELECT printf('3375%012d', i), 'Peserta Nomor ' || i, '1990-01-01', 'L',
                  'Jl. Merdeka No. ' || i || ', RT 01/RW 02, Kelurahan Bendan Kergon', ?, printf('+62812%08d', i)
           FROM n""", [kid])
    db.conn.commit()
    db.conn.close()
    return path


def test_sigkill_during_backup(large_db, tmp_path):
    conn = sqlite3.connect(large_db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    target = tmp_path / "copy.db"
    killed_mid_copy = 0
    for delay in (0.0, 0.03, 0.08, 0.15):
        if target.exists():
            target.unlink()
        proc = _spawn("--db", large_db, "backup", target)
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".copy.db.tmp-*")) and proc.poll() is None:  # wait for the copy to start
            assert time.monotonic() < deadline
            time.sleep(0.005)
        time.sleep(delay)
        finished = proc.poll() is not None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed_mid_copy += not finished and not target.exists()
        # the database is sound and unchanged in content
        conn = sqlite3.connect(large_db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM participant").fetchone()[0] == 150_000
        conn.close()
        # the target is either absent or a complete, checked copy; never half a file
        if target.exists():
            copy = sqlite3.connect(target)
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert copy.execute("SELECT count(*) FROM participant").fetchone()[0] == 150_000
            copy.close()
    assert killed_mid_copy >= 1, "no kill landed during a backup; adjust the delays"
    # leftovers are only hidden temporary files, and the next backup works
    assert all(p.name.startswith(".copy.db.tmp-") for p in tmp_path.iterdir() if p.name != "copy.db")
    if target.exists():
        target.unlink()
    r = _run("--db", large_db, "backup", target)
    assert r.returncode == 0, r.stderr
    assert "integrity ok" in r.stderr  # not a terminal: the sentence on stderr
    assert [p.name for p in tmp_path.iterdir()] == ["copy.db"]  # the killed backups' temporaries are gone


def test_sigkill_during_restore_leaves_the_old_or_the_new_database(large_db, pekalongan_db, db_path, tmp_path):
    pekalongan_db.conn.close()
    outcomes = set()
    for delay in (0.0, 0.05):
        proc = _spawn("--db", db_path, "restore", large_db, "--yes")
        deadline = time.monotonic() + 60
        while proc.poll() is None and not _holds_write_lock(db_path):  # the copy into the live file began
            assert time.monotonic() < deadline
            time.sleep(0.005)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        conn = sqlite3.connect(db_path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = conn.execute("SELECT count(*) FROM participant").fetchone()[0]
        k = conn.execute("SELECT count(*) FROM kelurahan").fetchone()[0]
        conn.close()
        assert (n, k) in {(0, 27), (150_000, 1)}, (n, k)  # all old or all new, nothing in between
        outcomes.add(n)
        r = _run("--db", db_path, "kelurahan", "list", "--format", "json")
        assert r.returncode == 0, r.stderr
    assert 0 in outcomes  # at least one kill landed before the restore committed


# --- a backup file exists if and only if its audit entry does (issue 11, point 8) ------

BACKUP_STEPS = ["copied", "verified", "locking", "logged", "committed", "linked", "renamed", "done"]

_KILL_AT = """
import os, sys
from pelatihan_cli.services import backup

step = sys.argv[1]

def _kill(name):
    if name == step:
        os._exit(9)

backup._step = _kill
from pelatihan_cli.cli import app
app(sys.argv[2:], prog_name="pelatihan")
"""


def _backups_in_log(db_path: Path) -> set[str]:
    """Files that the log says were backed up: 'ops.backup' entries not followed by an
    'ops.backup.failed' entry naming them."""
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT id, action, changes FROM audit_log WHERE action LIKE 'ops.backup%' ORDER BY id").fetchall()
    finally:
        conn.close()
    made = {i: json.loads(c)["file"] for i, a, c in rows if a == "ops.backup"}
    for _i, a, c in rows:
        if a == "ops.backup.failed":
            made.pop(json.loads(c)["entry"], None)
    return set(made.values())


def _pending_notes(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM setting WHERE key LIKE 'backup.pending.%'").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("force", [False, True], ids=["new-file", "force"])
def test_backup_killed_at_every_step_file_exists_iff_entry_exists(pekalongan_db, db_path, tmp_path, force):
    pekalongan_db.conn.close()
    folder = tmp_path / "backups"
    folder.mkdir()
    for step in BACKUP_STEPS:
        target = folder / f"{step}.db"
        if force:
            target.write_text("an older file under that name")
        args = ["--db", db_path, "backup", target, *(["--force"] if force else [])]
        proc = subprocess.run([sys.executable, "-c", _KILL_AT, step, *[str(a) for a in args]],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)
        if step == "linked" and force:
            assert proc.returncode == 0, proc.stderr  # --force renames: no link step
        else:
            assert proc.returncode == 9, (step, proc.stderr)
        # the next open of the database settles what the killed backup left
        r = _run("--db", db_path, "log", "--format", "json")
        assert r.returncode == 0, r.stderr
        in_place = target.exists() and target.read_bytes().startswith(b"SQLite format 3\x00")
        logged = str(target) in _backups_in_log(db_path)
        assert in_place == logged, (step, in_place, logged)
        assert in_place == (step in ("linked", "renamed", "done")), step
        assert _pending_notes(db_path) == 0, step
        if in_place:
            copy = sqlite3.connect(target)
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            copy.close()
        else:
            # the killed backup told nothing false, and trying again works
            r = _run("--db", db_path, "backup", target, *(["--force"] if force else []))
            assert r.returncode == 0, (step, r.stderr)
            assert str(target) in _backups_in_log(db_path)
    # an entry whose file never appeared is followed by 'ops.backup.failed'
    conn = sqlite3.connect(db_path)
    failed = [json.loads(c)["file"] for (c,) in conn.execute(
        "SELECT changes FROM audit_log WHERE action = 'ops.backup.failed' ORDER BY id")]
    conn.close()
    assert failed == [str(folder / "committed.db")]
    # nothing but the backups is left in the folder: the temporaries are gone
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{s}.db" for s in BACKUP_STEPS)


def test_sigkill_while_a_backup_waits_for_the_write_lock(pekalongan_db, db_path, tmp_path):
    """The bug seen under load: killed while waiting for the lock, a backup left a complete
    file with no log entry. Now it leaves neither, and the retry works."""
    pekalongan_db.conn.close()
    target = tmp_path / "copy.db"
    holder = sqlite3.connect(db_path)
    holder.execute("BEGIN IMMEDIATE")  # a long write by another operator
    try:
        proc = _spawn("--db", db_path, "backup", target)
        deadline = time.monotonic() + 60
        # the copy is made and checked, then the backup waits for the lock to log it
        while not list(tmp_path.glob(".copy.db.tmp-*")):
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(1.0)
        assert proc.poll() is None  # still waiting
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        holder.rollback()
        holder.close()
    assert not target.exists()
    assert _backups_in_log(db_path) == set()
    r = _run("--db", db_path, "backup", target)
    assert r.returncode == 0, r.stderr
    assert target.exists() and _backups_in_log(db_path) == {str(target)}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".copy")] == []
