"""Streaming readers for the tabular files operators bring: CSV (delimiter sniffed among
`,` `;` and tab), TSV, JSON (a list of objects), JSON lines, and spreadsheets (.xlsx, .xls,
.ods, through python-calamine), from a path or `-` (stdin). This is the *locate* stage of
intake: file -> sheet -> header row -> table end, merged and hidden cells resolved.

The one entry point is `open_rows(source, input_format=None, sheet=None, *, expect=None,
include_hidden=True, all_sheets=False) -> RowSource`:

    with open_rows("peserta.xlsx", expect=PARTICIPANT_TABLE, include_hidden=False) as src:
        mapping, unknown = match_headers(src.columns, ALIASES)   # importing.headers
        for row_number, row in src:                              # row: {original header: value}
            ...
        src.take_warnings()   # warnings as data, e.g. the Windows-1252 note, the hidden rows
        src.notes             # what was skipped and why: title block, column numbers, footer

Finding the table (CSV/TSV and spreadsheets; see importing.locate): without `expect` the
first non-blank row is the header. With `expect` (what the caller's table looks like,
e.g. locate.PARTICIPANT_TABLE) the header is the first row among the first 20 non-blank
ones that has the required fields (NIK and name); rows above it are a title block and
are skipped (one note); in a spreadsheet a merged group cell over sub-headers is read
as a two-row header (the lower cell where present, else the upper); a row of column
numbers right under the header ((1) (2) (3)) is skipped; rows with none of the key
fields (a running number only) are skipped, and a totals row or signature block ends
the table (one note, see locate.TableEnd). In a workbook whose first sheet has no such
header (a 'Rekap' sheet), the first sheet that has one is read (a warning says which).
`all_sheets=True` reads every visible sheet that has a header, one after the other;
each row's number is then a report.SheetRow (the number with its sheet) and the row
carries its sheet's name under the key SHEET, and a later sheet's columns
are matched to the first sheet's by field (`expect.fields`), else by header spelling.

Spreadsheets (importing.spreadsheets): every cell of a merged range holds the range's
value. Hidden rows (also rows hidden by a filter) and hidden columns are read with
`include_hidden=True` (the default, so a caller that does not report warnings never
drops a row silently); with `include_hidden=False` hidden rows are skipped and listed in
one warning with their row numbers, and hidden columns are left out of `columns` (so a
visible column wins over a hidden one for the same field), named in one warning. In .xls
files visibility cannot be read: one warning says hidden rows are not detected.

Row numbers are the ones the operator sees: in CSV/TSV and spreadsheets the sheet's or
file's own row number (header = 1 when it is the first row; a quoted cell spanning
lines still counts as one row, as in a spreadsheet); in JSON the 1-based index of the
object; in JSON lines the line number. Blank rows are skipped but keep their number.

Values are as the file holds them: text in CSV/TSV; JSON scalars in JSON; in spreadsheets
text, int (a whole number cell: a NIK typed into a number cell arrives as an int, never
as text, so the cleaning stage can refuse it), float, bool, date/datetime for date cells
(1900 and 1904 date systems), None for empty cells. `importing.values` turns them into
clean text and dates.

Memory: text formats are read one row at a time; a spreadsheet holds one sheet's cells
in calamine (Rust) memory while its rows are handed out, and the hidden-row pre-pass
streams the sheet XML. Encoding of text files: UTF-8 with or without BOM, UTF-16 with a
BOM (Excel's "Unicode Text", tab-separated); anything else is read as Windows-1252 with
a warning (decided by a fast pre-scan of the bytes, so a late non-UTF-8 byte cannot
switch the decoding halfway). stdin is spooled to a temporary file first (in memory up
to 8 MB).

This module does no database work and imports no typer/rich/sqlite_utils; python-calamine
is imported only when a spreadsheet is read.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, Iterator

from pelatihan_cli.errors import ValidationError
from pelatihan_cli.importing.locate import (
    HEADER_SCAN, Expect, can_be_sub_header, find_header, is_blank, is_column_numbers, is_instruction_sheet,
    row_ranges,
    text_of, two_row_header,
)
from pelatihan_cli.importing.report import SheetRow

FORMATS = ("csv", "tsv", "json", "jsonl", "xlsx", "xls", "ods")
SPREADSHEETS = ("xlsx", "xls", "ods")
#: the family a rejects/echo file of each input format is written in
FAMILY = {"csv": "csv", "tsv": "csv", "json": "jsonl", "jsonl": "jsonl", "xlsx": "xlsx", "xls": "xlsx", "ods": "xlsx"}
_SUFFIX_FORMAT = {
    ".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods",
}
#: key under which a row read with all_sheets=True carries its sheet's name
SHEET = "\x00sheet"
_CHUNK = 1 << 16
_SPOOL_MAX = 8 << 20


class ReadError(ValidationError):
    """The file cannot be read as a table (wrong format, broken JSON, missing sheet...)."""


# --- encodings -------------------------------------------------------------------------

def _latin1_fallback(err: UnicodeDecodeError):
    # the five bytes Windows-1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) read as Latin-1
    bad = err.object[err.start:err.end]
    return "".join(chr(b) for b in bad), err.end


codecs.register_error("pelatihan-cp1252", _latin1_fallback)


def _is_utf8(f: IO[bytes]) -> bool:
    """Whether the whole binary stream decodes as UTF-8 (reads it; caller seeks back)."""
    dec = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := f.read(_CHUNK * 16):
            dec.decode(chunk)
        dec.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


class _CountingReader(io.RawIOBase):
    """Binary stream wrapper that counts the bytes handed out (for progress bars)."""

    def __init__(self, raw: IO[bytes]):
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self._raw.read(len(b))
        n = len(data)
        b[:n] = data
        self.count += n
        return n


# --- the row source --------------------------------------------------------------------

class RowSource:
    """An open input file: iterate `(row_number, {original header: value})`.

    Attributes: `name` (path or '<stdin>'), `format` (csv|tsv|json|jsonl|xlsx|xls|ods),
    `format_family` (csv|jsonl|xlsx: the format a rejects file is written in),
    `columns` (original headers, in file order; for JSON the keys of the first object,
    extended when later objects bring new keys; with all_sheets extended by a later
    sheet's new columns), `warnings` (list of text; some are added while the rows are
    read: `take_warnings()` returns those not taken yet), `notes` (what was skipped
    and why, for the operator: not problems), `header_row` (the header's row number, or
    None), `header_found` (False when `expect` was given and no row matched: the first
    non-blank row was taken), `sheet` (the sheet being read), `sheets` (the sheets read
    so far), `hidden_columns` (headers of hidden columns left out), `delimiter` (CSV/TSV),
    `encoding`, `total`/`done` (progress, in `unit`s)."""

    def __init__(self, name: str, fmt: str):
        self.name = name
        self.format = fmt
        self.format_family = FAMILY[fmt]
        self.columns: list[str] = []
        self.warnings: list[str] = []
        self.notes: list[str] = []
        #: the rows skipped and why, for the preview: [{"rows": [...], "reason": ...}]
        self.skipped: list[dict] = []
        #: the notes that `skipped` repeats (a preview shows the rows instead)
        self.skip_notes: set[str] = set()
        self.header_row: int | None = None
        self.header_found = True
        self.sheet: str | None = None
        self.sheets: list[str] = []
        self.hidden_columns: list[str] = []
        self._taken = 0
        self.delimiter: str | None = None
        self.encoding: str | None = None
        self.unit = "bytes"
        self.total: int | None = None
        self._closers: list[Any] = []
        self._rows: Iterator[tuple[int, dict]] = iter(())

    @property
    def done(self) -> int:
        return 0

    def __iter__(self) -> Iterator[tuple[int, dict]]:
        return self._rows

    def skip(self, rows, reason: str, note: str | None = None) -> None:
        """Record rows left out of the table (title, column numbers, filler, footer,
        hidden) with the reason; `note`, when given, is the note that says the same."""
        self.skipped.append({"rows": list(rows), "reason": reason})
        if note is not None:
            self.skip_notes.add(note)

    def take_warnings(self) -> list[str]:
        """The warnings not taken yet: call it after opening and again after the rows
        (the hidden rows, say, are known only once they have been read)."""
        new = self.warnings[self._taken:]
        self._taken = len(self.warnings)
        return new

    def close(self) -> None:
        for c in reversed(self._closers):
            try:
                c.close()
            except Exception:  # noqa: BLE001 - closing is best effort
                pass
        self._closers.clear()

    def __enter__(self) -> "RowSource":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def detect_format(name: str, input_format: str | None) -> str:
    if input_format:
        fmt = input_format.lower().lstrip(".")
        if fmt not in FORMATS:
            raise ReadError(f"Unknown input format {input_format!r}; use one of {', '.join(FORMATS)}.",
                            field="input_format", value=input_format)
        return fmt
    if name == "-":
        raise ReadError("Reading from stdin (-) needs --input-format csv|tsv|json|jsonl|xlsx|xls|ods.",
                        field="input_format", value=None)
    fmt = _SUFFIX_FORMAT.get(Path(name).suffix.lower())
    if fmt is None:
        raise ReadError(
            f"Cannot tell the format of {name} from its extension; give --input-format "
            f"({', '.join(FORMATS)}).", field="input_format", value=None)
    return fmt


def _open_binary(source: str | os.PathLike) -> tuple[IO[bytes], str, int | None]:
    """A seekable binary stream for a path or '-' (stdin spooled to a temp file)."""
    if str(source) == "-":
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_MAX)
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:  # a text-only stdin (test runners): re-encode
            while chunk := sys.stdin.read(_CHUNK):
                spool.write(chunk.encode("utf-8"))
        else:
            while chunk := stdin.read(_CHUNK):
                spool.write(chunk)
        size = spool.tell()
        spool.seek(0)
        return spool, "<stdin>", size
    path = Path(source)
    if path.is_dir():
        raise ReadError(f"{path} is a directory; give the file to import.", field="file", value=str(path))
    try:
        f = path.open("rb")
    except FileNotFoundError:
        raise ReadError(f"File not found: {path}.", field="file", value=str(path)) from None
    except OSError as e:
        raise ReadError(f"Cannot read {path}: {e.strerror}.", field="file", value=str(path)) from None
    return f, str(path), os.fstat(f.fileno()).st_size


def open_rows(source: str | os.PathLike, input_format: str | None = None, sheet: str | None = None, *,
              expect: Expect | None = None, include_hidden: bool = True, all_sheets: bool = False) -> RowSource:
    """Open `source` (a path or '-') and return a streaming RowSource; see the module doc."""
    fmt = detect_format(str(source), input_format)
    if sheet is not None and fmt not in SPREADSHEETS:
        raise ReadError(f"--sheet applies only to spreadsheets (xlsx, xls, ods), not {fmt}.", field="sheet", value=sheet)
    if all_sheets and fmt not in SPREADSHEETS:
        raise ReadError(f"--all-sheets applies only to spreadsheets (xlsx, xls, ods), not {fmt}.",
                        field="all_sheets", value=None)
    if all_sheets and sheet is not None:
        raise ReadError("Give either --sheet or --all-sheets, not both.", field="sheet", value=sheet)
    raw, name, size = _open_binary(source)
    try:
        if fmt in SPREADSHEETS:
            return _SheetSource(raw, name, size, fmt, sheet, expect=expect, include_hidden=include_hidden,
                                all_sheets=all_sheets)
        text, encoding, warnings = _text_stream(raw, name)
        if fmt in ("csv", "tsv"):
            src: RowSource = _CsvSource(text, name, fmt, size, expect)
        elif fmt == "json":
            src = _JsonSource(text, name, size)
        else:
            src = _JsonLinesSource(text, name, size)
        src.encoding = encoding
        src.warnings[:0] = warnings
        return src
    except BaseException:
        raw.close()
        raise


def _text_stream(raw: IO[bytes], name: str) -> tuple[io.TextIOWrapper, str, list[str]]:
    head = raw.read(3)
    raw.seek(0)
    warnings: list[str] = []
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"  # Excel's "Unicode Text": the BOM says the byte order and is dropped
    elif _is_utf8(raw):
        encoding = "utf-8"
    else:
        encoding = "cp1252"
        warnings.append(
            f"{name} is not UTF-8; read it as Windows-1252 (what Excel on Windows saves as 'CSV'). "
            "Save it as 'CSV UTF-8' to be sure names with accents come through.")
    raw.seek(0)
    counter = _CountingReader(raw)
    text = io.TextIOWrapper(
        io.BufferedReader(counter, _CHUNK), encoding=encoding,
        errors={"cp1252": "pelatihan-cp1252", "utf-16": "replace"}.get(encoding, "strict"), newline="")
    text._pelatihan_counter = counter  # type: ignore[attr-defined]
    return text, encoding, warnings


class _TextSource(RowSource):
    def __init__(self, text: io.TextIOWrapper, name: str, fmt: str, size: int | None):
        super().__init__(name, fmt)
        self._text = text
        self._counter: _CountingReader = text._pelatihan_counter  # type: ignore[attr-defined]
        self._closers.append(text)
        self.total = size

    @property
    def done(self) -> int:
        return self._counter.count


# --- CSV / TSV -------------------------------------------------------------------------

def sniff_delimiter(line: str) -> str:
    """The most frequent of `,` `;` and tab outside quotes in the header line (`,` on a tie)."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts.values())
    if best == 0:
        return ","
    for d in (",", ";", "\t"):
        if counts[d] == best:
            return d
    return ","  # pragma: no cover


