"""Spreadsheet cells as the clerk sees them: .xlsx, .xls and .ods through python-calamine
(imported lazily), with merged cells filled and hidden rows and columns known.

- `open_workbook(raw, name, fmt)`: a calamine workbook (ReadError when it is not one).
- `sheet_layout(raw, fmt, workbook, sheet_name)` -> `Layout`: hidden rows, hidden columns,
  merged ranges, whether a filter is on, and whether visibility could be read at all.
  xlsx: python-calamine and openpyxl's read-only mode do not expose row visibility, so
  the sheet's XML is scanned in a streaming pre-pass (zipfile, chunks of 1 MB, a bytes
  regex over the tags `<row>`, `<col>`, `<autoFilter>`, `<mergeCell>`; constant memory;
  rows hidden by a filter carry hidden="1" too). The tags are found with a regex rather
  than an XML parser because the pre-pass sees every cell of the sheet and a parser
  calling Python for each element costs more than reading the cells; `<` cannot occur
  inside XML text or attribute values, so a tag is always whole text between `<` and `>`.
  ods: content.xml is parsed with ElementTree.iterparse (elements cleared as they
  end), reading `table:visibility` and `number-columns/rows-spanned`. xls: merged
  ranges come from calamine; row visibility is not read (`visibility_known` False).
- `sheet_rows(sheet, layout)` -> iterate `(sheet row number, cells)`, one list per sheet
  row from the first row, cells from the sheet's first used column, merged ranges filled
  with their top-left value, empty cells None. Values as calamine gives them: str, int,
  float (a NIK typed into a number cell arrives as a float such as 3375010202900001.0,
  never as text, so the cleaning stage can refuse it), bool, date/datetime for date
  cells (both date systems, 1900 and 1904), time/timedelta for times.

Memory: calamine holds one sheet's cells at a time (roughly 30-40 bytes a cell); rows are
handed out one at a time. No typer/rich/sqlite_utils here.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any, Iterator

from pelatihan_cli.importing.readers import ReadError

_PKG_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CHUNK = 1 << 20
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|col|autoFilter|mergeCell)[\s/>][^>]*", re.S)
_ATTR = re.compile(rb"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


@dataclass
class Layout:
    """What the clerk sees that the cell values do not say (row/column numbers 1-based)."""

    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    #: (first row, first column, last row, last column), 1-based, inclusive
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    filter_on: bool = False
    visibility_known: bool = True


def open_workbook(raw: IO[bytes], name: str, fmt: str):
    """A python-calamine workbook for `raw`; ReadError when it is not a readable one."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - a declared dependency
        raise ReadError("Reading spreadsheets needs python-calamine: pip install 'python-calamine>=0.2,<1'.",
                        field="file", value=None) from None
    try:
        raw.seek(0)
        return CalamineWorkbook.from_filelike(raw)
    except BaseException as e:  # calamine raises CalamineError, a Rust panic is a BaseException
        if isinstance(e, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        label = {"xlsx": "xlsx workbook", "xls": "xls workbook", "ods": "ods spreadsheet"}[fmt]
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ReadError(f"{name} is not a readable {label} ({reason[:200]}). Save it from Excel as .xlsx.",
                        field="file", value=None) from None


def col_number(letters: str) -> int:
    """'A' -> 1, 'Z' -> 26, 'AA' -> 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def col_letters(n: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _cell_ref(ref: str) -> tuple[int, int] | None:
    m = _REF.match(ref.strip())
    if m is None:
        return None
    return int(m.group(2)), col_number(m.group(1))


def sheet_layout(raw: IO[bytes], fmt: str, workbook, sheet_name: str, sheet=None) -> Layout:
    """The Layout of one sheet (see the module doc)."""
    if fmt == "xlsx":
        try:
            return _xlsx_layout(raw, sheet_name)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError):
            layout = Layout(visibility_known=False)
    elif fmt == "ods":
        try:
            return _ods_layout(raw, sheet_name)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError):
            layout = Layout(visibility_known=False)
    else:
        layout = Layout(visibility_known=False)
    ranges = getattr(sheet, "merged_cell_ranges", None) if sheet is not None else None
    for (r1, c1), (r2, c2) in ranges or ():
        layout.merges.append((r1 + 1, c1 + 1, r2 + 1, c2 + 1))
    return layout


def _xlsx_sheet_path(z: zipfile.ZipFile, sheet_name: str) -> str:
    import xml.etree.ElementTree as ET

    book = ET.fromstring(z.read("xl/workbook.xml"))
    rid = None
    for el in book.iter():
        if el.tag.rsplit("}", 1)[-1] == "sheet" and el.get("name") == sheet_name:
            rid = el.get(f"{{{_PKG_REL}}}id") or el.get("id")
            break
    if rid is None:
        raise KeyError(sheet_name)
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    for el in rels.iter():
        if el.tag.rsplit("}", 1)[-1] == "Relationship" and el.get("Id") == rid:
            target = el.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return "xl/" + target
    raise KeyError(rid)


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    out = {}
    for m in _ATTR.finditer(tag):
        key = m.group(1).rsplit(b":", 1)[-1]
        out[key] = m.group(2) if m.group(2) is not None else m.group(3)
    return out


def _xlsx_layout(raw: IO[bytes], sheet_name: str) -> Layout:
    raw.seek(0)
    layout = Layout()
    with zipfile.ZipFile(raw) as z:
        path = _xlsx_sheet_path(z, sheet_name)
        last_row = 0
        with z.open(path) as f:
            tail = b""
            while True:
                chunk = f.read(_CHUNK)
                buf = tail + chunk
                if chunk:
                    cut = buf.rfind(b"<")
                    body, tail = (buf, b"") if cut < 0 else (buf[:cut], buf[cut:])
                else:
                    body, tail = buf, b""
                for m in _TAG.finditer(body):
                    kind, tag = m.group(1), m.group(0)
                    if kind == b"row":
                        if b"hidden" not in tag and b" r=" in tag:
                            # the common case: only the row number matters (for rows without r=)
                            rm = re.search(rb"\sr\s*=\s*[\"'](\d+)", tag)
                            last_row = int(rm.group(1)) if rm else last_row + 1
                            continue
                        a = _attrs(tag)
                        last_row = int(a[b"r"]) if b"r" in a else last_row + 1
                        if a.get(b"hidden") in (b"1", b"true"):
                            layout.hidden_rows.add(last_row)
                    elif kind == b"col":
                        a = _attrs(tag)
                        if a.get(b"hidden") in (b"1", b"true") and b"min" in a:
                            lo, hi = int(a[b"min"]), int(a.get(b"max", a[b"min"]))
                            layout.hidden_columns.update(range(lo, min(hi, 16384) + 1))
                    elif kind == b"autoFilter":
                        layout.filter_on = True
                    else:  # mergeCell
                        ref = _attrs(tag).get(b"ref", b"").decode("ascii", "replace")
                        first, _, last = ref.partition(":")
                        a, b = _cell_ref(first), _cell_ref(last or first)
                        if a and b:
                            layout.merges.append((min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])))
                if not chunk:
                    break
    return layout


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _ods_layout(raw: IO[bytes], sheet_name: str) -> Layout:
    """Hidden rows/columns and merged ranges of one sheet of an .ods (streaming)."""
    import xml.etree.ElementTree as ET

    t = f"{{{_ODS_TABLE}}}"
    layout = Layout()
    raw.seek(0)
    with zipfile.ZipFile(raw) as z, z.open("content.xml") as f:
        in_table = False
        depth = 0          # nesting of tables (a table inside a cell is not ours)
        row = 0
        col = 0
        ncol = 0           # column definitions seen
        for event, el in ET.iterparse(f, events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == t + "table":
                    depth += 1
                    if depth == 1:
                        in_table = el.get(t + "name") == sheet_name
                        row = ncol = 0
                elif not in_table or depth != 1:
                    continue
                elif tag == t + "table-row":
                    col = 0
                elif tag == t + "table-column":
                    rep = int(el.get(t + "number-columns-repeated", "1"))
                    if el.get(t + "visibility", "visible") != "visible":
                        layout.hidden_columns.update(range(ncol + 1, ncol + min(rep, 16384) + 1))
                    ncol += rep
                continue
            # end events
            if tag == t + "table":
                if depth == 1 and in_table:
                    break
                depth -= 1
                el.clear()
            elif not in_table or depth != 1:
                continue
            elif tag in (t + "table-cell", t + "covered-table-cell"):
                rep = int(el.get(t + "number-columns-repeated", "1"))
                rs = int(el.get(t + "number-rows-spanned", "1"))
                cs = int(el.get(t + "number-columns-spanned", "1"))
                if tag == t + "table-cell" and (rs > 1 or cs > 1):
                    layout.merges.append((row + 1, col + 1, row + rs, col + cs))
                col += rep
                el.clear()
            elif tag == t + "table-row":
                rep = int(el.get(t + "number-rows-repeated", "1"))
                if el.get(t + "visibility", "visible") != "visible" and rep < 100_000:
                    layout.hidden_rows.update(range(row + 1, row + rep + 1))
                    if el.get(t + "visibility") == "filter":
                        layout.filter_on = True
                row += rep
                el.clear()
    return layout


def sheet_rows(sheet, layout: Layout) -> tuple[int, Iterator[tuple[int, list]]]:
    """(first used column, 1-based; rows) for a calamine sheet; see the module doc."""
    start = sheet.start
    if start is None:
        return 1, iter(())
    r0, c0 = start
    end = sheet.end or start
    it = iter(sheet.iter_rows())
    first = next(it, None)
    if first is None:
        return c0 + 1, iter(())
    # python-calamine hands rows out either from the sheet's first row or from the first
    # used one, and cells from column A or from the first used column (it has done
    # both across versions): the first used row always holds a value and the used
    # width is known, so both are told apart here rather than assumed.
    row_base = 0 if (r0 > 0 and all(v == "" or v is None for v in first)) else r0
    col_skip = c0 if (c0 > 0 and len(first) == end[1] + 1) else 0
    return c0 + 1, _filled_rows(first, it, row_base, col_skip, c0, layout)


def _filled_rows(first, it, row_base: int, col_skip: int, c0: int, layout: Layout) -> Iterator[tuple[int, list]]:
    # merged ranges in the reader's coordinates: (first row, first index, last row, last index)
    pending = sorted((r1, c1 - 1 - c0, r2, c2 - 1 - c0) for r1, c1, r2, c2 in layout.merges
                     if not (r1 == r2 and c1 == c2))
    pending = [m for m in pending if m[3] >= 0]
    active: list[tuple[int, int, int, Any]] = []   # (first index, last index, last row, value)
    p = 0
    rowno = row_base
    row = first
    while row is not None:
        rowno += 1
        if col_skip:
            row = row[col_skip:]
        # '' is an empty cell; a whole number is an int (as openpyxl gave it), so a NIK
        # typed into a number cell reads 3375010202900001, not 3.375010202900001e15
        cells = [None if v == "" else (int(v) if v.__class__ is float and v.is_integer() else v) for v in row]
        if p < len(pending) and pending[p][0] <= rowno or active:
            active = [a for a in active if a[2] >= rowno]
            while p < len(pending) and pending[p][0] <= rowno:
                r1, i1, r2, i2 = pending[p]
                p += 1
                i1 = max(i1, 0)
                value = cells[i1] if i1 < len(cells) and r1 == rowno else None
                if r2 >= rowno:
                    active.append((i1, i2, r2, value))
            for i1, i2, _r2, value in active:
                if value is None:
                    continue
                if len(cells) <= i2:
                    cells.extend([None] * (i2 + 1 - len(cells)))
                for i in range(i1, i2 + 1):
                    cells[i] = value
        yield rowno, cells
        row = next(it, None)
