"""Reading the audit log (`pelatihan log`) and scrubbing it on erasure.

Writing entries is `audit.record()` (services/audit.py), called by every write service
inside its own transaction.
"""

from __future__ import annotations

import json
import shlex

from sqlite_utils import Database

from pelatihan_cli.services.audit import mask_text

# options whose values are personal data; their values are removed when a person is erased
# (audit.record already logs most of them as ***; older entries and --number are not)
PERSONAL_OPTIONS = ("--name", "--address", "--phone", "--birth-date", "--number")
HIDDEN = "***"


def entries(db: Database, limit: int = 50, action: str | None = None) -> list[dict]:
    """The newest `limit` entries (newest first), optionally only actions starting with
    `action` (e.g. 'participant')."""
    where, params = "", []
    if action:
        where, params = "WHERE action = ? OR action LIKE ?", [action, action.rstrip(".") + ".%"]
    rows = db.execute(
        f"SELECT id, at, os_user, command, action, changes FROM audit_log {where} ORDER BY id DESC LIMIT ?",
        [*params, limit],
    ).fetchall()
    from pelatihan_cli.clock import local_iso

    # stored in UTC, shown in the office's time zone (with its offset: 2024-07-02T10:15:00+07:00)
    return [
        {"id": r[0], "at": local_iso(r[1]), "user": r[2], "command": r[3], "action": r[4],
         "changes": json.loads(r[5] or "{}")}
        for r in rows
    ]


def changes_text(changes: dict) -> str:
    """{'added': 3, 'unchanged': 0} -> 'added=3 unchanged=0' for tables and CSV."""
    return " ".join(f"{k}={v}" for k, v in changes.items())


def scrub_command(command: str, mark: str) -> str:
    """Replace the values of the personal options in a logged command line by `mark`."""
    try:
        words = shlex.split(command)
    except ValueError:
        return command
    out: list[str] = []
    skip_next = False
    for w in words:
        if skip_next:
            out.append(w if w == HIDDEN else mark)
            skip_next = False
        elif w in PERSONAL_OPTIONS:
            out.append(w)
            skip_next = True
        elif "=" in w and w.split("=", 1)[0] in PERSONAL_OPTIONS:
            opt, value = w.split("=", 1)
            out.append(w if value == HIDDEN else f"{opt}={mark}")
        else:
            out.append(w)
    return " ".join(shlex.quote(w) for w in out)


def scrub_person(db: Database, nik: str, mark: str) -> int:
    """Scrub the entries whose command names this NIK (masked, as it is logged).
    Call inside the erasure's transaction. Returns how many entries changed."""
    masked = mask_text(nik)
    changed = 0
    rows = db.execute("SELECT id, command FROM audit_log WHERE instr(command, ?) > 0", [masked]).fetchall()
    for entry_id, command in rows:
        new = scrub_command(command, mark)
        if new != command:
            db.execute("UPDATE audit_log SET command = ? WHERE id = ?", [new, entry_id])
            changed += 1
    return changed
