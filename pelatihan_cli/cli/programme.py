"""`pelatihan programme`: the yearly programmes (kegiatan) that sessions belong to."""

from __future__ import annotations

from typing import Annotated, List, Optional

import typer

from pelatihan_cli.cli._common import FormatOption, OutputFormat, done, emit, get_db, info, print_table, to_json

app = typer.Typer(help="Programmes: the yearly kegiatan that plan, fund and report sessions.", no_args_is_help=True)

COLUMNS = ["id", "name", "year", "start_date", "end_date", "funding", "title", "sessions"]
TABLE_COLUMNS = ["id", "name", "year", "start_date", "end_date", "funding", "sessions"]
HEADERS = {"start_date": "From", "end_date": "To"}

ProgrammeArg = Annotated[str, typer.Argument(help="Programme name, year or id.", show_default=False)]
FromOption = Annotated[Optional[str], typer.Option("--from", help="First day of the window (default: 1 January).")]
ToOption = Annotated[Optional[str], typer.Option("--to", help="Last day of the window (default: 31 December).")]
FundingOption = Annotated[Optional[str], typer.Option(
    "--funding", help="Funding source, printed as 'Sumber dana: FUNDING YEAR', e.g. DBHCHT.")]
TitleOption = Annotated[Optional[str], typer.Option(
    "--title", help="Title on documents, printed as 'TITLE Tahun YEAR'.")]


def _emit_one(p: dict, fmt: OutputFormat, message: str, *, new: bool = False) -> None:
    if fmt is OutputFormat.csv:
        emit([p], fmt, columns=[k for k in p if not isinstance(p[k], (dict, list))])
    else:
        done(p, message, fmt, value=p["id"] if new else None)


@app.command(name="add")
def programme_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name, e.g. 'PKW 2025'.", show_default=False)],
    year: Annotated[int, typer.Option("--year", help="Fiscal year, printed on documents.", show_default=False)],
    start: FromOption = None,
    end: ToOption = None,
    funding: FundingOption = None,
    title: TitleOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Add a programme. Title and funding default to those of the most recent programme.

    Examples:

      pelatihan programme add "PKW 2025" --year 2025 --from 2025-06-01 --to 2025-09-30 --funding DBHCHT
    """
    from pelatihan_cli.services import programmes

    p = programmes.add(get_db(ctx), name, year, start=start, end=end, funding=funding, title=title)
    _emit_one(p, fmt, f"Added programme {p['id']}: {p['name']} ({p['start_date']} to {p['end_date']}).", new=True)


@app.command(name="list")
def programme_list(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """List programmes with their window and number of sessions.

    Examples:

      pelatihan programme list
    """
    from pelatihan_cli.services import programmes

    emit(programmes.list_programmes(get_db(ctx)), fmt, columns=COLUMNS, table_columns=TABLE_COLUMNS,
         headers=HEADERS, title="Programmes",
         empty_message="No programmes yet. Plan a session (its year's programme is created) or "
                       "`pelatihan programme add NAME --year YEAR`.")


@app.command(name="show")
def programme_show(ctx: typer.Context, programme: ProgrammeArg, fmt: FormatOption = OutputFormat.table) -> None:
    """Show a programme and the document settings its documents print.

    Examples:

      pelatihan programme show 2024
    """
    from pelatihan_cli.services import programmes

    p = programmes.show(get_db(ctx), programme)
    if fmt is OutputFormat.json:
        info(to_json(p))
        return
    if fmt is OutputFormat.csv:
        # one row: the programme's fields and its document settings as doc_* columns
        row = {**{c: p[c] for c in COLUMNS + ["cancelled_sessions", "title_line", "funding_line"]},
               **{f"doc_{k}": v for k, v in p["documents"].items()
                  if k not in ("programme_title", "funding", "year", "programme")},
               "overrides": p["overrides"]}
        emit([row], fmt)
        return
    rows = [{"field": k, "value": p[k]} for k in COLUMNS + ["cancelled_sessions", "title_line", "funding_line"]]
    rows += [{"field": f"doc_{k}" + (" (own)" if f"doc_{k}" in p["overrides"] else ""), "value": v}
             for k, v in p["documents"].items()
             if k not in ("programme_title", "funding", "year", "programme")]
    print_table(rows, ["field", "value"], title=f"Programme {p['id']}")


@app.command(name="update")
def programme_update(
    ctx: typer.Context,
    programme: ProgrammeArg,
    name: Annotated[Optional[str], typer.Option("--name", help="New name.")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="New year (re-dates its enrollments).")] = None,
    start: FromOption = None,
    end: ToOption = None,
    funding: FundingOption = None,
    title: TitleOption = None,
    set_values: Annotated[Optional[List[str]], typer.Option(
        "--set", help="Override a document setting for this programme, KEY=VALUE (e.g. doc_city=Semarang); repeatable.")] = None,
    unset: Annotated[Optional[List[str]], typer.Option(
        "--unset", help="Drop this programme's own value of a document setting; repeatable.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Change a programme's name, year, window, funding, title or document settings.

    Examples:

      pelatihan programme update 2025 --to 2025-12-31 --funding "APBD"

      pelatihan programme update 2025 --set doc_officer_name="Drs. Budi Santoso"
    """
    from pelatihan_cli.services import programmes

    if not any(v is not None for v in (name, year, start, end, funding, title)) and not set_values and not unset:
        raise typer.BadParameter("give at least one of --name, --year, --from, --to, --funding, --title, --set, --unset.")
    p = programmes.update(get_db(ctx), programme, name=name, year=year, start=start, end=end, funding=funding,
                          title=title, set_values=set_values or [], unset=unset or [])
    _emit_one(p, fmt, f"Updated programme {p['id']}: {p['name']} ({p['start_date']} to {p['end_date']}).")
