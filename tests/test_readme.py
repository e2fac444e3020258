"""The README's walkthrough runs as written (issue 13, point 8): every command between the
walkthrough markers, in order, on a fresh database, exits 0."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def walkthrough_commands() -> list[tuple[dict, list[str]]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- walkthrough:start -->", 1)[1].split("<!-- walkthrough:end -->", 1)[0]
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if not words:
                continue
            env = {}
            while "=" in words[0] and not words[0].startswith("-"):
                key, value = words.pop(0).split("=", 1)
                env[key] = value
            assert words[0] == "pelatihan", line
            commands.append((env, words[1:]))
    return commands


def test_the_walkthrough_has_the_whole_programme():
    commands = walkthrough_commands()
    assert len(commands) >= 15
    assert commands[0][1] == ["init", "--pekalongan"]


def test_the_readme_walkthrough_runs_as_written(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").symlink_to(ROOT / "data")
    monkeypatch.setenv("PELATIHAN_DB", str(tmp_path / "walkthrough.db"))
    for env, args in walkthrough_commands():
        with monkeypatch.context() as m:
            m.delenv("PELATIHAN_TODAY", raising=False)
            for key, value in env.items():
                m.setenv(key, value)
            r = cli(*args)
        assert r.exit_code == 0, (args, r.stdout[-500:], r.stderr[-800:])
    assert (tmp_path / "daftar-hadir-2024-07-02.pdf").stat().st_size > 1000
    assert (tmp_path / "sertifikat-2024.xlsx").exists() and (tmp_path / "pelatihan-2024-akhir.db").exists()
