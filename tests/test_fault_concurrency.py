"""Fault suite: several processes enroll, import and mark attendance on one database at
once. Nothing is lost, capacity is never exceeded, 'database is locked' never surfaces."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests import factories

pytestmark = pytest.mark.fault

ROOT = Path(__file__).resolve().parent.parent

# A worker runs its commands one after another, each in a fresh CLI process, and
# reports [returncode, stderr] per command as JSON on stdout.
WORKER = r"""
import json, subprocess, sys
results = []
for args in json.loads(sys.argv[1]):
    p = subprocess.run([sys.executable, "-m", "pelatihan_cli", *args], capture_output=True, text=True)
    results.append([p.returncode, p.stderr])
print(json.dumps(results))
"""


def _nik(i: int, women: bool = False) -> str:
    day = 1 + (i % 28) + (40 if women else 0)
    return f"337501{day:02d}0195{i + 1:04d}"  # born in January 1995, serial i + 1


def _csv(path: Path, niks: list[str]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["nik", "nama", "alamat"])
        for n in niks:
            w.writerow([n, f"Peserta {n[-4:]}", "Jl. Merdeka"])
    return path


def test_concurrent_enroll_import_and_attendance(pekalongan_db, db_path, tmp_path):
    db = pekalongan_db
    contested = factories.make_session(db, skill="Merajut", capacity=12)     # enroll + import race for it
    imported = factories.make_session(db, skill="Tas", capacity=50)           # import only
    marked = factories.make_session(db, skill="Buket", capacity=20)           # attendance
    # people already in the attendance session
    marked_niks = [_nik(900 + i) for i in range(8)]
    for n in marked_niks:
        pid = db.execute("INSERT INTO participant (nik, name, sex, birth_date, kelurahan_id) VALUES (?, ?, 'L', '1995-01-01', ?)",
                         [n, f"Hadir {n[-4:]}", factories.kelurahan_id(db)]).lastrowid
        db.execute("INSERT INTO enrollment (participant_id, session_id, year, status, seq) VALUES (?, ?, 2024, 'enrolled', ?)",
                   [pid, marked, pid])
    db.conn.commit()
    db.conn.close()

    n_enrollers, per_enroller = 3, 8
    enroll_niks = [[_nik(100 * w + i, women=bool(i % 2)) for i in range(per_enroller)] for w in range(n_enrollers)]
    import_a = _csv(tmp_path / "a.csv", [_nik(500 + i) for i in range(6)])         # into the contested session
    import_b = _csv(tmp_path / "b.csv", [_nik(600 + i) for i in range(40)])        # into the other one

    db_arg = ["--db", str(db_path)]
    jobs = [
        [db_arg + ["participant", "enroll", str(contested), n, "--name", f"Orang {n[-4:]}"] for n in niks]
        for niks in enroll_niks
    ]
    jobs.append([db_arg + ["participant", "import", str(import_a), "--session", str(contested)],
                 db_arg + ["participant", "import", str(import_b), "--session", str(imported)]])
    jobs.append([db_arg + ["attendance", "mark", str(marked), "--day", str(day), n]
                 for day in (1, 2) for n in marked_niks[:4]]
                + [db_arg + ["attendance", "mark", str(marked), "--day", "2", "--all"]])

    env = {**os.environ, "PELATIHAN_DB": str(db_path)}
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, json.dumps(job)], stdout=subprocess.PIPE,
                              text=True, cwd=ROOT, env=env) for job in jobs]
    outputs = [json.loads(p.communicate(timeout=300)[0]) for p in procs]

    for job, results in zip(jobs, outputs):
        for args, (code, err) in zip(job, results):
            assert "locked" not in err.lower() and "Traceback" not in err, (args, err)
            assert code == 0, (args, err)

    conn = sqlite3.connect(db_path)
    q = lambda sql, *a: conn.execute(sql, a).fetchall()  # noqa: E731
    assert q("PRAGMA integrity_check") == [("ok",)]
    assert q("PRAGMA foreign_key_check") == []
    # every attempt on the contested session is there: enrolled up to capacity, the rest waitlisted
    want = n_enrollers * per_enroller + 6
    status = dict(q("SELECT status, count(*) FROM enrollment WHERE session_id = ? GROUP BY status", contested))
    assert status == {"enrolled": 12, "waitlisted": want - 12}
    # first come, first served: seq numbers are distinct
    assert q("SELECT count(DISTINCT seq) = count(*) FROM enrollment WHERE session_id = ?", contested) == [(1,)]
    # the second import is complete
    assert q("SELECT count(*) FROM enrollment WHERE session_id = ? AND status = 'enrolled'", imported) == [(40,)]
    # attendance: day 1 for four people, day 2 for all eight
    assert q("SELECT day_no, count(*) FROM attendance a JOIN enrollment e ON e.id = a.enrollment_id "
             "WHERE e.session_id = ? AND a.present = 1 GROUP BY day_no", marked) == [(1, 4), (2, 8)]
    # one audit entry per successful write command
    actions = dict(q("SELECT action, count(*) FROM audit_log WHERE action != 'kelurahan.import' GROUP BY action"))
    assert actions["participant.enroll"] == n_enrollers * per_enroller
    assert actions["participant.import"] == 2
    assert actions["attendance.mark"] >= 1
    assert q("SELECT count(*) FROM participant") == [(8 + want + 40,)]
    conn.close()


_PAIR_WRITER = r"""
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
conn.execute("PRAGMA journal_mode = WAL")
print("ready", flush=True)
i = 0
while True:
    i += 1
    conn.execute("BEGIN IMMEDIATE")   # two rows per transaction: a consistent copy has an even count
    conn.execute("INSERT INTO holiday (date, name) VALUES (date('2000-01-01', '+' || ? || ' days'), 'a')", [2 * i])
    conn.execute("INSERT INTO holiday (date, name) VALUES (date('2000-01-01', '+' || ? || ' days'), 'b')", [2 * i + 1])
    conn.execute("COMMIT")
    time.sleep(0.002)  # a busy writer, but not one that never lets go of the lock
"""


def test_backup_is_consistent_while_another_process_writes(db, db_path, tmp_path):
    db.conn.close()
    writer = subprocess.Popen([sys.executable, "-c", _PAIR_WRITER, str(db_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        counts = []
        for n in range(4):
            target = tmp_path / f"copy{n}.db"
            r = subprocess.run([sys.executable, "-m", "pelatihan_cli", "--db", str(db_path), "backup", str(target)],
                               capture_output=True, text=True, cwd=ROOT)
            assert r.returncode == 0, r.stderr
            assert "locked" not in r.stderr
            copy = sqlite3.connect(target)
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            pairs = copy.execute("SELECT count(*) FROM holiday").fetchone()[0]
            assert pairs % 2 == 0, pairs
            counts.append(pairs)
            copy.close()
        assert counts[-1] > counts[0] > 0  # the writer really was writing throughout
    finally:
        writer.kill()
        writer.wait()
