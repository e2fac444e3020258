"""Attendance per training day: mark, import, show, and completion (present on every
day of the session). Only people enrolled in the session are marked; a day still in the
future cannot be marked; marking again overwrites with the same or the new value."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Iterable

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain.privacy import mask_nik
from pelatihan_cli.errors import Conflict, NotFound, RowErrors, ValidationError, no_session
from pelatihan_cli.services import audit, clock

_NIK_RE = re.compile(r"^\d{16}$")
YES = {"yes", "y", "ya", "1", "true", "hadir", "✓", "✔", "√", "v"}
NO = {"no", "n", "tidak", "tdk", "t", "0", "false", "absen", "tidak hadir", "-", "✗", "✘"}


def _session(db: Database, session_id: int) -> dict:
    row = db.execute("SELECT id, days, status FROM session WHERE id = ?", [session_id]).fetchone()
    if row is None:
        raise NotFound(no_session(session_id))
    if row[2] != "planned":
        raise Conflict(f"Session {session_id} is cancelled; attendance cannot be recorded for it.")
    dates = dict(db.execute("SELECT day_no, date FROM session_day WHERE session_id = ?", [session_id]).fetchall())
    return {"id": row[0], "days": row[1], "dates": dates}


def _check_day(session: dict, day_no: int, today: dt.date) -> None:
    if not 1 <= day_no <= session["days"]:
        raise ValidationError(
            f"Session {session['id']} has {session['days']} training day(s); the day must be 1 to {session['days']}, "
            f"not {day_no}.", field="day", value=day_no)
    date = session["dates"].get(day_no)
    if date and dt.date.fromisoformat(date) > today:
        raise ValidationError(
            f"Day {day_no} of session {session['id']} is {date}, still in the future; "
            "attendance can be marked on or after that day.", field="day", value=day_no)


def _enrolled(db: Database, session_id: int) -> dict[str, int]:
    """NIK -> enrollment id of the people enrolled in the session."""
    return dict(db.execute(
        "SELECT p.nik, e.id FROM enrollment e JOIN participant p ON p.id = e.participant_id "
        "WHERE e.session_id = ? AND e.status = 'enrolled' AND p.nik IS NOT NULL", [session_id]).fetchall())


def _clean_nik(nik: str) -> str:
    return re.sub(r"[\s.\-]", "", str(nik))


def _write(db: Database, marks: Iterable[tuple[int, int, int]]) -> tuple[int, int]:
    """Upsert (enrollment_id, day_no, present); returns (rows written, rows whose value changed)."""
    marks = list(marks)
    if not marks:
        return 0, 0
    before = db.conn.total_changes
    db.conn.executemany(
        "INSERT INTO attendance (enrollment_id, day_no, present) VALUES (?, ?, ?) "
        "ON CONFLICT (enrollment_id, day_no) DO UPDATE SET present = excluded.present, "
        "marked_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE present != excluded.present",
        marks,
    )
    return len(marks), db.conn.total_changes - before


def mark(db: Database, session_id: int, day_no: int, niks: Iterable[str] = (), *, all_enrolled: bool = False,
         except_niks: Iterable[str] = (), absent: bool = False, today: dt.date | None = None) -> dict:
    """Mark the given people (or everyone enrolled, minus `except_niks`) present on day
    `day_no` (absent with `absent`). With all_enrolled, the excepted people get the
    opposite mark. Returns counts {'marked', 'changed', 'present', 'absent'}."""
    today = today or clock.today()
    niks = [_clean_nik(n) for n in niks]
    except_niks = [_clean_nik(n) for n in except_niks]
    if all_enrolled and niks:
        raise ValidationError("Give NIKs or --all, not both (use --except to leave people out of --all).")
    if except_niks and not all_enrolled:
        raise ValidationError("--except only works together with --all.")
    if not all_enrolled and not niks:
        raise ValidationError("Give the NIKs to mark, or --all for everyone enrolled in the session.")
    for nik in [*niks, *except_niks]:
        if not _NIK_RE.match(nik):
            raise ValidationError(f"NIK {nik!r} is not 16 digits.", field="nik", value=nik)
    value = 0 if absent else 1
    with write_transaction(db):
        session = _session(db, session_id)
        _check_day(session, day_no, today)
        enrolled = _enrolled(db, session_id)
        unknown = [n for n in [*niks, *except_niks] if n not in enrolled]
        if unknown:
            shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
            raise NotFound(
                f"{len(unknown)} NIK(s) not enrolled in session {session_id}: {shown}. Nothing was marked; "
                f"see `pelatihan attendance show {session_id} --show-nik` for who is enrolled.")
        if all_enrolled:
            excepted = set(except_niks)
            marks = [(eid, day_no, (1 - value) if nik in excepted else value) for nik, eid in enrolled.items()]
        else:
            marks = [(enrolled[n], day_no, value) for n in dict.fromkeys(niks)]
        written, changed = _write(db, marks)
        present = sum(1 for _e, _d, v in marks if v == 1)
        counts = {"marked": written, "changed": changed, "present": present, "absent": written - present}
        audit.record(db, "attendance.mark", {"session": session_id, "day": day_no, **counts})
    return counts


def parse_hadir(value) -> int | None:
    """yes/no, ya/tidak, 1/0, ✓ -> 1/0; None when not recognised."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)) and value in (0, 1):
        return int(value)
    text = " ".join(str(value or "").strip().casefold().split())
    if text in YES:
        return 1
    if text in NO:
        return 0
    return None


