"""The daily roster (daftar hadir): every planned session training on a date, with its
enrolled participants sorted by name and numbered."""

from __future__ import annotations

import datetime as dt
import json

from sqlite_utils import Database

from pelatihan_cli.domain.privacy import mask_nik, phone_for_display
from pelatihan_cli.errors import NotFound, no_session
from pelatihan_cli.services import audit


def _filters(db: Database, kelurahan: str | None, session_id: int | None,
             programme_id: int | None = None) -> tuple[str, list]:
    where, params = ["s.status = 'planned'"], []
    if programme_id is not None:
        where.append("s.programme_id = ?")
        params.append(programme_id)
    if kelurahan:
        from pelatihan_cli.services.kelurahan import resolve

        where.append("s.kelurahan_id = ?")
        params.append(resolve(db, kelurahan).id)
    if session_id is not None:
        row = db.execute("SELECT status FROM session WHERE id = ?", [session_id]).fetchone()
        if row is None:
            raise NotFound(no_session(session_id))
        where.append("s.id = ?")
        params.append(session_id)
    return " AND ".join(where), params


def nearest_days(db: Database, day: dt.date, *, kelurahan: str | None = None,
                 session_id: int | None = None, programme_id: int | None = None) -> tuple[str | None, str | None]:
    """The closest training days (ISO) before and after `day` of sessions not cancelled."""
    where, params = _filters(db, kelurahan, session_id, programme_id)
    sql = "SELECT {agg}(d.date) FROM session_day d JOIN session s ON s.id = d.session_id WHERE {where} AND d.date {op} ?"
    before = db.execute(sql.format(agg="max", where=where, op="<"), [*params, day.isoformat()]).fetchone()[0]
    after = db.execute(sql.format(agg="min", where=where, op=">"), [*params, day.isoformat()]).fetchone()[0]
    return before, after


def roster(db: Database, day: dt.date, *, kelurahan: str | None = None, session_id: int | None = None,
           show_nik: bool = False, programme_id: int | None = None) -> list[dict]:
    """Sessions training on `day`, each a dict with the JSON keys session_id, kelurahan,
    kecamatan, skill, date, day, of_days, venue, instructors, participants (no, nik,
    name, sex, address, phone; NIK and phone masked unless show_nik). Ordered by
    kecamatan, kelurahan, skill, session id. Logs the use of show_nik."""
    where, params = _filters(db, kelurahan, session_id, programme_id)
    sessions = db.execute(
        f"""
        SELECT s.id, k.name, k.kecamatan, sk.name, d.day_no, s.days, s.venue, pr.name, s.programme_id
        FROM session_day d
        JOIN session s ON s.id = d.session_id
        JOIN programme pr ON pr.id = s.programme_id
        JOIN kelurahan k ON k.id = s.kelurahan_id
        JOIN skill sk ON sk.id = s.skill_id
        WHERE d.date = ? AND {where}
        ORDER BY k.kecamatan, k.name, sk.name, s.id
        """,
        [day.isoformat(), *params],
    ).fetchall()
    result = []
    for sid, kel, kec, skill, day_no, days, venue, programme, programme_id in sessions:
        instructors = [r[0] for r in db.execute(
            "SELECT i.name FROM session_instructor si JOIN instructor i ON i.id = si.instructor_id "
            "WHERE si.session_id = ? ORDER BY i.name", [sid])]
        people = db.execute(
            """
            SELECT p.nik, p.name, p.sex, p.address, p.phone
            FROM enrollment e JOIN participant p ON p.id = e.participant_id
            WHERE e.session_id = ? AND e.status = 'enrolled'
            """,
            [sid],
        ).fetchall()
        people.sort(key=lambda r: (r[1] is None, (r[1] or "").casefold(), r[1] or "", r[0] or ""))
        participants = []
        for no, (nik, name, sex, address, phone) in enumerate(people, start=1):
            participants.append({
                "no": no,
                "nik": nik if show_nik else mask_nik(nik),
                "name": name,
                "sex": sex,
                "address": address,
                "phone": phone_for_display(phone, reveal=show_nik),
            })
        result.append({
            "session_id": sid, "programme": programme, "kelurahan": kel, "kecamatan": kec, "skill": skill,
            "date": day.isoformat(), "day": day_no, "of_days": days, "venue": venue,
            "instructors": instructors, "participants": participants,
        })
    if show_nik and result:
        audit.record_reveal(db, "roster.show_nik", {
                "sessions": len(result), "participants": sum(len(r["participants"]) for r in result)})
    return result



def day_roster(db: Database, day: dt.date, *, kelurahan: str | None = None, session_id: int | None = None,
               show_nik: bool = False, programme_id: int | None = None) -> dict:
    """{'sessions': roster(...), 'before': ISO or None, 'after': ISO or None,
    'documents': the document settings of the first session's programme,
    'documents_by_session': {session id: the settings of its programme}}; each roster
    prints its own programme's title, funding and year. The nearest training days are
    looked up only when nothing trains on `day` (same filters)."""
    from pelatihan_cli.services.programmes import document_settings

    sessions = roster(db, day, kelurahan=kelurahan, session_id=session_id, show_nik=show_nik,
                      programme_id=programme_id)
    before = after = None
    if not sessions:
        before, after = nearest_days(db, day, kelurahan=kelurahan, session_id=session_id,
                                     programme_id=programme_id)
    programme_of = dict(db.execute(
        "SELECT id, programme_id FROM session WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps([s["session_id"] for s in sessions])]).fetchall())
    by_programme = {pid: document_settings(db, pid) for pid in set(programme_of.values())}
    per_session = {sid: by_programme[pid] for sid, pid in programme_of.items()}
    first = per_session[sessions[0]["session_id"]] if sessions else document_settings(db, None)
    return {"sessions": sessions, "before": before, "after": after, "documents": first,
            "documents_by_session": per_session}
