"""`pelatihan skill` (stub: filled in by its issue)."""

from __future__ import annotations

import typer

app = typer.Typer(help="skill commands.", no_args_is_help=True)
