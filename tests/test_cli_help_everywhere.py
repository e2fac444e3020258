"""Help (issue 13, point 2): every command's --help has an Examples section, usage lines
read SESSION NIK / DATE / NIK… (never typer's {nik}), and the help fits 80 columns."""

from __future__ import annotations

import re

import pytest
import typer

from pelatihan_cli.cli import _common, app


def _all_commands():
    root = typer.main.get_command(app)
    ctx = typer.Context(root)
    out = []

    def walk(cmd, path):
        names = cmd.list_commands(ctx) if hasattr(cmd, "list_commands") else None
        if names is None:
            out.append(path)
            return
        for n in names:
            sub = cmd.get_command(ctx, n)
            if sub is not None:
                walk(sub, [*path, n])

    walk(root, [])
    return out


COMMANDS = _all_commands()


def test_every_command_is_found():
    assert len(COMMANDS) > 60 and ["participant", "enroll"] in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p))
def test_help_has_examples_plain_usage_and_fits_80_columns(cli, monkeypatch, path):
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(_common, "_console", None)
    r = cli(*path, "--help")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "Examples" in out, f"{' '.join(path)} --help has no examples"
    usage = next(line for line in out.splitlines() if "Usage:" in line)
    assert not re.search(r"\{\w+\}", usage), usage
    assert max(len(line) for line in out.splitlines()) <= 80
    # a choice list is never broken inside a word
    assert not re.search(r"<[a-z|]+\|\s*$", out, re.M)


@pytest.mark.parametrize("group", sorted({p[0] for p in COMMANDS if len(p) > 1}))
def test_a_groups_list_of_commands_is_never_cut_mid_sentence(group):
    """`pelatihan session --help` lists each command with the first paragraph of its help;
    typer's rich mode kept that paragraph's line breaks, so 'cancel' and 'reopen' broke
    mid-sentence into a second row. The text listed is one line, wrapped by the table."""
    root = typer.main.get_command(app)
    ctx = typer.Context(root)
    grp = root.get_command(ctx, group)
    for name in grp.list_commands(ctx):
        sub = grp.get_command(ctx, name)
        listed = (sub.short_help or sub.help or "").strip().split("\n\n")[0]
        assert listed and "\n" not in listed, (group, name, listed)
