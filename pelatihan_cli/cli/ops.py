"""Operations: `pelatihan backup`, `restore`, `export` and `log` (top-level commands)."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import (
    FormatOption, OutputFormat, ShowNikOption, YesOption, done, emit, get_db, info, warn,
)

LOG_COLUMNS = ["id", "at", "user", "action", "changes", "command"]


class ExportFormat(str, enum.Enum):
    json = "json"
    xlsx = "xlsx"


ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite the file if it already exists.")]


def ops_backup(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help="Backup file to write (or an existing directory: a timestamped file is made in it)."),
    ],
    force: ForceOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Copy the database to FILE while others may keep working; the copy is checked before it is kept."""
    from pelatihan_cli.services import backup

    result = backup.backup(get_db(ctx), file, force=force)
    if not result.logged:
        warn("the database is read-only, so this backup is not in its audit log.")
    c = result.counts
    obj = {"file": str(result.path), "bytes": result.bytes, "schema_version": result.schema_version,
           "integrity": "ok", "logged": result.logged, "counts": c}
    done(obj,
         f"Backed up to {result.path} ({result.bytes:,} bytes, schema {result.schema_version}, integrity ok): "
         f"{c.get('participant', 0)} participants, {c.get('session', 0)} sessions, "
         f"{c.get('enrollment', 0)} enrollments.", fmt)


def ops_restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Backup file made by `pelatihan backup` (or any copy of a pelatihan database).")],
    yes: YesOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Replace the database with a backup, after checking it; the current database is kept beside it.
    Asks first (--yes for scripts)."""
    from pelatihan_cli.cli._guards import confirm_or_fail
    from pelatihan_cli.services import backup

    confirm_or_fail(yes, f"Replace the database with the backup {file} (the current one is kept beside it)?",
                    what=f"restoring replaces the database with {file}")
    root = ctx.find_root().obj or {}
    result = backup.restore(root.get("db_path"), file)  # None: the default location
    if result.entries_lost:
        warn("the audit entries written to the damaged database since the backup could not all be read; "
             "the restore entry in the log says they may be lost.")
    c = result.counts
    lines = []
    if result.previous_kept_as:
        lines.append(f"The previous database is kept as {result.previous_kept_as}.")
    if result.entries_kept:
        lines.append(f"The audit log keeps the {result.entries_kept} entries written since the backup.")
    lines.append(f"Restored from {result.restored_from} (schema {result.schema_version}): "
                 f"{c.get('participant', 0)} participants, {c.get('session', 0)} sessions, "
                 f"{c.get('enrollment', 0)} enrollments.")
    obj = {"restored_from": str(result.restored_from), "previous_kept_as": result.previous_kept_as,
           "schema_version": result.schema_version, "entries_kept": result.entries_kept,
           "entries_lost": result.entries_lost, "counts": c}
    done(obj, "\n".join(lines), fmt)


def ops_export(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="json (one document) or xlsx (a sheet per table).")
    ] = ExportFormat.json,
    show_nik: ShowNikOption = False,
    force: ForceOption = False,
    programme: Annotated[Optional[str], typer.Option(
        "--programme", "-p", help="Only this programme's sessions, enrollments, attendance and people "
                                  "(default: the whole database).")] = None,
) -> None:
    """Export the database (programmes, kelurahan, instructors, sessions, participants, enrollments,
    attendance), or one programme of it.

    Examples:

      pelatihan export --format xlsx --output programme.xlsx

      pelatihan export --programme 2024 --output pkw-2024.json
    """
    from pelatihan_cli.services import export

    db = get_db(ctx)
    chosen = None
    if programme:
        from pelatihan_cli.services.programmes import resolve

        chosen = resolve(db, programme)
    counts = export.export(db, output, fmt.value, show_nik=show_nik, force=force,
                           programme_id=chosen.id if chosen else None)
    info(
        f"Exported to {output}: " + ", ".join(f"{n} {t}" for t, n in counts.items())
        + ("" if show_nik else " (NIK, birth date and phone masked).")
    )


def ops_log(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many entries, newest first.")] = 20,
    action: Annotated[
        Optional[str], typer.Option("--action", help="Only these actions, e.g. 'participant' or 'participant.erase'.")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show the audit log: when, which OS user, what command (NIKs masked) and what changed."""
    from pelatihan_cli.services import auditlog

    rows = auditlog.entries(get_db(ctx), limit, action)
    if fmt is not OutputFormat.json:
        rows = [{**r, "changes": auditlog.changes_text(r["changes"])} for r in rows]
    if fmt is OutputFormat.table and rows:
        _log_table(rows)
        return
    empty = f"No audit entries for action {action!r} (e.g. 'participant', 'session.plan')." if action \
        else "The audit log is empty."
    emit(rows, fmt, columns=LOG_COLUMNS, title="Audit log (newest first)", empty_message=empty)


def _log_table(rows: list[dict]) -> None:
    """The log as a table that hides nothing on a narrow terminal: date over time, and
    long words (actions, paths, masked NIKs) folded onto the next line, not cut."""
    from rich.markup import escape
    from rich.table import Table

    from pelatihan_cli import clock
    from pelatihan_cli.cli._common import console

    table = Table(title="Audit log (newest first)")
    table.add_column("Id", justify="right", no_wrap=True)
    table.add_column(f"At ({clock.label()})", no_wrap=True)
    table.add_column("User", overflow="fold")
    table.add_column("Action", overflow="fold", min_width=11)
    table.add_column("Changes", overflow="fold", ratio=2)
    table.add_column("Command", overflow="fold", ratio=3)
    for r in rows:
        table.add_row(str(r["id"]), r["at"][:19].replace("T", "\n", 1), escape(r["user"]), escape(r["action"]),
                      escape(r["changes"]), escape(r["command"]))
    console().print(table)


def register(app: typer.Typer) -> None:
    """Add this module's top-level commands to the root app."""
    app.command(name="backup")(ops_backup)
    app.command(name="restore")(ops_restore)
    app.command(name="export")(ops_export)
    app.command(name="log")(ops_log)
