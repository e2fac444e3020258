"""Shared pieces of the printout commands (`report schedule|waitlist|attendance|contacts|
no-shows`): the --format/--output options, choosing the format and file before anything
is read, and writing rows or documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional, Sequence

import typer

from pelatihan_cli.cli._common import OutputFormat, check_output, emit, info, to_json, warn, write_csv
from pelatihan_cli.cli._documents import DocFormat, write_text_output, write_whole


def complete_session(ctx, incomplete):
    from pelatihan_cli.cli import _complete

    return _complete.session(ctx, incomplete)


SessionArg = Annotated[str, typer.Argument(metavar="SESSION", help="Session number (see `pelatihan session list`).",
                                           show_default=False, autocompletion=complete_session)]
PrintFormatOption = Annotated[Optional[DocFormat], typer.Option(
    "--format", "-f", metavar="FORMAT", show_default=False,
    help="table, csv or json; pdf or xlsx to print. Default: from the --output file's extension, else table.")]
OutputOption = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="File to write (csv, json, pdf, xlsx). pdf/xlsx without it: a default name in the "
    "current directory.", show_default=False)]

PRINTED = (DocFormat.pdf, DocFormat.xlsx)


def plan_output(fmt: Optional[DocFormat], output: Optional[Path], default_stem: str,
                force: bool) -> tuple[DocFormat, Optional[Path]]:
    """The format (given, else the --output file's extension, else table) and the file to
    write (pdf/xlsx: --output or DEFAULT_STEM.pdf/.xlsx), refused when it exists and no
    --force. Checked before anything is read."""
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    if fmt is None:
        fmt = DocFormat(suffix) if suffix in {"csv", "json", "pdf", "xlsx"} else DocFormat.table
    if output is not None and fmt is DocFormat.table:
        raise typer.BadParameter("--output needs --format csv, json, pdf or xlsx (or a file name ending in "
                                 ".csv, .json, .pdf or .xlsx).", param_hint="--output")
    if fmt in PRINTED and suffix in {"csv", "json", "pdf", "xlsx"} and suffix != fmt.value:
        raise typer.BadParameter(f"--format {fmt.value} writes a {fmt.value.upper()} file; name it "
                                 f"{output.stem}.{fmt.value}, not {output.name}.", param_hint="--output")
    if fmt in PRINTED and output is None:
        import re

        output = Path(re.sub(r"[^\w.-]+", "-", default_stem).strip("-") + f".{fmt.value}")
    if output is not None:
        output = check_output(output, force)
    return fmt, output


def write_rows(fmt: DocFormat, output: Optional[Path], rows: list[dict], columns: Sequence[str], what: str,
               **table) -> None:
    """table/csv/json: on stdout (emit), or csv/json written whole to --output."""
    if output is None:
        if fmt is DocFormat.table:  # an erased person stays counted, without a name
            rows = [r if r.get("name") or "name" not in r else {**r, "name": "(erased)"} for r in rows]
        emit(rows, OutputFormat(fmt.value), columns=columns, **table)
        return
    if fmt is DocFormat.json:
        write_text_output(output, to_json([{c: r.get(c) for c in columns} for r in rows]) + "\n")
    else:
        import io

        buf = io.StringIO()
        write_csv(rows, columns, buf)
        write_text_output(output, buf.getvalue())
    info(f"Wrote {len(rows)} {what} to {output}.")


def write_printout(fmt: DocFormat, output: Path, docs: list, what: str, count: str) -> None:
    """Write the Docs (render/printouts) as PDF or xlsx, whole, and say what was written."""
    from pelatihan_cli.render.printouts import write_printout as render

    facts: dict = {}

    def write(tmp: Path) -> None:
        facts.update(render(tmp, fmt.value, docs))

    write_whole(output, write)
    pages = f", {facts['pages']} page(s)" if "pages" in facts else ""
    info(f"Wrote {what} ({count}{pages}) to {output}.")
    if facts.get("missing_chars"):
        warn(f"the PDF font has no glyph for {len(facts['missing_chars'])} character(s); they are printed as '?'. "
             "Write those names by hand on the sheet.")


def document_settings(db, programme_id: int | None) -> dict:
    from pelatihan_cli.services.programmes import document_settings as settings

    return settings(db, programme_id)


def today():
    from pelatihan_cli.services import clock

    return clock.today()
