"""The installed `pelatihan` console script and `python -m pelatihan_cli`, as real processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pelatihan_cli import __version__


def _script() -> str:
    here = Path(sys.executable).parent / "pelatihan"
    found = str(here) if here.exists() else shutil.which("pelatihan")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("the pelatihan console script must be installed in CI (make test)")
        pytest.skip("the pelatihan console script is not installed in this environment (make test installs it)")
    return found


def run(*args, env_db=None):
    env = dict(os.environ)
    if env_db:
        env["PELATIHAN_DB"] = str(env_db)
    return subprocess.run([*args], capture_output=True, text=True, env=env, timeout=60)


def test_console_script_init_and_list(tmp_path):
    exe = _script()
    db = tmp_path / "p.db"
    r = run(exe, "--db", str(db), "init", "--pekalongan")
    assert r.returncode == 0, r.stderr
    r = run(exe, "--db", str(db), "kelurahan", "list", "--format", "json")
    assert r.returncode == 0
    assert len(json.loads(r.stdout)) == 27


def test_console_script_version_and_env_db(tmp_path):
    exe = _script()
    r = run(exe, "--version")
    assert r.stdout.strip() == f"pelatihan {__version__}"
    assert run(exe, "init", env_db=tmp_path / "env.db").returncode == 0
    r = run(exe, "info", "--format", "json", env_db=tmp_path / "env.db")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["path"] == str(tmp_path / "env.db")


def test_python_dash_m_errors_without_traceback(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_text("hello")
    r = run(sys.executable, "-m", "pelatihan_cli", "--db", str(bad), "kelurahan", "list")
    assert r.returncode == 1
    assert r.stderr.startswith("Error: ") and "Traceback" not in r.stderr
    assert bad.read_text() == "hello"


def test_console_script_on_a_missing_database_creates_nothing(tmp_path):
    exe = _script()
    typo = tmp_path / "pelatihn.db"
    r = run(exe, "--db", str(typo), "participant", "list")
    assert r.returncode == 1
    assert r.stderr == f"Error: no database at {typo}; create it with pelatihan --db {typo} init\n"
    assert list(tmp_path.iterdir()) == []
    r = run(exe, "participant", "list", "--db", str(typo))
    assert r.returncode == 2
    assert "put it before the command" in r.stderr and "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []
