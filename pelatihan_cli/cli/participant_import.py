"""`pelatihan participant import`: batch-enroll a participant list (CSV, TSV, JSON,
JSON lines, xlsx or stdin) with the rules of `participant enroll`."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from pelatihan_cli.cli._common import (
    ForceOutputOption, InputFormatOption, ProgrammeOption, SheetOption, check_output, get_db, info, rows_refused,
    to_json, warn,
)
from pelatihan_cli.cli.participant import app
from pelatihan_cli.errors import RowErrors

#: a file at least this big gets a progress bar (when stderr is a terminal)
PROGRESS_MIN_BYTES = 2_000_000

#: the per-row overrides of an import: NIK or row number, repeatable
RowsOption = List[str]


class OnError(str, enum.Enum):
    abort = "abort"
    skip = "skip"


class SummaryFormat(str, enum.Enum):
    table = "table"
    json = "json"


@app.command(name="import")
def participant_import(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="The list to import (.csv .tsv .txt .json .jsonl .xlsx .xls .ods), or - for stdin.",
                                        show_default=False)],
    session: Annotated[Optional[int], typer.Option(
        "--session", "-s", help="Enroll every row in this session id (a skill cell must agree with it).")] = None,
    kelurahan: Annotated[Optional[str], typer.Option(
        "--kelurahan", "-k", help="The file's kelurahan: its sessions take the rows; rows without a kelurahan "
                                  "live there, rows living elsewhere need --allow-outside-for.")] = None,
    first_free_seat: Annotated[bool, typer.Option(
        "--first-free-seat", help="A row naming no skill, in a kelurahan with several tracks, takes the first "
                                  "session with a free seat (refused otherwise).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and print the summary; write nothing.")] = False,
    on_error: Annotated[OnError, typer.Option(
        "--on-error", help="abort: any bad row and nothing is written (exit 1); "
                           "skip: write the good rows, list the bad ones (exit 3).")] = OnError.abort,
    rejects: Annotated[Optional[Path], typer.Option(
        "--rejects", help="Write the bad rows here (original columns + error), in the input's format family.",
        dir_okay=False)] = None,
    force: ForceOutputOption = False,
    sheet: SheetOption = None,
    input_format: InputFormatOption = None,
    fmt: Annotated[SummaryFormat, typer.Option("--format", "-f", help="Summary as a table, or json for scripts.")]
    = SummaryFormat.table,
    accept_nik_mismatch_for: Annotated[Optional[RowsOption], typer.Option(
        "--accept-nik-mismatch-for", metavar="NIK|ROW",
        help="Keep this row's birth date/sex that differs from its NIK (recorded); repeatable.")] = None,
    allow_outside_for: Annotated[Optional[RowsOption], typer.Option(
        "--allow-outside-for", metavar="NIK|ROW",
        help="Let this row's person, living in another kelurahan, join (recorded); repeatable.")] = None,
    accept_name_change_for: Annotated[Optional[RowsOption], typer.Option(
        "--accept-name-change-for", metavar="NIK|ROW",
        help="This row's NIK is registered under another name: store the row's name (recorded); repeatable.")] = None,
    allow_outside: Annotated[bool, typer.Option(
        "--allow-outside", hidden=True, help="Refused on an import (it would cover every row): use --allow-outside-for.")] = False,
    accept_nik_mismatch: Annotated[bool, typer.Option(
        "--accept-nik-mismatch", hidden=True,
        help="Refused on an import (it would cover every row): use --accept-nik-mismatch-for.")] = False,
    programme: ProgrammeOption = None,
    include_hidden: Annotated[bool, typer.Option(
        "--include-hidden", help="Also import the rows (and read the columns) hidden in the spreadsheet; "
                                 "by default they are skipped and listed.")] = False,
    all_sheets: Annotated[bool, typer.Option(
        "--all-sheets", help="Import every sheet that has a participant header (one sheet per kelurahan: "
                             "a sheet without a kelurahan column gives its name as the kelurahan).")] = False,
) -> None:
    """Import a participant list: every row is enrolled with the rules of `participant enroll`.

    A row goes to --session, its sesi cell, or the session of the track its skill cell names in its kelurahan (or the file's, --kelurahan). Overrides name their rows: --accept-nik-mismatch-for, --allow-outside-for, --accept-name-change-for NIK|ROW.

    Headers (any case; spaces, _ and . ignored): nik/no_ktp, nama/name, tanggal_lahir, jenis_kelamin/jk/l_p, alamat, kelurahan, no_hp/telepon, sesi/session, pelatihan/skill, no_ak1.

    Exit 0 when all is well; 1 when rows were bad with --on-error abort (nothing written); 3 when rows were rejected with --on-error skip.
    """
    from pelatihan_cli.services import participant_import as svc

    if rejects is not None:
        check_output(rejects, force)  # before any row is read: an existing file needs --force
    db = get_db(ctx)
    with _progress(file) as progress:
        summary = svc.import_participants(
            db, file, input_format=input_format.value if input_format else None, sheet=sheet,
            session_id=session, on_error=on_error.value, dry_run=dry_run,
            rejects=rejects, progress=progress, allow_outside=allow_outside,
            accept_nik_mismatch=accept_nik_mismatch, programme=programme, kelurahan=kelurahan,
            first_free_seat=first_free_seat, accept_nik_mismatch_for=accept_nik_mismatch_for or (),
            allow_outside_for=allow_outside_for or (), accept_name_change_for=accept_name_change_for or (),
            include_hidden=include_hidden, all_sheets=all_sheets)
    if summary.programme and not programme:
        from pelatihan_cli.services.programmes import count

        if count(db) > 1:
            sys.stderr.write(f"Programme: {summary.programme} (the default; choose another with --programme)\n")
    if fmt is SummaryFormat.json:
        sys.stdout.write(to_json(summary.as_dict()) + "\n")
    else:
        _print_summary(summary)
    if summary.errors:
        bad = summary.rejected
        if on_error is OnError.abort:
            e = RowErrors(f"{bad} bad row(s) of {summary.read}; nothing was imported. Fix them (or use "
                          "--on-error skip to import the good rows) and run the import again.", summary.errors)
        else:
            where = f", written to {summary.rejects_path}" if summary.rejects_path else ""
            done = "checked" if dry_run else "imported"
            e = RowErrors(rows_refused(bad, summary.read, "rejected", where, done), summary.errors)
            e.exit_code = 3  # type: ignore[attr-defined]
        raise e


def _print_summary(s) -> None:
    for line in getattr(s, "notes", ()):
        if s.dry_run and line in s.skip_notes:
            continue   # the preview lists these rows on stdout
        sys.stderr.write(f"Note: {line}\n")
    for w in s.warning_lines:   # every warning; identical ones in one line with their rows
        warn(w)
    if s.dry_run:
        head = "Dry run, nothing written. "
    elif s.errors and s.on_error == "abort":
        head = "Nothing imported. "
    else:
        head = ""
    info(f"{head}Read {s.read} row(s): {s.enrolled} enrolled, {s.waitlisted} waitlisted, {s.updated} updated, "
         f"{s.unchanged} unchanged, {s.rejected} rejected.")
    for k in s.skills:
        value = "(no skill)" if k["value"] is None else repr(k["value"])
        info(f"  skill {value} -> {k['track'] or 'first free seat'}: {k['rows']} row(s)")
    for x in s.sessions:
        info(f"  session {x['session_id']} ({x['kelurahan']} · {x['skill']}): {x['enrolled']} enrolled, "
             f"{x['waitlisted']} waitlisted")
    if s.dry_run:
        _print_preview(s)


def _print_preview(s) -> None:
    """--dry-run: after the counts, how the columns were mapped (ignored ones and why) and
    which rows were left out of the table (title, column numbers, footer, hidden)."""
    from pelatihan_cli.cli._common import print_table
    from pelatihan_cli.importing.locate import row_ranges

    rows = [{"header": c["header"], "field": c["field"] or "-", "note": c["reason"] or ""} for c in s.columns]
    print_table(rows, ["header", "field", "note"], headers={"header": "Column", "field": "Field",
                                                           "note": "Not used because"}, title="Columns")
    if not s.skipped:
        info("Skipped rows: none.")
    else:
        info("Skipped rows:")
        for x in s.skipped:
            label = "row" if len(x["rows"]) == 1 else "rows"
            info(f"  {label} {row_ranges(x['rows'])}: {x['reason']}")


class _progress:
    """A rich progress bar on stderr, only when stderr is a terminal and the file is large."""

    def __init__(self, file: str):
        self.bar = None
        if file == "-" or not sys.stderr.isatty():
            return
        try:
            size = Path(file).stat().st_size
        except OSError:
            return
        if size < PROGRESS_MIN_BYTES:
            return
        from rich.progress import Progress

        from pelatihan_cli.cli._common import err_console

        self.bar = Progress(console=err_console(), transient=True)
        self.task = None

    def __enter__(self):
        if self.bar is None:
            return None
        self.bar.__enter__()

        def update(done: int, total: int | None, unit: str) -> None:
            if self.task is None:
                self.task = self.bar.add_task("Importing", total=total)
            self.bar.update(self.task, completed=done, total=total)

        return update

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
