"""Writers for `pelatihan export`: one JSON document, or one xlsx workbook with a sheet
per table. They receive data and never query.

xlsx cells are formula-safe: text starting with `=`, `+`, `-`, `@`, tab or carriage
return gets a leading `'` (as in CSV output), and every cell is written as a string cell,
so a spreadsheet never runs an imported name as a formula. Characters that the xlsx
format cannot hold (control characters such as NUL) are shown as U+FFFD.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping, Sequence

from pelatihan_cli.domain.cells import formula_safe, xml_legal





def xlsx_cell(value: Any) -> Any:
    """A value ready for openpyxl: lists joined, text made formula-safe and XML-legal."""
    if isinstance(value, (list, tuple)):
        value = "; ".join("" if v is None else str(v) for v in value)
    if isinstance(value, str):
        return formula_safe(xml_legal(value))
    return value


def write_json(data: Mapping, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")


def write_xlsx(data: Mapping, columns: Mapping[str, Sequence[str]], path: Path) -> None:
    """One sheet per table (header row, frozen), plus an 'about' sheet from data['meta']."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)

    def text_cell(ws, value):
        cell = WriteOnlyCell(ws, value=xlsx_cell(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula, whatever the text
        return cell

    about = wb.create_sheet("about")
    for key, value in data.get("meta", {}).items():
        about.append([text_cell(about, key), text_cell(about, value)])
    for table, cols in columns.items():
        ws = wb.create_sheet(table[:31])
        ws.freeze_panes = "A2"
        header = []
        for c in cols:
            cell = WriteOnlyCell(ws, value=c)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in data.get(table, []):
            ws.append([text_cell(ws, row.get(c)) for c in cols])
    wb.save(path)
