"""`pelatihan receipt`: the receipt lists (daftar penerimaan) people sign for their money,
and the realisation report, as PDF or xlsx (by the --output file's extension)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import (
    FormatOption, OutputFormat, ProgrammeOption, ShowNikOption, check_output, emit, get_db, info, programme_for, to_json, warn,
)

app = typer.Typer(help="Receipt lists (transport, honorarium), frozen when printed, and the realisation report.",
                  no_args_is_help=True)

OutputOption = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="Write the document to this .pdf or .xlsx file (printing freezes the list).")]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite the --output file if it exists.")]
BankOption = Annotated[bool, typer.Option("--bank", help="Add a bank-account column (for payment by transfer).")]
ReissueOption = Annotated[bool, typer.Option(
    "--reissue", help="Print a new version from attendance now (the printed one is superseded); needs --reason.")]
ReasonOption = Annotated[Optional[str], typer.Option("--reason", help="Why the list is reissued (recorded).")]


def _target(output: Optional[Path], force: bool) -> Optional[str]:
    """'pdf' or 'xlsx' from the file name; refuses an existing file without --force."""
    if output is None:
        return None
    kind = output.suffix.lower().lstrip(".")
    if kind not in ("pdf", "xlsx"):
        raise typer.BadParameter("the file must end in .pdf or .xlsx.", param_hint="--output")
    check_output(output, force)
    return kind


def _write(layout: dict, output: Path, kind: str) -> dict:
    if kind == "pdf":
        from pelatihan_cli.render.receipt_pdf import render_document_pdf

        data, facts = render_document_pdf(layout)
        output.write_bytes(data)
        return facts
    from pelatihan_cli.render.receipt_xlsx import write_document_xlsx

    write_document_xlsx(output, layout)
    return {}


LINE_HEADERS = {"no": "No", "name": "Name", "nik": "NIK", "bank_account": "Bank account", "jp": "JP",
                "rate": "Rate", "gross": "Gross", "tax": "PPh 21", "net": "Paid"}


def _show(doc: dict, fmt: OutputFormat, output: Optional[Path], facts: dict) -> None:
    from pelatihan_cli.domain.money import format_rupiah

    what = {"transport": f"transport list of session {doc['session_id']}, day {doc['day']}",
            "honorarium": "honorarium list of " + (f"session {doc['session_id']}" if doc["session_id"]
                                                   else doc["documents"].get("programme", "the programme"))}[doc["kind"]]
    for d in doc["differences"]:
        was = "-" if d["printed"] is None else format_rupiah(d["printed"])
        now = "-" if d["now"] is None else format_rupiah(d["now"])
        warn(f"since version {doc['version']} was printed: {d['name']}: {was} -> {now}")
    if doc["differences"]:
        warn(f"version {doc['version']} is superseded by attendance recorded since; it is what people signed. "
             "Print the next version with --reissue --reason '...'.")
    keys = ["no", "name"] + (["nik"] if doc["kind"] == "transport" else []) + (
        ["bank_account"] if doc.get("bank") else []) + (
        ["jp", "rate", "gross", "tax", "net"] if doc["kind"] == "honorarium" else ["net"])
    if fmt is OutputFormat.json:
        out = {k: doc.get(k) for k in ("kind", "programme_id", "session_id", "day", "date", "status", "version",
                                       "frozen_at", "reissue_reason", "superseded", "differences", "total_gross",
                                       "total_tax", "total", "terbilang")}
        out["lines"] = [{k: r.get(k) for k in keys + ["meterai"]} for r in doc["lines"]]
        out["output"] = str(output) if output else None
        out["pages"] = facts.get("pages")
        info(to_json(out))
        return
    if fmt is OutputFormat.csv:
        emit(doc["lines"], fmt, columns=keys + ["meterai"])
        return
    if output is not None:
        verb = {"frozen": f"Froze version {doc['version']} of the",
                "reissued": f"Reissued the {what} as version {doc['version']}: wrote the",
                "reprinted": f"Reprinted version {doc['version']} of the"}.get(doc["status"], "Wrote the")
        if doc["status"] == "reissued":
            verb = f"Reissued as version {doc['version']}: the"
        pages = f", {facts['pages']} page(s)" if facts.get("pages") else ""
        info(f"{verb} {what} ({len(doc['lines'])} line(s), {doc['total_text']}{pages}) to {output}.")
        return
    from pelatihan_cli.cli._money import money_table

    state = (f"version {doc['version']}, printed {doc['frozen_at']}" if doc["version"]
             else "draft: not printed yet (print it with -o FILE.pdf to freeze it)")
    money_table(doc["lines"], keys, LINE_HEADERS, title=f"{doc['title']} ({state})",
                footer={"name": "Total", "gross": doc["total_gross"], "tax": doc["total_tax"], "net": doc["total"]})
    info(f"Total {doc['total_text']} ({doc['terbilang']}).")


@app.command(name="transport")
def receipt_transport(
    ctx: typer.Context,
    session: Annotated[int, typer.Argument(help="Session id.")],
    day: Annotated[int, typer.Option("--day", help="Training day (1, 2, ...).")],
    output: OutputOption = None,
    force: ForceOption = False,
    bank: BankOption = False,
    reissue: ReissueOption = False,
    reason: ReasonOption = None,
    show_nik: ShowNikOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Daftar Penerimaan Uang Transport Peserta of one session day: the people present that day.

    Examples:

      pelatihan receipt transport 1 --day 1                      # look first (a draft until printed)

      pelatihan receipt transport 1 --day 1 -o transport-1-1.pdf  # print: freezes version 1

      pelatihan receipt transport 1 --day 1 -o v2.pdf --reissue --reason "absen dikoreksi"
    """
    from pelatihan_cli.services import receipts

    kind = _target(output, force)
    db = get_db(ctx)
    doc = receipts.transport(db, session, day, freeze=kind is not None, reissue=reissue, reason=reason,
                             show_nik=show_nik, bank=bank)
    facts = _document(doc, output, kind)
    _show(doc, fmt, output, facts)


