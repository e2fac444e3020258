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


def programme_id(db, year=2024, name=None, start=None, end=None) -> int:
    """The programme of `year` (created with a calendar-year window when missing)."""
    name = name or f"Pelatihan Kewirausahaan {year}"
    row = db.execute("SELECT id FROM programme WHERE name_key = ?", [name_key(name)]).fetchone()
    if row:
        return row[0]
    cur = db.execute(
        "INSERT INTO programme (name, name_key, year, start_date, end_date, funding, title) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [name, name_key(name), year, start or f"{year}-01-01", end or f"{year}-12-31", "DBHCHT",
         "Pelatihan Kewirausahaan"])
    db.conn.commit()
    return cur.lastrowid


def make_session(db, *, kelurahan="Bendan Kergon", kecamatan="Pekalongan Barat", skill="Merajut",
                 days=("2024-07-02", "2024-07-03"), capacity=20, venue="Aula Kelurahan",
                 status="planned", programme=None) -> int:
    """Insert a session with its days directly (no calendar rules). Returns its id.
    `programme`: its id; default the programme of the first day's year."""
    kid = kelurahan_id(db, kelurahan, kecamatan)
    sid = skill_id(db, skill)
    days = [d.isoformat() if isinstance(d, dt.date) else d for d in days]
    pid = programme if programme is not None else programme_id(db, int(days[0][:4]))
    cur = db.execute(
        "INSERT INTO session (kelurahan_id, skill_id, start_date, days, capacity, venue, status, programme_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [kid, sid, days[0], len(days), capacity, venue, status, pid],
    )
    session = cur.lastrowid
    for i, d in enumerate(days, start=1):
        db.execute("INSERT INTO session_day (session_id, day_no, date) VALUES (?, ?, ?)", [session, i, d])
    db.conn.commit()
    return session


def make_participant(db, nik, name, *, sex="P", address="Jl. Merdeka 1", phone="+6281234567890",
                     kelurahan="Bendan Kergon", birth_date="1990-07-02", ak1_number=None,
                     ak1_date="2024-07-03") -> int:
    """Insert a participant directly (no validation), with an AK1 card when `ak1_number`.
    Returns its id."""
    kid = kelurahan_id(db, kelurahan) if kelurahan else None
    cur = db.execute(
        "INSERT INTO participant (nik, name, birth_date, sex, address, kelurahan_id, phone, ak1_number) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [nik, name, birth_date, sex, address, kid, phone, ak1_number],
    )
    if ak1_number:
        from pelatihan_cli.migrations import ak1_key

        db.execute("INSERT INTO ak1_card (participant_id, number, number_key, issued_on) VALUES (?, ?, ?, ?)",
                   [cur.lastrowid, ak1_number, ak1_key(ak1_number), ak1_date])
    db.conn.commit()
    return cur.lastrowid


def enroll_direct(db, participant_id, session_id, *, status="enrolled", year=None) -> int:
    """Insert an enrollment row directly (no rules besides the schema's). Returns its id."""
    if year is None:
        start = db.execute("SELECT start_date FROM session WHERE id = ?", [session_id]).fetchone()[0]
        year = int(start[:4])
    seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM enrollment WHERE session_id = ?", [session_id]).fetchone()[0]
    cur = db.execute(
        "INSERT INTO enrollment (participant_id, session_id, year, status, seq) VALUES (?, ?, ?, ?, ?)",
        [participant_id, session_id, year, status, seq],
    )
    db.conn.commit()
    return cur.lastrowid
