"""Per-row overrides of an import: `--accept-nik-mismatch-for NIK|ROW` and friends.

An override on an import names the rows (sheet row numbers) or NIKs it applies to and
never covers a whole file. `RowOverride` parses the values, answers `covers(row, nik)`,
remembers which values were used and reports the ones that covered nothing.

    o = RowOverride("--allow-outside-for", ["12", "3375 0142 0790 0001"])
    o.covers(12, "3375...")  # True
"""

from __future__ import annotations

from typing import Iterable

from pelatihan_cli.domain.privacy import mask_nik
from pelatihan_cli.errors import ValidationError
from pelatihan_cli.importing.report import sheet_of

#: the longest row number: anything longer is read as a NIK
_MAX_ROW_DIGITS = 7


def parse_target(text: str, option: str) -> tuple[str, str | int | tuple[str, int]]:
    """'12' -> ('row', 12); 'Medono:12' -> ('sheet_row', ('medono', 12)), a row of one sheet
    of a workbook read with --all-sheets; '3375 0142 0790 0001' -> ('nik', '3375014207900001')."""
    s = str(text).strip()
    sheet, colon, number = s.rpartition(":")
    if colon and sheet.strip() and number.strip().isdigit() and int(number) >= 1:
        return "sheet_row", (sheet.strip().casefold(), int(number))
    digits = "".join(ch for ch in s if ch not in " .-\t\u00a0")
    if digits.isdigit() and len(digits) <= _MAX_ROW_DIGITS and digits == s:
        row = int(digits)
        if row >= 1:
            return "row", row
    if digits.isdigit() and len(digits) == 16:
        return "nik", digits
    raise ValidationError(
        f"{option} {text!r}: give a row number of the file (as in its error lines; SHEET:ROW with "
        "--all-sheets) or a 16-digit NIK.",
        field=option, value=text)


class RowOverride:
    """One `--...-for` option's values."""

    def __init__(self, option: str, values: Iterable[str] = ()):
        self.option = option
        self.rows: dict[int, str] = {}
        self.sheet_rows: dict[tuple[str, int], str] = {}
        self.niks: dict[str, str] = {}
        for v in values:
            kind, target = parse_target(v, option)
            {"row": self.rows, "sheet_row": self.sheet_rows, "nik": self.niks}[kind][target] = v  # type: ignore[index]
        self._used: set[str] = set()
        self.applied: list[dict] = []     # [{row, nik (masked)}] where it let something through

    def __bool__(self) -> bool:
        return bool(self.rows or self.sheet_rows or self.niks)

    def _row_value(self, row: int) -> str | None:
        """The value given for this row: a plain number for a plain row, SHEET:ROW for a
        row of a sheet (report.SheetRow; its bare number names no row there)."""
        sheet = sheet_of(row)
        if sheet is None:
            return self.rows.get(row)
        return self.sheet_rows.get((sheet.casefold(), int(row)))

    def covers(self, row: int, nik_key: str | None) -> bool:
        return self._row_value(row) is not None or (nik_key is not None and nik_key in self.niks)

    def used(self, row: int, nik_key: str | None) -> None:
        """The override let row `row` through: remember it (recorded in the audit)."""
        value = self._row_value(row)
        if value is not None:
            self._used.add(value)
        if nik_key is not None and nik_key in self.niks:
            self._used.add(self.niks[nik_key])
        entry = {"row": int(row), "nik": mask_nik(nik_key) if nik_key else None}
        if sheet_of(row) is not None:
            entry["sheet"] = sheet_of(row)
        self.applied.append(entry)

    def unused(self) -> list[str]:
        """The values that let nothing through, in the order given."""
        return [v for v in (*self.rows.values(), *self.sheet_rows.values(), *self.niks.values())
                if v not in self._used]
