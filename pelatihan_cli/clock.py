"""The one clock: what every notion of "today" and "now" in pelatihan means.

- `PELATIHAN_TODAY=YYYY-MM-DD` fixes today (a rehearsal of a programme day: `make demo`
  runs the 2024 programme as if it were 2024; tests use it too);
- otherwise today is the date in the office's time zone: the `timezone` setting (default
  Asia/Jakarta, WIB; offices in WITA or WIT set theirs), which the command layer passes
  here when it opens the database (`set_timezone`).

Timestamps are stored in UTC ('YYYY-MM-DDTHH:MM:SS', SQLite's strftime) and shown in local
time with `local_time`. Standard library only (zoneinfo; the tzdata package on Windows).
"""

from __future__ import annotations

import datetime as dt
import os

ENV_VAR = "PELATIHAN_TODAY"
DEFAULT_TIMEZONE = "Asia/Jakarta"
#: Indonesia's zones as offices name them
ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}

_timezone_name = DEFAULT_TIMEZONE


class ClockError(ValueError):
    """A bad PELATIHAN_TODAY or time zone name (the services turn it into a ValidationError)."""


def zone(name: str | None = None):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = name or _timezone_name
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ClockError(f"unknown time zone {name!r}; use an IANA name such as Asia/Jakarta (WIB), "
                         "Asia/Makassar (WITA) or Asia/Jayapura (WIT)") from None


def set_timezone(name: str | None) -> None:
    """Use this time zone for today and for shown times (None or '': the default)."""
    global _timezone_name
    name = (name or "").strip() or DEFAULT_TIMEZONE
    zone(name)  # refuse an unknown one here rather than at the first use
    _timezone_name = name


def timezone_name() -> str:
    return _timezone_name


def label() -> str:
    """'WIB', 'WITA', 'WIT', else the zone's own name."""
    return ZONE_LABELS.get(_timezone_name, _timezone_name)


def now() -> dt.datetime:
    return dt.datetime.now(zone())


def today() -> dt.date:
    text = os.environ.get(ENV_VAR, "").strip()
    if not text:
        return now().date()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ClockError(f"{ENV_VAR}={text!r} is not a date; give YYYY-MM-DD or unset it") from None


def _in_zone(stored_utc: str) -> dt.datetime | None:
    """A stored UTC timestamp in the office's zone; None when it is not a timestamp."""
    try:
        t = dt.datetime.fromisoformat(str(stored_utc).replace("Z", ""))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t.astimezone(zone())


def local_iso(stored_utc: str | None) -> str | None:
    """'2024-07-02T03:15:00' (UTC, as stored) -> '2024-07-02T10:15:00+07:00' (for JSON)."""
    t = _in_zone(stored_utc) if stored_utc else None
    return stored_utc if t is None else t.isoformat(timespec="seconds")


def local_time(stored_utc: str | None) -> str | None:
    """'2024-07-02T03:15:00' (UTC, as stored) -> '2024-07-02 10:15:00' in the office's zone."""
    t = _in_zone(stored_utc) if stored_utc else None
    return stored_utc if t is None else t.strftime("%Y-%m-%d %H:%M:%S")
