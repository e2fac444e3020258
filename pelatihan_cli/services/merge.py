"""`participant merge KEEP OTHER`: one person recorded twice (two NIKs) becomes one record.

OTHER's enrollments (with their attendance and certificates, which hang on the
enrollment), AK1 cards and follow-ups move to KEEP, then OTHER's participant row is deleted rather than anonymised: it never
was a distinct person, and an anonymised row would still count as one in the reports.
KEEP's values stay; KEEP's empty phone/address take OTHER's. Conflicts are refused before
anything is written: both in one session, or both active in the same year.
"""

from __future__ import annotations

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.errors import Conflict, ValidationError
from pelatihan_cli.services import audit
from pelatihan_cli.services.participants import find

_FIELDS = ("name", "birth_date", "sex", "kelurahan_id", "phone", "address")


def _row(db: Database, pid: int) -> dict:
    cur = db.conn.execute(f"SELECT {', '.join(_FIELDS)} FROM participant WHERE id = ?", [pid])
    return dict(zip(_FIELDS, cur.fetchone()))


def preview(db: Database, keep_nik: str, other_nik: str) -> dict:
    """The two records and what differs (name, birth date, sex): {keep, other, differences}.
    Raises when they are one record or conflict (see merge)."""
    keep, other = find(db, keep_nik), find(db, other_nik)
    if keep[0] == other[0]:
        raise ValidationError(f"{keep_nik!r} and {other_nik!r} are the same record; nothing to merge.",
                              field="other", value=other_nik)
    a, b = _row(db, keep[0]), _row(db, other[0])
    differences = [{"field": f, "keep": a[f], "other": b[f]} for f in ("name", "birth_date", "sex") if a[f] != b[f]]
    same_session = [r[0] for r in db.conn.execute(
        "SELECT e.session_id FROM enrollment e JOIN enrollment x ON x.session_id = e.session_id "
        "WHERE e.participant_id = ? AND x.participant_id = ? ORDER BY 1", [keep[0], other[0]])]
    if same_session:
        raise Conflict(f"Both records are in session(s) {', '.join(map(str, same_session))}; withdraw one of "
                       "the two enrollments first (`pelatihan participant withdraw SESSION NIK`), then merge.")
    same_year = db.conn.execute(
        "SELECT e.year, e.session_id, x.session_id FROM enrollment e JOIN enrollment x ON x.year = e.year "
        "WHERE e.participant_id = ? AND x.participant_id = ? AND e.status IN ('enrolled', 'waitlisted') "
        "AND x.status IN ('enrolled', 'waitlisted') AND e.cancelled = 0 AND x.cancelled = 0 LIMIT 1",
        [keep[0], other[0]]).fetchone()
    if same_year:
        raise Conflict(f"Both records hold a training in {same_year[0]} (sessions {same_year[1]} and {same_year[2]}); "
                       "one person trains once a year: withdraw one of them first, then merge.")
    return {"keep": {"id": keep[0], "nik": keep[1], **a}, "other": {"id": other[0], "nik": other[1], **b},
            "differences": differences}


def merge(db: Database, keep_nik: str, other_nik: str) -> dict:
    """Move OTHER's enrollments, attendance and AK1 cards to KEEP and delete OTHER, in one
    audited transaction. Returns counts and the differences kept from KEEP."""
    with write_transaction(db):
        p = preview(db, keep_nik, other_nik)
        keep, other = p["keep"]["id"], p["other"]["id"]
        enrollments = db.conn.execute("SELECT count(*) FROM enrollment WHERE participant_id = ?", [other]).fetchone()[0]
        attendance = db.conn.execute(
            "SELECT count(*) FROM attendance a JOIN enrollment e ON e.id = a.enrollment_id WHERE e.participant_id = ?",
            [other]).fetchone()[0]
        db.conn.execute("UPDATE enrollment SET participant_id = ? WHERE participant_id = ?", [keep, other])
        # a card both records hold (a legacy duplicate of one person) is kept once
        db.conn.execute("DELETE FROM ak1_card WHERE participant_id = ? AND number_key IN "
                        "(SELECT number_key FROM ak1_card WHERE participant_id = ?)", [other, keep])
        cards = db.conn.execute("UPDATE ak1_card SET participant_id = ? WHERE participant_id = ?",
                                [keep, other]).rowcount
        followups = db.conn.execute("UPDATE followup SET participant_id = ? WHERE participant_id = ?",
                                    [keep, other]).rowcount
        filled = [f for f in ("phone", "address") if p["keep"][f] is None and p["other"][f] is not None]
        for f in filled:
            db.conn.execute(f"UPDATE participant SET {f} = ? WHERE id = ?", [p["other"][f], keep])
        db.conn.execute("DELETE FROM participant WHERE id = ?", [other])
        audit.record(db, "participant.merge", {"participants_removed": 1, "enrollments": enrollments,
                                               "attendance": attendance, "ak1_cards": cards, "followups": followups,
                                               "filled": len(filled)})
    return {"keep": p["keep"]["nik"], "merged": p["other"]["nik"], "name": p["keep"]["name"],
            "enrollments": enrollments, "attendance": attendance, "ak1_cards": cards, "followups": followups,
            "filled": filled,
            "differences": p["differences"]}
