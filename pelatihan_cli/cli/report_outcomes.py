"""`pelatihan report summary` and `pelatihan report certificates`: programme outcomes."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import (
    FormatOption, OutputFormat, ProgrammeOption, ShowNikOption, console, emit, get_db, info, programme_for,
    write_csv, to_json,
)
from pelatihan_cli.cli.report import app

BAR_WIDTH = 6


def _bar(enrolled: int, capacity: int) -> str:
    if not capacity:
        return "-"
    rate = enrolled / capacity
    filled = min(BAR_WIDTH, round(rate * BAR_WIDTH))
    return "█" * filled + "░" * (BAR_WIDTH - filled) + f" {rate:4.0%}"


@app.command(name="summary")
def report_summary(
    ctx: typer.Context,
    kecamatan: Annotated[Optional[str], typer.Option("--kecamatan", "-K", help="Only this kecamatan.")] = None,
    kabupaten: Annotated[Optional[str], typer.Option("--kabupaten", help="Only this kabupaten/kota.")] = None,
    programme: ProgrammeOption = None,
    all_programmes: Annotated[bool, typer.Option("--all-programmes", help="One block per programme.")] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Per kelurahan of a programme: sessions, capacity, enrolled, waitlisted, fill rate,
    present per day, completed, AK1 (people counted once).

    Examples:

      pelatihan report summary --programme 2024

      pelatihan report summary --all-programmes --format csv
    """
    from pelatihan_cli.services import programmes, reports

    db = get_db(ctx)
    if all_programmes:
        chosen = [programmes.get(db, p["id"]) for p in programmes.list_programmes(db)]
    else:
        one = programme_for(db, programme, fmt)
        chosen = [one] if one else []
    blocks = [reports.summary(db, p.id, kecamatan, kabupaten) for p in chosen]
    if fmt is not OutputFormat.table:
        emit([r for b in blocks for r in b["rows"]], fmt, columns=reports.SUMMARY_KEYS)
        return
    if not blocks:
        info("No programme yet: plan sessions first (`pelatihan session plan` or `session auto-plan`).")
    for b in blocks:
        _summary_table(b["rows"], b["max_days"], reports.SUMMARY_KEYS, city_total=kecamatan is None,
                       title=f"Summary · {b['programme']}")
    info("Fill = enrolled / capacity; DN = present on day N; Done = people present")
    info("on every day; AK1 = people with a card issued in the programme's window")
    info("or up to 90 days after.")


def _summary_table(rows: list[dict], max_days: int, keys: list[str], *, city_total: bool = True,
                   title: str = "Programme summary") -> None:
    from rich.markup import escape
    from rich.table import Table

    numeric = ["sessions", "capacity", "enrolled", "waitlisted"]
    days = list(range(1, max_days + 1))
    from rich import box

    # no cell padding: SIMPLE_HEAD's column separator is already a space, so the table
    # (with two training days) fits an 80-column terminal
    table = Table(title=title, box=box.SIMPLE_HEAD, padding=(0, 0))
    table.add_column("Kelurahan", no_wrap=True)
    for title in ("Sess", "Cap", "Enr", "Wait"):
        table.add_column(title, justify="right", no_wrap=True)
    table.add_column("Fill", no_wrap=True)
    for d in days:
        table.add_column(f"D{d}", justify="right", no_wrap=True)
    table.add_column("Done", justify="right", no_wrap=True)
    table.add_column("AK1", justify="right", no_wrap=True)

    def total(group: list[dict], label: str) -> dict:
        # each person is counted in one kelurahan only, so sums of rows count people once
        t = {k: sum(r[k] for r in group) for k in keys if k not in ("programme", "kelurahan", "kecamatan", "kabupaten")}
        t["present"] = {d: sum(r["present"].get(d, 0) for r in group) for d in days}
        t["kelurahan"] = label
        return t

    def add(r: dict, style: str | None = None) -> None:
        table.add_row(escape(r["kelurahan"]), *[str(r[k]) for k in numeric], _bar(r["enrolled"], r["capacity"]),
                      *[str(r["present"].get(d, 0)) for d in days], str(r["completed"]), str(r["ak1"]), style=style)

    # kabupaten/kota -> kecamatan -> kelurahan, the kabupaten level only where there are several
    by_kab: dict[str | None, dict[str, list[dict]]] = {}
    for r in rows:
        by_kab.setdefault(r.get("kabupaten"), {}).setdefault(r["kecamatan"], []).append(r)
    for kab, by_kec in by_kab.items():
        for kec, group in by_kec.items():
            for r in group:
                add(r)
            add(total(group, f"{kec} total"), style="bold")
            table.add_section()
        if len(by_kab) > 1:
            add(total([r for g in by_kec.values() for r in g], f"{kab or '(no kabupaten)'} total"), style="bold")
            table.add_section()
    if city_total:  # with --kecamatan the kecamatan's own total is the total
        add(total(rows, "City total"), style="bold")
    console().print(table)


