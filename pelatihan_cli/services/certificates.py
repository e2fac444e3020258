"""Certificates (sertifikat): numbered once per completer, printed, verified, revoked.

A completer (present on every day of their session: services/attendance.completed_sql) gets
one certificate per completed enrollment. Numbers follow the setting
`certificate_number_pattern` with a sequence per programme; the schema (m004) keeps a
number from ever changing or being deleted, so a revoked number is never reused and a
re-print shows the same number. Each certificate carries a random verification code (the
QR code on the paper); `verify` looks it up offline, so a code that was altered matches
nothing and is reported as unknown.

Printing reveals the full place and date of birth (the paper is given to the person), so
every print is logged like a --show-nik reveal.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain import outcomes
from pelatihan_cli.domain.privacy import mask_nik
from pelatihan_cli.errors import Conflict, NotFound, ValidationError, no_session
from pelatihan_cli.services import audit, settings
from pelatihan_cli.services.attendance import completed_sql

settings.register(
    "certificate_number_pattern", outcomes.DEFAULT_NUMBER_PATTERN,
    "Certificate numbers: {seq} (per programme, e.g. {seq:04d}), {year} (the programme's), {programme_id}. "
    "Numbers already issued never change.", outcomes.check_number_pattern)

LIST_KEYS = ["number", "session_id", "programme", "nik", "name", "kelurahan", "skill", "end_date", "issued_on",
             "status", "revoked_on", "revoke_reason"]

# one row per completed enrollment of a session that ran, with its certificate if any
_COMPLETERS_SQL = f"""
    SELECT e.id, s.id, s.programme_id, p.id, p.name, p.nik, c.id
    FROM ({completed_sql()}) d
    JOIN enrollment e ON e.id = d.enrollment_id
    JOIN participant p ON p.id = e.participant_id
    JOIN session s ON s.id = e.session_id
    LEFT JOIN certificate c ON c.enrollment_id = e.id
    WHERE s.status = 'planned' AND {{where}}
