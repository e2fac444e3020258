"""`pelatihan report schedule`: the programme day by day."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import FormatOption, OutputFormat, emit, get_db
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
    start: Annotated[Optional[str], typer.Option("--from", help="First day, e.g. 2024-07-01.")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Last day, e.g. 2024-08-31.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """The programme day by day: date (in Indonesian in the table), kelurahan, skills, instructors."""
    import datetime as dt

    from pelatihan_cli.services import schedule

    rows = schedule.schedule(get_db(ctx), start, end)
    if fmt is OutputFormat.table:
        from pelatihan_cli.domain.dates import format_long_id

        for r in rows:
            r["tanggal"] = format_long_id(dt.date.fromisoformat(r["date"]))
    emit(rows, fmt, columns=schedule.SCHEDULE_KEYS,
         table_columns=["tanggal", "day_no", "kelurahan", "skills", "instructors"],
         headers={"tanggal": "Tanggal", "day_no": "Day"}, title="Schedule",
         empty_message="No planned sessions in this period.")
