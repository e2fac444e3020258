"""Small helpers shared by the document renderers (PDF, xlsx): printable text, blank
walk-in rows, formula-safe spreadsheet cells, and a plain one-sheet xlsx writer."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any, Sequence

from pelatihan_cli.domain.cells import formula_safe



# printed where a value is unknown, so that it can be written in by hand
BLANK_TO_FILL = "." * 40


def printable(value: Any) -> str:
    """Text for a document cell: None -> '', control characters (tabs, newlines) -> spaces."""
    if value is None:
        return ""
    s = str(value)
    if any(unicodedata.category(ch)[0] == "C" for ch in s):
        s = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in s)
        s = " ".join(s.split())
    return s


# printed instead of the name of a person whose data was erased (participant erase): they
# stay enrolled for the reports, and their row must not look like an empty walk-in row
ERASED_NAME = "(data dihapus)"


def rows_with_blanks(participants: Sequence[dict], blank: int, *, erased_name: str = ERASED_NAME) -> list[dict]:
    """The participants (an erased person, who has no name, shown as `erased_name`)
    followed by `blank` empty numbered rows for walk-ins."""
    rows = [p if p.get("name") else {**p, "name": erased_name} for p in participants]
    start = len(rows)
    rows.extend({"no": start + i, "nik": None, "name": None, "sex": None, "address": None, "phone": None}
                for i in range(1, blank + 1))
    return rows




def xlsx_cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = "; ".join(printable(v) for v in value)
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, (int, float)):
        return value
    return formula_safe(printable(value))


def write_xlsx_table(path: str | Path, rows: Sequence[dict], columns: Sequence[str],
                     headers: dict[str, str] | None = None, *, sheet_title: str = "Data") -> None:
    """One sheet: a bold header row, then the rows; A4 landscape, header repeated on print."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    headers = headers or {}
    wb = Workbook()
    ws = wb.active
    ws.title = safe_sheet_title(sheet_title, set())
    ws.append([headers.get(c, c) for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([xlsx_cell(row.get(c)) for c in columns])
    for i, c in enumerate(columns, start=1):
        width = max([len(str(headers.get(c, c)))] + [len(str(r.get(c) or "")) for r in rows[:500]])
        ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 6), 50)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.save(str(path))


_BAD_SHEET_CHARS = set('[]:*?/\\')


def safe_sheet_title(title: str, used: set[str]) -> str:
    """An Excel sheet name: no []:*?/\\, at most 31 characters, unique in `used`."""
    clean = "".join("-" if ch in _BAD_SHEET_CHARS else ch for ch in printable(title)).strip("' ") or "Sheet"
    clean = clean[:31]
    candidate, n = clean, 2
    while candidate.casefold() in {u.casefold() for u in used}:
        suffix = f" ({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    used.add(candidate)
    return candidate
