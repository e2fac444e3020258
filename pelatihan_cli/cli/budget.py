"""`pelatihan budget`: a programme's ceiling (pagu) and cost lines, in whole rupiah."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import (
    FormatOption, OutputFormat, ProgrammeOption, emit, get_db, info, programme_for, to_json, warn,
)

app = typer.Typer(help="A programme's budget: ceiling (pagu) and unit rates of its cost lines.", no_args_is_help=True)

COLUMNS = ["line", "label", "unit", "rate", "jp_per_day", "staff", "planned"]


def _rp(value) -> str:
    from pelatihan_cli.domain.money import format_rupiah

    return "-" if value is None else format_rupiah(value)


def _print(data: dict, fmt: OutputFormat, verb: str | None = None) -> None:
    if fmt is OutputFormat.json:
        info(to_json(data))
        return
    if fmt is OutputFormat.csv:
        emit(data["lines"], fmt, columns=COLUMNS)
        return
    if verb:
        info(verb)
    from pelatihan_cli.cli._money import money_table

    money_table(data["lines"], ["label", "unit", "rate", "jp_per_day", "staff", "planned"],
                {"label": "Line", "jp_per_day": "JP/day", "planned": "Planned"}, title=f"Budget of {data['programme']}")
    info(f"Ceiling (pagu): {_rp(data['ceiling'])}; planned: {_rp(data['planned'])}; "
         f"left after the plan: {_rp(data['remaining_after_plan'])}.")


@app.command(name="set")
def budget_set(
    ctx: typer.Context,
    programme: ProgrammeOption = None,
    ceiling: Annotated[Optional[str], typer.Option("--ceiling", help="The ceiling (pagu), e.g. 'Rp 1.250.000.000'.")] = None,
    honorarium: Annotated[Optional[str], typer.Option("--honorarium", help="Instructor honorarium per lesson hour (JP).")] = None,
    jp_per_day: Annotated[Optional[int], typer.Option("--jp-per-day", help="Lesson hours (JP) per training day.")] = None,
    transport: Annotated[Optional[str], typer.Option("--transport", help="Participant transport per person per day present.")] = None,
    meals: Annotated[Optional[str], typer.Option("--meals", help="Meals and snacks per person per day.")] = None,
    staff: Annotated[Optional[int], typer.Option("--staff", help="Staff fed per session each training day.")] = None,
    materials_participant: Annotated[Optional[str], typer.Option(
        "--materials-participant", help="Practice materials per participant.")] = None,
    materials_session: Annotated[Optional[str], typer.Option(
        "--materials-session", help="Practice materials per session.")] = None,
    venue: Annotated[Optional[str], typer.Option("--venue", help="Venue and equipment rent per session.")] = None,
    printing: Annotated[Optional[str], typer.Option("--printing", help="Printing per participant.")] = None,
    file: Annotated[Optional[Path], typer.Option(
        "--file", help="A rate file: CSV line,rate,jp_per_day,staff with a 'ceiling' row (or JSON).")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Set a programme's ceiling and unit rates (whole rupiah: 1250000, 1.250.000 or 'Rp 1.250.000').
    Lines not given keep their rates.

    Examples:

      pelatihan budget set -p 2024 --file data/budget_2024.csv

      pelatihan budget set -p 2024 --transport 'Rp 100.000' --honorarium 300.000 --jp-per-day 8
    """
    from pelatihan_cli.services import budget

    db = get_db(ctx)
    p = programme_for(db, programme, fmt, required=True)
    rates = {"honorarium": honorarium, "transport": transport, "meals": meals,
             "materials_participant": materials_participant, "materials_session": materials_session,
             "venue": venue, "printing": printing}
    data = budget.set_budget(db, p.id, ceiling=ceiling, rates=rates, jp_per_day=jp_per_day, staff=staff,
                             rate_file=file)
    _print(data, fmt, f"Set the budget of {data['programme']}: {', '.join(data['changed']) or 'ceiling'}.")
    for w in data["warnings"]:
        warn(w)


@app.command(name="show")
def budget_show(
    ctx: typer.Context,
    programme: ProgrammeOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show a programme's ceiling, its lines' rates and what the plan costs per line."""
    from pelatihan_cli.services import budget

    db = get_db(ctx)
    p = programme_for(db, programme, fmt, required=True)
    data = budget.show_budget(db, p.id)
    _print(data, fmt)
    for w in data["warnings"]:
        warn(w)
