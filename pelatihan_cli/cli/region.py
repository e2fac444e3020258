"""`pelatihan region`: the built-in national list of provinces, kabupaten/kota, kecamatan
and desa/kelurahan (Kepmendagri 2025)."""

from __future__ import annotations

from typing import Annotated

import typer

from pelatihan_cli.cli._common import FormatOption, OutputFormat, emit

app = typer.Typer(help="Search the built-in national list of regions for names and codes.", no_args_is_help=True)



@app.callback()
def region() -> None:
    """Search the built-in national list of regions for names and codes."""
    # with a single command and no callback, Typer would run `region TEXT` directly


COLUMNS = ["code", "name", "level", "kecamatan", "kabupaten", "provinsi"]


@app.command(name="search")
def region_search(
    text: Annotated[str, typer.Argument(help="Part of a name (case and spaces ignored) or the start of a code.")],
    limit: Annotated[int, typer.Option("--limit", min=0, help="Show at most this many (0: all).")] = 50,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Find provinces, kabupaten/kota, kecamatan and desa/kelurahan by name or code, for
    `init --region`, `kelurahan add --code` and import files.

    Examples:

      pelatihan region search purwosari

      pelatihan region search "kota semarang" --limit 5

      pelatihan region search 33.74.02 --format csv
    """
    import sys

    from pelatihan_cli.services import regions

    r = regions.search_list(text, limit)
    emit(r["rows"], fmt, columns=COLUMNS, title=f"Regions matching {text!r}",
         empty_message=f"Nothing in the national list matches {text!r}.")
    more = r["total"] - len(r["rows"])
    if more > 0:
        sys.stderr.write(f"... and {more} more; narrow the search or raise --limit (0: all).\n")
