"""Streaming readers for the tabular files operators bring: CSV (delimiter sniffed among
`,` `;` and tab), TSV, JSON (a list of objects), JSON lines and xlsx, from a path or `-`
(stdin).

The one entry point is `open_rows(source, input_format=None, sheet=None) -> RowSource`:

    with open_rows("peserta.csv") as src:
        mapping, unknown = match_headers(src.columns, ALIASES)   # importing.headers
        for row_number, row in src:                              # row: {original header: value}
            ...
        src.warnings                                              # e.g. the Windows-1252 note

Row numbers are the ones the operator sees: in CSV/TSV/xlsx the header is row 1 and the
first data row is row 2 (a quoted cell spanning lines still counts as one row, as in a
spreadsheet); in JSON the 1-based index of the object; in JSON lines the line number.
Blank rows are skipped but keep their number.

Values are as the file holds them: text in CSV/TSV; JSON scalars in JSON; in xlsx text,
int, float, bool, `datetime` for date cells, None for empty cells. `importing.values`
turns them into clean text and dates.

Memory does not grow with the file: rows are produced one at a time. Encoding of text
files: UTF-8 with or without BOM; anything else is read as Windows-1252 with a warning
(decided by a fast pre-scan of the bytes, so a late non-UTF-8 byte cannot switch the
decoding halfway). stdin is spooled to a temporary file first (in memory up to 8 MB).

This module does no database work and imports no typer/rich/sqlite_utils; openpyxl is
imported only when an xlsx file is read.
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

FORMATS = ("csv", "tsv", "json", "jsonl", "xlsx")
#: the family a rejects/echo file of each input format is written in
FAMILY = {"csv": "csv", "tsv": "csv", "json": "jsonl", "jsonl": "jsonl", "xlsx": "xlsx"}
_SUFFIX_FORMAT = {
    ".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv", ".json": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx", ".xlsm": "xlsx",
}
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

    Attributes: `name` (path or '<stdin>'), `format` (csv|tsv|json|jsonl|xlsx),
    `format_family` (csv|jsonl|xlsx: the format a rejects file is written in),
    `columns` (original headers, in file order; for JSON the keys of the first object,
    extended when later objects bring new keys), `warnings` (list of text),
    `delimiter` (CSV/TSV), `encoding`, `total`/`done` (progress, in `unit`s)."""

    def __init__(self, name: str, fmt: str):
        self.name = name
        self.format = fmt
        self.format_family = FAMILY[fmt]
        self.columns: list[str] = []
        self.warnings: list[str] = []
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
        raise ReadError("Reading from stdin (-) needs --input-format csv|tsv|json|jsonl|xlsx.",
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


def open_rows(source: str | os.PathLike, input_format: str | None = None, sheet: str | None = None) -> RowSource:
    """Open `source` (a path or '-') and return a streaming RowSource; see the module doc."""
    fmt = detect_format(str(source), input_format)
    if sheet is not None and fmt != "xlsx":
        raise ReadError(f"--sheet applies only to xlsx files, not {fmt}.", field="sheet", value=sheet)
    raw, name, size = _open_binary(source)
    try:
        if fmt == "xlsx":
            return _XlsxSource(raw, name, size, sheet)
        text, encoding, warnings = _text_stream(raw, name)
        if fmt in ("csv", "tsv"):
            src: RowSource = _CsvSource(text, name, fmt, size)
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
        errors="pelatihan-cp1252" if encoding == "cp1252" else "strict", newline="")
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
    def __init__(self, text, name, fmt, size):
        super().__init__(text, name, fmt, size)
        first = text.readline()
        if fmt == "tsv":
            self.delimiter = "\t"
        else:
            self.delimiter = sniff_delimiter(first)
        # re-read the header line through the csv module (it may hold quoted cells)
        rest = csv.reader(_chain_first(first, text), delimiter=self.delimiter)
        self._reader = rest
        header: list[str] | None = None
        self._header_row = 0
        for row in rest:
            self._header_row += 1
            if any(c.strip() for c in row):
                header = row
                break
        if header is None:
            raise ReadError(f"{name} is empty: no header row found. The first row must name the columns.",
                            field="file", value=None)
        self.columns = _unique_headers([h.strip() for h in header], self.warnings, name)
        self._rows = self._iter()

    def _iter(self) -> Iterator[tuple[int, dict]]:
        cols = self.columns
        ncols = len(cols)
        rowno = self._header_row
        try:
            for row in self._reader:
                rowno += 1
                if len(row) == ncols and any(row):
                    yield rowno, dict(zip(cols, row))
                    continue
                if not any(c.strip() for c in row):
                    continue
                if len(row) < ncols:
                    row = row + [""] * (ncols - len(row))
                    yield rowno, dict(zip(cols, row))
                else:
                    extra = row[ncols:]
                    d = dict(zip(cols, row))
                    if any(c.strip() for c in extra):
                        d[EXTRA_CELLS] = extra
                    yield rowno, d
        except csv.Error as e:
            raise ReadError(f"{self.name}, row {rowno}: the CSV is malformed ({e}).", field="file", value=None) from None


