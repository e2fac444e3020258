"""The working-day calendar: Monday to Friday, minus Indonesian national holidays and
cuti bersama (the `holidays` package, country ID, categories public and government),
minus local non-working days the operator adds.

Pure: the national holidays are computed from the `holidays` package's rules (no
network, no files); local days are passed in by the caller.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping

WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
HOLIDAY_CATEGORIES = ("public", "government")
# the holidays package computes dates from rules; outside these years it has no data worth trusting
MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_SESSION_DAYS = 60
# how far ahead `next_working_day` looks before giving up (a long run of local days off)
_SEARCH_LIMIT = 366

# cuti bersama (joint leave days, the package's category "government") were first decreed in
# 2002; each year's are set by a joint decree of three ministers, usually the autumn before,
# and reach the `holidays` package in a later release
CUTI_BERSAMA_SINCE = 2002

_NATIONAL_CACHE: dict[int, dict[dt.date, str]] = {}
_CUTI_CACHE: dict[int, dict[dt.date, str]] = {}


def national_holidays(year: int) -> dict[dt.date, str]:
    """Indonesian national holidays and cuti bersama of one year, {date: English name}.

    25 and 26 December 2024 are both in it (Christmas, Christmas Joint Holiday)."""
    if year not in _NATIONAL_CACHE:
        if not MIN_YEAR <= year <= MAX_YEAR:
            _NATIONAL_CACHE[year] = {}
        else:
            import holidays  # heavy: imported only when a calendar is consulted

            days = holidays.country_holidays(
                "ID", years=year, categories=HOLIDAY_CATEGORIES, language="en_US"
            )
            _NATIONAL_CACHE[year] = {d: str(name) for d, name in sorted(days.items())}
    return _NATIONAL_CACHE[year]


def cuti_bersama(year: int) -> dict[dt.date, str]:
    """The cuti bersama of one year as the installed `holidays` package knows them
    (category "government"), {date: English name}; also part of `national_holidays`."""
    if year not in _CUTI_CACHE:
        if not MIN_YEAR <= year <= MAX_YEAR:
            _CUTI_CACHE[year] = {}
        else:
            import holidays

            days = holidays.country_holidays("ID", years=year, categories=("government",), language="en_US")
            _CUTI_CACHE[year] = {d: str(name) for d, name in sorted(days.items())}
    return _CUTI_CACHE[year]


def cuti_bersama_known(year: int) -> bool:
    """False for a year whose cuti bersama the installed `holidays` package does not list
    (a year too far ahead for its release): planning there counts them as working days."""
    return year < CUTI_BERSAMA_SINCE or bool(cuti_bersama(year))


def daterange(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every day from start to end, both included."""
    d = start
    while d <= end:
        yield d
        d += dt.timedelta(days=1)


@dataclass
class Calendar:
    """Which days are working days.

    `local`: the operator's non-working days {date: name}; `weekends`: Saturdays and
    Sundays count as working days; `national`: a function year -> {date: name}
    (the holidays package by default; tests may pass their own)."""

    local: Mapping[dt.date, str] = field(default_factory=dict)
    weekends: bool = False
    national: Callable[[int], Mapping[dt.date, str]] = national_holidays

    def reasons(self, day: dt.date) -> list[str]:
        """Why `day` is not a working day (empty when it is one)."""
        why: list[str] = []
        if day.weekday() >= 5 and not self.weekends:
            why.append("weekend")
        name = self.national(day.year).get(day)
        if name:
            why.append(f"national holiday: {name}")
        local = self.local.get(day)
        if local:
            why.append(f"local holiday: {local}")
        return why

    def reason(self, day: dt.date) -> str | None:
        why = self.reasons(day)
        return "; ".join(why) if why else None

    def is_working_day(self, day: dt.date) -> bool:
        return not self.reasons(day)

    def next_working_day(self, day: dt.date) -> dt.date | None:
        """The first working day on or after `day` (None if none within a year)."""
        for i in range(_SEARCH_LIMIT):
            d = day + dt.timedelta(days=i)
            if self.is_working_day(d):
                return d
        return None

    def working_days(self, start: dt.date, n: int) -> list[dt.date]:
        """The first n working days from `start` (included when it is a working day).

        A Friday start with n=2 gives Friday and Monday; Tuesday 24 December 2024 with
        n=2 gives the 24th and the 27th (25 and 26 are holidays)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        out: list[dt.date] = []
        d = start
        gap = 0
        while len(out) < n:
            if self.is_working_day(d):
                out.append(d)
                gap = 0
            else:
                gap += 1
                if gap > _SEARCH_LIMIT:
                    raise ValueError(f"no working day within a year after {d.isoformat()}")
            d += dt.timedelta(days=1)
        return out

    def working_days_between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Every working day from start to end, both included."""
        return [d for d in daterange(start, end) if self.is_working_day(d)]

    def days(self, start: dt.date, end: dt.date) -> list[dict]:
        """One row per day: date, weekday, working, reason (for `pelatihan calendar`)."""
        return [
            {
                "date": d,
                "weekday": WEEKDAYS_EN[d.weekday()],
                "working": not (why := self.reasons(d)),
                "reason": "; ".join(why) if why else None,
            }
            for d in daterange(start, end)
        ]
