"""The *locate* stage of intake: where the table is inside what a clerk sends.

Pure functions over rows of cells (lists of values as a reader gives them), so that every
reader (CSV, xlsx, xls, ods) finds its table the same way:

- `find_header(rows, is_header)`: the header is the first row, among the first
  HEADER_SCAN non-blank rows, that the caller's predicate accepts (participant import:
  a row where both a NIK-like and a name-like header are found); rows above it are a
  title block.
- `two_row_header(upper, lower, ...)`: a group cell ("IDENTITAS") over sub-headers
  ("NIK | NAMA") is read as one header row: the lower cell where present, else the upper.
- `is_column_numbers(cells)`: the `(1) (2) (3)` / `1 2 3` row printed under the header.
- `TableEnd`: rows with neither NIK nor name (a running number only, numbered empty
  rows) are skipped; a totals row (`JUMLAH`, `TOTAL`), a place-and-date line or a
  signature block (`Mengetahui,`, `Lurah ...`, `NIP.`) ends the table. Neither kind is a
  participant, so neither is ever a rejected row; both are summarised in one line.
- `row_ranges([2, 3, 4, 9])` -> '2–4, 9' for messages (importing.report's, re-exported).

Nothing here reads files, prints or knows the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from pelatihan_cli.importing.report import row_ranges  # noqa: F401  (one rule for row lists: every row, never cut)

#: the header must be within this many non-blank rows from the top of a sheet or file
HEADER_SCAN = 20

#: text that starts a totals row or the signature block under a list
_FOOTER = re.compile(
    r"^\s*(jumlah|total|sub\s*total|grand\s*total|mengetahui|menyetujui|disetujui|nip\b|nip\.|"
    r"lurah\b|kepala\b|camat\b|sekretaris\b|sekdes\b|ttd\b|tanda\s*tangan|dibuat\s+oleh|"
    r"yang\s+membuat|petugas\b|an\.\s|a\.n\.)", re.IGNORECASE)
#: 'Pekalongan, 15 Juli 2025' / 'Pekalongan, 15-07-2025': the place-and-date line of a letter
_PLACE_DATE = re.compile(
    r"^\s*[A-Za-z][A-Za-z .'-]{1,40},\s*(\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})\s*$")
#: a sheet of instructions before the list (the registration template's 'Petunjuk')
_INSTRUCTION_SHEET = re.compile(
    r"^\s*(petunjuk|panduan|cara\s+(pengisian|mengisi)|instruksi|instructions?|readme|read\s+me)\b", re.IGNORECASE)
#: '(1)', '1', '1.', '[1]' in a column-number row
_COLUMN_NUMBER = re.compile(r"^\s*[(\[]?\s*(\d{1,3})\s*[)\]]?\.?\s*$")


@dataclass(frozen=True)
class Expect:
    """What the caller's table looks like, for the readers to find it.

    `fields(headers)` -> {field: header} (e.g. match_headers with an alias table);
    a header row is one where every `required` field is found; a row where no `keys`
    field holds a value is not a record (see TableEnd). When a workbook is read whole
    (all_sheets), a sheet without a column for `sheet_field` gets one, headed
    `sheet_header`, holding the sheet's name (one sheet per kelurahan)."""

    fields: Callable[[Sequence[str]], Mapping[str, str]]
    required: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    sheet_field: str | None = None
    sheet_header: str | None = None
    #: the two `keys` as the messages name them ('2 row(s) with neither NIK nor name skipped')
    keys_label: str = "NIK nor name"

    def is_header(self, cells: list[str]) -> bool:
        found = self.fields(cells)
        return all(f in found for f in self.required)

    def table_end(self, columns: Sequence[str]) -> "TableEnd | None":
        if not self.keys:
            return None
        found = self.fields(columns)
        cols = [found.get(k) for k in self.keys]
        return TableEnd(*(cols + [None, None])[:2], neither=self.keys_label)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text_of(value: Any) -> str:
    """A header cell as text ('' when empty); a whole float as an integer."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def find_header(rows: Sequence[tuple[int, list]], is_header: Callable[[list[str]], bool] | None) -> int | None:
    """Index into `rows` (non-blank rows, in order) of the header row, or None when no row
    among the first HEADER_SCAN is accepted. Without a predicate the first row is the header."""
    if not rows:
        return None
    if is_header is None:
        return 0
    for i, (_rowno, cells) in enumerate(rows[:HEADER_SCAN]):
        if is_header([text_of(v) for v in cells]):
            return i
    return None


def _looks_like_data(cells: Sequence[Any]) -> bool:
    """A row holding numbers, dates or digit strings (a NIK, a phone): not a header."""
    for v in cells:
        if isinstance(v, (int, float, dt.date, dt.time, dt.timedelta)) and not isinstance(v, bool):
            return True
        if isinstance(v, str):
            digits = sum(ch.isdigit() for ch in v)
            if digits >= 6:
                return True
    return False


def can_be_sub_header(cells: Sequence[Any]) -> bool:
    """Whether a row next to the header can be the other half of a two-row header: some
    text, and nothing that looks like a participant's data."""
    return any(not is_blank(v) for v in cells) and not _looks_like_data(cells) and not is_column_numbers(cells)


