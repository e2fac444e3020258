"""Shared pieces of the commands that write documents (certificates, printouts, call
sheets): the --output/-o and --force options, and writing a file whole so that an
interrupted command never leaves half a file under the name given."""

from __future__ import annotations

import enum
import os
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from pelatihan_cli.cli._common import check_output  # noqa: F401  (the one rule, re-exported)

ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite the --output file if it exists.")]


class DocFormat(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"
    pdf = "pdf"
    xlsx = "xlsx"


DocFormatOption = Annotated[DocFormat, typer.Option(
    "--format", "-f", help="table, csv or json on stdout (or --output); pdf or xlsx written to --output.")]


def output_option(default_hint: str) -> object:
    return Annotated[Optional[Path], typer.Option("--output", "-o", help=f"File to write ({default_hint}).")]


def write_whole(path: Path, write: Callable[[Path], None]) -> None:
    """Call write(tmp) on a hidden file beside `path`, then rename it into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text_output(path: Path, text: str) -> None:
    write_whole(path, lambda p: p.write_text(text, encoding="utf-8", newline=""))
