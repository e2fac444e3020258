"""The office's printouts as data: the schedule with venues, a session's waitlist, its
rekap kehadiran, a contact list for WhatsApp reminders, and the no-shows.

Pure queries: each function returns rows (and the session's facts for the document's
heading); render/printouts.py turns them into PDF/xlsx documents. NIK and phone are
masked unless show_nik, whose use is logged (audit.record_reveal).
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from pelatihan_cli.domain.outcomes import wa_link
from pelatihan_cli.domain.privacy import mask_nik, phone_for_display
from pelatihan_cli.errors import Conflict, ValidationError
from pelatihan_cli.services import audit, clock

SCHEDULE_KEYS = ["date", "day_no", "of_days", "session_id", "programme_id", "programme", "kelurahan", "kecamatan",
                 "skill", "venue", "instructors", "enrolled", "capacity"]
WAITLIST_KEYS = ["session_id", "position", "nik", "name", "sex", "kelurahan", "phone", "waitlisted_on"]
CONTACT_KEYS = ["session_id", "kelurahan", "skill", "no", "name", "nik", "status", "phone", "wa_link"]
NO_SHOW_KEYS = ["session_id", "no", "nik", "name", "phone", "kelurahan", "absent_days", "unmarked_days"]


def attendance_keys(days: int) -> list[str]:
    """The keys of a rekap kehadiran row of a session of `days` training days."""
    return ["session_id", "no", "nik", "name", "status", *(f"day_{d}" for d in range(1, days + 1)),
            "present_days", "completed"]


def session_facts(db: Database, session_id: int | str, *, allow_cancelled: bool = False) -> dict:
    """The session object of sessions.get_session (id, kelurahan, kecamatan, skill, days,
    venue, instructors, capacity, enrolled, waitlisted, status, programme) plus
    programme_id, for a printout's heading. A cancelled session is refused unless
    allow_cancelled."""
    from pelatihan_cli.services.sessions import get_session

    s = get_session(db, session_id)
    s["programme_id"] = db.execute("SELECT programme_id FROM session WHERE id = ?", [s["id"]]).fetchone()[0]
    if s["status"] == "cancelled" and not allow_cancelled:
        raise Conflict(f"Session {s['id']} is cancelled; it has no training days to print for. "
                       f"`pelatihan report contacts {s['id']}` still lists its people.")
    return s


def _reveal(db: Database, action: str, rows: list, scope: dict, show_nik: bool) -> None:
    if show_nik and rows:
        audit.record_reveal(db, action, {**scope, "participants": len(rows)})


# --- schedule -------------------------------------------------------------------------------

def schedule(db: Database, start: str | dt.date | None = None, end: str | dt.date | None = None, *,
             programme_id: int | None = None) -> list[dict]:
    """One row per training day of each session that is not cancelled (keys
    SCHEDULE_KEYS, ISO dates), by date, kelurahan, skill: what `report schedule` prints,
    with the venue and the instructors of each track."""
    from pelatihan_cli.services.schedule import date_window

    a, b = date_window(start, end)
    rows = db.execute(
        """SELECT d.date, d.day_no, s.days, s.id, p.id, p.name, k.name, k.kecamatan, sk.name, s.venue,
                  (SELECT group_concat(name, '|') FROM (
                      SELECT i.name AS name FROM session_instructor si JOIN instructor i ON i.id = si.instructor_id
                      WHERE si.session_id = s.id ORDER BY i.name_key)),
                  (SELECT count(*) FROM enrollment e WHERE e.session_id = s.id AND e.status = 'enrolled'),
                  s.capacity
           FROM session_day d JOIN session s ON s.id = d.session_id
           JOIN kelurahan k ON k.id = s.kelurahan_id JOIN skill sk ON sk.id = s.skill_id
           JOIN programme p ON p.id = s.programme_id
           WHERE s.status = 'planned' AND d.date BETWEEN ? AND ? AND (? IS NULL OR s.programme_id = ?)
           ORDER BY d.date, k.name_key, sk.name_key, s.id""",
        [a, b, programme_id, programme_id]).fetchall()
    out = []
    for r in rows:
        row = dict(zip(SCHEDULE_KEYS, r))
        row["instructors"] = [n for n in (row["instructors"] or "").split("|") if n]
        out.append(row)
    return out


# --- waitlist -------------------------------------------------------------------------------

def waitlist(db: Database, session_id: int | str, *, show_nik: bool = False) -> dict:
    """{'session': session_facts, 'rows': [...]}: the session's waitlist in first-come
    order (keys WAITLIST_KEYS; `position` 1 is the first to call when a seat frees)."""
    s = session_facts(db, session_id)
    people = db.execute(
        """SELECT p.nik, p.name, p.sex, k.name, p.phone, substr(e.created_at, 1, 10)
           FROM enrollment e JOIN participant p ON p.id = e.participant_id
           LEFT JOIN kelurahan k ON k.id = p.kelurahan_id
           WHERE e.session_id = ? AND e.status = 'waitlisted' AND e.cancelled = 0
           ORDER BY e.seq""", [s["id"]]).fetchall()
    rows = [{"session_id": s["id"], "position": n, "nik": nik if show_nik else mask_nik(nik), "name": name,
             "sex": sex, "kelurahan": kel, "phone": phone_for_display(phone, reveal=show_nik), "waitlisted_on": on}
            for n, (nik, name, sex, kel, phone, on) in enumerate(people, start=1)]
    _reveal(db, "report.waitlist.show_nik", rows, {"session": s["id"]}, show_nik)
    return {"session": s, "rows": rows}


# --- rekap kehadiran ------------------------------------------------------------------------

def attendance(db: Database, session_id: int | str, *, show_nik: bool = False) -> dict:
    """{'session', 'rows', 'totals'}: everyone whose attendance in the session counts (the
    people enrolled, and anyone who withdrew after attending: the days they came were
    paid for, as in the budget and the receipts; status 'withdrawn'), by name. Each row
    has day_1..day_N: True present, False absent, None not marked; `totals` gives the
    people present per day (the count for meals and transport)."""
    from pelatihan_cli.services.attendance import COUNTED_SQL

    s = session_facts(db, session_id)
    days = len(s["days"])
    people = db.execute(
        f"""SELECT e.id, p.nik, p.name, e.status
            FROM enrollment e JOIN session s ON s.id = e.session_id
            JOIN participant p ON p.id = e.participant_id
            WHERE e.session_id = ? AND {COUNTED_SQL}
              AND (e.status = 'enrolled' OR EXISTS (
                   SELECT 1 FROM attendance a WHERE a.enrollment_id = e.id AND a.present = 1 AND a.day_no <= s.days))
        """, [s["id"]]).fetchall()
    people.sort(key=_by_name)
    marks = _marks(db, s["id"])
    rows, totals = [], [0] * days
    for n, (eid, nik, name, status) in enumerate(people, start=1):
        mine = marks.get(eid, {})
        row = {"session_id": s["id"], "no": n, "nik": nik if show_nik else mask_nik(nik), "name": name,
               "status": status}
        for d in range(1, days + 1):
            row[f"day_{d}"] = mine.get(d)
            totals[d - 1] += mine.get(d) is True
        row["present_days"] = sum(1 for d in range(1, days + 1) if mine.get(d) is True)
        row["completed"] = row["present_days"] == days
        rows.append(row)
    _reveal(db, "report.attendance.show_nik", rows, {"session": s["id"]}, show_nik)
    return {"session": s, "rows": rows, "totals": totals}


# --- contacts -------------------------------------------------------------------------------

def contacts(db: Database, *, session_id: int | str | None = None, programme_id: int | None = None,
             show_nik: bool = False) -> dict:
    """{'session': session_facts or None, 'rows': [...]}: the people enrolled and
    waitlisted in one session (also a cancelled one, to tell them) or in every session of
    a programme that is not cancelled (keys CONTACT_KEYS), by session then enrolled before
    waitlisted, then name. The phone is masked and `wa_link` None unless show_nik
    (logged): a wa.me link holds the whole number. Erased people are left out."""
    s = None
    if session_id is not None:
        s = session_facts(db, session_id, allow_cancelled=True)
        where, params = "e.session_id = ?", [s["id"]]
    elif programme_id is not None:
        where, params = "s.programme_id = ? AND s.status = 'planned' AND e.cancelled = 0", [programme_id]
    else:
        raise ValidationError("Give a session or a programme.")
    people = db.execute(
        f"""SELECT s.id, k.name, sk.name, p.name, p.nik, e.status, p.phone
            FROM enrollment e JOIN session s ON s.id = e.session_id
            JOIN participant p ON p.id = e.participant_id
            JOIN kelurahan k ON k.id = s.kelurahan_id JOIN skill sk ON sk.id = s.skill_id
            WHERE {where} AND e.status IN ('enrolled', 'waitlisted') AND p.name IS NOT NULL
            ORDER BY s.start_date, k.name_key, sk.name_key, s.id,
                     CASE e.status WHEN 'enrolled' THEN 0 ELSE 1 END, p.name COLLATE NOCASE, p.nik""",
        params).fetchall()
    rows = [{"session_id": sid, "kelurahan": kel, "skill": skill, "no": n, "name": name,
             "nik": nik if show_nik else mask_nik(nik), "status": status,
             "phone": phone_for_display(phone, reveal=show_nik), "wa_link": wa_link(phone) if show_nik else None}
            for n, (sid, kel, skill, name, nik, status, phone) in enumerate(people, start=1)]
    scope = {"session": s["id"]} if s else {"programme": programme_id}
    _reveal(db, "report.contacts.show_nik", rows, scope, show_nik)
    return {"session": s, "rows": rows}


# --- no-shows -------------------------------------------------------------------------------

def no_shows(db: Database, session_id: int | str, *, day: int | None = None, show_nik: bool = False,
             today: dt.date | None = None) -> dict:
    """{'session', 'days': [day numbers looked at], 'rows': [...]}: the people enrolled who
    were absent or not marked on day `day`, or, without one, on every training day so far
    (days up to today); keys NO_SHOW_KEYS, by name. A day still to come is refused."""
    s = session_facts(db, session_id)
    today = today or clock.today()
    dates = s["days"]
    if day is not None:
        if not 1 <= day <= len(dates):
            raise ValidationError(f"Session {s['id']} has {len(dates)} training day(s); --day must be 1 to "
                                  f"{len(dates)}, not {day}.", field="--day", value=day)
        if dt.date.fromisoformat(dates[day - 1]) > today:
            raise ValidationError(f"Day {day} of session {s['id']} is {dates[day - 1]}, still to come; "
                                  "nobody can have missed it yet.", field="--day", value=day)
        looked = [day]
    else:
        looked = [n for n, d in enumerate(dates, start=1) if dt.date.fromisoformat(d) <= today]
        if not looked:
            raise ValidationError(f"Session {s['id']} starts on {dates[0]}; no training day has passed yet.",
                                  field="session", value=s["id"])
    people = db.execute(
        """SELECT e.id, p.nik, p.name, p.phone, k.name
           FROM enrollment e JOIN participant p ON p.id = e.participant_id
           LEFT JOIN kelurahan k ON k.id = p.kelurahan_id
           WHERE e.session_id = ? AND e.status = 'enrolled' AND e.cancelled = 0""", [s["id"]]).fetchall()
    people.sort(key=_by_name)
    marks = _marks(db, s["id"])
    rows = []
    for eid, nik, name, phone, kel in people:
        mine = marks.get(eid, {})
        if any(mine.get(d) is True for d in looked):
            continue
        rows.append({"session_id": s["id"], "no": len(rows) + 1, "nik": nik if show_nik else mask_nik(nik),
                     "name": name, "phone": phone_for_display(phone, reveal=show_nik), "kelurahan": kel,
                     "absent_days": [d for d in looked if mine.get(d) is False],
                     "unmarked_days": [d for d in looked if d not in mine]})
    _reveal(db, "report.no_shows.show_nik", rows, {"session": s["id"]}, show_nik)
    return {"session": s, "days": looked, "rows": rows}


def _by_name(row: tuple) -> tuple:
    """(enrollment id, nik, name, ...) rows by name, the erased (no name) last."""
    return row[2] is None, (row[2] or "").casefold(), row[1] or ""


def _marks(db: Database, session_id: int) -> dict[int, dict[int, bool]]:
    """enrollment id -> {day: present} of a session's attendance marks."""
    marks: dict[int, dict[int, bool]] = {}
    for eid, day_no, present in db.execute(
            "SELECT a.enrollment_id, a.day_no, a.present FROM attendance a JOIN enrollment e ON e.id = a.enrollment_id "
            "WHERE e.session_id = ?", [session_id]):
        marks.setdefault(eid, {})[day_no] = bool(present)
    return marks
