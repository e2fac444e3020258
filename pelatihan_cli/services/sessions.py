"""Sessions: one skill track in one kelurahan over N working days, with a capacity and
instructors. Plan, list, show, move, cancel, import.

The session object (JSON of `session list` / `session show`, and what other areas get
from `get_session` / `list_sessions`) has exactly the keys in SESSION_KEYS.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain import lifecycle
from pelatihan_cli.domain.calendar import MAX_SESSION_DAYS, WEEKDAYS_EN, Calendar
from pelatihan_cli.domain.dates import check_plan_date, parse_date
from pelatihan_cli.domain.names import clean_name, name_key
from pelatihan_cli.errors import Conflict, NotFound, PelatihanError, RowErrors, ValidationError, no_session
from pelatihan_cli.services import settings
from pelatihan_cli.services import audit, holidays, instructors as instructors_service, kelurahan as kelurahan_service
from pelatihan_cli.services import clock, programmes as programmes_service
from pelatihan_cli.services import skills as skills_service

SESSION_KEYS = ["id", "programme", "kelurahan", "kecamatan", "skill", "days", "capacity", "enrolled", "waitlisted",
                "venue", "instructors", "status"]
IMPORT_COLUMNS = ["kelurahan", "skill", "start", "days", "capacity", "venue", "instructor", "programme"]
STATUSES = lifecycle.PHASES
DEFAULT_DAYS = 2
DEFAULT_CAPACITY = 20


# --- reading ---------------------------------------------------------------------------

def ids_param(ids: Sequence[int]) -> str:
    """A list of ids as one SQL parameter, for `IN (SELECT value FROM json_each(?))`."""
    return json.dumps(list(ids))


def query_sessions(db: Database, where: str, params: list) -> list[dict]:
    """Session objects (keys SESSION_KEYS) of the sessions `s` matching `where`."""
    sql = f"""
        SELECT s.id, k.name, k.kecamatan, sk.name, s.capacity,
            (SELECT count(*) FROM enrollment e WHERE e.session_id = s.id AND e.status = 'enrolled'),
            (SELECT count(*) FROM enrollment e WHERE e.session_id = s.id AND e.status = 'waitlisted'),
            s.venue, s.status, p.name, k.id
        FROM session s
        JOIN kelurahan k ON k.id = s.kelurahan_id
        JOIN skill sk ON sk.id = s.skill_id
        JOIN programme p ON p.id = s.programme_id
        {where}
        ORDER BY s.start_date, k.name_key, sk.name_key, s.id
    """
    rows = db.execute(sql, params).fetchall()
    if not rows:
        return []
    ids = ids_param([r[0] for r in rows])
    days: dict[int, list[str]] = {}
    for sid, date in db.execute(
        "SELECT session_id, date FROM session_day WHERE session_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY session_id, day_no", [ids]):
        days.setdefault(sid, []).append(date)
    teachers: dict[int, list[str]] = {}
    for sid, name in db.execute(
        "SELECT si.session_id, i.name FROM session_instructor si JOIN instructor i ON i.id = si.instructor_id "
        "WHERE si.session_id IN (SELECT value FROM json_each(?)) ORDER BY si.session_id, i.name_key", [ids]):
        teachers.setdefault(sid, []).append(name)
    today = clock.today()
    shown = kelurahan_service.display_names(db)  # two Purwosari are told apart
    out = []
    for r in rows:
        d = days.get(r[0], [])
        out.append({
            "id": r[0], "programme": r[9], "kelurahan": shown.get(r[10], r[1]), "kecamatan": r[2], "skill": r[3], "days": d,
            "capacity": r[4], "enrolled": r[5], "waitlisted": r[6], "venue": r[7],
            "instructors": teachers.get(r[0], []),
            "status": lifecycle.phase(r[8], d[0], d[-1], today) if d else r[8],
        })
    return out


def phase_of(db: Database, sid: int, today: dt.date | None = None) -> str:
    """The phase (planned, running, done, cancelled) of one session."""
    expr, params = lifecycle.phase_sql(today or clock.today())
    return db.execute(f"SELECT {expr} FROM session s WHERE s.id = ?", [*params, sid]).fetchone()[0]


def _refuse_done(db: Database, sid: int, what: str) -> None:
    phase = phase_of(db, sid)
    if phase == lifecycle.DONE:
        raise Conflict(f"Session {sid} is done (its last day has passed); {what} is refused so that its "
                       "record stays as it happened.")
    if phase == lifecycle.CANCELLED:
        raise Conflict(f"Session {sid} is cancelled; reopen it first (`pelatihan session reopen {sid}`) "
                       f"or plan a new session.")


def resolve_session(db: Database, session_id: int | str) -> int:
    """The id of an existing session, or NotFound / ValidationError saying what to type."""
    text = str(session_id).strip().lstrip("#")
    if not text.isdigit():
        raise ValidationError(f"Session id {session_id!r} is not a number; give the id shown by "
                              "`pelatihan session list`, e.g. 12.", field="session", value=session_id)
    sid = int(text)
    if not db.execute("SELECT 1 FROM session WHERE id = ?", [sid]).fetchone():
        raise NotFound(no_session(sid))
    return sid


def get_session(db: Database, session_id: int | str) -> dict:
    """The session object (keys SESSION_KEYS) of one session; NotFound if there is none."""
    sid = resolve_session(db, session_id)
    return query_sessions(db, "WHERE s.id = ?", [sid])[0]


def list_sessions(
    db: Database,
    *,
    date: str | dt.date | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    kelurahan: str | None = None,
    status: str | None = None,
    skill: str | None = None,
    programme_id: int | None = None,
    kecamatan: str | None = None,
    kabupaten: str | None = None,
) -> list[dict]:
    """Session objects, ordered by first day. `date`: sessions training on that day;
    `start`/`end`: sessions with a training day in that range; `programme_id`: that
    programme's sessions only; `kecamatan`/`kabupaten`: in that place (as `kelurahan list`)."""
    clauses, params = [], []
    if kecamatan or kabupaten:
        cond, p = kelurahan_service.place_filter(db, kecamatan, kabupaten, alias="k")
        clauses.append(cond)
        params += p
    if programme_id is not None:
        clauses.append("s.programme_id = ?")
        params.append(programme_id)
    if date is not None:
        d = parse_date(date, field="--date")
        # IN (...) lets SQLite search session_day_date instead of probing every session
        clauses.append("s.id IN (SELECT x.session_id FROM session_day x WHERE x.date = ?)")
        params.append(d.isoformat())
    if start is not None or end is not None:
        a = parse_date(start, field="--from").isoformat() if start is not None else "0000-00-00"
        b = parse_date(end, field="--to").isoformat() if end is not None else "9999-99-99"
        if b < a:
            raise ValidationError(f"--to {b} is before --from {a}; swap them.", field="--to", value=b)
        clauses.append("s.id IN (SELECT x.session_id FROM session_day x WHERE x.date BETWEEN ? AND ?)")
        params += [a, b]
    if kelurahan:
        k = kelurahan_service.resolve(db, kelurahan)
        clauses.append("s.kelurahan_id = ?")
        params.append(k.id)
    if skill:
        sk = skills_service.resolve(db, skill)
        clauses.append("s.skill_id = ?")
        params.append(sk.id)
    if status:
        st = status.strip().lower()
        if st not in STATUSES:
            raise ValidationError(f"Status {status!r} is not one of {', '.join(STATUSES)}.", field="--status",
                                  value=status)
        expr, p = lifecycle.phase_sql(clock.today())
        clauses.append(f"({expr}) = ?")
        params += [*p, st]
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return query_sessions(db, where, params)