#: key under which a CSV row's cells beyond the header are kept (a row with too many cells)
EXTRA_CELLS = "\x00extra"


def _chain_first(first: str, rest: IO[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


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


# --- xlsx ------------------------------------------------------------------------------

class _XlsxSource(RowSource):
    """First sheet (or `sheet`), read-only streaming mode; the first non-empty row is the
    header; row numbers are the sheet's."""

    def __init__(self, raw: IO[bytes], name: str, size: int | None, sheet: str | None):
        super().__init__(name, "xlsx")
        import zipfile

        from openpyxl import load_workbook

        self._closers.append(raw)
        try:
            wb = load_workbook(raw, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
            raise ReadError(f"{name} is not a readable xlsx workbook ({e}). Save it from Excel as .xlsx.",
                            field="file", value=None) from None
        self._closers.append(wb)
        if sheet is None:
            ws = wb.worksheets[0]
        else:
            match = [s for s in wb.sheetnames if s.strip().casefold() == sheet.strip().casefold()]
            if not match:
                raise ReadError(f"{name} has no sheet {sheet!r}; its sheets are {', '.join(map(repr, wb.sheetnames))}.",
                                field="sheet", value=sheet)
            ws = wb[match[0]]
        if not hasattr(ws, "iter_rows"):
            raise ReadError(f"Sheet {ws.title!r} of {name} is a chart, not a table.", field="sheet", value=sheet)
        self.sheet = ws.title
        self.unit = "rows"
        self.total = ws.max_row
        self._done = 0
        self._it = ws.iter_rows(values_only=True)
        header = None
        for row in self._it:
            self._done += 1
            if any(_xl_blank(v) is False for v in row):
                header = row
                break
        if header is None:
            raise ReadError(f"Sheet {ws.title!r} of {name} is empty: no header row found.", field="file", value=None)
        texts = [("" if v is None else str(v)).strip() for v in header]
        while texts and not texts[-1]:
            texts.pop()
        self.columns = _unique_headers(texts, self.warnings, name)
        self._rows = self._iter()

    @property
    def done(self) -> int:
        return self._done

    def _iter(self) -> Iterator[tuple[int, dict]]:
        cols = self.columns
        ncols = len(cols)
        rowno = self._done
        for row in self._it:
            rowno += 1
            self._done = rowno
            if all(_xl_blank(v) for v in row):
                continue
            cells = list(row[:ncols])
            if len(cells) < ncols:
                cells += [None] * (ncols - len(cells))
            d = dict(zip(cols, cells))
            extra = [v for v in row[ncols:] if not _xl_blank(v)]
            if extra:
                d[EXTRA_CELLS] = extra
            yield rowno, d


def _xl_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())
