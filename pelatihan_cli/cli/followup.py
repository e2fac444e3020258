"""`pelatihan followup`: the tracer study — who is due, record an answer, import a survey, show."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import (
    ForceOutputOption, FormatOption, InputFormatOption, OutputFormat, ProgrammeOption, SheetOption, ShowNikOption, emit, get_db,
    info, programme_for, rows_refused, to_json, warn,
)
from pelatihan_cli.cli._documents import ForceOption, check_output, write_text_output, write_whole

app = typer.Typer(help="Follow-up (tracer study): who is due, record answers, import a survey export.",
                  no_args_is_help=True)


@app.command(name="record")
def followup_record(
    ctx: typer.Context,
    nik: Annotated[str, typer.Argument(help="NIK of the person (16 digits).", show_default=False)],
    status: Annotated[str, typer.Option(
        "--status", help="employed/bekerja, self-employed/wirausaha, seeking/belum bekerja, studying/melanjutkan.",
        show_default=False)],
    business: Annotated[Optional[str], typer.Option("--business", help="The business or workplace.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Since when in this status (a date).")] = None,
    income_band: Annotated[Optional[str], typer.Option(
        "--income-band", help="A band ('1-2 UMK'; see `config list`) or an amount in rupiah, placed in its band.")]
    = None,
    note: Annotated[Optional[str], typer.Option("--note", help="Free text.")] = None,
    answered_on: Annotated[Optional[str], typer.Option(
        "--answered-on", help="The day of the answer (default: today).")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Record one follow-up answer (several over time are kept; the latest counts).

    Examples:

      pelatihan followup record 3375014107900001 --status wirausaha --business "Kue kering" --since 2024-08-01

      pelatihan followup record 3375014107900002 --status "belum bekerja"
    """
    from pelatihan_cli.services import followups

    r = followups.record(get_db(ctx), nik, followups.FollowupInput(
        status=status, answered_on=answered_on, business=business, since=since, income_band=income_band, note=note))
    if fmt is OutputFormat.json:
        info(to_json(r))
    elif fmt is OutputFormat.csv:
        emit([r], fmt)
    elif r["recorded"]:
        info(f"Recorded {r['status']} on {r['answered_on']} for {r['name']} ({r['followups']} follow-up(s) in all).")
    else:
        info(f"{r['name']} already has this answer ({r['status']} on {r['answered_on']}); nothing changed.")


class DueFormat(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


@app.command(name="due")
def followup_due(
    ctx: typer.Context,
    months: Annotated[int, typer.Option("--months", help="Training ended at least this many months ago.")] = 3,
    programme: ProgrammeOption = None,
    show_nik: ShowNikOption = False,
    fmt: Annotated[DueFormat, typer.Option(
        "--format", "-f", help="table, csv or json; xlsx: a call sheet written to --output.")] = DueFormat.table,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="File to write (default for xlsx: followup-due.xlsx).")] = None,
    force: ForceOption = False,
) -> None:
    """Completers whose training ended at least --months ago with no follow-up since.

    Phones are masked and wa.me links left out unless --show-nik (logged): a link holds
    the whole number.
    """
    from pelatihan_cli.services import followups

    if fmt is DueFormat.xlsx or output is not None:
        path = check_output(output or Path("followup-due.xlsx"), force, kind="xlsx" if fmt is DueFormat.xlsx else None)
    db = get_db(ctx)
    chosen = programme_for(db, programme, None if fmt is DueFormat.table else "json", required=True)
    rows = followups.due(db, chosen.id, months=months, show_nik=show_nik)
    if fmt is DueFormat.xlsx:
        from pelatihan_cli.render.documents import Column, Doc, write_documents_xlsx
        from pelatihan_cli.services import clock
        from pelatihan_cli.services.programmes import document_settings

        for n, r in enumerate(rows, start=1):
            r["no"] = n
        doc = Doc(title="DAFTAR PANGGILAN TRACER STUDY (PENELUSURAN ALUMNI)", sheet="Tracer study",
                  docs=document_settings(db, chosen.id), rows=rows, landscape=True,
                  info=[("Selesai pelatihan", f"paling lambat {months} bulan yang lalu"),
                        ("Jumlah", f"{len(rows)} orang")],
                  columns=[Column("no", "No", 8, "C"), Column("name", "Nama", 45), Column("nik", "NIK", 34),
                           Column("phone", "No HP", 28), Column("wa_link", "WhatsApp", 50),
                           Column("kelurahan", "Kelurahan", 30), Column("skill", "Keterampilan", 30),
                           Column("end_date", "Selesai", 20), Column("status_now", "Status sekarang", 30),
                           Column("answer_note", "Catatan", 40)],
                  links={"wa_link": "wa_link"}, sign_on=clock.today(),
                  note="Status: bekerja, wirausaha, belum bekerja, melanjutkan. Isi kolom Status sekarang (dan "
                       "Catatan) untuk yang sudah dihubungi, lalu impor berkas ini: pelatihan followup import "
                       "BERKAS; baris tanpa jawaban dilewati. NIK lengkap, nomor lengkap dan tautan WhatsApp hanya "
                       "dengan --show-nik (impor memerlukan NIK lengkap).")
        write_whole(path, lambda p: write_documents_xlsx(p, [doc]))
        info(f"Wrote {len(rows)} person(s) to {path}.")
        return
    if output is not None:
        from pelatihan_cli.cli._common import write_csv

        if fmt is DueFormat.json:
            write_text_output(path, to_json(rows) + "\n")
        else:
            import io

            buf = io.StringIO()
            write_csv(rows, followups.DUE_KEYS, buf)
            write_text_output(path, buf.getvalue())
        info(f"Wrote {len(rows)} person(s) to {path}.")
        return
    emit(rows, OutputFormat(fmt.value), columns=followups.DUE_KEYS,
         table_columns=["nik", "name", "phone", "kelurahan", "skill", "end_date", "months_since"],
         headers={"nik": "NIK", "end_date": "Ended", "months_since": "Months"},
         title=f"Follow-up due · {chosen.name} · ended {months}+ month(s) ago",
         empty_message=f"Nobody is due: every completer whose training ended {months}+ month(s) ago has answered.")