def show_session(db: Database, session_id: int | str) -> dict:
    """The session object plus weekends, cancel_reason, created_at, updated_at."""
    s = get_session(db, session_id)
    extra = db.execute("SELECT weekends, cancel_reason, created_at, updated_at FROM session WHERE id = ?",
                       [s["id"]]).fetchone()
    return {**s, "weekends": bool(extra[0]), "cancel_reason": extra[1], "created_at": extra[2], "updated_at": extra[3]}


# --- planning rules -------------------------------------------------------------------

settings.register("capacity_max", "1000", "Largest capacity a session may have (a typo like 100000000 is refused).",
                  settings.int_between(1, 1_000_000))


def capacity_max(db: Database) -> int:
    return settings.get_int(db, "capacity_max")


settings.register("plan_horizon_years", "5", "Planning a session more years ahead than this needs --force.",
                  settings.int_between(1, 100))


def check_start(db: Database, day: dt.date, field: str, *, force: bool = False) -> dt.date:
    """A first training day in 2000-2100 and, unless `force`, within the planning horizon."""
    return check_plan_date(day, field=field, today=clock.today(), force=force,
                           horizon_years=settings.get_int(db, "plan_horizon_years"))

@dataclass
class Draft:
    """A checked session, ready to write."""

    kelurahan_id: int
    kelurahan: str
    skill: str
    days: list[dt.date]
    capacity: int
    venue: str | None
    instructor_ids: list[int] = field(default_factory=list)
    instructor_names: list[str] = field(default_factory=list)
    weekends: bool = False
    programme: str | None = None   # as given with --programme; None: the one covering the days
    programme_created: bool = False  # set by write_draft when the programme was made for it
    allow_new: bool = False        # --new: a new skill close to a stored one is created anyway
    programme_id: int | None = None  # already chosen (auto-plan): wins over `programme`


def positive_int(value, what: str, option: str, *, upper: int | None = None,
                 too_big: str = "split it into shorter sessions") -> int:
    """A whole number of at least 1 (and at most `upper`), else ValidationError naming `option`."""
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(f"{what} {value!r} is not a whole number; give {option} 1 or more.",
                              field=option, value=value) from None
    if n < 1:
        raise ValidationError(f"{what} must be at least 1, got {n}; give {option} 1 or more.", field=option, value=value)
    if upper is not None and n > upper:
        raise ValidationError(f"{what} {n} is more than {upper}; {too_big}.", field=option, value=value)
    return n


def _describe(day: dt.date) -> str:
    return f"{WEEKDAYS_EN[day.weekday()]} {day.isoformat()}"


def session_days(cal: Calendar, start: dt.date, n: int) -> list[dt.date]:
    """The first n working days from `start`; start must itself be a working day."""
    why = cal.reason(start)
    if why:
        nxt = cal.next_working_day(start)
        hint = f" The next working day is {_describe(nxt)}: use --start {nxt.isoformat()}" if nxt else ""
        extra = "" if cal.weekends or start.weekday() < 5 else ", or --weekends to count Saturdays and Sundays"
        raise ValidationError(f"{_describe(start)} is not a working day ({why}).{hint}{extra}.",
                              field="start", value=start.isoformat())
    return cal.working_days(start, n)