class _CsvSource(_TextSource):
    def __init__(self, text, name, fmt, size, expect: Expect | None = None):
        super().__init__(text, name, fmt, size)
        # the separator is sniffed on the first non-empty line that holds one (a title
        # line above the header may hold none)
        head: list[str] = []
        sniff_on = None
        while len(head) < HEADER_SCAN:
            line = text.readline()
            if not line:
                break
            head.append(line)
            if line.strip():
                sniff_on = sniff_on or line
                if any(d in line for d in ",;\t"):
                    sniff_on = line
                    break
        if fmt == "tsv":
            self.delimiter = "\t"
        else:
            self.delimiter = sniff_delimiter(sniff_on or "")
        # the lines read so far go back through the csv module (they may hold quoted cells)
        self._reader = csv.reader(_chain_lines(head, text), delimiter=self.delimiter)
        self._rowno = 0
        rows: list[tuple[int, list[str]]] = []   # non-blank rows read while looking for the header
        try:
            for row in self._reader:
                self._rowno += 1
                if any(c.strip() for c in row):
                    rows.append((self._rowno, row))
                    if expect is None or expect.is_header([c.strip() for c in row]) or len(rows) >= HEADER_SCAN:
                        break
        except csv.Error as e:
            raise ReadError(f"{name}, row {self._rowno}: the CSV is malformed ({e}).", field="file", value=None) from None
        if not rows:
            raise ReadError(f"{name} is empty: no header row found. The first row must name the columns.",
                            field="file", value=None)
        at = find_header(rows, expect.is_header if expect else None)
        if at is None:
            self.header_found = False
            at = 0
        header_rowno, header = rows[at]
        self.header_row = header_rowno
        if at > 0:
            line = f"row(s) {row_ranges(range(1, header_rowno))} above the header skipped (title)."
            self.notes.append(line)
            self.skip(range(1, header_rowno), "title above the header", line)
        self._pending = rows[at + 1:]
        self.columns = _unique_headers([h.strip() for h in header], self.warnings, name)
        self._end = expect.table_end(self.columns) if expect is not None and self.header_found else None
        self._check_numbers = expect is not None
        self._rows = self._iter()

    def _iter(self) -> Iterator[tuple[int, dict]]:
        cols = self.columns
        ncols = len(cols)
        end = self._end
        pending = iter(self._pending)
        self._pending = []
        first_data = True
        rowno = self._rowno
        try:
            for rowno, row in _chain_rows(pending, self._reader, rowno):
                if first_data and self._check_numbers and any(c.strip() for c in row):
                    first_data = False
                    if is_column_numbers(row):
                        line = f"row {rowno} (column numbers under the header) skipped."
                        self.notes.append(line)
                        self.skip([rowno], "column numbers under the header", line)
                        continue
                if len(row) == ncols and any(row):
                    d = dict(zip(cols, row))
                elif not any(c.strip() for c in row):
                    continue
                elif len(row) < ncols:
                    d = dict(zip(cols, row + [""] * (ncols - len(row))))
                else:
                    extra = row[ncols:]
                    d = dict(zip(cols, row))
                    if any(c.strip() for c in extra):
                        d[EXTRA_CELLS] = extra
                if end is not None and end.skip(rowno, d):
                    continue
                yield rowno, d
        except csv.Error as e:
            raise ReadError(f"{self.name}, row {rowno + 1}: the CSV is malformed ({e}).", field="file", value=None) from None
        if end is not None and (line := end.summary()):
            self.notes.append(line)
            for rows, reason in end.skipped():
                self.skip(rows, reason, line)


