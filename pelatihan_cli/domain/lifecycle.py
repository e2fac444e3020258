"""The life of a session: planned -> running (from its first day) -> done (after its last
day), or cancelled. Only 'cancelled' is stored (session.status; 'planned' there means
'not cancelled'); the phase follows the dates and today."""

from __future__ import annotations

import datetime as dt

PLANNED, RUNNING, DONE, CANCELLED = "planned", "running", "done", "cancelled"
PHASES = (PLANNED, RUNNING, DONE, CANCELLED)


def _iso(day: dt.date | str) -> str:
    return day if isinstance(day, str) else day.isoformat()


def phase(stored_status: str, first_day: dt.date | str, last_day: dt.date | str, today: dt.date) -> str:
    """The status shown everywhere: 'cancelled', else where today falls against the days."""
    if stored_status == CANCELLED:
        return CANCELLED
    t = today.isoformat()
    if t < _iso(first_day):
        return PLANNED
    if t <= _iso(last_day):
        return RUNNING
    return DONE


def phase_sql(today: dt.date, alias: str = "s") -> tuple[str, list]:
    """An SQL expression giving the phase of session `alias` (needs its session_day rows),
    and its parameters."""
    t = today.isoformat()
    expr = (f"CASE WHEN {alias}.status = 'cancelled' THEN 'cancelled' "
            f"WHEN ? < {alias}.start_date THEN 'planned' "
            f"WHEN ? <= (SELECT max(x.date) FROM session_day x WHERE x.session_id = {alias}.id) THEN 'running' "
            f"ELSE 'done' END")
    return expr, [t, t]