def check_clashes(db: Database, instructor_ids: Sequence[int], days: Sequence[dt.date], *,
                  exclude_session: int | None = None) -> None:
    """Conflict naming the first instructor booked on one of `days` in another planned session."""
    if not instructor_ids:
        return
    row = db.execute(
        """SELECT i.name, d.date, d.session_id, k.name, sk.name
            FROM instructor_day d JOIN instructor i ON i.id = d.instructor_id
            JOIN session s ON s.id = d.session_id JOIN kelurahan k ON k.id = s.kelurahan_id
            JOIN skill sk ON sk.id = s.skill_id
            WHERE d.instructor_id IN (SELECT value FROM json_each(?))
              AND d.date IN (SELECT value FROM json_each(?))
              AND d.session_id != ?
            ORDER BY d.date, i.name_key LIMIT 1""",
        [ids_param(instructor_ids), json.dumps([d.isoformat() for d in days]), exclude_session or -1],
    ).fetchone()
    if row:
        raise Conflict(
            f"Instructor {row[0]!r} is already booked on {row[1]} in session {row[2]} ({row[3]}, {row[4]}); "
            "choose another instructor or another start date."
        )


def _instructors_for(db: Database, names: Sequence[str], skill_name: str, *, any_skill: bool) -> tuple[list[int], list[str]]:
    ids: list[int] = []
    out: list[str] = []
    for raw in names:
        for part in str(raw).split(";"):
            if not part.strip():
                continue
            ins = instructors_service.resolve(db, part.strip(), planning=True)
            if ins.id in ids:
                continue
            if not any_skill:
                taught = instructors_service.skills_of(db, ins.id)
                if name_key(skill_name) not in {name_key(t) for t in taught}:
                    raise ValidationError(
                        f"Instructor {ins.name!r} does not teach {skill_name!r} "
                        f"(teaches: {', '.join(taught) or 'nothing yet'}); choose another instructor, "
                        "or add --any-skill to plan them anyway.",
                        field="instructor", value=ins.name,
                    )
            ids.append(ins.id)
            out.append(ins.name)
    return ids, out


@contextlib.contextmanager
def _about(column: str, value: object) -> Iterator[None]:
    """Tag an error raised inside with the column/value it concerns (for row reports)."""
    try:
        yield
    except PelatihanError as e:
        if getattr(e, "field", None) is None:
            e.field = column  # type: ignore[attr-defined]
            e.value = value  # type: ignore[attr-defined]
        raise


def prepare(
    db: Database,
    kelurahan: str,
    skill: str,
    start: str | dt.date,
    *,
    days: int | str = DEFAULT_DAYS,
    capacity: int | str = DEFAULT_CAPACITY,
    venue: str | None = None,
    instructors: Sequence[str] = (),
    weekends: bool = False,
    any_skill: bool = False,
    cal: Calendar | None = None,
    check_clash: bool = True,
    programme: str | None = None,
    allow_new: bool = False,
    force: bool = False,
) -> Draft:
    """Check a session against every rule of `session plan`; write nothing.
    (`check_clash=False` leaves checking the instructors' bookings to the caller.)
    A new skill close to a stored one ('Merajutt') is refused unless `allow_new` (--new)."""
    with _about("kelurahan", kelurahan):
        k = kelurahan_service.resolve(db, kelurahan)
    skill_name = skills_service.clean_skill(skill)
    stored = skills_service.find(db, skill_name)
    if stored:
        skill_name = stored.name
    else:
        skills_service.check_new(db, skill_name, allow_new=allow_new)
    n_days = positive_int(days, "Days", "--days", upper=MAX_SESSION_DAYS)
    cap = positive_int(capacity, "Capacity", "--capacity", upper=capacity_max(db),
                       too_big="check the number, or raise the limit with `pelatihan config set capacity_max N`")
    first = check_start(db, parse_date(start, field="start"), "start", force=force)
    cal = cal or holidays.calendar(db, weekends=weekends)
    dates = session_days(cal, first, n_days)
    with _about("instructor", "; ".join(instructors)):
        ids, names = _instructors_for(db, instructors, skill_name, any_skill=any_skill)
        if check_clash:
            check_clashes(db, ids, dates)
    venue = clean_name(venue or "") or None
    return Draft(k.id, k.name, skill_name, dates, cap, venue, ids, names, weekends, programme,
                 allow_new=allow_new)


def write_draft(db: Database, d: Draft) -> int:
    """Insert a checked session with its days and bookings. Call inside write_transaction."""
    if d.programme_id is not None:
        prog = programmes_service.get(db, d.programme_id)
    else:
        with _about("programme", d.programme):
            prog, d.programme_created = programmes_service.programme_for_dates(db, d.days, d.programme)
    skill, _ = skills_service.get_or_create(db, d.skill, allow_new=d.allow_new)
    cur = db.execute(
        "INSERT INTO session (kelurahan_id, skill_id, start_date, days, capacity, venue, weekends, programme_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [d.kelurahan_id, skill.id, d.days[0].isoformat(), len(d.days), d.capacity, d.venue, int(d.weekends),
         prog.id],
    )
    sid = cur.lastrowid
    db.conn.executemany("INSERT INTO session_day (session_id, day_no, date) VALUES (?, ?, ?)",
                        [(sid, i, day.isoformat()) for i, day in enumerate(d.days, start=1)])
    db.conn.executemany("INSERT INTO session_instructor (session_id, instructor_id) VALUES (?, ?)",
                        [(sid, iid) for iid in d.instructor_ids])
    db.conn.executemany("INSERT INTO instructor_day (instructor_id, date, session_id) VALUES (?, ?, ?)",
                        [(iid, day.isoformat(), sid) for iid in d.instructor_ids for day in d.days])
    return sid


