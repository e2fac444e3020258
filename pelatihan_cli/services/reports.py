"""Programme outcome reports: the summary per kelurahan (fill, attendance, completion,
AK1) and the list of people who completed, for certificates.

The summary is a handful of aggregate queries grouped per session (covering indexes on
enrollment and attendance), folded into kelurahan in Python: its cost does not depend on
per-person Python work, so it stays fast on a database with a million participants."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlite_utils import Database

from pelatihan_cli.domain.privacy import mask_nik
from pelatihan_cli.errors import NotFound, no_session
from pelatihan_cli.services import audit
from pelatihan_cli.services.attendance import COUNTED_SQL, completed_sql  # the completion rule

SUMMARY_KEYS = ["programme", "kelurahan", "kecamatan", "kabupaten", "sessions", "capacity", "enrolled", "waitlisted", "completed", "ak1"]


#: AK1 cards count for a programme when issued within its window or up to this many days after
AK1_GRACE_DAYS = 90


def summary(db: Database, programme_id: int, kecamatan: str | None = None, kabupaten: str | None = None) -> dict:
    """The summary of one programme: {'rows': one dict per kelurahan (SUMMARY_KEYS plus
    'present' {day: count}), 'totals': the same keys over all rows with people counted
    once, 'max_days': the longest session's days, 'programme': its name}.

    Sessions of the programme that are not cancelled count (planned, running or done).
    `completed` and `ak1` count people: a person who completed, or holds an AK1 card
    issued within the programme's window (or up to AK1_GRACE_DAYS after), counts once —
    in the kelurahan of the session they completed or are enrolled in.

    Rows: every kelurahan of the kabupaten/kota where the programme has sessions (so that
    a kelurahan without one shows as such), narrowed by `kecamatan`/`kabupaten`."""
    from pelatihan_cli.services.programmes import get

    prog = get(db, programme_id)
    from pelatihan_cli.services.kelurahan import display_names, place_filter

    cond, params = place_filter(db, kecamatan, kabupaten)
    where = ("coalesce(k.kabupaten, '') IN (SELECT coalesce(x.kabupaten, '') FROM session s "
             "JOIN kelurahan x ON x.id = s.kelurahan_id WHERE s.programme_id = ?)")
    params = [prog.id, *params]
    if cond:
        where += f" AND {cond}"
    shown = display_names(db)
    kelurahan = [(kid, shown.get(kid, name), kec, kab) for kid, name, kec, kab in db.execute(
        f"SELECT k.id, k.name, k.kecamatan, k.kabupaten FROM kelurahan k WHERE {where} "
        "ORDER BY k.provinsi, k.kabupaten, k.kecamatan, k.name", params)]
    rows = {kid: {"programme": prog.name, "kabupaten": kab, "kelurahan": name, "kecamatan": kec, "sessions": 0, "capacity": 0,
                  "enrolled": 0, "waitlisted": 0, "completed": 0, "ak1": 0, "present": defaultdict(int)}
            for kid, name, kec, kab in kelurahan}
    max_days = 0
    for kid, n, capacity, days in db.execute(
            "SELECT kelurahan_id, count(*), sum(capacity), max(days) FROM session "
            "WHERE status = 'planned' AND programme_id = ? GROUP BY kelurahan_id", [prog.id]):
        if kid in rows:
            rows[kid].update(sessions=n, capacity=capacity)
            max_days = max(max_days, days)
    for kid, status, n in db.execute(
            "SELECT s.kelurahan_id, e.status, count(*) FROM enrollment e JOIN session s ON s.id = e.session_id "
            "WHERE e.status IN ('enrolled', 'waitlisted') AND e.cancelled = 0 AND s.status = 'planned' "
            "AND s.programme_id = ? GROUP BY s.kelurahan_id, e.status", [prog.id]):
        if kid in rows:
            rows[kid][status] += n
    # one pass over attendance: each counted enrollment's present days as a bit mask, counted
    # per (kelurahan, session length, mask); present per day and completion follow from them
    for kid, days, mask, n in db.execute(
            "SELECT s.kelurahan_id, s.days, x.mask, sum(x.n) FROM ("
            "  SELECT session_id, mask, count(*) AS n FROM ("
            "    SELECT e.session_id AS session_id, sum(1 << (a.day_no - 1)) AS mask"
            "    FROM attendance a JOIN enrollment e ON e.id = a.enrollment_id"
            "    JOIN session s ON s.id = e.session_id"
            f"    WHERE a.present = 1 AND {COUNTED_SQL} AND a.day_no <= 62 AND s.programme_id = ?"
            "    GROUP BY a.enrollment_id"
            "  ) GROUP BY session_id, mask"
            ") x JOIN session s ON s.id = x.session_id "
            "GROUP BY s.kelurahan_id, s.days, x.mask", [prog.id]):
        row = rows.get(kid)
        if row is None:
            continue
        for day in range(1, days + 1):
            if mask >> (day - 1) & 1:
                row["present"][day] += n
    # people, once each: their kelurahan is that of the session they completed, else the
    # one they are enrolled in
    people = db.execute(
        f"""
        WITH done AS MATERIALIZED ({completed_sql("s.programme_id = :p")}),
        cards AS MATERIALIZED (
            SELECT DISTINCT participant_id FROM ak1_card WHERE issued_on BETWEEN :a AND :b
        )
        SELECT e.participant_id, s.kelurahan_id, d.enrollment_id IS NOT NULL, k.participant_id IS NOT NULL
        FROM session s JOIN enrollment e ON e.session_id = s.id
        LEFT JOIN done d ON d.enrollment_id = e.id
        LEFT JOIN cards k ON k.participant_id = e.participant_id
        WHERE s.programme_id = :p AND {COUNTED_SQL} AND (e.status = 'enrolled' OR d.enrollment_id IS NOT NULL)
        ORDER BY 1, 3 DESC, 2
        """,
        {"p": prog.id, "a": prog.start_date,
         "b": (dt.date.fromisoformat(prog.end_date) + dt.timedelta(days=AK1_GRACE_DAYS)).isoformat()}).fetchall()
    seen: set[int] = set()
    completed_people = ak1_people = 0
    for pid, kid, completed, ak1 in people:
        if pid in seen:
            continue
        seen.add(pid)
        row = rows.get(kid)
        if row is None:
            continue
        row["completed"] += completed
        row["ak1"] += ak1
        completed_people += completed
        ak1_people += ak1
    out = []
    for row in rows.values():
        row["present"] = dict(sorted(row["present"].items()))
        out.append(row)
    totals = {k: sum(r[k] for r in out) for k in ("sessions", "capacity", "enrolled", "waitlisted")}
    totals.update(programme=prog.name, kelurahan="Total", kecamatan=None, completed=completed_people,
                  ak1=ak1_people,
                  present={d: sum(r["present"].get(d, 0) for r in out) for d in range(1, max_days + 1)})
    return {"rows": out, "totals": totals, "max_days": max_days, "programme": prog.name}


def certificates(db: Database, session_id: int | None = None, *, show_nik: bool = False,
                 programme_id: int | None = None) -> list[dict]:
    """People present on every day of a session that is not cancelled (one session, or all
    of a programme, or all), with the session's programme, kelurahan, skill and dates;
    sorted by session, then name."""
    where, params = "s.status = 'planned'", []
    if programme_id is not None:
        where += " AND s.programme_id = ?"
        params.append(programme_id)
    if session_id is not None:
        row = db.execute("SELECT status FROM session WHERE id = ?", [session_id]).fetchone()
        if row is None:
            raise NotFound(no_session(session_id))
        where += " AND s.id = ?"
        params.append(session_id)
    rows = db.execute(
        f"""
        SELECT s.id, p.nik, p.name, p.sex, k.name, k.kecamatan, sk.name,
            (SELECT min(date) FROM session_day WHERE session_id = s.id),
            (SELECT max(date) FROM session_day WHERE session_id = s.id),
            s.days, pr.name
        FROM ({completed_sql()}) c
        JOIN enrollment e ON e.id = c.enrollment_id
        JOIN participant p ON p.id = e.participant_id
        JOIN session s ON s.id = e.session_id
        JOIN kelurahan k ON k.id = s.kelurahan_id
        JOIN skill sk ON sk.id = s.skill_id
        JOIN programme pr ON pr.id = s.programme_id
        WHERE {where}
        """,
        params,
    ).fetchall()
    rows.sort(key=lambda r: (r[0], r[2] is None, (r[2] or "").casefold(), r[1] or ""))
    result = [
        {"session_id": r[0], "programme": r[10], "nik": r[1] if show_nik else mask_nik(r[1]), "name": r[2], "sex": r[3],
         "kelurahan": r[4], "kecamatan": r[5], "skill": r[6], "start_date": r[7], "end_date": r[8], "days": r[9]}
        for r in rows
    ]
    if show_nik and result:
        audit.record_reveal(db, "certificates.show_nik", {"participants": len(result)})
    return result
