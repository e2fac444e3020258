"""Local non-working days (the `holiday` table) and the working-day calendar built from
them plus the national holidays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain.calendar import Calendar, cuti_bersama_known, national_holidays
from pelatihan_cli.domain.dates import check_plan_date, parse_date
from pelatihan_cli.domain.names import clean_name
from pelatihan_cli.errors import Conflict, NotFound, ValidationError
from pelatihan_cli.services import audit

MAX_CALENDAR_DAYS = 3 * 366


def local_days(db: Database) -> dict[dt.date, str]:
    return {dt.date.fromisoformat(d): n for d, n in db.execute("SELECT date, name FROM holiday ORDER BY date")}


def calendar(db: Database, *, weekends: bool = False) -> Calendar:
    """The working-day calendar: weekdays minus national and local holidays."""
    return Calendar(local=local_days(db), weekends=weekends)


def cuti_bersama_warnings(db: Database, years: Iterable[int]) -> list[str]:
    """One warning (or none) for the years whose cuti bersama the installed `holidays`
    package does not know yet, so a plan there may put training on them. A year is no
    longer warned about once a local holiday of that year is named 'Cuti bersama ...'."""
    unknown = sorted(y for y in set(years) if not cuti_bersama_known(y))
    if not unknown:
        return []
    added = {d.year for d, name in local_days(db).items() if "cuti bersama" in name.casefold()}
    unknown = [y for y in unknown if y not in added]
    if not unknown:
        return []
    from importlib.metadata import PackageNotFoundError, version

    try:
        package = f"holidays {version('holidays')}"
    except PackageNotFoundError:  # pragma: no cover - a dependency
        package = "holidays"
    years_text = str(unknown[0]) if len(unknown) == 1 else ", ".join(map(str, unknown[:-1])) + f" and {unknown[-1]}"
    return [f"the cuti bersama of {years_text} are not known to the installed {package} package, so they count "
            "as working days here; once they are decreed, add each with "
            "`pelatihan holiday add DATE \"Cuti bersama ...\"` (this warning then stops), or upgrade the package: "
            "pip install -U holidays."]


def sessions_on(db: Database, day: dt.date) -> list[int]:
    """Ids of planned sessions with a training day on `day`."""
    rows = db.execute(
        "SELECT DISTINCT d.session_id FROM session_day d JOIN session s ON s.id = d.session_id "
        "WHERE d.date = ? AND s.status = 'planned' ORDER BY d.session_id",
        [day.isoformat()],
    )
    return [r[0] for r in rows]


def add(db: Database, date: str | dt.date, name: str) -> dict:
    """Add a local non-working day. Returns {date, name, sessions}: the planned sessions
    that already have a training day then (they keep it; move them if needed)."""
    day = check_plan_date(parse_date(date, field="date"), field="date")
    name = clean_name(name or "")
    if not name:
        raise ValidationError("The holiday needs a name, e.g. pelatihan holiday add 2024-07-15 \"Hari jadi kota\".",
                              field="name", value=name)
    with write_transaction(db):
        row = db.execute("SELECT name FROM holiday WHERE date = ?", [day.isoformat()]).fetchone()
        if row:
            raise Conflict(f"{day.isoformat()} is already a local holiday ({row[0]!r}); "
                           "remove it first to rename it: pelatihan holiday remove " + day.isoformat())
        db.execute("INSERT INTO holiday (date, name) VALUES (?, ?)", [day.isoformat(), name])
        audit.record(db, "holiday.add", {"holiday": 1})
        clashes = sessions_on(db, day)
    return {"date": day, "name": name, "sessions": clashes, "national": national_holidays(day.year).get(day)}


def remove(db: Database, date: str | dt.date) -> dict:
    day = parse_date(date, field="date")
    with write_transaction(db):
        row = db.execute("SELECT name FROM holiday WHERE date = ?", [day.isoformat()]).fetchone()
        if row is None:
            national = national_holidays(day.year).get(day)
            if national:
                raise NotFound(f"{day.isoformat()} is a national holiday ({national}), not a local one; "
                               "national holidays cannot be removed.")
            raise NotFound(f"{day.isoformat()} is not a local holiday. See `pelatihan holiday list`.")
        db.execute("DELETE FROM holiday WHERE date = ?", [day.isoformat()])
        audit.record(db, "holiday.remove", {"holiday": 1})
    return {"date": day, "name": row[0]}


def list_holidays(db: Database, year: int | None = None) -> list[dict]:
    """Local days (all, or of `year`); with a year also the national holidays and cuti
    bersama of that year. Rows: date, name, kind ('local' or 'national')."""
    rows = [
        {"date": d, "name": n, "kind": "local"}
        for d, n in local_days(db).items()
        if year is None or d.year == year
    ]
    if year is not None:
        if not 1990 <= year <= 2100:
            raise ValidationError(f"Year {year} is out of range; give a year between 1990 and 2100.",
                                  field="year", value=year)
        rows += [{"date": d, "name": n, "kind": "national"} for d, n in national_holidays(year).items()]
    rows.sort(key=lambda r: (r["date"], r["kind"]))
    return rows


def calendar_days(db: Database, start: str | dt.date, end: str | dt.date, *, weekends: bool = False) -> list[dict]:
    """One row per day from start to end: date, weekday, working, reason."""
    a = check_plan_date(parse_date(start, field="--from"), field="--from")
    b = check_plan_date(parse_date(end, field="--to"), field="--to")
    if b < a:
        raise ValidationError(f"--to {b.isoformat()} is before --from {a.isoformat()}; swap them.", field="--to", value=b)
    if (b - a).days > MAX_CALENDAR_DAYS:
        raise ValidationError("The range is longer than three years; choose a shorter --from/--to.", field="--to", value=b)
    return calendar(db, weekends=weekends).days(a, b)