def plan(db: Database, kelurahan: str, skill: str, start: str | dt.date, **options) -> dict:
    """Plan one session (see `prepare` for the rules). Returns the session object."""
    return plan_checked(db, kelurahan, skill, start, **options)["session"]


def plan_checked(db: Database, kelurahan: str, skill: str, start: str | dt.date, **options) -> dict:
    """Plan one session, as `plan`. Returns {session, warnings}: a planned session with the
    same kelurahan, skill and first day does not stop it (two groups of one skill can be
    legitimate) but gives a warning naming it; so does a year whose cuti bersama are unknown."""
    with write_transaction(db):
        draft = prepare(db, kelurahan, skill, start, **options)
        warnings = _same_start_warnings(db, draft)
        warnings += holidays.cuti_bersama_warnings(db, {d.year for d in draft.days})
        sid = write_draft(db, draft)
        audit.record(db, "session.plan", {"session": 1, "instructor_days": len(draft.instructor_ids) * len(draft.days),
                                          "programmes_created": int(draft.programme_created)})
    return {"session": get_session(db, sid), "warnings": warnings + budget_warnings(db, sid)}


def budget_over_programme(db: Database, programme_id: int) -> list[str]:
    from pelatihan_cli.services.budget import over_ceiling_warnings

    return over_ceiling_warnings(db, programme_id)


def budget_warnings(db: Database, sid: int) -> list[str]:
    """A warning when the plan of the session's programme now exceeds its ceiling (issue 15)."""
    from pelatihan_cli.services.budget import over_ceiling_warnings

    row = db.execute("SELECT programme_id FROM session WHERE id = ?", [sid]).fetchone()
    return over_ceiling_warnings(db, row[0] if row else None)


def _same_start_warnings(db: Database, d: Draft) -> list[str]:
    """'session 7 (Bendan Kergon · Merajut) already starts on 2024-07-02; ...' when planned
    sessions with the draft's kelurahan, skill and first day exist."""
    first = d.days[0].isoformat()
    ids = [r[0] for r in db.execute(
        """SELECT s.id FROM session s JOIN skill sk ON sk.id = s.skill_id
           WHERE s.kelurahan_id = ? AND sk.name_key = ? AND s.start_date = ? AND s.status = 'planned'
           ORDER BY s.id""",
        [d.kelurahan_id, name_key(d.skill), first])]
    if not ids:
        return []
    if len(ids) == 1:
        which = f"session {ids[0]} ({d.kelurahan} · {d.skill}) already starts"
    else:
        which = f"sessions {', '.join(map(str, ids))} ({d.kelurahan} · {d.skill}) already start"
    return [f"{which} on {first}; planned another one."]


# --- changing ---------------------------------------------------------------------------

def move(db: Database, session_id: int | str, start: str | dt.date) -> dict:
    """Give a planned session new days from `start` (calendar and clashes re-checked)."""
    first = check_start(db, parse_date(start, field="--start"), "--start")
    with write_transaction(db):
        sid = resolve_session(db, session_id)
        n, weekends = db.execute("SELECT days, weekends FROM session WHERE id = ?", [sid]).fetchone()
        _refuse_done(db, sid, "moving it")
        marked = db.execute(
            "SELECT count(*) FROM attendance a JOIN enrollment e ON e.id = a.enrollment_id WHERE e.session_id = ?",
            [sid]).fetchone()[0]
        if marked:
            raise Conflict(f"Session {sid} already has attendance recorded ({marked} mark(s)); it cannot be moved.")
        dates = session_days(holidays.calendar(db, weekends=bool(weekends)), first, n)
        ids = [r[0] for r in db.execute("SELECT instructor_id FROM session_instructor WHERE session_id = ?", [sid])]
        check_clashes(db, ids, dates, exclude_session=sid)
        _check_ages_on(db, sid, dates[0])
        _move_enrollment_year(db, sid, _programme_after_move(db, sid, dates).year)
        db.execute("DELETE FROM instructor_day WHERE session_id = ?", [sid])
        db.execute("DELETE FROM session_day WHERE session_id = ?", [sid])
        db.conn.executemany("INSERT INTO session_day (session_id, day_no, date) VALUES (?, ?, ?)",
                            [(sid, i, d.isoformat()) for i, d in enumerate(dates, start=1)])
        db.conn.executemany("INSERT INTO instructor_day (instructor_id, date, session_id) VALUES (?, ?, ?)",
                            [(iid, d.isoformat(), sid) for iid in ids for d in dates])
        db.execute("UPDATE session SET start_date = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE id = ?",
                   [dates[0].isoformat(), sid])
        audit.record(db, "session.move", {"session": 1})
    return get_session(db, sid)


def _programme_after_move(db: Database, sid: int, dates: list[dt.date]):
    """The session's programme when it covers the new days; else the one that does (created
    for the year when none does), which the session joins."""
    pid = db.execute("SELECT programme_id FROM session WHERE id = ?", [sid]).fetchone()[0]
    current = programmes_service.get(db, pid)
    if current.covers(dates[0]) and current.covers(dates[-1]):
        return current
    target, _ = programmes_service.programme_for_dates(db, dates)
    db.execute("UPDATE session SET programme_id = ? WHERE id = ?", [target.id, sid])
    return target


