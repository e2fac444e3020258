"""`pelatihan participant import`: batch-enroll a participant list (CSV, TSV, JSON,
JSON lines, xlsx or stdin) with the rules of `participant enroll`."""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import InputFormatOption, ProgrammeOption, SheetOption, get_db, info, to_json, warn
from pelatihan_cli.cli.participant import AcceptMismatch, AllowOutside, app
from pelatihan_cli.errors import RowErrors

#: a file at least this big gets a progress bar (when stderr is a terminal)
PROGRESS_MIN_BYTES = 2_000_000


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
    session: Annotated[Optional[int], typer.Option("--session", help="Enroll every row in this session id.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and print the summary; write nothing.")] = False,
    on_error: Annotated[OnError, typer.Option(
        "--on-error", help="abort: any bad row and nothing is written (exit 1); "
                           "skip: write the good rows, list the bad ones (exit 3).")] = OnError.abort,
    rejects: Annotated[Optional[Path], typer.Option(
        "--rejects", help="Write the bad rows here (original columns + error), in the input's format family.",
        dir_okay=False)] = None,
    sheet: SheetOption = None,
    input_format: InputFormatOption = None,
    fmt: Annotated[SummaryFormat, typer.Option("--format", "-f", help="Summary as a table, or json for scripts.")]
    = SummaryFormat.table,
    allow_outside: AllowOutside = False,
    accept_nik_mismatch: AcceptMismatch = False,
    programme: ProgrammeOption = None,
    include_hidden: Annotated[bool, typer.Option(
        "--include-hidden", help="Also import the rows (and read the columns) hidden in the spreadsheet; "
                                 "by default they are skipped and listed.")] = False,
    all_sheets: Annotated[bool, typer.Option(
        "--all-sheets", help="Import every sheet that has a participant header (one sheet per kelurahan: "
                             "a sheet without a kelurahan column gives its name as the kelurahan).")] = False,
) -> None:
    """Import a participant list: every row is enrolled with the rules of `participant enroll`.

    Headers (any case; spaces, _ and . ignored): nik/no_ktp, nama/name, tanggal_lahir, jenis_kelamin/jk/l_p, alamat, kelurahan, no_hp/telepon, sesi/session, pelatihan/skill, no_ak1.

    Exit 0 when all is well; 1 when rows were bad with --on-error abort (nothing written); 3 when rows were rejected with --on-error skip.
    """
    from pelatihan_cli.services import participant_import as svc

    db = get_db(ctx)
    with _progress(file) as progress:
        summary = svc.import_participants(
            db, file, input_format=input_format.value if input_format else None, sheet=sheet,
            session_id=session, on_error=on_error.value, dry_run=dry_run,
            rejects=rejects, progress=progress, allow_outside=allow_outside,
            accept_nik_mismatch=accept_nik_mismatch, programme=programme,
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
            e = RowErrors(f"{bad} row(s) of {summary.read} rejected{where}; the other rows were {done}.",
                          summary.errors)
            e.exit_code = 3  # type: ignore[attr-defined]
        raise e


#: table output shows this many warnings; --format json has them all
WARNINGS_SHOWN = 10


def _print_summary(s) -> None:
    for line in getattr(s, "notes", ()):
        sys.stderr.write(f"Note: {line}\n")
    for w in s.warnings[:WARNINGS_SHOWN]:
        warn(w)
    if len(s.warnings) > WARNINGS_SHOWN:
        warn(f"... and {len(s.warnings) - WARNINGS_SHOWN} more warning(s); --format json lists them all.")
    if s.dry_run:
        head = "Dry run, nothing written. "
    elif s.errors and s.on_error == "abort":
        head = "Nothing imported. "
    else:
        head = ""
    info(f"{head}Read {s.read} row(s): {s.enrolled} enrolled, {s.waitlisted} waitlisted, {s.updated} updated, "
         f"{s.unchanged} unchanged, {s.rejected} rejected.")


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
