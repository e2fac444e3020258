"""`pelatihan template`: files to hand out so that what comes back imports cleanly."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import (
    FormatOption, ForceOutputOption, OutputFormat, ProgrammeOption, check_output, done, get_db, programme_for, warn,
)

app = typer.Typer(help="Write templates for the kelurahan offices (a registration list that imports cleanly).",
                  no_args_is_help=True)


@app.callback()
def template() -> None:
    """Write templates for the kelurahan offices (a registration list that imports cleanly)."""


def _default_name(kelurahan: str | None) -> Path:
    slug = re.sub(r"[^0-9a-z]+", "_", (kelurahan or "").casefold()).strip("_")
    return Path(f"daftar_peserta_{slug}.xlsx" if slug else "daftar_peserta.xlsx")


@app.command(name="participants")
def template_participants(
    ctx: typer.Context,
    kelurahan: Annotated[Optional[str], typer.Option(
        "--kelurahan", "-k", help="The office's kelurahan (name, 'Name (Kecamatan)' or code): filled in, and its "
                                  "tracks in the PELATIHAN drop-down (default: any kelurahan, every track).")] = None,
    programme: ProgrammeOption = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="The .xlsx to write (default: daftar_peserta_<kelurahan>.xlsx).", dir_okay=False)] = None,
    force: ForceOutputOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Write the registration template of a kelurahan office (xlsx, in Indonesian).

    A sheet of instructions (who fills it, one row per person, NIK as 16-digit text,
    dates dd-mm-yyyy, what happens to wrong rows, where to send it), then the "Peserta"
    sheet with the headers `participant import` reads: NIK as Text with a 16-character
    check, drop-downs for L/P, the kelurahan's planned tracks and the work status, birth
    dates dd-mm-yyyy, phone as text, the kelurahan filled in. A filled template imports
    with no warnings.

    Examples:

      pelatihan template participants -k Medono

      pelatihan template participants -k 33.75.01.1006 -p 2025 -o daftar_medono.xlsx --force
    """
    from pelatihan_cli.cli._documents import write_whole
    from pelatihan_cli.render.template_xlsx import write_participant_template
    from pelatihan_cli.services.template import participant_template

    if output is not None and output.suffix.casefold() != ".xlsx":
        raise typer.BadParameter(f"{output} is not an .xlsx file name; the template is an Excel workbook.",
                                 param_hint="--output")
    db = get_db(ctx)
    prog = programme_for(db, programme)
    t = participant_template(db, kelurahan=kelurahan, prog=prog)
    path = check_output(output or _default_name(t.kelurahan), force)
    write_whole(path, lambda p: write_participant_template(p, t))
    for w in t.warnings:
        warn(w)
    obj = {"file": str(path), **t.as_dict()}
    tracks = ", ".join(t.tracks) or "none"
    where = f"kelurahan {t.kelurahan}" + (f" ({t.kelurahan_code})" if t.kelurahan_code else "") \
        if t.kelurahan else "any kelurahan"
    done(obj, f"Wrote {path}: the registration template for {where}; tracks: {tracks}.", fmt,
         columns=["file", "kelurahan", "kelurahan_code", "kecamatan", "programme", "tracks"])