def _check_ages_on(db: Database, sid: int, first: dt.date) -> None:
    """Refuse a move when someone enrolled or waitlisted would be outside the age rule on
    the new first day (the rule of domain/eligibility.check_age, settings age_min/age_max)."""
    from dataclasses import replace

    from pelatihan_cli.domain import eligibility as rules
    from pelatihan_cli.domain.dates import age_on
    from pelatihan_cli.domain.privacy import mask_nik
    from pelatihan_cli.services import settings
    from pelatihan_cli.services.enrollment import session_facts

    people = db.execute(
        """SELECT p.name, p.nik, p.birth_date FROM enrollment e JOIN participant p ON p.id = e.participant_id
           WHERE e.session_id = ? AND e.status IN ('enrolled', 'waitlisted') AND p.birth_date IS NOT NULL
           ORDER BY e.status = 'waitlisted', e.seq""", [sid]).fetchall()
    if not people:
        return
    facts = replace(session_facts(db, sid), first_day=first)
    age_min, age_max = settings.get_int(db, "age_min"), settings.get_int(db, "age_max")
    outside = []
    for name, nik, birth_iso in people:
        birth = dt.date.fromisoformat(birth_iso)
        try:
            rules.check_age(birth, facts, age_min, age_max)
        except ValidationError:
            outside.append((name, nik, age_on(birth, first)))
    if outside:
        name, nik, age = outside[0]
        raise Conflict(
            f"Move refused: on {first.isoformat()}, {len(outside)} participant(s) would be outside the age rule "
            f"{age_min}–{age_max} (first: {name}, {mask_nik(nik)}, {age}). Withdraw or move them first "
            f"(see `pelatihan participant list --session {sid}`).")


def _move_enrollment_year(db: Database, sid: int, year: int) -> None:
    """Keep the enrollments' year (one training per person per year) with the session's
    first day when a move crosses into another year; refused when someone would then be
    active twice in that year."""
    old = db.execute("SELECT DISTINCT year FROM enrollment WHERE session_id = ? AND year != ?", [sid, year]).fetchall()
    if not old:
        return
    twice = db.execute(
        """SELECT count(DISTINCT e.participant_id) FROM enrollment e JOIN enrollment o
               ON o.participant_id = e.participant_id AND o.session_id != e.session_id
           WHERE e.session_id = ? AND e.status IN ('enrolled', 'waitlisted')
             AND o.year = ? AND o.status IN ('enrolled', 'waitlisted') AND o.cancelled = 0""",
        [sid, year]).fetchone()[0]
    if twice:
        raise Conflict(
            f"Session {sid} cannot move into {year}: {twice} of its participant(s) already have another "
            f"training in {year} (one training per year). Choose a start in {old[0][0]}, or withdraw or move "
            f"them first (see `pelatihan participant list --session {sid}`).")
    db.execute("UPDATE enrollment SET year = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%f', 'now') "
               "WHERE session_id = ?", [year, sid])


def update(db: Database, session_id: int | str, *, capacity: int | str | None = None, venue: str | None = None,
           instructors: Sequence[str] | None = None, any_skill: bool = False, programme: str | None = None) -> dict:
    """Change a planned session's capacity, venue and/or instructors, in one transaction.

    A larger capacity gives the new seats to the waitlist (first come, first served); a
    capacity below the enrolled count is refused. `venue=""` clears the venue.
    `instructors` replaces the session's instructors (skills and clashes checked as in
    `plan`; an empty list removes them). Returns {session, promoted, changed}."""
    from pelatihan_cli.services import enrollment

    if capacity is None and venue is None and instructors is None and programme is None:
        raise ValidationError("Nothing to change: give --capacity, --venue, --instructor and/or --programme.",
                              field="session")
    cap = positive_int(capacity, "Capacity", "--capacity", upper=capacity_max(db),
                       too_big="check the number, or raise the limit with `pelatihan config set capacity_max N`") if capacity is not None else None
    changed: list[str] = []
    promoted: list = []
    with write_transaction(db):
        sid = resolve_session(db, session_id)
        status, old_cap, old_venue, skill_name = db.execute(
            "SELECT s.status, s.capacity, s.venue, sk.name FROM session s JOIN skill sk ON sk.id = s.skill_id "
            "WHERE s.id = ?", [sid]).fetchone()
        if status != "planned":
            raise Conflict(f"Session {sid} is cancelled; reopen it first (`pelatihan session reopen {sid}`) "
                           "or plan a new session.")
        done = phase_of(db, sid) == lifecycle.DONE
        if cap is not None and cap != old_cap:
            if done:
                _refuse_done(db, sid, "changing its capacity")
            enrolled = db.execute("SELECT count(*) FROM enrollment WHERE session_id = ? AND status = 'enrolled'",
                                  [sid]).fetchone()[0]
            if cap < enrolled:
                raise Conflict(
                    f"Session {sid} has {enrolled} people enrolled; its capacity cannot go down to {cap}. "
                    f"Give --capacity {enrolled} or more, or withdraw people first (pelatihan participant withdraw).")
            db.execute("UPDATE session SET capacity = ? WHERE id = ?", [cap, sid])
            changed.append("capacity")
            if cap > old_cap:
                promoted = enrollment.promote_waitlisted(db, sid)
        if venue is not None:
            new_venue = clean_name(venue) or None
            if new_venue != old_venue:
                db.execute("UPDATE session SET venue = ? WHERE id = ?", [new_venue, sid])
                changed.append("venue")
        if programme is not None and _change_programme(db, sid, programme):
            changed.append("programme")
        instructor_days = 0
        if instructors is not None:
            ids, _ = _instructors_for(db, instructors, skill_name, any_skill=any_skill)
            old_ids = {r[0] for r in db.execute("SELECT instructor_id FROM session_instructor WHERE session_id = ?", [sid])}
            if set(ids) != old_ids:
                days = [dt.date.fromisoformat(r[0]) for r in db.execute(
                    "SELECT date FROM session_day WHERE session_id = ? ORDER BY day_no", [sid])]
                check_clashes(db, ids, days, exclude_session=sid)
                db.execute("DELETE FROM instructor_day WHERE session_id = ?", [sid])
                db.execute("DELETE FROM session_instructor WHERE session_id = ?", [sid])
                db.conn.executemany("INSERT INTO session_instructor (session_id, instructor_id) VALUES (?, ?)",
                                    [(sid, iid) for iid in ids])
                db.conn.executemany("INSERT INTO instructor_day (instructor_id, date, session_id) VALUES (?, ?, ?)",
                                    [(iid, d.isoformat(), sid) for iid in ids for d in days])
                instructor_days = len(ids) * len(days)
                changed.append("instructors")
        if changed:
            db.execute("UPDATE session SET updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE id = ?", [sid])
            audit.record(db, "session.update", {"session": 1, "promoted": len(promoted),
                                                "instructor_days": instructor_days, "done_session": int(done)})
    warnings = budget_warnings(db, sid) if {"capacity", "instructors", "programme"} & set(changed) else []
    return {"session": get_session(db, sid), "promoted": promoted, "changed": changed, "warnings": warnings}


