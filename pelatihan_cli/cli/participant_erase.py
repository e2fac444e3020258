"""Participant command (stub: filled in by its issue)."""

from __future__ import annotations

from pelatihan_cli.cli.participant import app  # noqa: F401
