"""`pelatihan roster DATE`: the day's attendance sheets (daftar hadir) to print and sign."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import (
    ForceOutputOption, ShowNikOption, check_output, get_db, info, to_json, warn, write_csv, day_words,
)


class RosterFormat(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"
    pdf = "pdf"
    xlsx = "xlsx"


CSV_COLUMNS = ["session_id", "programme", "date", "day", "of_days", "kelurahan", "kecamatan", "skill", "venue", "instructors",
               "no", "nik", "name", "sex", "address", "phone"]
TABLE_COLUMNS = ["no", "name", "nik", "sex", "address", "phone"]
TABLE_HEADERS = {"no": "No", "name": "Name", "nik": "NIK", "sex": "L/P", "address": "Address", "phone": "Phone"}


def roster(
    ctx: typer.Context,
    date: Annotated[str, typer.Argument(callback=day_words, help="Training day: YYYY-MM-DD, DD/MM/YYYY, today or besok.", show_default=False, metavar="DATE")],
    kelurahan: Annotated[Optional[str], typer.Option("--kelurahan", "-k", help="Only sessions in this kelurahan.")] = None,
    session: Annotated[Optional[int], typer.Option("--session", "-s", help="Only this session (id).")] = None,
    fmt: Annotated[RosterFormat, typer.Option(
        "--format", "-f", help="table, csv or json on stdout; pdf or xlsx to print (written to --output).")] = RosterFormat.table,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="File to write. Default for pdf/xlsx: roster-DATE.pdf / .xlsx in the current "
        "directory; csv/json go to stdout unless given.")] = None,
    force: ForceOutputOption = False,
    show_nik: ShowNikOption = False,
    blank: Annotated[int, typer.Option(
        "--blank", min=0, max=200, help="Add N empty numbered rows for walk-ins (table, pdf, xlsx).")] = 0,
    programme: Annotated[Optional[str], typer.Option(
        "--programme", "-p", help="Only this programme's sessions (default: every session training on DATE).")] = None,
) -> None:
    """Print the roster (daftar hadir) of every session training on DATE; each prints its
    programme's title, funding and year.

    Examples:

      pelatihan roster 2024-07-02 --format pdf --output daftar-hadir.pdf --blank 3
    """
    from pelatihan_cli.domain.dates import parse_date
    from pelatihan_cli.services import roster as roster_service

    if output is not None and fmt is RosterFormat.table:
        raise typer.BadParameter("--output needs --format csv, json, pdf or xlsx.", param_hint="--output")
    day = parse_date(date, field="date")
    if fmt in (RosterFormat.pdf, RosterFormat.xlsx) or output is not None:
        # an existing file is refused unless --force (issue 13: roster -o overwrote silently)
        output = check_output(output or Path(f"roster-{day.isoformat()}.{fmt.value}"), force,
                              kind=fmt.value if fmt in (RosterFormat.pdf, RosterFormat.xlsx) else None)
    db = get_db(ctx)
    chosen = None
    if programme:
        from pelatihan_cli.services.programmes import resolve

        chosen = resolve(db, programme)
    data = roster_service.day_roster(db, day, kelurahan=kelurahan, session_id=session, show_nik=show_nik,
                                     programme_id=chosen.id if chosen else None)
    sessions = data["sessions"]
    if not sessions:
        _nothing(day, data["before"], data["after"], fmt, output, kelurahan=kelurahan, session=session)
        return
    if fmt in (RosterFormat.pdf, RosterFormat.xlsx):
        path = output or Path(f"roster-{day.isoformat()}.{fmt.value}")
        facts = _write_document(path, fmt, sessions, data["documents"], blank, data["documents_by_session"])
        people = sum(len(s["participants"]) for s in sessions)
        pages = f", {facts['pages']} page(s)" if "pages" in facts else ""
        info(f"Wrote the roster of {len(sessions)} session(s) ({people} participant(s){pages}) to {path}.")
        if facts.get("missing_chars"):
            warn(f"the PDF font has no glyph for {len(facts['missing_chars'])} character(s) in the names; "
                 "they are printed as '?'. Write those names by hand on the sheet.")
        return
    with _out(output) as out:
        if fmt is RosterFormat.json:
            out.write(to_json(sessions) + "\n")
        elif fmt is RosterFormat.csv:
            rows = [{**{k: v for k, v in s.items() if k != "participants"}, **p}
                    for s in sessions for p in s["participants"]]
            write_csv(rows, CSV_COLUMNS, out)
        else:
            _print_tables(sessions, blank)


def _write_document(path: Path, fmt: RosterFormat, sessions, docs, blank, per_session=None) -> dict:
    if fmt is RosterFormat.pdf:
        from pelatihan_cli.render.roster_pdf import render_roster_pdf

        data, facts = render_roster_pdf(sessions, docs, blank=blank, per_session=per_session)
        path.write_bytes(data)
        return facts
    from pelatihan_cli.render.roster_xlsx import write_roster_xlsx

    write_roster_xlsx(path, sessions, docs, blank=blank, per_session=per_session)
    return {}


def _print_tables(sessions, blank) -> None:
    import datetime as dt

    from rich.markup import escape

    from pelatihan_cli.cli._common import print_table
    from pelatihan_cli.domain.dates import format_long_id
    from pelatihan_cli.render.tables import rows_with_blanks

    for s in sessions:
        day = format_long_id(dt.date.fromisoformat(s["date"]))
        title = (f"Session {s['session_id']}: {s['skill']}, {s['kelurahan']} ({s['kecamatan']})\n"
                 f"{day}, day {s['day']} of {s['of_days']}; {s['venue'] or 'no venue'}; "
                 f"instructors: {', '.join(s['instructors']) or '-'}")
        rows = [{c: (p.get(c) if p.get(c) is not None else "") for c in TABLE_COLUMNS}
                for p in rows_with_blanks(s["participants"], blank, erased_name="(erased)")]
        # on a narrow screen the address goes first, then L/P; NIK and phone stay whole
        print_table(rows, TABLE_COLUMNS, headers=TABLE_HEADERS, title=escape(title),
                    caption=f"{len(s['participants'])} enrolled", drop=["address", "sex"])


def _nothing(day, before, after, fmt, output, *, kelurahan, session) -> None:
    """No session trains on the day: say so, with the nearest training days; exit 0."""
    import datetime as dt

    from pelatihan_cli.domain.dates import format_long_id

    which = f"session {session}" if session is not None else (f"kelurahan {kelurahan}" if kelurahan else "any session")

    def near(iso, where):
        return f"{format_long_id(dt.date.fromisoformat(iso))} ({iso}) {where}" if iso else f"none {where}"

    message = f"No training day of {which} on {format_long_id(day)} ({day.isoformat()}). " + (
        f"Nearest training days: {near(before, 'before')}; {near(after, 'after')}." if before or after
        else "No training days are planned at all.")
    if fmt is RosterFormat.json:
        with _out(output) as out:
            out.write("[]\n")
        sys.stderr.write(message + "\n")
    elif fmt is RosterFormat.csv:
        with _out(output) as out:
            write_csv([], CSV_COLUMNS, out)
        sys.stderr.write(message + "\n")
    else:
        info(message + (" No file was written." if fmt in (RosterFormat.pdf, RosterFormat.xlsx) else ""))


class _out:
    """stdout, or the --output file (UTF-8, written whole)."""

    def __init__(self, path: Path | None):
        self.path = path

    def __enter__(self):
        if self.path is None:
            return sys.stdout
        self.f = open(self.path, "w", encoding="utf-8", newline="")
        return self.f

    def __exit__(self, *exc):
        if self.path is not None:
            self.f.close()


def register(app: typer.Typer) -> None:
    """Add `roster` to the root app."""
    app.command("roster")(roster)