def _chain_lines(head: list[str], rest: IO[str]) -> Iterator[str]:
    yield from head
    yield from rest


def _chain_rows(pending: Iterator[tuple[int, list[str]]], reader, rowno: int) -> Iterator[tuple[int, list[str]]]:
    """The rows read ahead (already numbered), then the rest of the reader, numbered on."""
    yield from pending
    for row in reader:
        rowno += 1
        yield rowno, row


#: key under which a CSV row's cells beyond the header are kept (a row with too many cells)
EXTRA_CELLS = "\x00extra"


def _unique_headers(headers: list[str], warnings: list[str], name: str) -> list[str]:
    """Make every header distinct (an empty header becomes 'column_N'; a repeated one
    'name (2)'), so no cell is lost."""
    out: list[str] = []
    seen: set[str] = set()
    for i, h in enumerate(headers, start=1):
        h = h or f"column_{i}"
        base, n = h, 1
        while h in seen:
            n += 1
            h = f"{base} ({n})"
        if n > 1:
            warnings.append(f"{name}: column {base!r} appears more than once; the copy is read as {h!r}.")
        seen.add(h)
        out.append(h)
    return out


# --- JSON / JSON lines ----------------------------------------------------------------

class _ObjectSource(_TextSource):
    """JSON and JSON lines: the columns are the keys of the objects, in order of appearance."""

    def _add_columns(self, obj: dict) -> None:
        for k in obj:
            if k not in self._seen_keys:
                self._seen_keys.add(k)
                self.columns.append(k)