@app.command(name="honorarium")
def receipt_honorarium(
    ctx: typer.Context,
    session: Annotated[Optional[int], typer.Argument(help="Session id (default: the whole programme).")] = None,
    programme: ProgrammeOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    bank: BankOption = False,
    reissue: ReissueOption = False,
    reason: ReasonOption = None,
    show_nik: ShowNikOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Daftar Penerimaan Honorarium Instruktur of one session or of a programme: JP, rate, gross,
    PPh 21 by the instructor's category (rounded down to the rupiah), amount paid.

    Examples:

      pelatihan receipt honorarium -p 2024 -o honorarium-2024.pdf
    """
    from pelatihan_cli.services import receipts

    kind = _target(output, force)
    db = get_db(ctx)
    pid = None if session is not None else programme_for(db, programme, fmt, required=True).id
    doc = receipts.honorarium(db, programme_id=pid, session_id=session, freeze=kind is not None, reissue=reissue,
                              reason=reason, show_nik=show_nik, bank=bank)
    facts = _document(doc, output, kind)
    _show(doc, fmt, output, facts)


def _document(doc: dict, output: Optional[Path], kind: Optional[str]) -> dict:
    if kind is None:
        return {}
    from pelatihan_cli.render.receipt_layout import receipt_layout

    facts = _write(receipt_layout(doc), output, kind)
    if facts.get("missing_chars"):
        warn(f"the PDF font has no glyph for {len(facts['missing_chars'])} character(s) in the names; "
             "they are printed as '?'. Write those names by hand.")
    return facts


@app.command(name="realisation")
def receipt_realisation(
    ctx: typer.Context,
    programme: ProgrammeOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Rekapitulasi Realisasi Anggaran of a programme: per line planned, realised, left, and the ceiling.

    Examples:

      pelatihan receipt realisation -p 2024 -o realisasi-2024.pdf
    """
    from pelatihan_cli.services import budget, clock
    from pelatihan_cli.services.programmes import document_settings

    kind = _target(output, force)
    db = get_db(ctx)
    p = programme_for(db, programme, fmt, required=True)
    report = budget.report(db, p.id, "line")
    if kind is not None:
        from pelatihan_cli.render.receipt_layout import realisation_layout

        facts = _write(realisation_layout(report, document_settings(db, p.id), clock.today().isoformat()),
                       output, kind)
        if fmt is OutputFormat.json:
            info(to_json({"programme": p.name, "output": str(output), "pages": facts.get("pages"),
                          "planned": report["planned"], "realised": report["realised"], "ceiling": report["ceiling"]}))
        else:
            pages = f", {facts['pages']} page(s)" if facts.get("pages") else ""
            info(f"Wrote the realisation report of {p.name}{pages} to {output}.")
        return
    from pelatihan_cli.cli.report_budget import print_report

    print_report(report, fmt)


@app.command(name="list")
def receipt_list(
    ctx: typer.Context,
    programme: ProgrammeOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Every printed version of the programme's receipt lists: current, superseded (attendance
    changed since it was printed) or replaced (a later version was printed)."""
    from pelatihan_cli.services import receipts

    db = get_db(ctx)
    p = programme_for(db, programme, fmt, required=True)
    rows = receipts.versions(db, p.id)
    columns = ["receipt_id", "kind", "session_id", "day", "version", "total", "now", "status", "frozen_at",
               "reissue_reason", "differences"]
    if fmt is OutputFormat.table:
        if not rows:
            warn("No receipt list printed yet; print one with `pelatihan receipt transport SESSION --day N -o FILE.pdf`.")
            return
        from pelatihan_cli.cli._money import money_table

        money_table([{**r, "differences": len(r["differences"]) or ""} for r in rows], columns[1:-2] + ["differences"],
                    title=f"Receipt lists of {p.name}")
        return
    if fmt is OutputFormat.csv:
        rows = [{**r, "differences": len(r["differences"])} for r in rows]
    emit(rows, fmt, columns=columns, title=f"Receipt lists of {p.name}",
         empty_message="No receipt list printed yet; print one with `pelatihan receipt transport SESSION --day N -o FILE.pdf`.")
