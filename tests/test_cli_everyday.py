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