"""


def _scope(db: Database, session_id: int | None, programme_id: int | None) -> tuple[str, list]:
    if session_id is not None:
        if db.execute("SELECT 1 FROM session WHERE id = ?", [session_id]).fetchone() is None:
            raise NotFound(no_session(session_id))
        return "s.id = ?", [session_id]
    if programme_id is None:
        raise ValidationError("Give a SESSION or --programme.")
    return "s.programme_id = ?", [programme_id]


def issue(db: Database, *, session_id: int | None = None, programme_id: int | None = None) -> dict:
    """Number every completer of the session (or programme) who has no certificate yet, in
    session order then by name. Returns {'issued': n, 'already': n, 'erased': n,
    'certificates': [{number, session_id, name}]} (erased people get none)."""
    from pelatihan_cli.services.programmes import get

    where, params = _scope(db, session_id, programme_id)
    pattern = settings.get(db, "certificate_number_pattern")
    with write_transaction(db):
        rows = db.execute(_COMPLETERS_SQL.format(where=where), params).fetchall()
        rows.sort(key=lambda r: (r[1], (r[4] or "").casefold(), r[5] or ""))
        issued, already, erased = [], 0, 0
        next_seq: dict[int, int] = {}
        for eid, sid, pid, _part, name, _nik, cert in rows:
            if cert is not None:
                already += 1
                continue
            if name is None:
                erased += 1
                continue
            if pid not in next_seq:
                last = db.execute("SELECT max(seq) FROM certificate WHERE programme_id = ?", [pid]).fetchone()[0]
                next_seq[pid] = (last or 0) + 1
            seq = next_seq[pid]
            next_seq[pid] += 1
            number = outcomes.certificate_number(pattern, seq, get(db, pid).year, pid)
            if db.execute("SELECT 1 FROM certificate WHERE number = ?", [number]).fetchone():
                raise Conflict(f"Certificate number {number} is already used (the pattern "
                               f"{pattern!r} gives the same number in two programmes); add {{year}} or "
                               "{programme_id} to it: `pelatihan config set certificate_number_pattern ...`.")
            code = outcomes.new_code()
            while db.execute("SELECT 1 FROM certificate WHERE code = ?", [code]).fetchone():
                code = outcomes.new_code()  # pragma: no cover - 60 random bits
            db.execute("INSERT INTO certificate (enrollment_id, programme_id, seq, number, code) VALUES (?, ?, ?, ?, ?)",
                       [eid, pid, seq, number, code])
            issued.append({"number": number, "session_id": sid, "name": name})
        if issued:
            audit.record(db, "certificate.issue", {"certificates": len(issued), "already": already})
    out = {"issued": len(issued), "already": already, "erased": erased, "certificates": issued}
    if not rows:
        out["hint"] = _why_no_completer(db, where, params)
    return out


def _why_no_completer(db: Database, where: str, params: list) -> str:
    """Why nobody in scope has completed: a certificate goes to who was present on every
    training day, so say how much attendance is marked."""
    status, enrolled, days, marked = db.execute(
        f"""SELECT min(s.status),
                   (SELECT count(*) FROM enrollment e JOIN session s ON s.id = e.session_id
                    WHERE e.status = 'enrolled' AND e.cancelled = 0 AND {where}),
                   sum(s.days),
                   (SELECT count(DISTINCT e.session_id || ':' || a.day_no) FROM attendance a
                    JOIN enrollment e ON e.id = a.enrollment_id JOIN session s ON s.id = e.session_id
                    WHERE {where})
            FROM session s WHERE {where}""", [*params, *params, *params]).fetchone()
    if status == "cancelled":
        return "Nobody to certify: the session is cancelled."
    if not enrolled:
        return "Nobody to certify: nobody is enrolled."
    return (f"Nobody has completed yet: a certificate goes to who was present on every training day, and "
            f"attendance is marked for {marked or 0} of {days or 0} session day(s) "
            "(`pelatihan attendance mark`).")


_CERT_SQL = """
    SELECT c.id, c.number, c.code, c.issued_at, c.revoked_at, c.revoke_reason, s.id, pr.id, pr.name,
           p.nik, p.name, p.birth_place, p.birth_date, k.name, k.kecamatan, sk.name,
           (SELECT min(date) FROM session_day WHERE session_id = s.id),
           (SELECT max(date) FROM session_day WHERE session_id = s.id), s.days, s.venue
    FROM certificate c
    JOIN enrollment e ON e.id = c.enrollment_id
    JOIN participant p ON p.id = e.participant_id
    JOIN session s ON s.id = e.session_id
    JOIN programme pr ON pr.id = c.programme_id
    JOIN kelurahan k ON k.id = s.kelurahan_id
    JOIN skill sk ON sk.id = s.skill_id
