"""Erasure of a participant's personal data (UU 27/2022, the right to deletion).

Name, NIK, birth date, birthplace, address and phone become NULL, the free texts of the
person's follow-ups (business name, note) too, and the AK1 card number is
replaced by '[erased]' (so that "AK1 made", which the summary counts, stays true);
what the aggregate reports need stays: kelurahan, sex, age band, enrollments,
attendance, the AK1 date, certificates (numbers stay taken), the work status at
registration and the follow-ups' status, dates and income band. So report totals,
outcome counts included, do not change. The age band is filled from the birth date before
the birth date goes. In the audit log, the command lines that name this person's
(masked) NIK lose the values of --name, --address, --phone, --birth-date and --number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain.dates import age_on
from pelatihan_cli.domain.person import age_band
from pelatihan_cli.errors import NotFound, ValidationError
from pelatihan_cli.services import ak1, audit, auditlog

ERASED_MARK = "[erased]"


@dataclass(frozen=True)
class Candidate:
    id: int
    nik: str
    name: str
    kelurahan: str | None
    enrollments: int


def _clean_nik(nik: str) -> str:
    text = (nik or "").strip().replace(" ", "").replace(".", "")
    if len(text) != 16 or not text.isdigit():
        raise ValidationError(f"NIK {nik!r} is not 16 digits; give the full NIK of the person to erase.",
                              field="nik", value=nik)
    return text


def find(db: Database, nik: str) -> Candidate:
    """The participant with this NIK (for the confirmation prompt)."""
    key = _clean_nik(nik)
    row = db.execute(
        """SELECT p.id, p.nik, p.name, k.name,
                  (SELECT count(*) FROM enrollment e WHERE e.participant_id = p.id)
           FROM participant p LEFT JOIN kelurahan k ON k.id = p.kelurahan_id WHERE p.nik = ?""",
        [key],
    ).fetchone()
    if row is None:
        raise NotFound(f"No participant with NIK {nik}. (Already erased people no longer have a NIK.)")
    return Candidate(*row)


def _band_for(db: Database, pid: int, birth_iso: str | None, today: dt.date) -> str | None:
    if not birth_iso:
        return None
    try:
        birth = dt.date.fromisoformat(birth_iso)
    except ValueError:
        return None
    # age on the first day of the person's first session (what eligibility used), else today
    first = db.execute(
        """SELECT min(s.start_date) FROM enrollment e JOIN session s ON s.id = e.session_id
           WHERE e.participant_id = ?""",
        [pid],
    ).fetchone()[0]
    on = dt.date.fromisoformat(first) if first else today
    return age_band(age_on(birth, on))


def _withdraw_from_open_sessions(db: Database, pid: int, today: dt.date) -> tuple[list[int], list[dict]]:
    """Withdraw the person (reason 'erased') from every session that is not done (planned,
    running, or cancelled and perhaps reopened later), so that no erased person holds a
    seat; freed seats go to the waitlist. Returns (session ids, promotions)."""
    from pelatihan_cli.domain import lifecycle
    from pelatihan_cli.domain.privacy import mask_nik
    from pelatihan_cli.services.enrollment import promote_waitlisted

    expr, params = lifecycle.phase_sql(today)
    rows = db.execute(
        f"""SELECT e.id, e.session_id, e.status, s.status FROM enrollment e JOIN session s ON s.id = e.session_id
            WHERE e.participant_id = ? AND e.status IN ('enrolled', 'waitlisted') AND ({expr}) != 'done'
            ORDER BY e.session_id""", [pid, *params]).fetchall()
    sessions, promoted = [], []
    for eid, sid, status, session_status in rows:
        db.execute("UPDATE enrollment SET status = 'withdrawn', withdraw_reason = 'erased', "
                   "updated_at = strftime('%Y-%m-%dT%H:%M:%f', 'now') WHERE id = ?", [eid])
        sessions.append(sid)
        if status == "enrolled" and session_status != "cancelled":
            promoted += [{"session_id": sid, "name": p.name, "nik": mask_nik(p.nik), "seat": p.seat}
                         for p in promote_waitlisted(db, sid)]
    return sessions, promoted


def erase(db: Database, nik: str, *, today: dt.date | None = None) -> dict:
    """Erase the personal data of the participant with this NIK, after withdrawing them
    from the sessions that are not done (the waitlist moves up). Returns counts, plus
    `withdrawn_from` (session ids) and `promoted` (who got a freed seat)."""
    from pelatihan_cli.services import clock

    today = today or clock.today()
    with write_transaction(db):
        person = find(db, nik)
        withdrawn_from, promoted = _withdraw_from_open_sessions(db, person.id, today)
        birth, band = db.execute(
            "SELECT birth_date, age_band FROM participant WHERE id = ?", [person.id]
        ).fetchone()
        band = band or _band_for(db, person.id, birth, today)
        db.execute(
            """UPDATE participant SET nik = NULL, name = NULL, person_key = NULL, birth_date = NULL, birth_place = NULL, bank_account = NULL, address = NULL,
                   phone = NULL, nik_mismatch_accepted = 0, age_band = ?,
                   ak1_number = CASE WHEN ak1_number IS NULL THEN NULL ELSE ? END,
                   erased_at = strftime('%Y-%m-%dT%H:%M:%S', 'now'),
                   updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now')
               WHERE id = ?""",
            [band, ERASED_MARK, person.id],
        )
        ak1.erase_cards(db, person.id)  # numbers anonymised; cards and dates kept for the counts
        # follow-ups stay counted (status, dates, band); their free texts may name the person
        db.execute("UPDATE followup SET business = NULL, note = NULL WHERE participant_id = ?", [person.id])
        scrubbed = auditlog.scrub_person(db, person.nik, ERASED_MARK)
        counts = {"participants": 1, "enrollments_kept": person.enrollments, "withdrawn": len(withdrawn_from),
                  "promoted": len(promoted), "audit_entries_scrubbed": scrubbed}
        audit.record(db, "participant.erase", counts)
    return {**counts, "withdrawn_from": withdrawn_from, "promoted": promoted}
