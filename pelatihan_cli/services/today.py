"""`pelatihan today`: what the operator needs this morning and this week — the sessions
training today and in the next days (every programme), their seats and waitlists, what is
missing (instructor, venue), and the rosters to print."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from pelatihan_cli.services import clock, sessions


def outlook(db: Database, *, days: int = 7, today: dt.date | None = None) -> dict:
    """{'today': ISO, 'days': [{'date', 'sessions': [session object + 'day', 'of_days',
    'problems']}], 'rosters': [ISO dates with sessions]} for today and the next `days` days."""
    today = today or clock.today()
    end = today + dt.timedelta(days=days)
    listed = sessions.list_sessions(db, start=today, end=end)
    by_day: dict[str, list[dict]] = {}
    for s in listed:
        if s["status"] == "cancelled":
            continue
        for no, d in enumerate(s["days"], start=1):
            if today.isoformat() <= d <= end.isoformat():
                problems = []
                if not s["instructors"]:
                    problems.append("no instructor")
                if not s["venue"]:
                    problems.append("no venue")
                if s["enrolled"] == 0:
                    problems.append("nobody enrolled")
                elif s["enrolled"] < s["capacity"] and s["waitlisted"] == 0 and d == s["days"][0]:
                    problems.append(f"{s['capacity'] - s['enrolled']} seat(s) free")
                by_day.setdefault(d, []).append({**s, "day": no, "of_days": len(s["days"]), "problems": problems})
    out = [{"date": d, "sessions": by_day[d]} for d in sorted(by_day)]
    return {"today": today.isoformat(), "until": end.isoformat(), "days": out, "rosters": [d["date"] for d in out]}
