"""Every command has help text, `--help` exits 0, and `--version` works."""

from __future__ import annotations

import typer

from pelatihan_cli import __version__
from pelatihan_cli.cli import LAZY_GROUPS, app


def _all_commands():
    """(path, click command) for every command, walking the lazy groups too."""
    root = typer.main.get_command(app)
    ctx = typer.Context(root)
    out = []

    def walk(group, path):
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            if cmd is None:
                continue
            out.append(((*path, name), cmd))
            if hasattr(cmd, "list_commands"):
                walk(cmd, (*path, name))

    walk(root, ())
    return out


def test_every_command_has_help_and_help_exits_0(cli):
    commands = _all_commands()
    assert {"init", "info", "kelurahan", "config"} <= {p[0] for p, _ in commands}
    for path, cmd in commands:
        assert (cmd.help or cmd.short_help), f"{' '.join(path)} has no help text"
        r = cli(*path, "--help")
        assert r.exit_code == 0, (path, r.stderr)
        assert "Usage:" in r.stdout


def test_root_help_lists_groups(cli):
    r = cli("--help")
    assert r.exit_code == 0
    for name in ("init", "kelurahan", "config"):
        assert name in r.stdout
    assert set(LAZY_GROUPS) >= {"kelurahan", "session", "participant", "report"}


def test_version(cli):
    r = cli("--version")
    assert r.exit_code == 0
    assert r.stdout == f"pelatihan {__version__}\n"


def test_unknown_command_is_a_usage_error(cli):
    r = cli("frobnicate")
    assert r.exit_code == 2
    assert "No such command" in r.stderr
