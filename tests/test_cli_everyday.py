"""The operator's everyday (issue 13): typos, interrupts, OS errors in house style."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest


def test_a_top_level_typo_gets_did_you_mean(cli):
    r = cli("sesion", "list")
    assert r.exit_code == 2
    assert "No such command 'sesion'. Did you mean 'session'" in r.stderr
    r = cli("paticipant", "list")
    assert r.exit_code == 2 and "Did you mean 'participant'?" in r.stderr


def test_os_errors_name_the_path_what_is_wrong_and_the_fix(cli, tmp_path):
    from pelatihan_cli.cli import os_message

    e = IsADirectoryError(21, "Is a directory", str(tmp_path))
    assert os_message(e) == f"{tmp_path} is a directory; give a file name."
    e = PermissionError(13, "Permission denied", "/root/x.pdf")
    assert os_message(e) == ("/root/x.pdf cannot be accessed (permission denied); choose a place you may write to, "
                             "or ask for access.")
    e = FileNotFoundError(2, "No such file or directory", "nodir/x.pdf")
    assert os_message(e) == "nodir/x.pdf does not exist; check the path, or create the directory first."


def test_ctrl_c_during_an_import_says_nothing_was_changed(tmp_path):
    root = Path(__file__).resolve().parent.parent
    db = tmp_path / "t.db"
    env = {**os.environ, "PELATIHAN_TODAY": "2024-06-03"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "pelatihan_cli", "--db", str(db), *args], cwd=root, env=env,
                              capture_output=True, text=True)

    assert run("init", "--pekalongan").returncode == 0
    assert run("config", "set", "capacity_max", "100000").returncode == 0
    assert run("session", "plan", "Medono", "--skill", "Tas", "--start", "2024-07-02", "--capacity", "100000").returncode == 0
    lines = ["NIK,Nama,Kelurahan"]
    for i in range(1, 20001):
        lines.append(f"33750141079{i:05d},Peserta {i},Medono")
    (tmp_path / "big.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "pelatihan_cli", "--db", str(db), "participant", "import",
                             str(tmp_path / "big.csv"), "--session", "1"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while True:  # wait until the import holds the write lock, then interrupt it
        conn = sqlite3.connect(db, timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.rollback()
        except sqlite3.OperationalError:
            conn.close()
            break
        conn.close()
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    time.sleep(0.3)
    if proc.poll() is not None:
        pytest.skip("the import finished before it could be interrupted")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "Error: interrupted; nothing was changed."
    assert "Traceback" not in err
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM participant").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'participant.import'").fetchone()[0] == 0
    conn.close()


@pytest.mark.parametrize("start, message", [
    ("0001-01-01", "start 0001-01-01: dates of sessions, holidays and calendars must be in 2000–2100"),
    ("2204-07-02", "start 2204-07-02: dates of sessions, holidays and calendars must be in 2000–2100"),
    ("9999-12-30", "start 9999-12-30: dates of sessions, holidays and calendars must be in 2000–2100"),
    ("2031-07-01", "start 2031-07-01 is more than 5 years after today (2024-06-03); check the year, or add --force"),
])
def test_session_dates_are_bounded(cli, pekalongan_db, monkeypatch, start, message):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-06-03")
    r = cli("session", "plan", "Medono", "--skill", "Tas", "--start", start)
    assert r.exit_code == 1 and message in r.stderr and "internal error" not in r.stderr
    assert pekalongan_db.execute("SELECT count(*) FROM session").fetchone()[0] == 0


def test_far_plans_need_force_and_capacity_is_bounded(cli, pekalongan_db, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-06-03")
    assert cli("session", "plan", "Medono", "--skill", "Tas", "--start", "2031-07-01", "--force").exit_code == 0
    r = cli("session", "plan", "Medono", "--skill", "Buket", "--start", "2024-07-02", "--capacity", "100000000")
    assert r.exit_code == 1
    assert "Capacity 100000000 is more than 1000; check the number, or raise the limit" in r.stderr
    assert cli("config", "set", "capacity_max", "5000").exit_code == 0
    assert cli("session", "plan", "Medono", "--skill", "Buket", "--start", "2024-07-02", "--capacity", "5000").exit_code == 0
    for args in (("holiday", "add", "1900-01-01", "x"), ("calendar", "--from", "2024-01-01", "--to", "9999-12-31")):
        r = cli(*args)
        assert r.exit_code == 1 and "must be in 2000–2100" in r.stderr