class _JsonSource(_ObjectSource):
    """A JSON array of objects, decoded one object at a time (raw_decode on a buffer that
    holds at most about one object), so a large file is never loaded whole."""

    def __init__(self, text, name, size):
        super().__init__(text, name, "json", size)
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._decoder = json.JSONDecoder()
        self._skip_ws()
        if not self._more(1):
            raise ReadError(f"{name} is empty; a JSON file must hold a list of objects.", field="file", value=None)
        if self._buf[self._pos] != "[":
            raise ReadError(f"{name}: JSON must be a list of objects ([{{...}}, {{...}}]); "
                            "for one object per line use --input-format jsonl.", field="file", value=None)
        self._pos += 1
        self._first = self._next_object(1)
        self._seen_keys: set[str] = set()
        if self._first is not None:
            self._add_columns(self._first)
        self._rows = self._iter()

    def _fill(self) -> bool:
        if self._eof:
            return False
        chunk = self._text.read(_CHUNK)
        if not chunk:
            self._eof = True
            return False
        self._buf = self._buf[self._pos:] + chunk
        self._pos = 0
        return True

    def _more(self, n: int) -> bool:
        while len(self._buf) - self._pos < n:
            if not self._fill():
                return False
        return True

    def _skip_ws(self) -> None:
        while True:
            while self._pos < len(self._buf) and self._buf[self._pos] in " \t\r\n":
                self._pos += 1
            if self._pos < len(self._buf) or not self._fill():
                return

    def _next_object(self, index: int) -> dict | None:
        """The object at 1-based `index`, or None at the closing bracket."""
        self._skip_ws()
        if not self._more(1):
            raise ReadError(f"{self.name}: the JSON list is not closed with ']' (after object {index - 1}).",
                            field="file", value=None)
        if self._buf[self._pos] == "]":
            self._pos += 1
            return None
        if index > 1:
            if self._buf[self._pos] != ",":
                raise ReadError(f"{self.name}: expected ',' or ']' after object {index - 1}.", field="file", value=None)
            self._pos += 1
            self._skip_ws()
        while True:
            try:
                obj, end = self._decoder.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as e:
                if self._fill():
                    continue
                raise ReadError(f"{self.name}: object {index} is not valid JSON ({e.msg}).", field="file", value=None) from None
            self._pos = end
            break
        if not isinstance(obj, dict):
            raise ReadError(f"{self.name}: item {index} of the list is not an object ({{\"nik\": ...}}).",
                            field="file", value=None)
        if self._pos > _CHUNK:
            self._buf = self._buf[self._pos:]
            self._pos = 0
        return obj

    def _iter(self) -> Iterator[tuple[int, dict]]:
        obj, index = self._first, 1
        while obj is not None:
            if obj.keys() - self._seen_keys:
                self._add_columns(obj)
            yield index, obj
            index += 1
            obj = self._next_object(index)
        self._skip_ws()
        if self._more(1):
            raise ReadError(f"{self.name}: unexpected text after the closing ']'.", field="file", value=None)


