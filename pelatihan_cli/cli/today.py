"""`pelatihan today`: this morning's and this week's sessions, and the rosters to print."""

from __future__ import annotations

from typing import Annotated

import typer

from pelatihan_cli.cli._common import FormatOption, OutputFormat, get_db, info, print_table, to_json, write_csv

COLUMNS = ["date", "id", "programme", "kelurahan", "skill", "day", "of_days", "capacity", "enrolled",
           "waitlisted", "instructors", "venue", "problems"]


def today_show(
    ctx: typer.Context,
    days: Annotated[int, typer.Option("--days", min=0, max=60, help="How many days after today to show.")] = 7,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Today's and the next days' sessions: seats, waitlists, what is missing (instructor,
    venue), and the rosters to print.

    Examples:

      pelatihan today

      PELATIHAN_TODAY=2024-07-01 pelatihan today --days 3
    """
    from pelatihan_cli.domain.dates import format_long_id
    from pelatihan_cli.services import today

    import datetime as dt

    data = today.outlook(get_db(ctx), days=days)
    rows = [{"date": d["date"], **{k: s[k] for k in COLUMNS if k != "date"}} for d in data["days"] for s in d["sessions"]]
    if fmt is OutputFormat.json:
        info(to_json(data))
        return
    if fmt is OutputFormat.csv:
        write_csv(rows, COLUMNS)
        return
    first = dt.date.fromisoformat(data["today"])
    if not rows:
        info(f"Nothing trains from {format_long_id(first)} to {data['until']}.")
        return
    for d in data["days"]:
        day = dt.date.fromisoformat(d["date"])
        title = format_long_id(day) + (" (hari ini)" if d["date"] == data["today"] else "")
        table_rows = [{"id": s["id"], "kelurahan": s["kelurahan"], "skill": s["skill"],
                       "day": f"{s['day']}/{s['of_days']}", "seats": f"{s['enrolled']}/{s['capacity']}",
                       "wait": s["waitlisted"], "check": ", ".join(s["problems"]) or "ok"} for s in d["sessions"]]
        print_table(table_rows, ["id", "kelurahan", "skill", "day", "seats", "wait", "check"], title=title,
                    headers={"id": "Id", "day": "Day", "seats": "Seats", "wait": "Wait", "check": "Check"})
    info("Rosters to print:")
    for iso in data["rosters"]:
        info(f"  pelatihan roster {iso} --format pdf --output daftar-hadir-{iso}.pdf")


def register(app: typer.Typer) -> None:
    app.command(name="today")(today_show)
