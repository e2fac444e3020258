"""`report schedule`: the programme day by day, one row per date and kelurahan."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from pelatihan_cli.domain.dates import parse_date
from pelatihan_cli.errors import ValidationError

SCHEDULE_KEYS = ["date", "day_no", "programme", "kelurahan", "kecamatan", "skills", "instructors", "sessions"]


def date_window(start: str | dt.date | None, end: str | dt.date | None) -> tuple[str, str]:
    """--from/--to as ISO bounds ('0000-00-00' / '9999-99-99' when not given); --to before
    --from is refused."""
    a = parse_date(start, field="--from").isoformat() if start is not None else "0000-00-00"
    b = parse_date(end, field="--to").isoformat() if end is not None else "9999-99-99"
    if b < a:
        raise ValidationError(f"--to {b} is before --from {a}; swap them.", field="--to", value=b)
    return a, b


def schedule(db: Database, start: str | dt.date | None = None, end: str | dt.date | None = None, *,
             programme_id: int | None = None) -> list[dict]:
    """Rows (keys SCHEDULE_KEYS, ISO dates) of the training days of sessions that are not
    cancelled (planned, running or done), by date then kelurahan; skills and instructors of
    the kelurahan's tracks that day. `programme_id`: that programme's sessions only."""
    a, b = date_window(start, end)
    rows = db.execute(
        """SELECT d.date, d.day_no, k.name, k.kecamatan, sk.name, s.id, p.name,
                  (SELECT group_concat(name, '|') FROM (
                      SELECT i.name AS name FROM session_instructor si JOIN instructor i ON i.id = si.instructor_id
                      WHERE si.session_id = s.id ORDER BY i.name_key))
           FROM session_day d JOIN session s ON s.id = d.session_id
           JOIN kelurahan k ON k.id = s.kelurahan_id JOIN skill sk ON sk.id = s.skill_id
           JOIN programme p ON p.id = s.programme_id
           WHERE s.status = 'planned' AND d.date BETWEEN ? AND ? AND (? IS NULL OR s.programme_id = ?)
           ORDER BY d.date, k.name_key, sk.name_key, s.id""",
        [a, b, programme_id, programme_id],
    ).fetchall()
    out: list[dict] = []
    index: dict[tuple[str, str], dict] = {}
    for date, day_no, kel, kec, skill, sid, prog, names in rows:
        row = index.get((date, kel))
        if row is None:
            row = {"date": date, "day_no": day_no, "programme": prog, "kelurahan": kel, "kecamatan": kec,
                   "skills": [], "instructors": [], "sessions": []}
            index[(date, kel)] = row
            out.append(row)
        row["day_no"] = min(row["day_no"], day_no)
        row["skills"].append(skill)
        row["sessions"].append(sid)
        for n in (names or "").split("|"):
            if n and n not in row["instructors"]:
                row["instructors"].append(n)
    return out
