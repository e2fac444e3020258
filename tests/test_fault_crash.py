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
    big = _write_list(tmp_path / "big.csv", 6000, start=100)

    proc = _spawn("--db", db_path, "participant", "import", big, "--session", sid)
    deadline = time.monotonic() + 60
    while not _holds_write_lock(db_path):  # wait until the import is inside its transaction
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    time.sleep(0.4)  # well into the rows
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
    assert "integrity ok" in r.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["copy.db"]  # the killed backups' temporaries are gone


def test_sigkill_during_restore_leaves_the_old_or_the_new_database(large_db, pekalongan_db, db_path, tmp_path):
    pekalongan_db.conn.close()
    outcomes = set()
    for delay in (0.0, 0.05):
        proc = _spawn("--db", db_path, "restore", large_db)
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
