"""Direct-insert helpers for tests of one layer without going through another's service."""

from __future__ import annotations

import datetime as dt

from pelatihan_cli.domain.names import name_key


def kelurahan_id(db, name="Bendan Kergon", kecamatan="Pekalongan Barat", code=None) -> int:
    row = db.execute("SELECT id FROM kelurahan WHERE name_key = ?", [name_key(name)]).fetchone()
    if row:
        return row[0]
    cur = db.execute(
        "INSERT INTO kelurahan (code, name, name_key, kecamatan) VALUES (?, ?, ?, ?)",
        [code, name, name_key(name), kecamatan],
    )
    db.conn.commit()
    return cur.lastrowid


def skill_id(db, name="Merajut") -> int:
    row = db.execute("SELECT id FROM skill WHERE name_key = ?", [name_key(name)]).fetchone()
    if row:
        return row[0]
    cur = db.execute("INSERT INTO skill (name, name_key) VALUES (?, ?)", [name, name_key(name)])
    db.conn.commit()
    return cur.lastrowid


def make_session(db, *, kelurahan="Bendan Kergon", kecamatan="Pekalongan Barat", skill="Merajut",
                 days=("2024-07-02", "2024-07-03"), capacity=20, venue="Aula Kelurahan",
                 status="planned") -> int:
    """Insert a session with its days directly (no calendar rules). Returns its id."""
    kid = kelurahan_id(db, kelurahan, kecamatan)
    sid = skill_id(db, skill)
    days = [d.isoformat() if isinstance(d, dt.date) else d for d in days]
    cur = db.execute(
        "INSERT INTO session (kelurahan_id, skill_id, start_date, days, capacity, venue, status) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [kid, sid, days[0], len(days), capacity, venue, status],
    )
    session = cur.lastrowid
    for i, d in enumerate(days, start=1):
        db.execute("INSERT INTO session_day (session_id, day_no, date) VALUES (?, ?, ?)", [session, i, d])
    db.conn.commit()
    return session
