"""Dates as operators write them, and as Indonesian documents print them.

Accepted: YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY, D/M/YYYY, DD.MM.YYYY, and '2 Juli 1990'
(Indonesian or English month names, full or 3-letter, and the abbreviations of Indonesian
forms: 'Sept', 'Agus', 'Agt', 'Nop', 'Peb', 'Mrt'), also as '12-Okt-1990' or '12/Okt/1990'.
Month-first is never assumed.
"""

from __future__ import annotations

import datetime as dt
import re

from pelatihan_cli.errors import ValidationError

MONTHS_ID = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]
DAYS_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]

_MONTH_WORDS: dict[str, int] = {}
for _i, _m in enumerate(MONTHS_ID, start=1):
    _MONTH_WORDS[_m.lower()] = _i
    _MONTH_WORDS[_m.lower()[:3]] = _i
for _i, _m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1):
    _MONTH_WORDS.setdefault(_m, _i)
    _MONTH_WORDS.setdefault(_m[:3], _i)
# abbreviations and old spellings on Indonesian forms: 'Sept', 'Agus', 'Nop(ember)', 'Peb(ruari)', 'Mrt'
_MONTH_WORDS.update({
    "agu": 8, "agt": 8, "ags": 8, "agus": 8, "agust": 8, "agst": 8, "okt": 10, "des": 12, "nop": 11,
    "nopember": 11, "pebruari": 2, "peb": 2, "pebr": 2, "febr": 2, "mrt": 3, "sept": 9, "jun": 6, "jul": 7,
})

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})[\s\-/.]*([A-Za-z]+)\.?[\s\-/]+(\d{4})$")

FORMATS_HINT = "write it as YYYY-MM-DD or DD/MM/YYYY (e.g. 1990-07-02, 02/07/1990 or 2 Juli 1990)"


def parse_date(text: str | dt.date, *, field: str = "date") -> dt.date:
    """Parse a date an operator typed; raise ValidationError naming the field and value."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    raw = text
    s = str(text).strip()
    y = mo = d = None
    if m := _ISO.match(s):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    elif m := _DMY.match(s):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    elif m := _WORDS.match(s):
        month = _MONTH_WORDS.get(m[2].lower())
        if month is None:
            raise ValidationError(f"{field} {raw!r}: unknown month name {m[2]!r}; {FORMATS_HINT}.", field=field, value=raw)
        d, mo, y = int(m[1]), month, int(m[3])
    else:
        raise ValidationError(f"{field} {raw!r} is not a date; {FORMATS_HINT}.", field=field, value=raw)
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValidationError(f"{field} {raw!r} is not a real date (day {d}, month {mo}, year {y}); {FORMATS_HINT}.",
                              field=field, value=raw) from None


def age_on(birth: dt.date, on: dt.date) -> int:
    """Whole years of age on the given day."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def format_long_id(day: dt.date) -> str:
    """'Selasa, 2 Juli 2024' (babel, pattern 'EEEE, d MMMM y': its 'full' format pads the day)."""
    from babel.dates import format_date

    return format_date(day, "EEEE, d MMMM y", locale="id")


def format_short_id(day: dt.date) -> str:
    """'2 Juli 2024'."""
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale="id")


_MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def format_days_compact(days: list[str] | list[dt.date]) -> str:
    """Training days in little room: '1-2 Jul 2024', '5, 8 Jul 2024', '31 Jul, 1 Aug 2024'."""
    ds = [d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in days]
    if not ds:
        return ""
    consecutive = all((b - a).days == 1 for a, b in zip(ds, ds[1:]))
    if len(ds) > 1 and consecutive and ds[0].month == ds[-1].month and ds[0].year == ds[-1].year:
        return f"{ds[0].day}-{ds[-1].day} {_MONTH_ABBR[ds[0].month - 1]} {ds[0].year}"
    parts: list[str] = []
    for i, d in enumerate(ds):
        last_of_month = i == len(ds) - 1 or (ds[i + 1].month, ds[i + 1].year) != (d.month, d.year)
        parts.append(f"{d.day} {_MONTH_ABBR[d.month - 1]}" if last_of_month else str(d.day))
    return ", ".join(parts) + f" {ds[-1].year}"


#: training, holiday and calendar dates must fall in these years (a typo like 0001 or 2204
#: is refused, and no date arithmetic can overflow)
PLAN_YEARS = (2000, 2100)
#: planning further ahead than this needs --force
PLAN_HORIZON_YEARS = 5


def check_plan_date(day: dt.date, *, field: str, today: dt.date | None = None, force: bool = False,
                    horizon_years: int = PLAN_HORIZON_YEARS) -> dt.date:
    """Refuse a training, holiday or calendar date outside PLAN_YEARS; with `today`, one more
    than `horizon_years` ahead unless `force`."""
    lo, hi = PLAN_YEARS
    if not lo <= day.year <= hi:
        raise ValidationError(f"{field} {day.isoformat()}: dates of sessions, holidays and calendars must be in "
                              f"{lo}–{hi}; check the year.", field=field, value=day.isoformat())
    if today is not None and not force and (day - today).days > horizon_years * 366:
        raise ValidationError(f"{field} {day.isoformat()} is more than {horizon_years} years after today "
                              f"({today.isoformat()}); check the year, or add --force to plan that far ahead.",
                              field=field, value=day.isoformat())
    return day
