"""The audit log: every command that writes records when, who (OS user), the command
line with NIKs masked, and what it changed (counts)."""

from __future__ import annotations

import getpass
import json
import re
from typing import Sequence

from sqlite_utils import Database

_command: list[str] = []
# 16 digits, possibly written with spaces, dots or hyphens between them
_NIK_RE = re.compile(r"(?<![\d])(?:\d[ .\-]?){15}\d(?![\d])")
# options whose values are personal data: logged as *** (the NIK is masked wherever it is)
SENSITIVE_OPTIONS = ("--phone", "--birth-date", "--address", "--name")


def set_command(argv: Sequence[str]) -> None:
    """Remember the command line of this invocation (set by the root CLI callback)."""
    global _command
    _command = list(argv)


def current_argv() -> list[str]:
    """The command line of this invocation, as typed (empty outside the CLI)."""
    return list(_command)


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


def record(db: Database, action: str, changes: dict | None = None, *, min_id: int | None = None) -> int:
    """Add an audit row and return its id. Call it inside the same transaction as the
    change it describes. The log is append-only: rows are never deleted, so ids only grow;
    `min_id` lets restore skip past ids that a replaced database used (never reused)."""
    entry_id = None
    if min_id is not None:
        last = db.execute("SELECT max(id) FROM audit_log").fetchone()[0] or 0
        entry_id = max(min_id, last + 1)
    cur = db.execute(*entry(action, changes, entry_id=entry_id))
    return cur.lastrowid


def entry(action: str, changes: dict | None = None, *, entry_id: int | None = None) -> tuple[str, list]:
    """The INSERT of an audit row, as (SQL, parameters): for `record`, and for a
    connection of another process (the import's writer) that holds the transaction."""
    return ("INSERT INTO audit_log (id, os_user, command, action, changes) VALUES (?, ?, ?, ?, ?)",
            [entry_id, os_user(), current_command(), action,
             json.dumps(changes or {}, ensure_ascii=False, sort_keys=True)])


def record_reveal(db: Database, action: str, counts: dict) -> None:
    """Log that a command showed personal data in full (--show-nik), in its own
    transaction. A read-only database cannot hold the entry, so the reveal is refused
    rather than left unlogged. (Commands that write log their command line, --show-nik
    included, with the change itself.)"""
    from pelatihan_cli.db import write_transaction
    from pelatihan_cli.errors import DatabaseError

    if getattr(db, "read_only", False):
        raise DatabaseError(
            "The database is read-only, so a use of --show-nik cannot be logged; "
            "run the command without --show-nik, or on a writable copy.")
    with write_transaction(db):
        record(db, action, counts)
