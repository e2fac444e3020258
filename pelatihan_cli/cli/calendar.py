"""Top-level command(s) of this area (stub: filled in by its issue)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's top-level commands to the root app."""
