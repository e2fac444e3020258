"""The root `pelatihan` app: global --db option, error handling, command groups.

Every service error (PelatihanError) becomes one `Error: ...` line on stderr and exit 1;
SQLite errors that an operator can meet (read-only file, disk full, locked) get a
readable message too; anything else is reported without a traceback unless
PELATIHAN_DEBUG=1.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from pelatihan_cli import __version__
from pelatihan_cli.errors import PelatihanError, RowErrors


def _sqlite_message(e: sqlite3.Error) -> str:
    text = str(e)
    low = text.lower()
    if "readonly" in low or "read-only" in low:
        return "The database is read-only, so this change cannot be saved. Make the file writable (chmod u+w) or work on a copy."
    if "disk is full" in low or "database or disk is full" in low:
        return "The disk is full; nothing was saved. Free some space and run the command again."
    if "locked" in low or "busy" in low:
        return "The database stayed locked by another pelatihan process for too long; nothing was saved. Run the command again."
    if "not a database" in low or "malformed" in low:
        return f"The database file is damaged or not a database ({text}). Restore it from a backup (pelatihan restore FILE)."
    return f"Database error: {text}."


class PelatihanGroup(TyperGroup):
    """Root group that turns known errors into one line on stderr and exit 1."""

    def parse_args(self, ctx, args):  # type: ignore[override]
        ctx.meta["pelatihan.argv"] = list(args)  # for the audit log (NIKs masked there)
        return super().parse_args(ctx, args)

    def list_commands(self, ctx):  # type: ignore[override]
        names = set(super().list_commands(ctx)) | set(LAZY_GROUPS) | set(LAZY_COMMANDS)
        return [n for n in ORDER if n in names] + sorted(names - set(ORDER))

    def get_command(self, ctx, name):  # type: ignore[override]
        if name not in self.commands and (name in LAZY_GROUPS or name in LAZY_COMMANDS):
            import importlib

            if name in LAZY_GROUPS:
                module = importlib.import_module(LAZY_GROUPS[name])
                module.app._add_completion = False  # completion options belong to the root only
                try:
                    command = typer.main.get_command(module.app)
                except RuntimeError:  # a group without commands yet
                    return None
                command.name = name
                from pelatihan_cli.cli.examples import decorate

                decorate(command, name)
                self.commands[name] = command
            else:
                # a module of top-level commands: build them all on a Typer of their own
                module = importlib.import_module(LAZY_COMMANDS[name])
                holder = typer.Typer(add_completion=False)
                module.register(holder)
                built = typer.main.get_command(holder)
                commands = getattr(built, "commands", None) or {built.name or name: built}
                from pelatihan_cli.cli.examples import decorate

                for cmd_name, command in commands.items():
                    decorate(command, cmd_name)
                    self.commands.setdefault(cmd_name, command)
        return super().get_command(ctx, name)

    def main(self, *args, **kwargs):  # type: ignore[override]
        try:
            return super().main(*args, **kwargs)
        except (SystemExit, KeyboardInterrupt):
            raise
        except Exception as e:  # noqa: BLE001 - e.g. while building help; never a traceback
            try:
                _handle(e)
            except typer.Exit as exit_:
                sys.exit(exit_.exit_code)

    def invoke(self, ctx):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # every write is one transaction: an interrupted one is rolled back
            _fail("interrupted; nothing was changed.", 130)
        except Exception as e:  # noqa: BLE001
            if _is_misplaced_db(e):
                _fail(_misplaced_db_message(ctx), 2)
            _handle(e)

    def resolve_command(self, ctx, args):  # type: ignore[override]
        name = args[0] if args else None
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=2, cutoff=0.6)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            ctx.fail(f"No such command {name!r}.{hint} See `pelatihan --help`.")
        return super().resolve_command(ctx, args)


def _is_misplaced_db(e: Exception) -> bool:
    """`pelatihan participant list --db x.db`: the sub-command does not know --db."""
    return _is_usage_error(e) and type(e).__name__ == "NoSuchOption" and getattr(e, "option_name", "") == "--db"


def _misplaced_db_message(ctx) -> str:
    """The usage error for --db after the command, with the command line corrected."""
    import shlex

    args = list(ctx.meta.get("pelatihan.argv", []))
    value, rest, i = "FILE", [], 0
    while i < len(args):
        arg = args[i]
        if arg == "--db":
            if i + 1 < len(args):
                value = args[i + 1]
            i += 2
            continue
        if arg.startswith("--db="):
            value = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    example = " ".join(shlex.quote(a) for a in ["pelatihan", "--db", value, *rest])
    return f"--db is a global option: put it before the command, e.g. {example}"


def _handle(e: BaseException) -> None:
    """Turn an exception into `Error: ...` and typer.Exit; re-raise what click handles."""
    if isinstance(e, (typer.Exit, typer.Abort, KeyboardInterrupt)) or _is_usage_error(e):
        raise e
    if os.environ.get("PELATIHAN_DEBUG") and not isinstance(e, PelatihanError):
        raise e
    if isinstance(e, BrokenPipeError):
        # `pelatihan ... | head`: the reader went away; stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0)
    if isinstance(e, RowErrors):
        _fail_rows(e)
    if isinstance(e, PelatihanError):
        _fail(str(e), getattr(e, "exit_code", 1))
    if isinstance(e, sqlite3.Error):
        _fail(_sqlite_message(e))
    if isinstance(e, OSError):
        _fail(os_message(e))
    # last line of defence: never a traceback
    _fail(
        f"unexpected internal error ({type(e).__name__}: {e}). Nothing more was saved. "
        "Run again with PELATIHAN_DEBUG=1 to see the details and report them."
    )


#: what an operator can do about the usual OS errors
_OS_FIXES = {
    "ENOENT": ("does not exist", "check the path, or create the directory first"),
    "EISDIR": ("is a directory", "give a file name"),
    "ENOTDIR": ("is not inside a directory", "check the path"),
    "EACCES": ("cannot be accessed (permission denied)", "choose a place you may write to, or ask for access"),
    "EPERM": ("cannot be accessed (operation not permitted)", "choose another place"),
    "EROFS": ("is on a read-only disk", "choose another place"),
    "ENOSPC": ("cannot be written: the disk is full", "free some space and run the command again"),
    "ENAMETOOLONG": ("has too long a name", "choose a shorter name"),
    "EEXIST": ("already exists", "choose another name"),
}


def os_message(e: OSError) -> str:
    """'PATH is a directory; give a file name.' — the path, what is wrong, the fix."""
    import errno

    code = errno.errorcode.get(e.errno or 0, "")
    path = e.filename or "the file"
    what, fix = _OS_FIXES.get(code, (f"cannot be used ({e.strerror or e})", "check the path"))
    return f"{path} {what}; {fix}."


def _is_usage_error(e: Exception) -> bool:
    # typer's vendored click exceptions (UsageError, BadParameter) must reach click
    return type(e).__module__.startswith("typer")


def _short(text: str, limit: int) -> str:
    """Cut a long value (a 100,000-character cell) so that the error stays readable."""
    text = text.replace("\x00", "\\0")
    return text if len(text) <= limit else text[: limit - 1] + f"… ({len(text):,} characters)"


def masked(text: str) -> str:
    """NIKs in messages follow the masking of output (337501******0001), even one the
    operator typed (messages end up in logs, screenshots and chats), unless --show-nik."""
    from pelatihan_cli.services import audit

    return text if "--show-nik" in audit.current_argv() else audit.mask_text(text)


def _fail(message: str, code: int = 1):
    # one line: a value with line breaks must not split the error over several lines
    message = masked(_short(" ".join(message.splitlines()), 1000))
    sys.stderr.write(f"Error: {message}\n")
    sys.stderr.flush()
    raise typer.Exit(code)


def _fail_rows(e: RowErrors):
    """One `Error:` line, then every bad row (row, column, value, reason) on stderr."""
    sys.stderr.write(masked(f"Error: {_short(str(e), 500)}\n"))
    for err in e.errors:
        value = "" if err.get("value") in (None, "") else f" {_short(repr(err['value']), 60)}"
        sys.stderr.write(masked(f"  row {err.get('row')}, {err.get('column') or '-'}{value}: "
                                f"{_short(str(err.get('message')), 300)}\n"))
    sys.stderr.flush()
    raise typer.Exit(getattr(e, "exit_code", 1))


app = typer.Typer(
    name="pelatihan",
    cls=PelatihanGroup,
    help="Run a city's short job-training programme (kelurahan, sessions, participants, rosters) from one SQLite file.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"pelatihan {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Optional[Path],
        typer.Option(
            "--db",
            help="Database file. Default: $PELATIHAN_DB, else pelatihan.db in the user data directory.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Run a city's short job-training programme from one SQLite file."""
    from pelatihan_cli.services import audit

    ctx.obj = {"db_path": db}
    audit.set_command(ctx.meta.get("pelatihan.argv", []))


