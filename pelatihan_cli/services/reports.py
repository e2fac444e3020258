"""Programme outcome reports: the summary per kelurahan (fill, attendance, completion,
AK1) and the list of people who completed, for certificates.

The summary is a handful of aggregate queries grouped per session (covering indexes on
enrollment and attendance), folded into kelurahan in Python: its cost does not depend on
per-person Python work, so it stays fast on a database with a million participants."""

from __future__ import annotations

import json
from collections import defaultdict

from sqlite_utils import Database

from pelatihan_cli.domain.privacy import mask_nik
from pelatihan_cli.errors import NotFound
from pelatihan_cli.services import audit
from pelatihan_cli.services.attendance import completed_sql  # certificates

SUMMARY_KEYS = ["kelurahan", "kecamatan", "sessions", "capacity", "enrolled", "waitlisted", "completed", "ak1"]


def summary(db: Database, kecamatan: str | None = None) -> dict:
    """{'rows': one dict per kelurahan (SUMMARY_KEYS plus 'present' {day: count}),
    'max_days': the longest session's days}. Only planned sessions count."""
    where, params = "", []
    if kecamatan:
        from pelatihan_cli.services.kelurahan import resolve_kecamatan

        where = "WHERE kecamatan IN (SELECT value FROM json_each(?))"
        params = [json.dumps(resolve_kecamatan(db, kecamatan))]
    kelurahan = db.execute(
        f"SELECT id, name, kecamatan FROM kelurahan {where} ORDER BY kecamatan, name", params).fetchall()
    rows = {kid: {"kelurahan": name, "kecamatan": kec, "sessions": 0, "capacity": 0, "enrolled": 0,
                  "waitlisted": 0, "completed": 0, "ak1": 0, "present": defaultdict(int)}
            for kid, name, kec in kelurahan}
    max_days = 0
    for kid, n, capacity, days in db.execute(
            "SELECT kelurahan_id, count(*), sum(capacity), max(days) FROM session WHERE status = 'planned' "
            "GROUP BY kelurahan_id"):
        if kid in rows:
            rows[kid].update(sessions=n, capacity=capacity)
            max_days = max(max_days, days)
    # one pass over enrollment: enrolled / waitlisted, and AK1 cards among the enrolled
    for kid, status, n, ak1 in db.execute(
            "SELECT s.kelurahan_id, x.status, sum(x.n), sum(x.ak1) FROM ("
            "  SELECT e.session_id, e.status, count(*) AS n, count(p.ak1_number) AS ak1"
            "  FROM enrollment e JOIN participant p ON p.id = e.participant_id"
            "  WHERE e.status IN ('enrolled', 'waitlisted') GROUP BY e.session_id, e.status"
            ") x JOIN session s ON s.id = x.session_id WHERE s.status = 'planned' "
            "GROUP BY s.kelurahan_id, x.status"):
        if kid in rows:
            rows[kid][status] += n
            if status == "enrolled":
                rows[kid]["ak1"] += ak1
    # one pass over attendance: each enrolled person's present days as a bit mask, counted
    # per (kelurahan, session length, mask); present per day and completion follow from them
    for kid, days, mask, n in db.execute(
            "SELECT s.kelurahan_id, s.days, x.mask, sum(x.n) FROM ("
            "  SELECT session_id, mask, count(*) AS n FROM ("
            "    SELECT e.session_id AS session_id, sum(1 << (a.day_no - 1)) AS mask"
            "    FROM attendance a JOIN enrollment e ON e.id = a.enrollment_id"
            "    WHERE a.present = 1 AND e.status = 'enrolled' AND a.day_no <= 62"
            "    GROUP BY a.enrollment_id"
            "  ) GROUP BY session_id, mask"
            ") x JOIN session s ON s.id = x.session_id WHERE s.status = 'planned' "
            "GROUP BY s.kelurahan_id, s.days, x.mask"):
        row = rows.get(kid)
        if row is None:
            continue
        for day in range(1, days + 1):
            if mask >> (day - 1) & 1:
                row["present"][day] += n
        full = (1 << days) - 1
        if mask & full == full:
            row["completed"] += n
    out = []
    for row in rows.values():
        row["present"] = dict(sorted(row["present"].items()))
        out.append(row)
    return {"rows": out, "max_days": max_days}


def certificates(db: Database, session_id: int | None = None, *, show_nik: bool = False) -> list[dict]:
    """People present on every day of a planned session (one session, or all), with the
    session's kelurahan, skill and dates; sorted by session, then name."""
    where, params = "s.status = 'planned'", []
    if session_id is not None:
        row = db.execute("SELECT status FROM session WHERE id = ?", [session_id]).fetchone()
        if row is None:
            raise NotFound(f"No session with id {session_id}. See `pelatihan session list`.")
        where += " AND s.id = ?"
        params.append(session_id)
    rows = db.execute(
        f"""
        SELECT s.id, p.nik, p.name, p.sex, k.name, k.kecamatan, sk.name,
            (SELECT min(date) FROM session_day WHERE session_id = s.id),
            (SELECT max(date) FROM session_day WHERE session_id = s.id),
            s.days
        FROM ({completed_sql()}) c
        JOIN enrollment e ON e.id = c.enrollment_id
        JOIN participant p ON p.id = e.participant_id
        JOIN session s ON s.id = e.session_id
        JOIN kelurahan k ON k.id = s.kelurahan_id
        JOIN skill sk ON sk.id = s.skill_id
        WHERE {where}
        """,
        params,
    ).fetchall()
    rows.sort(key=lambda r: (r[0], r[2] is None, (r[2] or "").casefold(), r[1] or ""))
    result = [
        {"session_id": r[0], "nik": r[1] if show_nik else mask_nik(r[1]), "name": r[2], "sex": r[3],
         "kelurahan": r[4], "kecamatan": r[5], "skill": r[6], "start_date": r[7], "end_date": r[8], "days": r[9]}
        for r in rows
    ]
    if show_nik and result:
        audit.record_reveal(db, "certificates.show_nik", {"participants": len(result)})
    return result
