"""`pelatihan report budget`: planned and realised cost against the ceiling (registered on
cli/report.py's app)."""

from __future__ import annotations

from typing import Annotated

import typer

from pelatihan_cli.cli._common import (
    FormatOption, OutputFormat, ProgrammeOption, emit, get_db, info, programme_for, to_json, warn,
)
from pelatihan_cli.cli.report import app

HEADERS = {"label": "Line", "session_id": "Session", "planned": "Planned", "realised": "Realised",
           "remaining": "Left", "percent": "%"}
COLUMNS = {
    "line": ["line", "label", "unit", "rate", "planned", "realised", "remaining", "percent"],
    "session": ["session_id", "kelurahan", "kecamatan", "skill", "planned", "realised", "percent"],
    "kelurahan": ["kelurahan", "kecamatan", "sessions", "planned", "realised", "percent"],
}


def print_report(report: dict, fmt: OutputFormat) -> None:
    from pelatihan_cli.domain.money import format_rupiah

    def rp(v):
        return "-" if v is None else format_rupiah(v)

    columns = COLUMNS[report["by"]]
    if fmt is OutputFormat.json:
        info(to_json(report))
        return
    if fmt is OutputFormat.csv:
        emit(report["rows"], fmt, columns=columns)
        return
    from pelatihan_cli.cli._money import money_table

    rows = [{**r, "percent": f"{r['percent']}%" if r.get("percent") else "-"} for r in report["rows"]]
    from pelatihan_cli.cli._common import console

    shown = [c for c in columns if c not in ("line", "kecamatan", "unit")]
    if console().width < 110:  # the amounts stay whole; the rate and what is left of each line go
        shown = [c for c in shown if c not in ("rate", "remaining")]
    footer = {"planned": report["planned"], "realised": report["realised"]}
    if report["by"] == "line":
        footer["remaining"] = report["planned"] - report["realised"]
    footer[shown[0]] = "Total"
    money_table(rows, shown, HEADERS, title=f"Budget of {report['programme']} by {report['by']}", footer=footer)
    percent = f" ({report['percent']}% of the ceiling)" if report["percent"] else ""
    info(f"Ceiling {rp(report['ceiling'])}; planned {rp(report['planned'])}; realised {rp(report['realised'])}"
         f"{percent}; remaining {rp(report['remaining'])}.")
    if report["plan_over_ceiling"]:
        warn(f"the plan is {rp(report['plan_over_ceiling'])} over the ceiling.")
    printed = [v for v in report["receipts"] if v["status"] != "replaced"]
    if printed:
        info(f"Receipt lists printed: {len(printed)}; superseded: {report['superseded']}.")
    for v in printed:
        if v["status"] != "superseded":
            continue
        where = f"session {v['session_id']}" + (f" day {v['day']}" if v["day"] else "") if v["session_id"] else "programme"
        diffs = "; ".join(f"{d['name']}: {rp(d['printed'])} -> {rp(d['now'])}" for d in v["differences"][:5])
        more = f" and {len(v['differences']) - 5} more" if len(v["differences"]) > 5 else ""
        warn(f"{v['kind']} list of {where}, version {v['version']} ({rp(v['total'])}) is superseded: attendance now "
             f"gives {rp(v['now'])} ({diffs}{more}). Reissue it with `pelatihan receipt {v['kind']} ... --reissue "
             "--reason ...`.")


@app.command(name="budget")
def report_budget(
    ctx: typer.Context,
    programme: ProgrammeOption = None,
    by: Annotated[str, typer.Option("--by", help="Rows by line, session or kelurahan.")] = "line",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Planned and realised cost (from attendance) against the ceiling, exact to the rupiah;
    receipt lists whose attendance changed since they were printed are shown as superseded.

    Examples:

      pelatihan report budget -p 2024 --by kelurahan
    """
    from pelatihan_cli.services import budget

    db = get_db(ctx)
    p = programme_for(db, programme, fmt, required=True)
    print_report(budget.report(db, p.id, by.strip().lower()), fmt)