class CertificateFormat(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


CERT_COLUMNS = ["session_id", "programme", "nik", "name", "sex", "kelurahan", "kecamatan", "skill", "start_date", "end_date", "days"]
CERT_HEADERS = {"session_id": "Session", "nik": "NIK", "name": "Name", "sex": "L/P", "start_date": "From",
                "end_date": "To"}
CERT_XLSX_HEADERS = {"session_id": "Sesi", "programme": "Program", "nik": "NIK", "name": "Nama", "sex": "L/P", "kelurahan": "Kelurahan",
                     "kecamatan": "Kecamatan", "skill": "Keterampilan", "start_date": "Tanggal mulai",
                     "end_date": "Tanggal selesai", "days": "Jumlah hari"}


@app.command(name="certificates")
def report_certificates(
    ctx: typer.Context,
    session_id: Annotated[Optional[int], typer.Argument(help="Session id; or give --all.", show_default=False)] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every session of the programme.")] = False,
    programme: ProgrammeOption = None,
    fmt: Annotated[CertificateFormat, typer.Option(
        "--format", "-f", help="table, csv or json on stdout; xlsx written to --output.")] = CertificateFormat.table,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="File to write (default for xlsx: certificates.xlsx in the current directory).")] = None,
    show_nik: ShowNikOption = False,
) -> None:
    """People who attended every day of their session, to print certificates for.

    Examples:

      pelatihan report certificates 12

      pelatihan report certificates --all --programme 2024 --format xlsx -o sertifikat-2024.xlsx
    """
    from pelatihan_cli.services import reports

    if (session_id is None) == (not all_):
        raise typer.BadParameter("give a SESSION_ID or --all (not both).", param_hint="SESSION_ID / --all")
    db = get_db(ctx)
    chosen = programme_for(db, programme, None) if all_ else None
    rows = reports.certificates(db, session_id, show_nik=show_nik, programme_id=chosen.id if chosen else None)
    if fmt is CertificateFormat.xlsx:
        from pelatihan_cli.render.tables import write_xlsx_table

        path = output or Path("certificates.xlsx")
        write_xlsx_table(path, rows, CERT_COLUMNS, CERT_XLSX_HEADERS, sheet_title="Sertifikat")
        info(f"Wrote {len(rows)} completed participant(s) to {path}.")
        return
    if output is not None:
        with open(output, "w", encoding="utf-8", newline="") as f:
            if fmt is CertificateFormat.json:
                f.write(to_json(rows) + "\n")
            else:
                write_csv(rows, CERT_COLUMNS, f)
        info(f"Wrote {len(rows)} completed participant(s) to {output}.")
        return
    if fmt is CertificateFormat.table:  # an erased person stays counted, without a name
        rows = [{**r, "name": r["name"] or "(erased)"} for r in rows]
    emit(rows, OutputFormat(fmt.value), columns=CERT_COLUMNS, headers=CERT_HEADERS,
         table_columns=["session_id", "nik", "name", "kelurahan", "skill", "start_date", "end_date"],
         title="Completed: present on every training day",
         empty_message="Nobody has completed yet (present on every day of a planned session).")
