"""`session auto-plan`: give every requested (kelurahan, skill) without a planned session
one, using the pure algorithm in domain/autoplan.py."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain import autoplan as algo
from pelatihan_cli.domain.dates import check_plan_date, parse_date
from pelatihan_cli.domain.names import name_key
from pelatihan_cli.errors import PelatihanError, RowErrors, ValidationError
from pelatihan_cli.services import audit, holidays, kelurahan as kelurahan_service, programmes, sessions
from pelatihan_cli.services import skills as skills_service

REQUEST_COLUMNS = ["kelurahan", "skill", "capacity", "venue"]
MAX_WINDOW_DAYS = 2 * 366


def _read_requests(db: Database, path: Path | str, default_capacity: int) -> list[dict]:
    """Checked requests in file order: {row, kelurahan (obj), skill (obj), capacity}."""
    from pelatihan_cli.importing.table_file import read_rows

    rows = read_rows(path, required=["kelurahan", "skill"], known=REQUEST_COLUMNS)
    # archived instructors (who taught sessions now done, then were removed) plan nothing
    taught = {r[0] for r in db.execute(
        "SELECT DISTINCT x.skill_id FROM instructor_skill x JOIN instructor i ON i.id = x.instructor_id "
        "WHERE i.archived_at IS NULL")}
    if rows and not taught:
        # one line instead of the same complaint on every row
        raise ValidationError(
            "There are no instructors yet, so no track can be given one. Add them first with "
            "`pelatihan instructor import FILE` (columns name,skills,phone) or `pelatihan instructor add NAME --skill S`.",
            field="requests")
    errors: list[dict] = []
    seen: dict[tuple[int, int], int] = {}
    out: list[dict] = []
    for rowno, raw in rows:
        column, value = "kelurahan", raw.get("kelurahan", "")
        try:
            k = kelurahan_service.resolve(db, value)
            column, value = "skill", raw.get("skill", "")
            name = skills_service.clean_skill(value)
            skill = skills_service.find(db, name)
            if skill is None or skill.id not in taught:
                from pelatihan_cli.domain.names import did_you_mean

                known = [r[0] for r in db.execute(
                    "SELECT s.name FROM skill s WHERE s.id IN (SELECT value FROM json_each(?))",
                    [json.dumps(sorted(taught))])]
                hint = did_you_mean(name, known) if skill is None else ""
                raise ValidationError(
                    f"no instructor teaches {name!r}.{hint} Fix the row, or add an instructor "
                    f"(pelatihan instructor add NAME --skill {name!r}) or import data/instructors_2024.csv first")
            column, value = "capacity", raw.get("capacity") or default_capacity
            cap = sessions.positive_int(value, "Capacity", "capacity")
            if (k.id, skill.id) in seen:
                column, value = "skill", name
                raise ValidationError(f"{k.name}, {skill.name} is already requested in row {seen[(k.id, skill.id)]}")
            seen[(k.id, skill.id)] = rowno
        except PelatihanError as e:
            errors.append({"row": rowno, "column": column, "value": value, "message": str(e)})
            continue
        venue = " ".join((raw.get("venue") or "").split()) or None
        out.append({"row": rowno, "kelurahan": k, "skill": skill, "capacity": cap, "venue": venue})
    if errors:
        first = errors[0]
        raise RowErrors(
            f"{len(errors)} bad row(s) in {Path(path).name}, nothing planned. Row {first['row']}: {first['message']}",
            errors,
        )
    return out


def _problem(db: Database, wd: list[dt.date], days: int, max_per_day: int) -> algo.Problem:
    dates = [d.isoformat() for d in wd]
    lo, hi = (dates[0], dates[-1]) if dates else ("", "")
    events_on_day: dict[dt.date, int] = {}
    for date, n in db.execute(
        """SELECT d.date, count(DISTINCT s.kelurahan_id) FROM session_day d JOIN session s ON s.id = d.session_id
           WHERE s.status = 'planned' AND d.date BETWEEN ? AND ? GROUP BY d.date""", [lo, hi]):
        events_on_day[dt.date.fromisoformat(date)] = n
    busy: dict[str, set[dt.date]] = defaultdict(set)
    for name, date in db.execute(
        "SELECT i.name, d.date FROM instructor_day d JOIN instructor i ON i.id = d.instructor_id "
        "WHERE d.date BETWEEN ? AND ?", [lo, hi]):
        busy[name].add(dt.date.fromisoformat(date))
    load = dict(db.execute(
        """SELECT i.name, count(*) FROM session_instructor si JOIN instructor i ON i.id = si.instructor_id
           JOIN session s ON s.id = si.session_id WHERE s.status = 'planned' GROUP BY i.id""").fetchall())
    teaches: dict[int, set[str]] = defaultdict(set)
    for iid, sid in db.execute("SELECT instructor_id, skill_id FROM instructor_skill"):
        teaches[iid].add(str(sid))
    instructors = [
        algo.Instructor(name=r[1], skills=frozenset(teaches.get(r[0], ())), sort_key=r[2])
        for r in db.execute("SELECT id, name, name_key FROM instructor WHERE archived_at IS NULL ORDER BY name_key")
    ]
    return algo.Problem(working_days=wd, days=days, max_per_day=max_per_day, instructors=instructors,
                        events_on_day=events_on_day, busy=busy, load=load)


def _existing_days(db: Database, kelurahan_id: int, days: int, window: set[dt.date],
                   programme_id: int | None) -> tuple[dt.date, ...]:
    """Days of the kelurahan's planned event inside the window (to add tracks to it)."""
    for (sid,) in db.execute(
        "SELECT id FROM session WHERE kelurahan_id = ? AND status = 'planned' AND days = ? AND programme_id = ? "
        "ORDER BY start_date, id", [kelurahan_id, days, programme_id]).fetchall():
        ds = tuple(dt.date.fromisoformat(r[0]) for r in db.execute(
            "SELECT date FROM session_day WHERE session_id = ? ORDER BY day_no", [sid]))
        if ds and all(d in window for d in ds):
            return ds
    return ()