# Commands are imported and turned into click commands only when used, so that start-up
# does not grow with the number of commands (see bench/startup.py). A group module has
# `app`, a Typer of its own; a module of top-level commands has `register(app)`.
LAZY_GROUPS = {
    "config": "pelatihan_cli.cli.config",
    "programme": "pelatihan_cli.cli.programme",
    "kelurahan": "pelatihan_cli.cli.kelurahan",
    "region": "pelatihan_cli.cli.region",
    "skill": "pelatihan_cli.cli.skill",
    "instructor": "pelatihan_cli.cli.instructor",
    "holiday": "pelatihan_cli.cli.holiday",
    "session": "pelatihan_cli.cli.session",
    "participant": "pelatihan_cli.cli.participant",
    "attendance": "pelatihan_cli.cli.attendance",
    "report": "pelatihan_cli.cli.report",
    "budget": "pelatihan_cli.cli.budget",
    "receipt": "pelatihan_cli.cli.receipt",
    "certificate": "pelatihan_cli.cli.certificate",
    "followup": "pelatihan_cli.cli.followup",
    "template": "pelatihan_cli.cli.template",
}
LAZY_COMMANDS = {
    "init": "pelatihan_cli.cli.core",
    "info": "pelatihan_cli.cli.core",
    "calendar": "pelatihan_cli.cli.calendar",
    "today": "pelatihan_cli.cli.today",
    "roster": "pelatihan_cli.cli.roster",
    "backup": "pelatihan_cli.cli.ops",
    "restore": "pelatihan_cli.cli.ops",
    "export": "pelatihan_cli.cli.ops",
    "log": "pelatihan_cli.cli.ops",
}
ORDER = [
    "init", "info", "today", "config", "programme", "kelurahan", "region", "skill", "instructor", "holiday", "calendar",
    "session", "participant", "template", "attendance", "roster", "report", "budget", "receipt", "certificate", "followup", "backup", "restore", "export", "log",
]


def main() -> None:
    app()
