"""`pelatihan attendance`: record who came on each training day, and who completed."""

from __future__ import annotations

from typing import Annotated, List, Optional

import typer

from pelatihan_cli.cli._common import (
    FormatOption, InputFormatOption, OutputFormat, SheetOption, ShowNikOption, done, emit, get_db,
)

app = typer.Typer(help="Record attendance per training day; show who completed a session.", no_args_is_help=True)

SessionArg = Annotated[int, typer.Argument(help="Session id (see `pelatihan session list`).", show_default=False)]


@app.command(name="mark")
def attendance_mark(
    ctx: typer.Context,
    session_id: SessionArg,
    day: Annotated[int, typer.Option("--day", help="Training day number, 1 to the session's days.",
                                     show_default=False)],
    niks: Annotated[Optional[List[str]], typer.Argument(help="NIKs of the people to mark.", show_default=False)] = None,
    all_: Annotated[bool, typer.Option("--all", help="Mark everyone enrolled in the session.")] = False,
    except_: Annotated[Optional[List[str]], typer.Option(
        "--except", help="With --all: these NIKs get the opposite mark (repeat the option).")] = None,
    absent: Annotated[bool, typer.Option("--absent", help="Mark absent instead of present.")] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Mark people present (or --absent) on one training day; marking again is harmless."""
    from pelatihan_cli.services import attendance

    c = attendance.mark(get_db(ctx), session_id, day, niks or [], all_enrolled=all_, except_niks=except_ or [],
                        absent=absent)
    done({"session_id": session_id, "day": day, **c}, f"Session {session_id}, day {day}: {c['present']} present, "
         f"{c['absent']} absent marked ({c['changed']} changed).", fmt)


@app.command(name="import")
def attendance_import(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="CSV/TSV/JSON/JSONL/xlsx file, or - for stdin.", show_default=False)],
    sheet: SheetOption = None,
    input_format: InputFormatOption = None,
    programme: Annotated[Optional[str], typer.Option(
        "--programme", "-p", help="Programme whose sessions a kelurahan + skill row names (default: the current one).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and print the counts; write nothing.")] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Import attendance (columns nik, day, hadir, and session or kelurahan + skill), all or nothing.

    Examples:

      pelatihan attendance import hadir-medono.xlsx --programme 2025
    """
    from pelatihan_cli.services import attendance

    c = attendance.import_file(get_db(ctx), file, input_format=input_format.value if input_format else None,
                               sheet=sheet, programme=programme, dry_run=dry_run)
    head, verb = ("Dry run, nothing written. ", "would be ") if dry_run else ("", "")
    done(c, f"{head}Read {c['rows']} row(s): {c['marked']} mark(s) in {c['sessions']} session(s), "
            f"{c['changed']} {verb}changed.", fmt)


@app.command(name="show")
def attendance_show(
    ctx: typer.Context,
    session_id: SessionArg,
    fmt: FormatOption = OutputFormat.table,
    show_nik: ShowNikOption = False,
) -> None:
    """Show each enrolled person's attendance per day and whether they completed the session."""
    from pelatihan_cli.services import attendance

    data = attendance.show(get_db(ctx), session_id, show_nik=show_nik)
    days = range(1, data["days"] + 1)
    table_rows = [
        {**r, "name": r["name"] or "(erased)", **{f"day_{d}": "✓" if d in r["present_days"] else ("✗" if d in r["absent_days"] else "")
                 for d in days}, "completed": "yes" if r["completed"] else ""}
        for r in data["rows"]
    ]
    headers = {f"day_{d}": f"Day {d}\n{data['dates'].get(d, '')}" for d in days}
    done = sum(r["completed"] for r in data["rows"])
    emit(data["rows"] if fmt is not OutputFormat.table else table_rows, fmt,
         columns=["nik", "name", "present_days", "completed"],
         table_columns=["nik", "name", *headers, "completed"], headers={**headers, "nik": "NIK"},
         title=f"Session {session_id}: {done} of {len(data['rows'])} completed",
         empty_message=f"Nobody is enrolled in session {session_id}.")