ALIASES = {
    "nik": ("nik", "no_ktp", "ktp"),
    "day": ("day", "hari", "hari_ke", "day_no"),
    "hadir": ("hadir", "present", "attended", "kehadiran"),
    "session": ("session", "session_id", "sesi", "id_sesi"),
    "kelurahan": ("kelurahan", "kel"),
    "skill": ("skill", "keterampilan", "pelatihan"),
}


def import_file(db: Database, path, *, dry_run: bool = False, **options) -> dict:
    """_import_file; `dry_run`: every row checked and counted as for real (audit entry
    included), then rolled back, so nothing is kept."""
    from pelatihan_cli.db import dry_run_transaction

    with dry_run_transaction(db, dry_run):
        counts = _import_file(db, path, **options)
    return {**counts, "dry_run": dry_run}


def _import_file(db: Database, path: str | Path, *, input_format: str | None = None, sheet: str | None = None,
                today: dt.date | None = None, programme: str | None = None) -> dict:
    """Import attendance rows (nik, day, hadir, and session or kelurahan + skill), all or
    nothing: any bad row raises RowErrors listing every bad row and nothing is written.
    A kelurahan + skill names the session of that programme (`programme`, default the
    current one), never another year's. Returns counts {'rows', 'marked', 'changed',
    'sessions', 'programme'}."""
    from pelatihan_cli.services.programmes import choose
    from pelatihan_cli.importing.headers import match_headers
    from pelatihan_cli.importing.readers import open_rows
    from pelatihan_cli.importing.values import cell_int, cell_text

    today = today or clock.today()
    errors: list[dict] = []
    planned: dict[tuple[int, int], tuple[int, int]] = {}  # (enrollment, day) -> (present, row)
    sessions_seen: set[int] = set()
    n_rows = 0
    from pelatihan_cli.importing.locate import Expect

    # the header may sit under a title block (an officer's sheet): the first of the first 20
    # rows with a NIK and a hadir column; every row under it is read (none skipped unsaid)
    table = Expect(lambda headers: match_headers(list(headers), ALIASES)[0], required=("nik", "hadir"))
    with write_transaction(db), open_rows(path, input_format, sheet, expect=table) as src:
        mapping, _unknown = match_headers(src.columns, ALIASES)
        missing = [c for c in ("nik", "day", "hadir") if c not in mapping]
        if "session" not in mapping and not {"kelurahan", "skill"} <= set(mapping):
            missing.append("session (or kelurahan and skill)")
        if missing:
            raise ValidationError(
                f"{src.name}: missing column(s) {', '.join(missing)}; the header must have nik, day, hadir "
                "and session (or kelurahan and skill).", field="file", value=str(path))
        session_cache: dict = {}
        prog = choose(db, programme)
        session_cache["programme"] = prog
        enrolled_cache: dict[int, dict[str, int]] = {}

        def err(row, column, value, message):
            errors.append({"row": row, "column": column, "value": value, "message": message})

        for rowno, raw in src:
            n_rows += 1
            row = {k: raw.get(col) for k, col in mapping.items()}
            try:
                sid = _row_session(db, row, session_cache, cell_int, cell_text)
            except (ValidationError, NotFound, Conflict) as e:
                err(rowno, getattr(e, "field", None) or "session", getattr(e, "value", None), str(e))
                continue
            session = session_cache[("id", sid)]
            try:
                day_no = cell_int(row.get("day"), field="day")
                if day_no is None:
                    raise ValidationError("day is empty; give the training day number (1, 2, ...).", field="day")
                _check_day(session, day_no, today)
            except ValidationError as e:
                err(rowno, "day", row.get("day"), str(e))
                continue
            nik = _clean_nik(cell_text(row.get("nik")) or "")
            if not _NIK_RE.match(nik):
                err(rowno, "nik", mask_nik(nik) if nik else None, "NIK must be 16 digits")
                continue
            if sid not in enrolled_cache:
                enrolled_cache[sid] = _enrolled(db, sid)
            eid = enrolled_cache[sid].get(nik)
            if eid is None:
                err(rowno, "nik", mask_nik(nik), f"not enrolled in session {sid}")
                continue
            present = parse_hadir(row.get("hadir"))
            if present is None:
                err(rowno, "hadir", cell_text(row.get("hadir")), "write yes/no, ya/tidak, 1/0 or ✓ (empty is not allowed)")
                continue
            previous = planned.get((eid, day_no))
            if previous and previous[0] != present:
                err(rowno, "hadir", cell_text(row.get("hadir")), f"contradicts row {previous[1]} for the same person and day")
                continue
            planned[(eid, day_no)] = (present, rowno)
            sessions_seen.add(sid)
        if errors:
            first = errors[0]
            raise RowErrors(
                f"{len(errors)} bad row(s) in {src.name}, nothing imported. Row {first['row']}, "
                f"{first['column']}: {first['message']}", errors)
        written, changed = _write(db, [(eid, day, v) for (eid, day), (v, _r) in planned.items()])
        counts = {"rows": n_rows, "marked": written, "changed": changed, "sessions": len(sessions_seen)}
        audit.record(db, "attendance.import", counts)
    return {**counts, "programme": prog.name if prog else None}


