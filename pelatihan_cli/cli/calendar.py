"""`pelatihan calendar`: which days are working days, and why the others are not."""

from __future__ import annotations

from typing import Annotated

import typer

from pelatihan_cli.cli._common import FormatOption, OutputFormat, emit, get_db, day_words


def calendar_show(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from", callback=day_words, help="First day, e.g. 2024-07-01.")],
    end: Annotated[str, typer.Option("--to", callback=day_words, help="Last day, e.g. 2024-08-31.")],
    weekends: Annotated[bool, typer.Option("--weekends", help="Count Saturdays and Sundays as working days.")] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List each day with whether it is a working day and, if not, why (weekend, national or local holiday)."""
    from pelatihan_cli.services import holidays

    rows = holidays.calendar_days(get_db(ctx), start, end, weekends=weekends)
    if fmt is OutputFormat.table:
        for r in rows:
            r["working"] = "yes" if r["working"] else "no"
    emit(rows, fmt, columns=["date", "weekday", "working", "reason"], title="Calendar")


def register(app: typer.Typer) -> None:
    """Add the top-level `calendar` command to the root app."""
    app.command("calendar")(calendar_show)
