"""Cell values as readers deliver them -> clean text, dates and numbers.

CSV gives text; JSON gives scalars; xlsx gives text, int, float, bool and datetime.
Surrounding spaces are trimmed and an empty cell is None. Dates accept everything
`domain.dates.parse_date` does (YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, D/M/YYYY, '2 Juli
1990') plus real xlsx date cells; month-first is never assumed.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from pelatihan_cli.domain.dates import parse_date
from pelatihan_cli.errors import ValidationError


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
    """Trimmed text of a cell, or None when it is empty."""
    if value.__class__ is str:  # the common case first: called several times per row
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
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
    text = value.strip()
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