class _JsonLinesSource(_ObjectSource):
    def __init__(self, text, name, size):
        super().__init__(text, name, "jsonl", size)
        self._lineno = 0
        self._seen_keys: set[str] = set()
        self._first: tuple[int, dict] | None = self._next()
        if self._first is not None:
            self._add_columns(self._first[1])
        self._rows = self._iter()

    def _next(self) -> tuple[int, dict] | None:
        for line in self._text:
            self._lineno += 1
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise ReadError(f"{self.name}, line {self._lineno}: not valid JSON ({e.msg}).", field="file", value=None) from None
            if not isinstance(obj, dict):
                raise ReadError(f"{self.name}, line {self._lineno}: each line must be one JSON object.", field="file", value=None)
            return self._lineno, obj
        return None

    def _iter(self) -> Iterator[tuple[int, dict]]:
        item = self._first
        while item is not None:
            if item[1].keys() - self._seen_keys:
                self._add_columns(item[1])
            yield item
            item = self._next()


# --- spreadsheets: xlsx, xls, ods ---------------------------------------------------------

class _SheetSource(RowSource):
    """A spreadsheet through python-calamine (importing.spreadsheets); see the module doc
    for how the sheet, the header and the end of the table are found."""

    def __init__(self, raw: IO[bytes], name: str, size: int | None, fmt: str, sheet: str | None, *,
                 expect: Expect | None, include_hidden: bool, all_sheets: bool):
        super().__init__(name, fmt)
        from pelatihan_cli.importing.spreadsheets import open_workbook

        self._closers.append(raw)
        self._raw = raw
        self._expect = expect
        self._include_hidden = include_hidden
        self._all_sheets = all_sheets
        self.unit = "rows"
        self._done = 0
        wb = open_workbook(raw, name, fmt)
        self._wb = wb
        self._closers.append(wb)
        meta = list(wb.sheets_metadata)
        names = [m.name for m in meta]
        if not names:
            raise ReadError(f"{name} has no sheets.", field="file", value=None)
        is_table = {m.name: str(m.typ).rsplit(".", 1)[-1] == "WorkSheet" for m in meta}
        visible = {m.name: str(m.visible).rsplit(".", 1)[-1] == "Visible" for m in meta}
        if sheet is not None:
            match = [n for n in names if n.strip().casefold() == sheet.strip().casefold()]
            if not match:
                raise ReadError(f"{name} has no sheet {sheet!r}; its sheets are {', '.join(map(repr, names))}.",
                                field="sheet", value=sheet)
            if not is_table[match[0]]:
                raise ReadError(f"Sheet {match[0]!r} of {name} is a chart, not a table.", field="sheet", value=sheet)
            plan = match[:1]
        else:
            plan = [n for n in names if is_table[n] and (visible[n] or include_hidden)]
            if not plan:
                plan = [n for n in names if is_table[n]] or names[:1]
        # the first sheet (of the plan) that has the caller's header
        first = None
        passed: list[str] = []
        for n in plan:
            first = self._locate(n, fallback=sheet is not None or expect is None)
            if first is not None:
                break
            passed.append(n)
        if first is None:
            first = self._locate(plan[0], fallback=True)
        if passed and first.name != plan[0]:
            if all_sheets:
                self.notes.extend(f"sheet {n!r} has no participant header; not read." for n in passed)
            elif all(is_instruction_sheet(n) for n in passed):
                self.notes.append(f"sheet {passed[0]!r} (instructions) passed; read sheet {first.name!r}.")
            else:
                self.warnings.append(f"{name}: sheet {passed[0]!r} has no participant header; read sheet "
                                     f"{first.name!r} (give --sheet to choose another).")
        self._later = [n for n in plan[plan.index(first.name) + 1:]] if all_sheets else []
        self.columns = list(first.columns)
        self._sheet_column(first)
        self.total = None if all_sheets else first.height
        self._first = first
        self._rows = self._iter()

    @property
    def done(self) -> int:
        return self._done

    # one sheet -------------------------------------------------------------------------
    def _locate(self, sheet_name: str, *, fallback: bool) -> "_Sheet | None":
        """Open one sheet and find its header; None when `expect` finds no header and
        `fallback` is off (the caller tries the next sheet)."""
        from pelatihan_cli.importing.spreadsheets import sheet_layout, sheet_rows

        try:
            ws = self._wb.get_sheet_by_name(sheet_name)
        except BaseException as e:  # calamine errors; a Rust panic is a BaseException
            if isinstance(e, (KeyboardInterrupt, SystemExit, MemoryError)):
                raise
            raise ReadError(f"Sheet {sheet_name!r} of {self.name} cannot be read ({str(e)[:200]}).",
                            field="sheet", value=sheet_name) from None
        layout = sheet_layout(self._raw, self.format, self._wb, sheet_name, ws)
        col0, rows = sheet_rows(ws, layout)
        hidden_rows = layout.hidden_rows if not self._include_hidden else set()
        expect = self._expect
        scanned: list[tuple[int, list]] = []
        for rowno, cells in rows:
            if rowno in hidden_rows or all(is_blank(v) for v in cells):
                continue
            scanned.append((rowno, cells))
            if (expect is None or len(scanned) >= HEADER_SCAN
                    or expect.is_header([text_of(v) for v in cells])):
                break
        at = find_header(scanned, expect.is_header if expect else None)
        if at is None and not fallback:
            return None
        sh = _Sheet(sheet_name, ws, layout, col0, rows)
        if not scanned:
            if not self._all_sheets or not self.sheets:
                raise ReadError(f"Sheet {sheet_name!r} of {self.name} is empty: no header row found.",
                                field="file", value=None)
            return sh
        found = at is not None
        if not found:
            self.header_found = False
            at = 0
        header_rowno, header = scanned[at]
        upper_rowno = header_rowno
        pending = scanned[at + 1:]
        notes_at = len(self.notes)   # the title note goes before the two-row header's
        # a two-row header: merged cells join the header row to the row above or below
        extent = len(header) - next((i for i, v in enumerate(reversed(header)) if not is_blank(v)), len(header))
        if found:
            below = pending[0] if pending and pending[0][0] == header_rowno + 1 else None
            above = scanned[at - 1] if at > 0 and scanned[at - 1][0] == header_rowno - 1 else None
            if below is not None and _joined(layout, header_rowno, col0) and can_be_sub_header(below[1]):
                header = two_row_header(header, below[1])[:extent]
                pending = pending[1:]
                self.notes.append(f"{self._where(sheet_name)}rows {header_rowno}–{header_rowno + 1} read as one "
                                  "header (merged group cells).")
            elif above is not None and _joined(layout, header_rowno - 1, col0, header) and can_be_sub_header(above[1]):
                header = two_row_header(above[1], header)[:extent]
                upper_rowno = header_rowno - 1
                self.notes.append(f"{self._where(sheet_name)}rows {header_rowno - 1}–{header_rowno} read as one "
                                  "header (merged group cells).")
        if upper_rowno > 1 and any(r < upper_rowno for r, _ in scanned):
            line = (f"{self._where(sheet_name)}row(s) {row_ranges(range(1, upper_rowno))} above the header "
                    "skipped (title).")
            self.notes.insert(notes_at, line)
            self.skip(range(1, upper_rowno), f"{self._where(sheet_name)}title above the header", line)
        if self.header_row is None:
            self.header_row = header_rowno
        texts = [text_of(v) for v in header]
        while texts and not texts[-1]:
            texts.pop()
        # hidden columns: left out (a visible column then wins for the same field), or read
        # after the visible ones with include_hidden
        hidden_idx = {c - 1 - (col0 - 1) for c in layout.hidden_columns} & set(range(len(texts)))
        if hidden_idx and not self._include_hidden:
            named = [f"{_letters(i + col0)} {texts[i]!r}" for i in sorted(hidden_idx) if texts[i]]
            if named:
                self.warnings.append(
                    f"{self._where(sheet_name)}hidden column(s) {', '.join(named)} not read; "
                    "--include-hidden reads them.")
                self.hidden_columns.extend(texts[i] for i in sorted(hidden_idx) if texts[i])
            keep = [i for i in range(len(texts)) if i not in hidden_idx]
        else:
            keep = [i for i in range(len(texts)) if i not in hidden_idx] + sorted(hidden_idx)
        sh.index = keep
        sh.width = len(texts)
        names = _unique_headers([texts[i] for i in keep], self.warnings, self.name)
        sh.columns = names
        sh.pending = pending
        sh.header_rowno = header_rowno
        sh.found = found
        sh.hidden_rows = hidden_rows
        return sh

    def _where(self, sheet_name: str) -> str:
        return f"sheet {sheet_name!r}: " if self._all_sheets else ""

    def _sheet_column(self, sh: "_Sheet", own: list[str] | None = None) -> None:
        """all_sheets: a sheet with no column for expect.sheet_field gets its name there."""
        e = self._expect
        if not self._all_sheets or e is None or not e.sheet_field or not e.sheet_header:
            return
        if e.sheet_field in e.fields(own if own is not None else sh.columns):
            return
        target = e.fields(self.columns).get(e.sheet_field)
        if target is None:
            target = e.sheet_header
            while target in self.columns:
                target += "_"
            self.columns.append(target)
        sh.from_name = target
        self.notes.append(f"sheet {sh.name!r} has no {e.sheet_field} column: its name is the {e.sheet_field} "
                          "of its rows.")

    def _unify(self, columns: list[str]) -> list[str]:
        """A later sheet's headers as the first sheet's columns (same field, else same
        spelling); new ones are appended to `columns`."""
        from pelatihan_cli.importing.headers import header_key

        ours = self._expect.fields(self.columns) if self._expect else {}
        theirs = self._expect.fields(columns) if self._expect else {}
        rename = {h: ours[f] for f, h in theirs.items() if f in ours}
        by_key = {header_key(c): c for c in self.columns}
        out: list[str] = []
        for c in columns:
            target = rename.get(c) or by_key.get(header_key(c)) or c
            if target in out:
                target = c if c not in out else f"{c} ({len(out) + 1})"
            if target not in self.columns:
                self.columns.append(target)
            out.append(target)
        return out

    def _iter(self) -> Iterator[tuple[int, dict]]:
        sh: _Sheet | None = self._first
        self._first = None
        later = list(self._later)
        while sh is not None:
            yield from self._sheet_rows(sh)
            sh = None
            while later and sh is None:
                n = later.pop(0)
                sh = self._locate(n, fallback=False)
                if sh is None:
                    self.notes.append(f"sheet {n!r} has no participant header; not read.")
                elif not sh.columns:
                    sh = None
                else:
                    own = sh.columns
                    sh.columns = self._unify(own)
                    self._sheet_column(sh, own)

    def _sheet_rows(self, sh: "_Sheet") -> Iterator[tuple[int, dict]]:
        self.sheet = sh.name
        self.sheets.append(sh.name)
        cols = sh.columns
        index = sh.index
        width = sh.width
        ncols = len(cols)
        plain = index == list(range(ncols))
        end = self._expect.table_end(cols) if self._expect is not None and sh.found else None
        tag = self._all_sheets
        hidden_rows = sh.hidden_rows
        hidden_seen: list[int] = []
        first_data = self._expect is not None
        where = self._where(sh.name)
        for rowno, cells in _then(sh.pending, sh.rows):
            self._done = rowno
            if rowno in hidden_rows:
                if any(not is_blank(v) for v in cells):
                    hidden_seen.append(rowno)
                continue
            if all(is_blank(v) for v in cells):
                continue
            if first_data:
                first_data = False
                if is_column_numbers(cells):
                    line = f"{where}row {rowno} (column numbers under the header) skipped."
                    self.notes.append(line)
                    self.skip([rowno], f"{where}column numbers under the header", line)
                    continue
            if plain:
                row = cells[:ncols]
                if len(row) < ncols:
                    row += [None] * (ncols - len(row))
            else:
                row = [cells[i] if i < len(cells) else None for i in index]
            d = dict(zip(cols, row))
            if len(cells) > width:
                extra = [v for v in cells[width:] if not is_blank(v)]
                if extra:
                    d[EXTRA_CELLS] = extra
            if end is not None and end.skip(rowno, d):
                continue
            if tag:
                d[SHEET] = sh.name
                if sh.from_name is not None:
                    d[sh.from_name] = sh.name
                yield SheetRow(rowno, sh.name), d   # 'row 3' of which sheet: messages and overrides say
                continue
            yield rowno, d
        if end is not None:
            if end.ended_at is not None:
                hidden_seen = [r for r in hidden_seen if r < end.ended_at]
            if line := end.summary():
                self.notes.append(where + line)
                for rows, reason in end.skipped():
                    self.skip(rows, where + reason, where + line)
        if hidden_seen:
            self.skip(hidden_seen, f"{where}hidden" + (" (a filter is on)" if sh.layout.filter_on else ""))
            self.warnings.append(
                f"{where}{len(hidden_seen)} hidden row(s) not imported: {_rows(hidden_seen)}"
                + (" (a filter is on)" if sh.layout.filter_on else "")
                + "; show them in the spreadsheet, or give --include-hidden to import them.")
        if not sh.layout.visibility_known and not self._include_hidden:
            self.warnings.append(
                f"{where}hidden rows and columns cannot be seen in a .{self.format} file, so every row was read; "
                "check the list has no hidden rows, or save it as .xlsx.")