def _change_programme(db: Database, sid: int, programme: str) -> bool:
    """Move a session without attendance into another programme covering its days; its
    enrollments take that programme's year (one training per person per year re-checked)."""
    days = [dt.date.fromisoformat(r[0]) for r in db.execute(
        "SELECT date FROM session_day WHERE session_id = ? ORDER BY day_no", [sid])]
    with _about("--programme", programme):
        target, _ = programmes_service.programme_for_dates(db, days, programme)
    current = db.execute("SELECT programme_id FROM session WHERE id = ?", [sid]).fetchone()[0]
    if target.id == current:
        return False
    marked = db.execute(
        "SELECT count(*) FROM attendance a JOIN enrollment e ON e.id = a.enrollment_id WHERE e.session_id = ?",
        [sid]).fetchone()[0]
    if marked:
        raise Conflict(f"Session {sid} has attendance recorded ({marked} mark(s)); it stays in its programme, "
                       "whose reports count it.")
    _move_enrollment_year(db, sid, target.year)
    db.execute("UPDATE session SET programme_id = ? WHERE id = ?", [target.id, sid])
    return True


def cancel(db: Database, session_id: int | str, reason: str | None = None, *, force: bool = False) -> dict:
    """Cancel a session: its instructors' days are freed; its enrollments stay as history
    (enrollment.cancelled = 1: not active, so each person may take another training that
    year). A session with attendance is refused unless `force`. Returns the session object
    plus `enrollments_kept` and `attendance_marks`."""
    with write_transaction(db):
        sid = resolve_session(db, session_id)
        marks = _attendance_marks(db, sid)
        lifecycle.check_cancel(phase_of(db, sid), marks, session_id=sid, force=force)
        # a certificate in someone's hands would still verify as valid for a cancelled
        # training: it must be revoked first, even with --force
        valid = db.execute(
            "SELECT count(*) FROM certificate c JOIN enrollment e ON e.id = c.enrollment_id "
            "WHERE e.session_id = ? AND c.revoked_at IS NULL", [sid]).fetchone()[0]
        if valid:
            raise Conflict(f"Session {sid} has {valid} certificate(s) issued and not revoked; a cancelled training "
                           "cannot keep valid certificates. Revoke them first (`pelatihan certificate revoke NUMBER "
                           f"--reason ...`; see `pelatihan certificate list {sid}`), then cancel.")
        freed = db.execute("DELETE FROM instructor_day WHERE session_id = ?", [sid]).rowcount
        kept = db.execute(
            "UPDATE enrollment SET cancelled = 1, updated_at = strftime('%Y-%m-%dT%H:%M:%f', 'now') "
            "WHERE session_id = ? AND status IN ('enrolled', 'waitlisted')", [sid]).rowcount
        db.execute(
            "UPDATE session SET status = 'cancelled', cancel_reason = ?, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE id = ?",
            [clean_name(reason or "") or None, sid],
        )
        audit.record(db, "session.cancel", {"session": 1, "instructor_days_freed": freed,
                                            "enrollments_kept": kept, "attendance_marks": marks,
                                            "forced": int(bool(marks))})
    return {**get_session(db, sid), "enrollments_kept": kept, "attendance_marks": marks}


def _attendance_marks(db: Database, sid: int) -> int:
    return db.execute(
        "SELECT count(*) FROM attendance a JOIN enrollment e ON e.id = a.enrollment_id WHERE e.session_id = ?",
        [sid]).fetchone()[0]