class OnError(str, enum.Enum):
    abort = "abort"
    skip = "skip"


@app.command(name="import")
def followup_import(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="Survey export (.csv .tsv .json .jsonl .xlsx .xls .ods), or - for stdin.",
                                        show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and print the summary; write nothing.")]
    = False,
    on_error: Annotated[OnError, typer.Option(
        "--on-error", help="abort: any bad row and nothing is recorded (exit 1); skip: record the good rows, "
                           "list the bad ones (exit 3).")] = OnError.abort,
    rejects: Annotated[Optional[Path], typer.Option(
        "--rejects", help="With --on-error skip: write the bad rows here (original columns + error).",
        dir_okay=False)] = None,
    force: ForceOutputOption = False,
    sheet: SheetOption = None,
    input_format: InputFormatOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Import follow-up answers from a survey export (e.g. Google Forms CSV).

    Columns (matched as in participant import): Timestamp/Cap waktu, NIK, Status pekerjaan
    (Indonesian answers read: bekerja, wirausaha, belum bekerja, melanjutkan), and optional
    Nama usaha, Sejak, Penghasilan, Catatan. An answer naming no status or two is refused,
    never guessed. A stored answer (same person, day and status) is not recorded twice.
    """
    from pelatihan_cli.errors import RowErrors
    from pelatihan_cli.services import followups

    if rejects is not None and on_error is not OnError.skip:
        raise typer.BadParameter("--rejects goes with --on-error skip.", param_hint="--rejects")
    if rejects is not None:
        check_output(rejects, force)
    s = followups.import_followups(get_db(ctx), file, input_format=input_format.value if input_format else None,
                                   sheet=sheet, dry_run=dry_run, on_error=on_error.value,
                                   rejects=str(rejects) if rejects else None)
    for line in s.notes:
        sys.stderr.write(f"Note: {line}\n")
    for w in s.warnings:
        warn(w)
    if fmt is OutputFormat.json:
        info(to_json(s.as_dict()))
    elif fmt is OutputFormat.csv:
        emit([{k: v for k, v in s.as_dict().items() if k not in ("mapping", "errors", "warnings",
                                                                  "ignored_columns")}], fmt)
    else:
        what = "would be recorded (dry run)" if dry_run else "recorded"
        info(f"Read {s.read} row(s): {s.recorded} follow-up(s) {what}, {s.already} already recorded, "
             f"{s.refused} refused.")
        if s.ignored_columns:
            info(f"Columns not used: {', '.join(s.ignored_columns)}.")
    if s.errors:
        where = f", written to {s.rejects_file}" if s.rejects_file else ""
        e = RowErrors(rows_refused(s.refused, s.read, "refused", where, "checked" if dry_run else "recorded"),
                      s.errors)
        e.exit_code = 3
        raise e


@app.command(name="show")
def followup_show(
    ctx: typer.Context,
    nik: Annotated[str, typer.Argument(help="NIK of the person.", show_default=False)],
    show_nik: ShowNikOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Every follow-up of one person, oldest first (the last one counts)."""
    from pelatihan_cli.services import followups

    db = get_db(ctx)
    rows = followups.history(db, nik, show_nik=show_nik)
    emit(rows, fmt, columns=followups.FOLLOWUP_KEYS,
         table_columns=["answered_on", "status", "business", "since", "income_band", "note"],
         title="Follow-ups", empty_message="No follow-up recorded for this person yet.")
