"""`pelatihan holiday`: local non-working days (national ones come built in)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import FormatOption, OutputFormat, done, emit, get_db, warn, day_words

app = typer.Typer(help="Add, list and remove local non-working days.", no_args_is_help=True)


@app.command(name="add")
def holiday_add(
    ctx: typer.Context,
    date: Annotated[str, typer.Argument(callback=day_words, help="The day, e.g. 2024-07-15.")],
    name: Annotated[str, typer.Argument(help="What it is, e.g. 'Hari Jadi Kota Pekalongan'.")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Add a local non-working day; sessions are no longer planned on it."""
    from pelatihan_cli.services import holidays

    r = holidays.add(get_db(ctx), date, name)
    done(r, f"Added local holiday {r['date'].isoformat()} ({r['name']}).", fmt)
    if r["national"]:
        warn(f"{r['date'].isoformat()} is already a national holiday ({r['national']}).")
    if r["sessions"]:
        ids = ", ".join(str(i) for i in r["sessions"])
        warn(f"planned session(s) {ids} train on {r['date'].isoformat()}; move them with "
             "`pelatihan session move ID --start DATE` if they should not.")


@app.command(name="list")
def holiday_list(
    ctx: typer.Context,
    year: Annotated[Optional[int], typer.Option("--year", help="Only this year, and show its national holidays too.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List local non-working days (with --year also national holidays and cuti bersama)."""
    from pelatihan_cli.services import holidays

    rows = holidays.list_holidays(get_db(ctx), year)
    emit(rows, fmt, columns=["date", "name", "kind"], title="Holidays",
         empty_message="No local holidays. Add one with `pelatihan holiday add DATE NAME`; "
                       "`--year 2024` also lists the national ones.")


@app.command(name="remove")
def holiday_remove(ctx: typer.Context, date: Annotated[str, typer.Argument(help="The local holiday's date.")],
                   fmt: FormatOption = OutputFormat.table) -> None:
    """Remove a local non-working day."""
    from pelatihan_cli.services import holidays

    r = holidays.remove(get_db(ctx), date)
    done(r, f"Removed local holiday {r['date'].isoformat()} ({r['name']}).", fmt)