def _row_session(db: Database, row: dict, cache: dict, cell_int, cell_text) -> int:
    """The session of an import row: its `session` id, else the one session (not cancelled)
    of its kelurahan and skill in the import's programme (cache['programme'])."""
    sid = cell_int(row.get("session"), field="session") if row.get("session") not in (None, "") else None
    if sid is None:
        kel, skill = cell_text(row.get("kelurahan")), cell_text(row.get("skill"))
        if not kel or not skill:
            raise ValidationError("give the session id, or both kelurahan and skill.", field="session")
        key = ("ks", kel, skill)
        if key not in cache:
            from pelatihan_cli.domain.names import name_key
            from pelatihan_cli.services.kelurahan import resolve

            k = resolve(db, kel)
            prog = cache.get("programme")
            ids = [r[0] for r in db.execute(
                "SELECT s.id FROM session s JOIN skill sk ON sk.id = s.skill_id "
                "WHERE s.kelurahan_id = ? AND sk.name_key = ? AND s.status = 'planned' AND s.programme_id = ?",
                [k.id, name_key(skill), prog.id if prog else -1])]
            if not ids:
                where = f" of {prog.name}" if prog else ""
                raise NotFound(f"no {skill} session in {k.name}{where}; give the session id, or --programme")
            if len(ids) > 1:
                raise ValidationError(
                    f"{k.name} has {len(ids)} planned {skill} sessions ({', '.join(map(str, ids))}); "
                    "add a session column", field="session")
            cache[key] = ids[0]
        sid = cache[key]
    if ("id", sid) not in cache:
        cache[("id", sid)] = _session(db, sid)
    return sid


#: the enrollments `e` (of session `s`) whose attendance counts: whatever their status now
#: (someone withdrawn or moved after attending keeps what they attended), except those of
#: a cancelled session. Reports count days present and completions over these.
COUNTED_SQL = "e.cancelled = 0 AND s.status != 'cancelled'"


def completed_sql(where: str = "1") -> str:
    """SQL selecting enrollment ids (column `enrollment_id`) that completed their session:
    present on every day of it, whatever the enrollment's status now (a withdrawal after
    the last day keeps the completion), excluding cancelled sessions. The one completion
    rule of every report."""
    return f"""
        SELECT a.enrollment_id
        FROM attendance a
        JOIN enrollment e ON e.id = a.enrollment_id
        JOIN session s ON s.id = e.session_id
        WHERE a.present = 1 AND {COUNTED_SQL} AND a.day_no <= s.days AND {where}
        GROUP BY a.enrollment_id
        HAVING count(*) = max(s.days)
    """


def show(db: Database, session_id: int, *, show_nik: bool = False) -> dict:
    """{'days': n, 'dates': {day: iso}, 'rows': [{nik, name, present_days, absent_days,
    completed}]} for the people enrolled in the session, sorted by name."""
    row = db.execute("SELECT days FROM session WHERE id = ?", [session_id]).fetchone()
    if row is None:
        raise NotFound(no_session(session_id))
    days = row[0]
    dates = dict(db.execute("SELECT day_no, date FROM session_day WHERE session_id = ?", [session_id]).fetchall())
    people = db.execute(
        """
        SELECT e.id, p.nik, p.name,
            (SELECT group_concat(day_no) FROM (SELECT day_no FROM attendance
                WHERE enrollment_id = e.id AND present = 1 ORDER BY day_no)),
            (SELECT group_concat(day_no) FROM (SELECT day_no FROM attendance
                WHERE enrollment_id = e.id AND present = 0 ORDER BY day_no))
        FROM enrollment e JOIN participant p ON p.id = e.participant_id
        WHERE e.session_id = ? AND e.status = 'enrolled'
        """,
        [session_id],
    ).fetchall()
    people.sort(key=lambda r: (r[2] is None, (r[2] or "").casefold(), r[1] or ""))
    rows = []
    for _eid, nik, name, present, absent in people:
        present_days = [int(d) for d in present.split(",")] if present else []
        absent_days = [int(d) for d in absent.split(",")] if absent else []
        rows.append({
            "nik": nik if show_nik else mask_nik(nik),
            "name": name,
            "present_days": present_days,
            "absent_days": absent_days,
            "completed": set(range(1, days + 1)) <= set(present_days),
        })
    if show_nik and rows:
        audit.record_reveal(db, "attendance.show_nik", {"session": session_id, "participants": len(rows)})
    return {"days": days, "dates": dates, "rows": rows}
