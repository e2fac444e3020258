"""`pelatihan report summary` and `pelatihan report certificates`: programme outcomes."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import (
    ForceOutputOption, FormatOption, OutputFormat, ProgrammeOption, ShowNikOption, check_output, console, emit, get_db, info, programme_for,
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
    force: ForceOutputOption = False,
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

        path = check_output(output or Path("certificates.xlsx"), force, kind="xlsx")
        write_xlsx_table(path, rows, CERT_COLUMNS, CERT_XLSX_HEADERS, sheet_title="Sertifikat")
        info(f"Wrote {len(rows)} completed participant(s) to {path}.")
        return
    if output is not None:
        check_output(output, force)
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


class OutcomesFormat(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


OUTCOME_HEADERS = {"group": "Group", "completers": "Done", "followed_up": "Resp", "response_rate": "Resp%",
                   "employed": "Empl", "self_employed": "Self", "new_entrepreneurs": "New",
                   "seeking": "Seek", "studying": "Study", "placement_rate_followed_up": "Pl/resp",
                   "placement_rate_completers": "Pl/done"}
OUTCOME_XLSX = {"group": "Kelompok", "completers": "Lulus", "followed_up": "Terlacak", "response_rate": "Respons (%)",
                "employed": "Bekerja", "self_employed": "Wirausaha", "new_entrepreneurs": "Wirausaha baru",
                "seeking": "Belum bekerja", "studying": "Melanjutkan",
                "placement_rate_followed_up": "Penempatan / terlacak (%)",
                "placement_rate_completers": "Penempatan / lulus (%)", "reference_rate": "Acuan (%)"}
DIMENSION_ID = {"total": "Total", "kelurahan": "Per kelurahan", "skill": "Per keterampilan", "sex": "Per jenis kelamin",
                "age_band": "Per kelompok umur"}


def _pct(value) -> str:
    return "-" if value is None else f"{value:.0%}"


@app.command(name="outcomes")
def report_outcomes(
    ctx: typer.Context,
    programme: ProgrammeOption = None,
    fmt: Annotated[OutcomesFormat, typer.Option(
        "--format", "-f", help="table, csv or json on stdout; xlsx (tables and a bar chart) written to --output.")]
    = OutcomesFormat.table,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="File to write (default for xlsx: outcomes.xlsx).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the --output file if it exists.")] = False,
) -> None:
    """What became of the completers (tracer study): per kelurahan, skill, sex and age band.

    Completers, followed up (response rate), employed, self-employed, wirausaha baru
    (self-employed at the follow-up, started after the training, not self-employed at
    registration), seeking, studying, and the placement rate ((employed + self-employed)
    over followed up, and over completers) beside the reference rate (setting
    outcomes_reference_rate, default 30%). The latest follow-up after the training counts.
    The xlsx has one sheet per breakdown and an openpyxl bar chart per kelurahan.

    Examples:

      pelatihan report outcomes --programme 2024

      pelatihan report outcomes -f xlsx -o hasil-2024.xlsx
    """
    from pelatihan_cli.cli._documents import check_output, write_text_output, write_whole
    from pelatihan_cli.services import outcomes

    path = None
    if fmt is OutcomesFormat.xlsx or output is not None:
        path = check_output(output or Path("outcomes.xlsx"), force,
                            kind="xlsx" if fmt is OutcomesFormat.xlsx else None)
    db = get_db(ctx)
    chosen = programme_for(db, programme, fmt.value, required=True)
    r = outcomes.report(db, chosen.id)
    rows = r["rows"]
    if fmt is OutcomesFormat.xlsx:
        from pelatihan_cli.render.documents import Column, Doc, write_documents_xlsx
        from pelatihan_cli.services.programmes import document_settings

        docs = document_settings(db, chosen.id)
        keys = [k for k in outcomes.OUTCOME_KEYS if k not in ("programme", "dimension")]
        cols = [Column(k, OUTCOME_XLSX[k], 40 if k == "group" else 22, "L" if k == "group" else "R") for k in keys]
        order = ["kelurahan", "total", "skill", "sex", "age_band"]
        sheets = []
        for dim in order:
            part = [{**x, **{k: round(x[k] * 100, 1) if isinstance(x[k], float) else x[k]
                             for k in keys if k.endswith("rate")}} for x in rows if x["dimension"] == dim]
            sheets.append(Doc(title=f"HASIL PENELUSURAN ALUMNI (TRACER STUDY) · {DIMENSION_ID[dim].upper()}",
                              sheet=DIMENSION_ID[dim], docs=docs, rows=part, columns=cols, landscape=True,
                              note="Penempatan = (bekerja + wirausaha) dibagi terlacak, dan dibagi lulus. Acuan: "
                                   "target penempatan Kemnaker."))
        chart = {"title": "Lulus, terlacak, bekerja dan wirausaha per kelurahan", "categories_key": "group",
                 "series": [("completers", "Lulus"), ("followed_up", "Terlacak"), ("employed", "Bekerja"),
                            ("self_employed", "Wirausaha")], "y_title": "orang"}
        write_whole(path, lambda p: write_documents_xlsx(p, sheets, chart=chart))
        info(f"Wrote the outcomes of {chosen.name} to {path} (with a bar chart per kelurahan).")
        return
    if path is not None:
        import io

        buf = io.StringIO()
        if fmt is OutcomesFormat.json:
            buf.write(to_json(rows) + "\n")
        else:
            write_csv(rows, outcomes.OUTCOME_KEYS, buf)
        write_text_output(path, buf.getvalue())
        info(f"Wrote {len(rows)} row(s) to {path}.")
        return
    if fmt is not OutcomesFormat.table:
        emit(rows, OutputFormat(fmt.value), columns=outcomes.OUTCOME_KEYS)
        return
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    total = rows[0]
    for dim in ("total", "kelurahan", "skill", "sex", "age_band"):
        part = [x for x in rows if x["dimension"] == dim]
        if not part:
            continue
        table = Table(title=f"Outcomes · {chosen.name} · {dim.replace('_', ' ')}", box=box.SIMPLE_HEAD,
                      padding=(0, 0), title_justify="left")
        table.add_column("Group" if dim != "total" else "", no_wrap=True, overflow="ellipsis", min_width=10, max_width=20)
        for k in ("completers", "followed_up", "response_rate", "employed", "self_employed", "new_entrepreneurs",
                  "seeking", "studying", "placement_rate_followed_up", "placement_rate_completers"):
            table.add_column(OUTCOME_HEADERS[k], justify="right", no_wrap=True, min_width=len(OUTCOME_HEADERS[k]))
        for x in part:
            table.add_row(escape(str(x["group"])), str(x["completers"]), str(x["followed_up"]),
                          _pct(x["response_rate"]), str(x["employed"]), str(x["self_employed"]),
                          str(x["new_entrepreneurs"]), str(x["seeking"]), str(x["studying"]),
                          _pct(x["placement_rate_followed_up"]), _pct(x["placement_rate_completers"]))
        console().print(table)
    info("Done = completers; Resp = followed up after the training; Self = self-employed; New = wirausaha baru;")
    info(f"Pl = placement = (employed + self-employed) / responses, and / completers; reference rate "
         f"{_pct(total['reference_rate'])} (setting outcomes_reference_rate). Completers: {total['completers']}, "
         f"responses: {total['followed_up']} ({_pct(total['response_rate'])}); a low response rate makes "
         "the first rate look better than it is.")
