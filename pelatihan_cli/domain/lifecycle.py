"""The life of a session: planned -> running (from its first day) -> done (after its last
day), or cancelled. Only 'cancelled' is stored (session.status; 'planned' there means
'not cancelled'); the phase follows the dates and today."""

from __future__ import annotations

import datetime as dt

from pelatihan_cli.errors import Conflict

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


def blocks_changes(phase_: str) -> bool:
    """Whether a session in this phase still holds its instructors, days and seats: a
    planned or running one does; a done or cancelled one is history."""
    return phase_ in (PLANNED, RUNNING)


def attended(present_days: int, days: int) -> str:
    """'2/2': days present out of the session's days."""
    return f"{present_days}/{days}"


def enrollment_note(status: str, present_days: int, days: int, completed: bool, *,
                    cancelled: bool = False) -> str:
    """What an enrollment's record says, e.g. 'withdrawn after 2 of 2 days, completed',
    'enrolled, 1 of 2 days', 'cancelled session'; '' when nothing was recorded yet."""
    if cancelled:
        return "cancelled session" + (f", {present_days} of {days} days" if present_days else "")
    if status == "withdrawn":
        if not present_days:
            return ""
        return f"withdrawn after {present_days} of {days} days" + (", completed" if completed else "")
    if completed:
        return "completed"
    if present_days:
        return f"{present_days} of {days} days"
    return ""


def check_cancel(phase_: str, attendance_marks: int, *, session_id: int, force: bool = False) -> None:
    """Refuse to cancel a cancelled session, and one with attendance unless `force`."""
    if phase_ == CANCELLED:
        raise Conflict(f"Session {session_id} is already cancelled.")
    if attendance_marks and not force:
        raise Conflict(
            f"Session {session_id} has attendance recorded ({attendance_marks} mark(s)): it took place. "
            "Cancelling keeps the marks but its completions stop counting; add --force (and --yes) to "
            "cancel it anyway.")


def check_withdraw(present_days: int, days: int, completed: bool, *, who: str, where: str,
                   verb: str = "withdraw", force: bool = False) -> None:
    """Refuse to withdraw (or move) someone present on a day of the session unless `force`;
    with it the attendance and completion stay recorded and counted."""
    if present_days and not force:
        done = ", completed" if completed else ""
        raise Conflict(
            f"{who} attended {present_days} of {days} day(s) of {where}{done}; to {verb} them anyway add "
            "--force (and --yes): the attendance stays recorded and counted.")
