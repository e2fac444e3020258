"""Capacity holds under concurrent writers: real processes enroll into one session at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pelatihan_cli.db import open_db
from tests.factories import make_session

ROOT = Path(__file__).resolve().parent.parent
PROCESSES, PEOPLE, CAPACITY = 8, 5, 20


def _enroll_lane(db_path, sid, lane: int, results: list) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PELATIHAN_DB", None)
    for i in range(PEOPLE):
        serial = lane * PEOPLE + i + 1
        proc = subprocess.run(
            [sys.executable, "-m", "pelatihan_cli", "--db", str(db_path), "participant", "enroll", str(sid),
             f"3375010207900{serial:03d}", "--name", f"Peserta {serial}", "--format", "json"],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
        )
        results.append(proc)


@pytest.mark.fault
def test_eight_processes_five_people_each_into_twenty_seats(tmp_path):
    db_path = tmp_path / "concurrent.db"
    db = open_db(db_path, create=True)
    sid = make_session(db, capacity=CAPACITY, days=("2030-07-01",))
    db.conn.close()

    results: list[subprocess.CompletedProcess] = []
    lanes = [threading.Thread(target=_enroll_lane, args=(db_path, sid, n, results)) for n in range(PROCESSES)]
    for t in lanes:
        t.start()
    for t in lanes:
        t.join()

    assert len(results) == PROCESSES * PEOPLE
    for proc in results:
        assert proc.returncode == 0, proc.stderr
        assert "locked" not in proc.stderr.lower()
    outputs = [json.loads(p.stdout) for p in results]
    seats = sorted(o["position"] for o in outputs if o["status"] == "enrolled")
    waits = sorted(o["position"] for o in outputs if o["status"] == "waitlisted")
    assert seats == list(range(1, CAPACITY + 1))
    assert waits == list(range(1, PROCESSES * PEOPLE - CAPACITY + 1))

    db = open_db(db_path)
    try:
        counts = dict(db.execute("SELECT status, count(*) FROM enrollment GROUP BY status").fetchall())
        assert counts == {"enrolled": CAPACITY, "waitlisted": PROCESSES * PEOPLE - CAPACITY}
        assert db.execute("SELECT count(*) FROM participant").fetchone()[0] == PROCESSES * PEOPLE
        assert db.execute("SELECT count(DISTINCT seq) FROM enrollment").fetchone()[0] == PROCESSES * PEOPLE
        # first come, first served: every enrolled row came before every waitlisted one
        last_seat = db.execute("SELECT max(seq) FROM enrollment WHERE status = 'enrolled'").fetchone()[0]
        first_wait = db.execute("SELECT min(seq) FROM enrollment WHERE status = 'waitlisted'").fetchone()[0]
        assert last_seat < first_wait
    finally:
        db.conn.close()
