"""The audit log: every command that writes records when, who (OS user), the command
line with NIKs masked, and what it changed (counts)."""

from __future__ import annotations

import getpass
import json
import re
from typing import Sequence

from sqlite_utils import Database

_command: list[str] = []
_show_nik_pending = False
# 16 digits, possibly written with spaces, dots or hyphens between them
_NIK_RE = re.compile(r"(?<![\d])(?:\d[ .\-]?){15}\d(?![\d])")
# options whose values are personal data: logged as *** (the NIK is masked wherever it is)
SENSITIVE_OPTIONS = ("--phone", "--birth-date", "--address", "--name")


def set_command(argv: Sequence[str]) -> None:
    """Remember the command line of this invocation (set by the root CLI callback)."""
    global _command, _show_nik_pending, _generic_show_nik_id
    _command = list(argv)
    _generic_show_nik_id = None
    _show_nik_pending = "--show-nik" in _command


def mask_text(text: str) -> str:
    """Mask anything that looks like a NIK (16 digits, separators allowed) as 337501******0001."""

    def repl(m: re.Match) -> str:
        digits = re.sub(r"\D", "", m.group(0))
        return f"{digits[:6]}******{digits[-4:]}"

    return _NIK_RE.sub(repl, text)


def mask_argv(argv: Sequence[str]) -> list[str]:
    """The command line with NIKs masked and the values of personal-data options hidden."""
    out: list[str] = []
    hide_next = False
    for arg in argv:
        if hide_next:
            out.append("***")
            hide_next = False
            continue
        opt, eq, _ = arg.partition("=")
        if opt in SENSITIVE_OPTIONS:
            if eq:
                out.append(f"{opt}=***")
            else:
                out.append(arg)
                hide_next = True
            continue
        out.append(mask_text(arg))
    return out


def current_command() -> str:
    import shlex

    return " ".join(shlex.quote(a) for a in ["pelatihan", *mask_argv(_command)])


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "unknown"


_generic_show_nik_id: int | None = None


def record(db: Database, action: str, changes: dict | None = None) -> None:
    """Add an audit row. Call it inside the same transaction as the change it describes.

    A service's own `*.show_nik` entry replaces the generic 'privacy.show_nik' entry that
    open_db wrote for the same command, so each use of --show-nik is logged once."""
    global _generic_show_nik_id
    payload = json.dumps(changes or {}, ensure_ascii=False, sort_keys=True)
    if action.endswith("show_nik") and _generic_show_nik_id is not None:
        cur = db.execute("UPDATE audit_log SET action = ?, changes = ? WHERE id = ?",
                         [action, payload, _generic_show_nik_id])
        _generic_show_nik_id = None
        if cur.rowcount:
            return
    db.execute(
        "INSERT INTO audit_log (os_user, command, action, changes) VALUES (?, ?, ?, ?)",
        [os_user(), current_command(), action, payload],
    )


def on_open(db: Database) -> None:
    """Called by open_db: a command run with --show-nik is logged (once) as
    'privacy.show_nik', whether or not it writes anything else."""
    global _show_nik_pending
    if not _show_nik_pending or getattr(db, "read_only", False):
        return
    _show_nik_pending = False
    from pelatihan_cli.db import write_transaction

    global _generic_show_nik_id
    with write_transaction(db):
        record(db, "privacy.show_nik", {"show_nik": 1})
        _generic_show_nik_id = db.execute("SELECT last_insert_rowid()").fetchone()[0]
