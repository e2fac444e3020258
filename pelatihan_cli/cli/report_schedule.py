"""`pelatihan report schedule`: the programme day by day."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import FormatOption, OutputFormat, ProgrammeOption, emit, get_db, programme_for, day_words
from pelatihan_cli.cli.report import app


@app.callback()
def _report_group() -> None:
    # A Typer app with a single command and no callback runs that command directly
    # (`pelatihan report --from ...`); the callback keeps `report schedule` a sub-command
    # whichever report commands exist.
    pass


@app.command(name="schedule")
def report_schedule(
    ctx: typer.Context,
    start: Annotated[Optional[str], typer.Option("--from", callback=day_words, help="First day, e.g. 2024-07-01.")] = None,
    end: Annotated[Optional[str], typer.Option("--to", callback=day_words, help="Last day, e.g. 2024-08-31.")] = None,
    programme: ProgrammeOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The programme day by day: date (in Indonesian in the table), kelurahan, skills, instructors.

    Without --from/--to: the whole programme (--programme, default the current one); with
    them: every programme's sessions in those days unless --programme is given.

    Examples:

      pelatihan report schedule --programme 2024

      pelatihan report schedule --from 2024-07-01 --to 2024-07-31
    """
    import datetime as dt

    from pelatihan_cli.services import schedule

    db = get_db(ctx)
    chosen = programme_for(db, programme, fmt) if programme or (start is None and end is None) else None
    rows = schedule.schedule(db, start, end, programme_id=chosen.id if chosen else None)
    if fmt is OutputFormat.table:
        from pelatihan_cli.domain.dates import format_long_id

        for r in rows:
            r["tanggal"] = format_long_id(dt.date.fromisoformat(r["date"]))
    emit(rows, fmt, columns=schedule.SCHEDULE_KEYS,
         table_columns=["tanggal", "day_no", "kelurahan", "skills", "instructors"],
         headers={"tanggal": "Tanggal", "day_no": "Day"}, title=f"Schedule · {chosen.name}" if chosen else "Schedule",
         empty_message="No planned sessions in this period.")
