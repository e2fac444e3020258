"""Small tables the operator imports whole: kelurahan, instructors, session plans,
auto-plan requests. CSV (comma, semicolon or tab; UTF-8 or Windows-1252), TSV, JSON (a
list of objects), JSON lines or xlsx, read through the same readers as participant lists.

Rows come back as (row number, {column: text}) with lower-case, trimmed column names;
the row number is the one the operator sees: the spreadsheet/CSV line (header = 1),
or the position of the object in a JSON list (first = 1). Blank rows are skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from pelatihan_cli.errors import ValidationError
from pelatihan_cli.importing.readers import FORMATS, detect_format, open_rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):  # JSON: "skills": ["Merajut", "Tas"]
        return ";".join(_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat") and not isinstance(value, str):
        iso = value.isoformat()
        return iso[:10] if iso.endswith("T00:00:00") else iso
    return str(value).strip()


def _header(name) -> str:
    return " ".join(_text(name).lower().replace("_", " ").split()).replace(" ", "_")


def _format_of(path: Path) -> str:
    """The reader format: from the extension, else JSON when the text starts with '[', else CSV."""
    try:
        return detect_format(str(path), None)
    except ValidationError:
        with path.open("rb") as f:
            head = f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
        return "json" if head.startswith(b"[") else "csv"


def read_rows(path: Path | str, *, required: Iterable[str], known: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    """Read a small table file into numbered rows of text; missing required columns are
    one error naming them and the expected header."""
    path = Path(path)
    required, known = list(required), list(known)
    if not path.exists():
        raise ValidationError(f"File {path} does not exist.", field="file", value=str(path))
    if path.is_dir():
        raise ValidationError(f"{path} is a directory; give a CSV, JSON or xlsx file.", field="file", value=str(path))
    fmt = _format_of(path)
    assert fmt in FORMATS
    with open_rows(path, input_format=fmt) as source:
        raw_rows = list(source)
        columns = {c: _header(c) for c in source.columns}
    if not columns:
        raise ValidationError(f"{path.name} is empty; it needs a header row with {', '.join(known)}.", field="file")
    missing = [c for c in required if c not in columns.values()]
    if missing:
        raise ValidationError(
            f"{path.name}: missing column(s) {', '.join(missing)}. "
            f"The first row must name the columns: {', '.join(known)}.",
            field="columns",
        )
    out: list[tuple[int, dict[str, str]]] = []
    for rowno, record in raw_rows:
        cells = {columns.get(k, _header(k)): _text(v) for k, v in record.items()}
        if not any(cells.values()):
            continue
        out.append((rowno, {c: v for c, v in cells.items() if c}))
    return out
