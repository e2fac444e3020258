"""`pelatihan instructor` (stub: filled in by its issue)."""

from __future__ import annotations

import typer

app = typer.Typer(help="instructor commands.", no_args_is_help=True)
