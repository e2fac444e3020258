"""Locate bundled files: data/ (shipped as the package pelatihan_cli.data) and fonts."""

from __future__ import annotations

from pathlib import Path


def data_path(name: str) -> Path:
    """Path of a bundled data file, from an installed wheel or a source checkout."""
    try:
        from importlib.resources import files

        candidate = Path(str(files("pelatihan_cli.data") / name))
        if candidate.exists():
            return candidate
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "data" / name


def font_path(name: str = "DejaVuSans.ttf") -> Path:
    return Path(__file__).resolve().parent / "render" / "fonts" / name
