"""Rejects files: the rows an import refused, with their original columns plus `error`
and `warnings` (what else was found on the row), in the input's format family (csv for
csv/tsv, xlsx for xlsx, jsonl for json/jsonl), so
the operator can fix them and import the file again.

Spreadsheet formats are formula-safe: text starting with `=`, `+`, `-`, `@`, tab or
carriage return gets a leading `'`, and xlsx text cells are always string cells. CSV is
written as UTF-8 with a BOM (Excel then shows accents correctly) with the delimiter of
the input file. Rows are written as they come: memory does not grow with the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from typing import Any, Sequence

from pelatihan_cli.domain.cells import formula_safe, xml_legal

from pelatihan_cli.importing.readers import EXTRA_CELLS, SHEET

ERROR_COLUMN = "error"
WARNINGS_COLUMN = "warnings"




def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


class RejectsWriter:
    """Write refused rows: `write(row, error)` then `close()` (or use `with`)."""

    def __init__(self, path: str | os.PathLike, family: str, columns: Sequence[str], *, delimiter: str | None = None):
        self.path = str(path)
        self.family = family
        cols = [c for c in columns if c != EXTRA_CELLS]
        self.error_column = ERROR_COLUMN
        while self.error_column in cols:
            self.error_column = "_" + self.error_column
        self.warnings_column = WARNINGS_COLUMN
        while self.warnings_column in cols:
            self.warnings_column = "_" + self.warnings_column
        self.columns = cols
        self.count = 0
        if family == "csv":
            self._f = open(self.path, "w", encoding="utf-8-sig", newline="")
            self._csv = csv.writer(self._f, delimiter=delimiter or ",", lineterminator="\r\n")
            self._csv.writerow([formula_safe(c) for c in cols] + [self.error_column, self.warnings_column])
        elif family == "jsonl":
            self._f = open(self.path, "w", encoding="utf-8", newline="\n")
        elif family == "xlsx":
            from openpyxl import Workbook

            self._wb = Workbook(write_only=True)
            # a workbook read with --all-sheets gets its rows back in sheets of the same names
            # (import the rejects file with --all-sheets again); other rows go to 'rejects'
            self._sheets: dict[str, Any] = {}
        else:  # pragma: no cover - the readers only produce the three families
            raise ValueError(f"unknown rejects format {family!r}")

    def _sheet(self, name: str):
        ws = self._sheets.get(name)
        if ws is None:
            ws = self._sheets[name] = self._wb.create_sheet(name[:31] or "rejects")
            self._ws = ws
            ws.append([self._xl(c) for c in [*self.columns, self.error_column, self.warnings_column]])
        return ws

    def _xl(self, value: Any):
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, (list, dict)):
            value = json.dumps(value, ensure_ascii=False)
        if isinstance(value, str):
            cell = WriteOnlyCell(self._ws, value=formula_safe(xml_legal(value)))
            cell.data_type = "s"
            return cell
        if isinstance(value, dt.datetime) and value.time() == dt.time(0):
            value = value.date()
        cell = WriteOnlyCell(self._ws, value=value)
        if isinstance(value, dt.date):
            cell.number_format = "DD/MM/YYYY"
        return cell

    def write(self, row: dict, error: str, warnings: str = "") -> None:
        self.count += 1
        if self.family == "csv":
            self._csv.writerow([formula_safe(_text(row.get(c))) for c in self.columns]
                               + [formula_safe(error), formula_safe(warnings)])
        elif self.family == "jsonl":
            obj = {k: v for k, v in row.items() if k not in (EXTRA_CELLS, SHEET)}
            obj[self.error_column] = error
            obj[self.warnings_column] = warnings
            self._f.write(json.dumps(obj, ensure_ascii=False, default=_text) + "\n")
        else:
            ws = self._ws = self._sheet(str(row.get(SHEET) or "rejects"))
            ws.append([self._xl(row.get(c)) for c in self.columns] + [self._xl(error), self._xl(warnings)])

    def close(self) -> None:
        if self.family == "xlsx":
            if self._wb is not None:
                if not self._sheets:
                    self._sheet("rejects")   # no row refused: the headers still say what it would hold
                self._wb.save(self.path)
                self._wb = None
        elif not self._f.closed:
            self._f.close()

    def __enter__(self) -> "RejectsWriter":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_rejects(path: str | os.PathLike, family: str, columns: Sequence[str], *, delimiter: str | None = None) -> RejectsWriter:
    """A RejectsWriter for `path` in `family` (csv, jsonl or xlsx)."""
    return RejectsWriter(path, family, columns, delimiter=delimiter)
