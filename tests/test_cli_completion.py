"""Shell completion (issue 13, point 2): bash's own completion function, run in a
subprocess against the installed `pelatihan`, completes commands and values from the
database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "pelatihan"

pytestmark = pytest.mark.skipif(not BIN.exists() or not shutil.which("bash"),
                                reason="needs the installed pelatihan script and bash")


def _complete(words: str, env: dict) -> list[str]:
    script = subprocess.run([str(BIN), "--show-completion", "bash"], capture_output=True, text=True, env=env,
                            check=True).stdout
    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    bash = f"""
{script}
COMP_WORDS=({words})
{'COMP_WORDS+=("")' if words.endswith(' ') else ''}
COMP_CWORD={cword}
_pelatihan_completion pelatihan
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    r = subprocess.run(["bash", "-c", bash], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    return [line for line in r.stdout.splitlines() if line]


def test_bash_completes_commands_and_values_from_the_database(tmp_path, monkeypatch):
    db = tmp_path / "c.db"
    env = {**os.environ, "PELATIHAN_DB": str(db), "PATH": f"{BIN.parent}{os.pathsep}{os.environ['PATH']}",
           "PELATIHAN_TODAY": "2024-06-03"}
    run = lambda *a: subprocess.run([str(BIN), *a], env=env, capture_output=True, text=True)  # noqa: E731
    assert run("init", "--pekalongan").returncode == 0
    assert run("instructor", "add", "Siti Aminah", "--skill", "Merajut").returncode == 0
    assert run("session", "plan", "Medono", "--skill", "Merajut", "--start", "2024-07-02").returncode == 0
    assert _complete("pelatihan ses", env) == ["session"]
    assert _complete("pelatihan session pl", env) == ["plan"]
    assert _complete("pelatihan session plan Pod", env) == ["Podosugih"]
    assert _complete("pelatihan session plan Medono --skill Mer", env) == ["Merajut"]
    assert _complete("pelatihan session plan Medono -i Si", env) == ["Siti Aminah"]
    assert _complete("pelatihan session list -p ", env)[0] == "2024"
    assert _complete("pelatihan participant enroll ", env) == ["1"]
    # no database: no values, no error
    env2 = {**env, "PELATIHAN_DB": str(tmp_path / "missing.db")}
    assert _complete("pelatihan session plan Pod", env2) == []