def reopen_conflicts(db: Database, sid: int) -> list[str]:
    """Why a cancelled session cannot be reopened now, one line per problem (empty: it can):
    an instructor booked elsewhere on one of its days, more people enrolled than seats, and
    each kept enrollment whose person is now active in another training of the same year."""
    from pelatihan_cli.domain.privacy import mask_nik

    problems: list[str] = []
    days = [r[0] for r in db.execute("SELECT date FROM session_day WHERE session_id = ? ORDER BY day_no", [sid])]
    for name, date, other, kel, skill in db.execute(
            """SELECT i.name, d.date, d.session_id, k.name, sk.name
               FROM session_instructor si JOIN instructor i ON i.id = si.instructor_id
               JOIN instructor_day d ON d.instructor_id = si.instructor_id
               JOIN session s ON s.id = d.session_id JOIN kelurahan k ON k.id = s.kelurahan_id
               JOIN skill sk ON sk.id = s.skill_id
               WHERE si.session_id = ? AND d.session_id != ? AND d.date IN (SELECT value FROM json_each(?))
               ORDER BY d.date, i.name_key""", [sid, sid, json.dumps(days)]):
        problems.append(f"instructor {name!r} is booked on {date} in session {other} ({kel} · {skill})")
    for (name,) in db.execute(
            "SELECT i.name FROM session_instructor si JOIN instructor i ON i.id = si.instructor_id "
            "WHERE si.session_id = ? AND i.archived_at IS NOT NULL", [sid]):
        problems.append(f"instructor {name!r} is archived")
    capacity, enrolled = db.execute(
        "SELECT capacity, (SELECT count(*) FROM enrollment WHERE session_id = s.id AND status = 'enrolled') "
        "FROM session s WHERE id = ?", [sid]).fetchone()
    if enrolled > capacity:
        problems.append(f"{enrolled} people are enrolled for {capacity} seats")
    for name, nik, other, kel, skill, programme in db.execute(
            """SELECT p.name, p.nik, o.session_id, k.name, sk.name, pr.name
               FROM enrollment e JOIN participant p ON p.id = e.participant_id
               JOIN enrollment o ON o.participant_id = e.participant_id AND o.session_id != e.session_id
                    AND o.year = e.year AND o.status IN ('enrolled', 'waitlisted') AND o.cancelled = 0
               JOIN session s ON s.id = o.session_id JOIN kelurahan k ON k.id = s.kelurahan_id
               JOIN skill sk ON sk.id = s.skill_id JOIN programme pr ON pr.id = s.programme_id
               WHERE e.session_id = ? AND e.status IN ('enrolled', 'waitlisted')
               ORDER BY e.seq""", [sid]):
        who = f"{name or '(erased)'} ({mask_nik(nik)})" if nik else "(erased)"
        problems.append(f"{who} is now in session {other} ({kel} · {skill}) of programme {programme!r}")
    return problems


def reopen(db: Database, session_id: int | str) -> dict:
    """Restore a cancelled session with its kept enrollments, when its days and instructors
    are still free and nobody kept would then have two trainings in the year; otherwise
    Conflict listing every problem, and nothing is written. A cancelled session whose days
    have passed may be reopened too (a correction of the record). Returns the session
    object plus `enrollments_restored` and `instructor_days`."""
    with write_transaction(db):
        sid = resolve_session(db, session_id)
        if db.execute("SELECT status FROM session WHERE id = ?", [sid]).fetchone()[0] != lifecycle.CANCELLED:
            raise Conflict(f"Session {sid} is not cancelled; nothing to reopen.")
        problems = reopen_conflicts(db, sid)
        if problems:
            shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
            raise Conflict(
                f"Session {sid} cannot be reopened ({len(problems)} problem(s)): {shown}. Nothing was changed; "
                f"withdraw or move those people (`pelatihan participant withdraw {sid} NIK`) or change the other "
                "sessions first.")
        ids = [r[0] for r in db.execute("SELECT instructor_id FROM session_instructor WHERE session_id = ?", [sid])]
        days = [r[0] for r in db.execute("SELECT date FROM session_day WHERE session_id = ? ORDER BY day_no", [sid])]
        db.conn.executemany("INSERT INTO instructor_day (instructor_id, date, session_id) VALUES (?, ?, ?)",
                            [(iid, d, sid) for iid in ids for d in days])
        restored = db.execute(
            "UPDATE enrollment SET cancelled = 0, updated_at = strftime('%Y-%m-%dT%H:%M:%f', 'now') "
            "WHERE session_id = ? AND cancelled = 1", [sid]).rowcount
        db.execute("UPDATE session SET status = 'planned', cancel_reason = NULL, "
                   "updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE id = ?", [sid])
        audit.record(db, "session.reopen", {"session": 1, "enrollments_restored": restored,
                                            "instructor_days": len(ids) * len(days)})
    return {**get_session(db, sid), "enrollments_restored": restored, "instructor_days": len(ids) * len(days)}


# --- bulk import ------------------------------------------------------------------------