def two_row_header(upper: Sequence[Any], lower: Sequence[Any]) -> list[str]:
    """One header from two rows: the lower cell where present, else the upper one."""
    n = max(len(upper), len(lower))
    out = []
    for i in range(n):
        lo = text_of(lower[i]) if i < len(lower) else ""
        up = text_of(upper[i]) if i < len(upper) else ""
        out.append(lo or up)
    return out


def is_column_numbers(cells: Sequence[Any]) -> bool:
    """The row of column numbers some offices print under the header: at least two
    non-empty cells, each a small whole number (1, '(2)', '3.'), counting up by one."""
    numbers = []
    for v in cells:
        if is_blank(v):
            continue
        if isinstance(v, bool):
            return False
        if isinstance(v, int) or (isinstance(v, float) and v.is_integer()):
            numbers.append(int(v))
            continue
        if not isinstance(v, str):
            return False
        m = _COLUMN_NUMBER.match(v)
        if m is None:
            return False
        numbers.append(int(m.group(1)))
    if len(numbers) < 2:
        return False
    return all(b == a + 1 for a, b in zip(numbers, numbers[1:]))



def _nik_like(value: Any) -> bool:
    """A cell that holds a NIK-length number (a real row even after the table's end)."""
    if value.__class__ is str and len(value) == 16 and value.isdigit():   # the usual cell: at once
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return value >= 1e14
    if isinstance(value, str):
        s = value.strip()
        if s[:3].casefold() == "nip":
            return False
        compact = s.lstrip("'").replace(" ", "").replace(".", "").replace("-", "")
        return len(compact) == 16 and compact.isdigit()
    return False


def is_instruction_sheet(name: str) -> bool:
    """'Petunjuk', 'Petunjuk Pengisian', 'Cara Mengisi', 'Instructions': a sheet that tells
    how to fill the list; passing it to read the list is expected, not worth a warning."""
    return bool(_INSTRUCTION_SHEET.match(str(name)))


def is_footer_text(value: Any) -> bool:
    """'JUMLAH', 'Total peserta', 'Mengetahui,', 'Lurah Medono', 'NIP. 1970...',
    'Pekalongan, 15 Juli 2025': text that starts what comes under a list."""
    if not isinstance(value, str):
        return False
    return bool(_FOOTER.match(value) or _PLACE_DATE.match(value))


class TableEnd:
    """Decide, row by row, which rows are not participants: `skip(rowno, row)` is True
    for a filler row (neither NIK nor name: a running number only, a numbered empty
    row) and for every row from the first footer row on (a totals row, the place and
    date line, the signature block); a row after the end whose NIK cell holds a full
    NIK is read again (a person added under the totals is not lost).

    `row` is the reader's dict; `nik_column` and `name_column` are its keys for the NIK
    and the name. `summary()` is one line for the operator, or None."""

    def __init__(self, nik_column: str | None, name_column: str | None, neither: str = "NIK nor name"):
        self.nik_column = nik_column
        self.name_column = name_column
        self.neither = neither   # how the messages call the two key columns
        self.ended_at: int | None = None
        self.end_text: str | None = None
        self.filler: list[int] = []
        self.footer: list[int] = []

    def skip(self, rowno: int, row: dict) -> bool:
        nik = row.get(self.nik_column) if self.nik_column is not None else None
        if _nik_like(nik):
            return False
        first = next((v for v in row.values() if not is_blank(v) and not isinstance(v, list)), None)
        if self.ended_at is not None:
            self.footer.append(rowno)
            return True
        if is_footer_text(first) or is_footer_text(nik) or (
                self.name_column is not None and is_footer_text(row.get(self.name_column))):
            self.ended_at = rowno
            self.end_text = next(t for t in (first, nik, row.get(self.name_column)) if is_footer_text(t)).strip()
            self.footer.append(rowno)
            return True
        name = row.get(self.name_column) if self.name_column is not None else None
        if is_blank(nik) and is_blank(name):
            self.filler.append(rowno)
            return True
        return False

    def skipped(self) -> list[tuple[list[int], str]]:
        """[(rows, reason)] for the preview: the filler rows, then the footer."""
        out = []
        if self.filler:
            out.append((list(self.filler), f"neither {self.neither}"))
        if self.footer:
            text = self.end_text if len(self.end_text or "") <= 30 else (self.end_text or "")[:29] + "…"
            out.append((list(self.footer), f"footer: the table ends at row {self.ended_at} ({text!r})"))
        return out

    def summary(self) -> str | None:
        parts = []
        if self.filler:
            parts.append(f"{len(self.filler)} row(s) with neither {self.neither} skipped (rows {row_ranges(self.filler)})")
        if self.footer:
            text = self.end_text if len(self.end_text or "") <= 30 else (self.end_text or "")[:29] + "…"
            parts.append(f"the table ends at row {self.ended_at} ({text!r}): row(s) "
                         f"{row_ranges(self.footer)} below it skipped")
        if not parts:
            return None
        return "; ".join(parts) + "; they are not participants and not counted."


def _participant_fields(headers: Sequence[str]) -> Mapping[str, str]:
    from pelatihan_cli.importing.headers import PARTICIPANT_ALIASES, match_headers

    return match_headers(list(headers), PARTICIPANT_ALIASES)[0]


#: a participant list: the header has a NIK and a name column; a row with neither is not
#: a participant; one sheet per kelurahan names the kelurahan of its rows
PARTICIPANT_TABLE = Expect(_participant_fields, required=("nik", "name"), keys=("nik", "name"),
                           sheet_field="kelurahan", sheet_header="Kelurahan")