class _Sheet:
    """One located sheet: its rows after the header, and how cells map to columns."""

    def __init__(self, name: str, ws, layout, col0: int, rows: Iterator[tuple[int, list]]):
        self.name = name
        self.ws = ws
        self.layout = layout
        self.col0 = col0
        self.rows = rows
        self.height = (ws.end[0] + 1) if ws.end else 0
        self.columns: list[str] = []
        self.index: list[int] = []
        self.width = 0
        self.pending: list[tuple[int, list]] = []
        self.header_rowno = 0
        self.found = False
        self.hidden_rows: set[int] = set()
        self.from_name: str | None = None   # the column that gets the sheet's name (all_sheets)


def _rows(rows: list[int]) -> str:
    return f"row {rows[0]}" if len(rows) == 1 else f"rows {row_ranges(rows)}"


def _then(first: list, rest: Iterator) -> Iterator:
    yield from first
    yield from rest


def _joined(layout, rowno: int, col0: int, below: list | None = None) -> bool:
    """Whether a merged range joins sheet row `rowno` to the row below it, or spans
    several columns in row `rowno` (a group cell over sub-headers: with `below`, only
    over columns that all have a sub-header, so a title merged across the sheet is not)."""
    for r1, c1, r2, c2 in layout.merges:
        if r1 <= rowno < r2:
            return True
        if r1 == rowno == r2 and c2 > c1:
            if below is None:
                return True
            cells = below[c1 - col0:c2 - col0 + 1]
            if len(cells) == c2 - c1 + 1 and not any(is_blank(v) for v in cells):
                return True
    return False


def _letters(col: int) -> str:
    from pelatihan_cli.importing.spreadsheets import col_letters

    return col_letters(col)


def _xl_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())