def _existing_match(db: Database, d: Draft) -> tuple[int, str | None, str | None] | None:
    """(id, column, difference) of a planned session with the same kelurahan, skill and start."""
    row = db.execute(
        """SELECT s.id, s.days, s.capacity, s.venue FROM session s JOIN skill sk ON sk.id = s.skill_id
           WHERE s.kelurahan_id = ? AND sk.name_key = ? AND s.start_date = ? AND s.status = 'planned'
           ORDER BY s.id LIMIT 1""",
        [d.kelurahan_id, name_key(d.skill), d.days[0].isoformat()],
    ).fetchone()
    if row is None:
        return None
    sid, days, cap, venue = row
    stored_ins = {r[0] for r in db.execute("SELECT instructor_id FROM session_instructor WHERE session_id = ?", [sid])}
    if days != len(d.days):
        return sid, "days", f"it has {days} day(s), the row {len(d.days)}; fix the row, or cancel that session first"
    if cap != d.capacity:
        return sid, "capacity", (f"it has capacity {cap}, the row {d.capacity}; fix the row, or change the session "
                                 f"with `pelatihan session update {sid} --capacity {d.capacity}`")
    if d.venue and d.venue != venue:
        return sid, "venue", (f"its venue is {venue!r}, the row's {d.venue!r}; fix the row, or change the session "
                              f"with `pelatihan session update {sid} --venue ...`")
    if d.instructor_ids and set(d.instructor_ids) != stored_ins:
        return sid, "instructor", ("its instructors differ from the row's; fix the row, or change the session "
                                   f"with `pelatihan session update {sid} --instructor ...`")
    return sid, None, None


def import_file(db: Database, path, *, dry_run: bool = False, **options) -> dict:
    """_import_file; `dry_run`: every row checked and counted as for real (audit entry
    included), then rolled back, so nothing is kept."""
    from pelatihan_cli.db import dry_run_transaction

    with dry_run_transaction(db, dry_run):
        counts = _import_file(db, path, **options)
    return {**counts, "dry_run": dry_run}


def _import_file(db: Database, path: Path | str, *, any_skill: bool = False, weekends: bool = False,
                programme: str | None = None, allow_new: bool = False) -> dict:
    """Plan every row of a CSV, JSON or xlsx file with the rules of `plan`, all or nothing.

    A row that matches a planned session (same kelurahan, skill and start, same days,
    capacity, and venue/instructors when given) is unchanged. Raises RowErrors listing
    every bad row. Returns counts {read, planned, unchanged}, the new session ids and
    warnings (the years planned whose cuti bersama are unknown)."""
    from pelatihan_cli.importing.table_file import read_rows

    rows = read_rows(path, required=["kelurahan", "skill", "start"], known=IMPORT_COLUMNS)
    errors: list[dict] = []
    created: list[int] = []
    unchanged = 0
    programmes_created = 0
    years: set[int] = set()
    cal = holidays.calendar(db, weekends=weekends)
    with write_transaction(db):
        for rowno, raw in rows:
            try:
                with write_transaction(db):  # a savepoint: a bad row leaves nothing behind
                    draft = _prepare_row(db, raw, any_skill, cal, weekends, allow_new=allow_new)
                    draft.programme = programme or raw.get("programme") or None
                    match = _existing_match(db, draft)
                    if match and match[2] is None:
                        unchanged += 1
                        continue
                    if match is None:
                        with _about("instructor", raw.get("instructor")):
                            check_clashes(db, draft.instructor_ids, draft.days)
                    else:
                        raise _tag(Conflict(
                            f"session {match[0]} for {draft.kelurahan}, {draft.skill} from "
                            f"{draft.days[0].isoformat()} already exists but {match[2]}"),
                            match[1], raw.get(match[1]))
                    created.append(write_draft(db, draft))
                    years.update(d.year for d in draft.days)
                    programmes_created += int(draft.programme_created)
            except PelatihanError as e:
                errors.append({"row": rowno, "column": _column(e), "value": getattr(e, "value", None),
                               "message": str(e)})
        if errors:
            first = errors[0]
            raise RowErrors(
                f"{len(errors)} bad row(s) in {Path(path).name}, nothing planned. Row {first['row']}: {first['message']}",
                errors,
            )
        if created:
            audit.record(db, "session.import", {"session": len(created),
                                                "programmes_created": programmes_created})
    # the new sessions may take their programmes' plans over the budget ceiling
    over = []
    for pid in sorted({r[0] for r in db.execute(
            "SELECT DISTINCT programme_id FROM session WHERE id IN (SELECT value FROM json_each(?))",
            [ids_param(created)])}) if created else []:
        over += budget_over_programme(db, pid)
    return {"read": len(rows), "planned": len(created), "unchanged": unchanged, "ids": created,
            "warnings": holidays.cuti_bersama_warnings(db, years) + over}


def _tag(e: PelatihanError, column: str, value: object) -> PelatihanError:
    e.field = column  # type: ignore[attr-defined]
    e.value = value  # type: ignore[attr-defined]
    return e


def _prepare_row(db: Database, raw: dict, any_skill: bool, cal: Calendar, weekends: bool = False,
                 *, allow_new: bool = False) -> Draft:
    return prepare(
        db, raw.get("kelurahan", ""), raw.get("skill", ""), raw.get("start", ""),
        days=raw.get("days") or DEFAULT_DAYS, capacity=raw.get("capacity") or DEFAULT_CAPACITY,
        venue=raw.get("venue"), instructors=[raw.get("instructor") or raw.get("instructors") or ""],
        weekends=weekends, any_skill=any_skill, cal=cal, check_clash=False, allow_new=allow_new,
    )


def _column(e: PelatihanError) -> str | None:
    f = getattr(e, "field", None)
    return {"--days": "days", "--capacity": "capacity", "--start": "start"}.get(f, f)
