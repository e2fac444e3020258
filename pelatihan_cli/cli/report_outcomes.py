"""Report commands (stub: filled in by its issue)."""

from __future__ import annotations

from pelatihan_cli.cli.report import app  # noqa: F401
