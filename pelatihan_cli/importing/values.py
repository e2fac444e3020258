"""Cell values as readers deliver them -> clean text, dates and numbers (the **clean**
stage, one cell at a time; pure: no I/O, nothing printed).

CSV gives text; JSON gives scalars; xlsx gives text, int, float, bool and datetime.
Everywhere: surrounding spaces are trimmed, a typed leading apostrophe (Excel's "this is
text" mark, kept by some exports) and invisible characters (zero-width space, word
joiner, BOM, soft hyphen, direction marks, and zero-width joiners that join nothing) are
removed, a no-break space is a
space, and an empty cell is None. Dates accept everything `domain.dates.parse_date`
does (YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, D/M/YYYY, '2 Juli 1990', '12-Okt-1990') plus
real xlsx date cells; month-first is never assumed.

Cells with a rule of their own: the NIK (`nik_cell`: a number cell or scientific
notation may have lost digits and is refused, never stored), the phone (`phone_cell`:
'-' / 'tidak ada' are empty, two numbers keep the first with a warning), the combined
`TEMPAT/TGL LAHIR` (`birth_place_date`) and `RT/RW` (`address_with_rt_rw`). None of them
guesses a value that changes meaning: what cannot be read is an error for that row.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Iterable

from pelatihan_cli.domain.dates import parse_date
from pelatihan_cli.errors import ValidationError

#: removed from every cell: zero-width space, word joiner, BOM, soft hyphen,
#: left-to-right/right-to-left marks; no-break and narrow spaces become spaces
_INVISIBLE = {
    **dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad\u200e\u200f"), None),
    **dict.fromkeys(map(ord, "\u00a0\u202f\u2007"), " "),
}
#: a zero-width (non-)joiner is removed next to ASCII, a space or a cell's end; between two
#: other characters it is part of the text (an emoji sequence such as 👩🏽‍🔧, or a script)
_STRAY_JOINER = re.compile(r"(?<![^\x00-\x7f\s])[\u200c\u200d]|[\u200c\u200d](?![^\x00-\x7f\s])")


def clean_str(text: str) -> str | None:
    """Text as a person meant it: trimmed, one typed leading apostrophe and invisible
    characters removed, no-break spaces made spaces; None when nothing is left."""
    if text.isascii():  # the common case: nothing invisible to remove
        s = text.strip()
        if s[:1] == "'":
            s = s[1:].strip()
        return s or None
    s = text.translate(_INVISIBLE)
    if "\u200c" in s or "\u200d" in s:
        s = _STRAY_JOINER.sub("", s)
    s = s.strip()
    if s[:1] in ("'", "\u2019"):  # a typed apostrophe (or its curly form from a word processor)
        s = s[1:].strip()
    return s or None


def is_number(value: Any) -> bool:
    """A numeric cell (xlsx number, JSON number), not text that looks like one."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_text(value: int | float) -> str:
    """A numeric cell as the digits a person would have typed: 3375014107900001.0 ->
    '3375014107900001' (no '.0', no exponent); a true fraction keeps its decimals."""
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value):
            return str(int(value))
        return repr(value)
    return str(value)


def cell_text(value: Any) -> str | None:
    """Clean text of a cell (`clean_str`), or None when it is empty."""
    if value.__class__ is str:  # the common case first: called several times per row
        if value.isascii():
            s = value.strip()
            if s[:1] == "'":
                s = s[1:].strip()
            return s or None
        return clean_str(value)
    if value is None:
        return None
    if isinstance(value, str):
        return clean_str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return number_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


#: date text already parsed -> date (a list repeats birth dates; bounded so memory stays flat)
_DATE_CACHE: dict[str, dt.date] = {}
_DATE_CACHE_MAX = 50_000


def cell_date(value: Any, *, field: str) -> dt.date | None:
    """A date cell or date text -> date; None when empty; ValidationError otherwise.

    A bare number in a date column is refused (it is an Excel serial or a typo) rather
    than guessed. Text seen before is answered from a cache (only good dates are kept,
    so an error still names its field)."""
    if value.__class__ is str:
        hit = _DATE_CACHE.get(value)
        if hit is not None:
            return hit
        day = _cell_date_text(value, field)
        if day is not None and len(_DATE_CACHE) < _DATE_CACHE_MAX:
            _DATE_CACHE[value] = day
        return day
    return _cell_date_other(value, field)


def _cell_date_text(value: str, field: str) -> dt.date | None:
    text = clean_str(value)
    if not text:
        return None
    if len(text) > 10 and text[4] == "-" and text[10] == " ":
        text = text[:10]  # '1990-07-02 00:00:00' as pasted from a spreadsheet
    return parse_date(text, field=field)