"""
_CERT_FIELDS = ["id", "number", "code", "issued_at", "revoked_at", "revoke_reason", "session_id", "programme_id",
                "programme", "nik", "name", "birth_place", "birth_date", "kelurahan", "kecamatan", "skill",
                "start_date", "end_date", "days", "venue"]


def _certs(db: Database, where: str, params: list) -> list[dict]:
    rows = [dict(zip(_CERT_FIELDS, r)) for r in db.execute(f"{_CERT_SQL} WHERE {where} ORDER BY c.programme_id, c.seq",
                                                           params)]
    return rows


def _select(db: Database, session_id: int | None, programme_id: int | None, number: str | None) -> list[dict]:
    if number is not None:
        rows = _certs(db, "c.number = ?", [number.strip()])
        if not rows:
            raise NotFound(f"No certificate numbered {number!r}. See `pelatihan certificate list`.")
        return rows
    where, params = _scope(db, session_id, programme_id)
    return _certs(db, where, params)


def for_print(db: Database, *, session_id: int | None = None, programme_id: int | None = None,
              number: str | None = None) -> dict:
    """The certificates to print (not revoked, not erased), each with its programme's
    document settings: {'certificates': [...], 'skipped_revoked': n, 'skipped_erased': n}.
    Logs the reveal of places and dates of birth (its own transaction)."""
    from pelatihan_cli.services.programmes import document_settings

    rows = _select(db, session_id, programme_id, number)
    if number is not None and rows[0]["revoked_at"]:
        raise Conflict(f"Certificate {rows[0]['number']} was revoked ({rows[0]['revoke_reason']}); it is not printed.")
    out = [r for r in rows if not r["revoked_at"] and r["name"] is not None]
    docs = {pid: document_settings(db, pid) for pid in {r["programme_id"] for r in out}}
    for r in out:
        r["documents"] = docs[r["programme_id"]]
    if out:
        audit.record_reveal(db, "certificate.print", {"certificates": len(out)})
    return {"certificates": out, "skipped_revoked": sum(1 for r in rows if r["revoked_at"]),
            "skipped_erased": sum(1 for r in rows if not r["revoked_at"] and r["name"] is None)}


def verify(db: Database, code: str) -> dict:
    """{'status': 'valid' | 'revoked' | 'unknown', 'code', and for a known code: number,
    name (masked), programme, skill, kelurahan, start_date, end_date, revoked_on, reason}."""
    typed = outcomes.normalise_code(code)
    rows = _certs(db, "c.code = ?", [typed])
    if not rows:
        return {"status": "unknown", "code": typed, "number": None, "name": None, "programme": None, "skill": None,
                "kelurahan": None, "start_date": None, "end_date": None, "revoked_on": None, "reason": None}
    r = rows[0]
    return {"status": "revoked" if r["revoked_at"] else "valid", "code": typed, "number": r["number"],
            "name": outcomes.mask_name(r["name"]) if r["name"] else "(erased)", "programme": r["programme"],
            "skill": r["skill"], "kelurahan": r["kelurahan"], "start_date": r["start_date"],
            "end_date": r["end_date"], "revoked_on": (r["revoked_at"] or "")[:10] or None,
            "reason": r["revoke_reason"]}


def revoke(db: Database, number: str, reason: str) -> dict:
    """Mark a certificate revoked (its number stays taken); refused when already revoked."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError("Give the reason: --reason TEXT.", field="--reason")
    with write_transaction(db):
        row = db.execute("SELECT id, revoked_at FROM certificate WHERE number = ?", [number.strip()]).fetchone()
        if row is None:
            raise NotFound(f"No certificate numbered {number!r}. See `pelatihan certificate list`.")
        if row[1]:
            raise Conflict(f"Certificate {number} is already revoked (on {row[1][:10]}).")
        db.execute("UPDATE certificate SET revoked_at = strftime('%Y-%m-%dT%H:%M:%S', 'now'), revoke_reason = ? "
                   "WHERE id = ?", [reason, row[0]])
        audit.record(db, "certificate.revoke", {"certificates": 1})
    return {"number": number.strip(), "status": "revoked", "reason": reason}


def list_certificates(db: Database, *, session_id: int | None = None, programme_id: int | None = None,
                      show_nik: bool = False) -> list[dict]:
    """Issued certificates (LIST_KEYS), by programme and number; NIK masked unless show_nik (logged)."""
    rows = _select(db, session_id, programme_id, None)
    out = [{"number": r["number"], "session_id": r["session_id"], "programme": r["programme"],
            "nik": r["nik"] if show_nik else mask_nik(r["nik"]), "name": r["name"], "kelurahan": r["kelurahan"],
            "skill": r["skill"], "end_date": r["end_date"], "issued_on": r["issued_at"][:10],
            "status": "revoked" if r["revoked_at"] else "valid", "revoked_on": (r["revoked_at"] or "")[:10] or None,
            "revoke_reason": r["revoke_reason"]} for r in rows]
    if show_nik and out:
        audit.record_reveal(db, "certificate.show_nik", {"certificates": len(out)})
    return out


def training_dates_id(start: str, end: str) -> str:
    """'1 s.d. 2 Juli 2024', '2 Juli 2024', '31 Juli s.d. 1 Agustus 2024' (Indonesian)."""
    from pelatihan_cli.domain.dates import MONTHS_ID, format_short_id

    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if a == b:
        return format_short_id(a)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day} s.d. {format_short_id(b)}"
    if a.year == b.year:
        return f"{a.day} {MONTHS_ID[a.month - 1]} s.d. {format_short_id(b)}"
    return f"{format_short_id(a)} s.d. {format_short_id(b)}"
