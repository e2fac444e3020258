"""A small reader for the planning files (sessions, auto-plan requests, instructors):
CSV (comma, semicolon or tab), JSON (a list of objects) or xlsx (first sheet).

Rows come back as (row number, {column: text}) with lower-case, trimmed column names;
the row number is the one the operator sees: the spreadsheet/CSV line (header = 1),
or the position of the object in a JSON list (first = 1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from pelatihan_cli.errors import ValidationError


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat") and not isinstance(value, str):
        iso = value.isoformat()
        return iso[:10] if iso.endswith("T00:00:00") else iso
    return str(value).strip()


def _header(name) -> str:
    return " ".join(_text(name).lower().replace("_", " ").split()).replace(" ", "_")


def _check_columns(path: Path, columns: Iterable[str], required: Iterable[str], known: Iterable[str]) -> None:
    cols = set(columns)
    missing = [c for c in required if c not in cols]
    if missing:
        raise ValidationError(
            f"{path.name}: missing column(s) {', '.join(missing)}. "
            f"The first row must name the columns: {', '.join(known)}.",
            field="columns",
        )


def read_rows(path: Path | str, *, required: Iterable[str], known: Iterable[str]) -> list[tuple[int, dict[str, str]]]:
    """Read a CSV, JSON or xlsx file into numbered rows of text; blank rows are skipped."""
    path = Path(path)
    required, known = list(required), list(known)
    if not path.exists():
        raise ValidationError(f"File {path} does not exist.", field="file", value=str(path))
    if path.is_dir():
        raise ValidationError(f"{path} is a directory; give a CSV, JSON or xlsx file.", field="file", value=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _read_xlsx(path)
    else:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(f"{path.name} is not UTF-8 text; save it as CSV UTF-8, JSON or xlsx.",
                                  field="file") from None
        if suffix == ".json" or text.lstrip().startswith("["):
            rows = _read_json(path, text)
        else:
            rows = _read_csv(text)
    if not rows:
        raise ValidationError(f"{path.name} is empty; it needs a header row with {', '.join(known)}.", field="file")
    header_row, body = rows[0], rows[1:]
    columns = [_header(h) for h in header_row[1]]
    _check_columns(path, columns, required, known)
    out: list[tuple[int, dict[str, str]]] = []
    for rowno, values in body:
        cells = [_text(v) for v in values]
        if not any(cells):
            continue
        record = {c: (cells[i] if i < len(cells) else "") for i, c in enumerate(columns) if c}
        out.append((rowno, record))
    return out


def _read_csv(text: str) -> list[tuple[int, list]]:
    """Records numbered as a spreadsheet shows them (header = 1), so that a quoted cell
    with a line break neither splits its record nor shifts the numbers of the rows after."""
    import csv
    import io

    sample = text[:4096]
    first = sample.splitlines()[0] if sample.splitlines() else ""
    delimiter = max([",", ";", "\t"], key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return list(enumerate(reader, start=1))


def _read_json(path: Path, text: str) -> list[tuple[int, list]]:
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValidationError(f"{path.name} is not valid JSON (line {e.lineno}: {e.msg}).", field="file") from None
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise ValidationError(f"{path.name}: JSON must be a list of objects, one per row.", field="file")
    columns: list[str] = []
    for d in data:
        for k in d:
            if k not in columns:
                columns.append(k)
    rows: list[tuple[int, list]] = [(0, columns)]
    for i, d in enumerate(data, start=1):
        values = []
        for k in columns:
            v = d.get(k)
            values.append(";".join(_text(x) for x in v) if isinstance(v, list) else v)
        rows.append((i, values))
    return rows


def _read_xlsx(path: Path) -> list[tuple[int, list]]:
    from openpyxl import load_workbook  # heavy: only for xlsx files

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ValidationError(f"{path.name} is not a readable xlsx workbook ({type(e).__name__}).", field="file") from None
    try:
        ws = wb.worksheets[0]
        return [(i, list(row)) for i, row in enumerate(ws.iter_rows(values_only=True), start=1)]
    finally:
        wb.close()
