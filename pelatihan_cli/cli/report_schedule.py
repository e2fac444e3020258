"""`pelatihan report schedule`: the programme day by day."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import OutputFormat, ProgrammeOption, emit, get_db, programme_for, day_words
from pelatihan_cli.cli._documents import ForceOption
from pelatihan_cli.cli._printouts import (
    PRINTED, OutputOption, PrintFormatOption, document_settings, plan_output, today, write_printout, write_rows,
)
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
    fmt: PrintFormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """The programme day by day: date (in Indonesian in the table), kelurahan, skills, instructors.

    Without --from/--to: the whole programme (--programme, default the current one); with
    them: every programme's sessions in those days unless --programme is given. --format
    pdf or xlsx prints the Jadwal Pelatihan: one line per session and day, with its venue,
    instructors and seats, under the programme's letterhead.

    Examples:

      pelatihan report schedule --programme 2024

      pelatihan report schedule --from 2024-07-01 --to 2024-07-31

      pelatihan report schedule -p 2024 -f pdf -o jadwal-2024.pdf
    """
    import datetime as dt

    from pelatihan_cli.services import schedule

    fmt, output = plan_output(fmt, output, "schedule-" + (programme or "-".join(x for x in (start, end) if x)
                                                          or "programme"), force)
    db = get_db(ctx)
    chosen = programme_for(db, programme, fmt.value) if programme or (start is None and end is None) else None
    if fmt in PRINTED:
        _print_schedule(db, fmt, output, start, end, chosen)
        return
    fmt = OutputFormat(fmt.value) if output is None else fmt
    rows = schedule.schedule(db, start, end, programme_id=chosen.id if chosen else None)
    if fmt is OutputFormat.table:
        from pelatihan_cli.domain.dates import format_long_id

        for r in rows:
            r["tanggal"] = format_long_id(dt.date.fromisoformat(r["date"]))
    if output is not None:
        write_rows(fmt, output, rows, schedule.SCHEDULE_KEYS, "day row(s)")
        return
    emit(rows, fmt, columns=schedule.SCHEDULE_KEYS,
         table_columns=["tanggal", "day_no", "kelurahan", "skills", "instructors"],
         headers={"tanggal": "Tanggal", "day_no": "Day"}, title=f"Schedule · {chosen.name}" if chosen else "Schedule",
         empty_message="No planned sessions in this period.")


def _print_schedule(db, fmt, output, start, end, chosen) -> None:
    """The Jadwal Pelatihan as PDF or xlsx; the letterhead of the programme chosen (or, for
    dates across programmes, of the first session's programme)."""
    from pelatihan_cli.render.printouts import period_text, schedule_doc
    from pelatihan_cli.services import printouts

    rows = printouts.schedule(db, start, end, programme_id=chosen.id if chosen else None)
    pid = chosen.id if chosen else (rows[0]["programme_id"] if rows else None)
    period = period_text(rows[0]["date"] if rows else start, rows[-1]["date"] if rows else end,
                         chosen.name if chosen else None)
    doc = schedule_doc(rows, document_settings(db, pid), period=period, sign_on=today())
    write_printout(fmt, output, [doc], "the schedule", f"{len(rows)} session day(s)")