def auto_plan(
    db: Database,
    start: str | dt.date,
    end: str | dt.date,
    requests: Path | str,
    *,
    days: int = sessions.DEFAULT_DAYS,
    capacity: int = sessions.DEFAULT_CAPACITY,
    max_per_day: int = 1,
    weekends: bool = False,
    dry_run: bool = False,
    venue: str | None = None,
    programme: str | None = None,
) -> dict:
    """Plan every request that has no session yet in the programme. Returns {sessions
    (session objects; id None in a dry run), requests, already_planned, events, dry_run,
    programme (its name), warnings (the window's years whose cuti bersama are unknown)}.

    The programme is `programme`, else the one whose window covers --from..--to, else the
    programme of that year, created (not in a dry run). Only its own sessions (not
    cancelled) count as already planned: another year's sessions never do.

    The venue of a session is the request's `venue` cell, else `venue` with `{kelurahan}`
    replaced by the kelurahan's name (e.g. 'Aula Kelurahan {kelurahan}'), else none."""
    venue_template = " ".join((venue or "").split()) or None
    a = sessions.check_start(db, parse_date(start, field="--from"), "--from")
    b = check_plan_date(parse_date(end, field="--to"), field="--to")
    if b < a:
        raise ValidationError(f"--to {b.isoformat()} is before --from {a.isoformat()}; swap them.", field="--to")
    if (b - a).days > MAX_WINDOW_DAYS:
        raise ValidationError("The window is longer than two years; choose a shorter --from/--to.", field="--to")
    n_days = sessions.positive_int(days, "Days", "--days", upper=60)
    cap_default = sessions.positive_int(capacity, "Capacity", "--capacity")
    per_day = sessions.positive_int(max_per_day, "--max-per-day", "--max-per-day")

    def run() -> dict:
        prog, created = programmes.programme_for_dates(db, [a, b], programme, create=not dry_run)
        prog_id = prog.id if prog else None
        prog_name = prog.name if prog else f"a new programme for {a.year}"
        reqs = _read_requests(db, requests, cap_default)
        cal = holidays.calendar(db, weekends=weekends)
        wd = cal.working_days_between(a, b)
        window = set(wd)
        todo, already = [], 0
        for r in reqs:
            planned = db.execute(
                "SELECT 1 FROM session WHERE kelurahan_id = ? AND skill_id = ? AND status = 'planned' "
                "AND programme_id = ? LIMIT 1",
                [r["kelurahan"].id, r["skill"].id, prog_id]).fetchone()
            if planned:
                already += 1
            else:
                todo.append(r)
        groups: dict[int, list[dict]] = {}
        for r in todo:
            groups.setdefault(r["kelurahan"].id, []).append(r)
        events = [
            algo.Event(
                kelurahan=rs[0]["kelurahan"].name,
                tracks=tuple(algo.Track(str(r["skill"].id), r["skill"].name, r["capacity"]) for r in rs),
                preferred_days=_existing_days(db, kid, n_days, window, prog_id),
            )
            for kid, rs in groups.items()
        ]
        placements = algo.plan(_problem(db, wd, n_days, per_day), events)
        by_name = {rs[0]["kelurahan"].name: rs for rs in groups.values()}
        drafts = []
        for p in placements:
            for r, track, ins in zip(by_name[p.event.kelurahan], p.event.tracks, p.instructors):
                k = r["kelurahan"]
                iid = db.execute("SELECT id FROM instructor WHERE name_key = ?", [name_key(ins)]).fetchone()[0]
                where = r["venue"] or (venue_template.replace("{kelurahan}", k.name) if venue_template else None)
                drafts.append((k, sessions.Draft(k.id, k.name, r["skill"].name, list(p.days), track.capacity,
                                                 where, [iid], [ins], weekends, programme_id=prog_id)))
        result = {"requests": len(reqs), "already_planned": already, "events": len(placements),
                  "dry_run": dry_run, "sessions": [], "programme": prog_name,
                  "warnings": holidays.cuti_bersama_warnings(db, range(a.year, b.year + 1))}
        if dry_run:
            result["sessions"] = [
                {"id": None, "programme": prog_name, "kelurahan": d.kelurahan, "kecamatan": k.kecamatan, "skill": d.skill,
                 "days": [x.isoformat() for x in d.days], "capacity": d.capacity, "enrolled": 0, "waitlisted": 0,
                 "venue": d.venue, "instructors": d.instructor_names, "status": "planned"}
                for k, d in drafts
            ]
            result["sessions"].sort(key=lambda s: (s["days"][0], name_key(s["kelurahan"]), name_key(s["skill"])))
            return result
        ids = [sessions.write_draft(db, d) for _, d in drafts]
        if ids or created:
            audit.record(db, "session.auto_plan", {"session": len(ids), "events": len(placements),
                                                   "programmes_created": int(created)})
        result["sessions"] = sessions.query_sessions(
            db, "WHERE s.id IN (SELECT value FROM json_each(?))", [sessions.ids_param(ids)]) if ids else []
        if ids:  # the new sessions may take the programme's plan over its budget ceiling
            result["warnings"] = result.get("warnings", []) + sessions.budget_warnings(db, ids[0])
        return result

    if dry_run:
        return run()
    with write_transaction(db):
        return run()