def _cell_date_other(value: Any, field: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if is_number(value):
        raise ValidationError(
            f"{field} {number_text(value)!r} is a number, not a date; format the column as a date "
            "or write it as DD/MM/YYYY.", field=field, value=number_text(value))
    text = cell_text(value)
    if text is None:
        return None
    if " " in text and len(text) > 10 and text[4] == "-" and text[10] == " ":
        text = text[:10]  # '1990-07-02 00:00:00' as pasted from a spreadsheet
    return parse_date(text, field=field)


def cell_int(value: Any, *, field: str) -> int | None:
    """A whole number (e.g. a session id) or None; ValidationError otherwise."""
    if value is None:
        return None
    if is_number(value):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise ValidationError(f"{field} {value!r} is not a whole number.", field=field, value=value)
        if isinstance(value, float) and value != int(value):
            raise ValidationError(f"{field} {value!r} is not a whole number.", field=field, value=value)
        return int(value)
    text = cell_text(value)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValidationError(f"{field} {text!r} is not a number; give the session id shown by "
                              "`pelatihan session list`.", field=field, value=text) from None


# --- NIK --------------------------------------------------------------------------------

#: how a file delivers its cells: 'spreadsheet' (xlsx/xls/ods: typed number cells),
#: 'json' (JSON numbers), 'text' (CSV/TSV: everything is text)
NIK_SOURCES = ("spreadsheet", "json", "text")
SPREADSHEET_FORMATS = frozenset({"xlsx", "xlsm", "xls", "ods"})
#: a NIK column is judged Number-formatted from its first rows (files stream)
SUSPECT_SCAN_ROWS = 200
#: ... when at least this many of them are 16-digit NIKs
SUSPECT_MIN_NIKS = 5
#: ... and at least this share ends in 0 (a real NIK serial ends in 0 about 1 time in 10)
SUSPECT_ZERO_SHARE = 0.8

_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_NIK_SEPARATORS = str.maketrans("", "", " .-\t")
_FIX = "Format the column as Text and retype the NIK."


def nik_source(fmt: str) -> str:
    """The NIK source kind of a reader format ('xlsx' -> 'spreadsheet', 'jsonl' -> 'json')."""
    if fmt in SPREADSHEET_FORMATS:
        return "spreadsheet"
    if fmt in ("json", "jsonl"):
        return "json"
    return "text"


def _nik_digits(text: str) -> str:
    return text.translate(_NIK_SEPARATORS)


def suspect_number_column(nik_texts: Iterable[Any]) -> bool:
    """True when a column of NIK texts looks like it was a Number column before it was
    saved as text: at least SUSPECT_MIN_NIKS 16-digit NIKs and SUSPECT_ZERO_SHARE of them
    end in 0 (Excel keeps 15 significant digits and writes the 16th as 0). Only text
    values count (a number cell is refused on its own)."""
    n = zeros = 0
    for value in nik_texts:
        if not isinstance(value, str):
            continue
        text = clean_str(value)
        if text is None:
            continue
        digits = _nik_digits(text)
        if len(digits) != 16 or not digits.isdigit():
            continue
        n += 1
        zeros += digits[-1] == "0"
    return n >= SUSPECT_MIN_NIKS and zeros >= SUSPECT_ZERO_SHARE * n


def nik_cell(value: Any, *, source: str = "text", suspect_zeros: bool = False) -> tuple[str | None, bool]:
    """(NIK text as typed or None when empty, whether it was a JSON number); raises
    ValidationError(field='nik') when the cell may have lost digits:

    - a number cell of a spreadsheet (Excel keeps 15 significant digits: the 16th is 0);
    - a JSON number that is a float, or an integer a double cannot hold exactly (a
      16-digit integer that round-trips stays, with the caller's warning);
    - text in scientific notation ('3,37501E+15', CSV saved from a Number column);
    - with `suspect_zeros` (see `suspect_number_column`), a NIK ending in 0.

    The digits themselves are checked later (domain.nik.parse_nik)."""
    if value is None:
        return None, False
    if isinstance(value, bool):
        return cell_text(value), False
    if is_number(value):
        digits = number_text(value)
        if source == "spreadsheet":
            lost = (" and the 16th became 0" if len(digits) == 16 and digits.endswith("0")
                    else ", so its last digits cannot be trusted")
            raise ValidationError(
                f"NIK was typed into a Number cell: Excel keeps only 15 digits{lost} ({digits}). {_FIX}",
                field="nik", value=digits)
        if isinstance(value, float) or int(float(value)) != value:
            raise ValidationError(
                f"NIK {digits} is a number that JavaScript and spreadsheets cannot hold exactly (it may have "
                'lost its last digits); write NIKs as strings ("3375...") and check them against the KTP.',
                field="nik", value=digits)
        return digits, True
    text = cell_text(value)
    if text is None:
        return None, False
    if text.isdigit():  # the common case: 16 plain digits
        if suspect_zeros and len(text) == 16 and text.endswith("0"):
            raise _suspect_zero(text)
        return text, False
    if _SCIENTIFIC.match(text):
        raise ValidationError(
            f"NIK {text!r} is in scientific notation: the spreadsheet stored the NIK column as a Number and "
            "saved only its first digits. Format the column as Text, retype the NIKs and save again.",
            field="nik", value=text)
    if suspect_zeros:
        digits = _nik_digits(text)
        if len(digits) == 16 and digits.isdigit() and digits.endswith("0"):
            raise _suspect_zero(text)
    return text, False


def _suspect_zero(text: str) -> ValidationError:
    return ValidationError(
        f"NIK {text!r} ends in 0, like most NIKs of this column: the column looks Number-formatted, "
        f"where Excel keeps only 15 digits and the 16th became 0. {_FIX}",
        field="nik", value=text)


# --- phone ------------------------------------------------------------------------------

#: phone cells that mean 'no phone'
PHONE_EMPTY = frozenset({
    "-", "--", "---", "----", "- -", "\u2013", "\u2014", "0", ".", "tidak ada", "tdk ada", "tidak punya", "tdk punya",
    "belum ada", "blm ada", "ga ada", "gak ada", "nihil", "n/a", "na", "none",
})
# two numbers in one cell: '0812-1111-2222 / 0857-3333-4444', ';', ',', ' atau ', ' dan '
_PHONE_SPLIT = re.compile(r"\s*(?:/|;|,|\||&|\batau\b|\bdan\b|\bor\b)\s*", re.IGNORECASE)
TWO_PHONES = "Phone cell holds more than one number; the first was kept"
#: a phone cell of these characters only holds one number (the common case: no regex)
_PHONE_PLAIN = str.maketrans("", "", "0123456789 +-.()")


def phone_cell(value: Any) -> tuple[str | None, str | None]:
    """(phone text or None, warning or None). '-', '–', '—', 'tidak ada', 'tdk ada', '0'
    are empty; a cell with two numbers keeps the first (TWO_PHONES). The text is
    checked later (domain.phone.parse_phone)."""
    text = cell_text(value)
    if text is None:
        return None, None
    if len(text) > 3 and text[-1].isdigit() and not text.translate(_PHONE_PLAIN):
        return text, None
    if " ".join(text.split()).casefold() in PHONE_EMPTY:
        return None, None
    if text.isdigit():
        return text, None
    parts = [p for p in _PHONE_SPLIT.split(text) if p.strip()]
    if len(parts) > 1 and all(sum(ch.isdigit() for ch in p) >= 8 for p in parts):
        return parts[0].strip(), TWO_PHONES
    return text, None


# --- place and date of birth, address ----------------------------------------------------

# a date at the end of 'Pekalongan, 12-05-1990', 'Pekalongan 12 Mei 1990', 'Batang/1990-05-12'
_TRAILING_DATE = re.compile(
    r"(?:^|[\s,;/]+)("
    r"\d{1,2}[\s/.\-]+(?:\d{1,2}|[A-Za-z]+\.?)[\s/.\-]+\d{4}"
    r"|\d{4}-\d{1,2}-\d{1,2}"
    r")\s*$")


def birth_place_date(value: Any, *, field: str = "birth_place_date") -> tuple[str | None, dt.date | None]:
    """A `TEMPAT/TGL LAHIR` cell -> (place of birth or None, date of birth or None):
    'Pekalongan, 12-05-1990' -> ('Pekalongan', 1990-05-12); a date cell -> (None, date);
    a place alone -> (place, None). A date that cannot be read is a ValidationError
    (never a place that swallowed it)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return None, cell_date(value, field=field)
    text = cell_text(value)
    if text is None:
        return None, None
    if is_number(value):
        cell_date(value, field=field)  # raises: a bare number is not a date
    m = _TRAILING_DATE.search(text)
    if m is None:
        if any(ch.isdigit() for ch in text):
            raise ValidationError(
                f"Place and date of birth {text!r}: no date found; write it as 'Pekalongan, 12-05-1990'.",
                field=field, value=text)
        return text.strip(" ,;/") or None, None
    day = cell_date(m.group(1), field=field)
    place = text[:m.start()].strip(" ,;/") or None
    return place, day


_RT_RW_NUMBERS = re.compile(r"\d+")


def address_with_rt_rw(address: str | None, rt_rw: Any) -> str | None:
    """The address with its RT/RW cell added: ('Jl. X No. 5', '03/02') -> 'Jl. X No. 5,
    RT 03/RW 02'. An RT/RW already written in the address is not repeated; a cell that
    is not two numbers is added as typed."""
    text = cell_text(rt_rw)
    if text is None or text in PHONE_EMPTY:
        return address
    numbers = _RT_RW_NUMBERS.findall(text)
    part = f"RT {numbers[0]}/RW {numbers[1]}" if len(numbers) == 2 else f"RT/RW {text}"
    if address is None:
        return part
    if re.search(r"\bRT\b", address, re.IGNORECASE):
        return address
    return f"{address.rstrip(' ,')}, {part}"
