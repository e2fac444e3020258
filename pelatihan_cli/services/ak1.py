"""AK1 cards (kartu pencari kerja) belong to the person: table ak1_card (migration m002).

A person may hold successive cards (a renewal is a new number, with its issue date); a
number is unique across people, compared with migrations.ak1_key (case, spaces, dots,
slashes and dashes ignored). Numbers the first version let two people hold are kept as
`legacy_duplicate` for the operator to correct (`participant ak1 NIK --remove NUMBER`).

The same rules serve `participant ak1`, enrollment (PersonInput.ak1_*) and participant
import: `check_issue_date`, `clean_number` and `holder` here; the Enroller writes with
`insert_sql`. `count_ak1` is the programme's count for the reports.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain.dates import parse_date
from pelatihan_cli.domain.person import clean_text
from pelatihan_cli.domain.privacy import mask_nik
from pelatihan_cli.errors import Conflict, NotFound, ValidationError
from pelatihan_cli.migrations import ak1_key
from pelatihan_cli.services import audit

AK1_MAX = 40
#: a programme counts a card issued in its window or up to this many days after its end
AFTER_WINDOW_DAYS = 90
#: what an erased person's card numbers become (the card and its date stay for the counts)
ERASED_NUMBER = "(erased)"

__all__ = ["ak1_key", "clean_number", "check_issue_date", "holder", "record", "cards_of", "latest_sql",
           "count_ak1", "count_ak1_sql", "erase_cards"]


def clean_number(number: object, *, field: str = "ak1_number") -> str:
    """The number as printed on the card, trimmed; refuses empty, too long or keyless text."""
    clean = clean_text(None if number is None else str(number), field=field, limit=AK1_MAX)
    if not clean or not ak1_key(clean):
        raise ValidationError("AK1 number is empty; give the number as printed on the card.", field=field,
                              value=number)
    return clean


def check_issue_date(day: dt.date, today: dt.date, *, value: object = None, field: str = "ak1_date") -> dt.date:
    """An issue date is neither in the future nor before 1900."""
    if day > today:
        raise ValidationError(f"AK1 date {day.isoformat()} is in the future; give the date the card was made.",
                              field=field, value=value if value is not None else day.isoformat())
    if day.year < 1900:
        raise ValidationError(f"AK1 date {day.isoformat()} is before 1900; give the date the card was made.",
                              field=field, value=value if value is not None else day.isoformat())
    return day


def short_name(name: str | None) -> str:
    """'Sri Suryani' -> 'Sri S.': enough for the operator to recognise, not the whole name."""
    words = (name or "").split()
    if not words:
        return "(erased)"
    return " ".join([words[0], *(w[0].upper() + "." for w in words[1:])])


def who(nik: str | None, name: str | None) -> str:
    return f"{short_name(name)} ({mask_nik(nik) or 'erased'})"


def holder(db: Database, number: str) -> tuple[int, str | None, str | None] | None:
    """(participant id, nik, name) of whoever holds this number (legacy duplicates included)."""
    return db.conn.execute(
        "SELECT p.id, p.nik, p.name FROM ak1_card c JOIN participant p ON p.id = c.participant_id "
        "WHERE c.number_key = ? ORDER BY c.legacy_duplicate, c.id LIMIT 1", [ak1_key(number)]).fetchone()


def taken_message(number: str, nik: str | None, name: str | None) -> str:
    return (f"AK1 number {number!r} is already recorded for {who(nik, name)}; check the number on the card, "
            "or correct that person's card with `pelatihan participant ak1 NIK --remove NUMBER`.")


def insert_sql() -> str:
    return "INSERT INTO ak1_card (participant_id, number, number_key, issued_on) VALUES (?, ?, ?, ?)"


def _find_person(db: Database, nik_text: str) -> tuple[int, str, str]:
    from pelatihan_cli.services.participants import find

    return find(db, nik_text)


def _card(db: Database, pid: int, number: str):
    return db.conn.execute(
        "SELECT id, number, issued_on, legacy_duplicate FROM ak1_card WHERE participant_id = ? AND number_key = ?",
        [pid, ak1_key(number)]).fetchone()


def record(db: Database, nik_text: str, number: str | None = None, date: str | dt.date | None = None, *,
           replace: str | None = None, remove: str | None = None, today: dt.date | None = None) -> dict:
    """`participant ak1`: add a card (number, issue date: default today), replace a mistyped
    one (`replace` = its number) or remove one (`remove`), in one audited transaction.

    The same number again for the same person is 'unchanged' (its missing date is filled);
    a number another person holds is refused naming them. Returns {name, status, number,
    issued_on, removed, cards}; status is 'added', 'replaced', 'removed', 'updated' or
    'unchanged'."""
    from pelatihan_cli.services import clock

    today = today or clock.today()
    if remove is not None and (number is not None or replace is not None):
        raise ValidationError("Give either --remove NUMBER, or --number (with --replace OLD to correct a card).",
                              field="remove", value=remove)
    if remove is None and number is None:
        raise ValidationError("Give the card's --number (and --date), or --remove NUMBER.", field="number")
    clean = clean_number(number, field="number") if number is not None else None
    day = None
    if clean is not None:
        day = check_issue_date(parse_date(date, field="date") if date else today, today, value=date, field="date")
    with write_transaction(db):
        pid, _nik, name = _find_person(db, nik_text)
        old = None
        old_number = remove if remove is not None else replace
        if old_number is not None:
            old = _card(db, pid, old_number)
            if old is None:
                held = [r[0] for r in db.conn.execute(
                    "SELECT number FROM ak1_card WHERE participant_id = ? ORDER BY issued_on, id", [pid])]
                raise NotFound(f"{name} holds no AK1 card {old_number!r} (cards: {', '.join(held) or 'none'}).")
        status = "unchanged"
        if old is not None:
            if clean is not None:
                other = holder(db, clean)
                if other is not None and other[0] != pid:
                    raise Conflict(taken_message(clean, other[1], other[2]))
            db.conn.execute("DELETE FROM ak1_card WHERE id = ?", [old[0]])
            status = "replaced" if clean is not None else "removed"
        if clean is not None:
            other = holder(db, clean)
            if other is not None and other[0] != pid:
                raise Conflict(taken_message(clean, other[1], other[2]))
            mine = _card(db, pid, clean)
            if mine is None:
                db.conn.execute(insert_sql(), [pid, clean, ak1_key(clean), day.isoformat()])
                if status == "unchanged":
                    status = "added"
            elif mine[2] is None and date:
                db.conn.execute("UPDATE ak1_card SET issued_on = ? WHERE id = ?", [day.isoformat(), mine[0]])
                status = "updated" if status == "unchanged" else status
            else:
                day = dt.date.fromisoformat(mine[2]) if mine[2] else None
        if status != "unchanged":
            audit.record(db, "participant.ak1", {"participants": 1, "cards_added": int(status in ("added", "replaced")),
                                                 "cards_removed": int(old is not None)})
        cards = cards_of(db, pid)
    removed = old[1] if old is not None else None
    return {"name": name, "status": status, "number": clean, "issued_on": day.isoformat() if day else None,
            "removed": removed, "cards": cards}


def cards_of(db: Database, pid: int) -> list[dict]:
    """The person's cards, oldest first: number, issued_on, legacy_duplicate (and a hint)."""
    out = []
    for number, issued, legacy in db.conn.execute(
            "SELECT number, issued_on, legacy_duplicate FROM ak1_card WHERE participant_id = ? "
            "ORDER BY issued_on IS NULL, issued_on, id", [pid]):
        card = {"number": number, "issued_on": issued, "legacy_duplicate": bool(legacy)}
        if legacy:
            card["hint"] = ("another person holds the same number (recorded twice by the first version): check "
                            "the card and correct it with `pelatihan participant ak1 NIK --number NEW --replace "
                            f"{number}` or `--remove {number}`")
        out.append(card)
    return out


def latest_sql(column: str = "number", person: str = "p.id") -> str:
    """A scalar subquery: the `column` (number or issued_on) of the person's latest card."""
    assert column in ("number", "issued_on")
    return (f"(SELECT c.{column} FROM ak1_card c WHERE c.participant_id = {person} "
            "ORDER BY c.issued_on IS NULL, c.issued_on DESC, c.id DESC LIMIT 1)")


def count_ak1_sql() -> str:
    """SQL of the people a programme counts for AK1, one row each: (participant_id,
    kelurahan_id of their session). Parameter :programme (the programme's id).

    A person counts once when they hold an active enrollment (enrolled, not cancelled) in
    one of the programme's sessions that is not cancelled, and a card issued within the
    programme's window or up to 90 days after its end. A card without an issue date
    does not count (nobody can say which programme it belongs to)."""
    return f"""
        SELECT e.participant_id, min(s.kelurahan_id) AS kelurahan_id
        FROM enrollment e
        JOIN session s ON s.id = e.session_id
        JOIN programme g ON g.id = s.programme_id
        WHERE s.programme_id = :programme AND s.status != 'cancelled'
          AND e.status = 'enrolled' AND e.cancelled = 0
          AND EXISTS (SELECT 1 FROM ak1_card c WHERE c.participant_id = e.participant_id
                      AND c.issued_on BETWEEN g.start_date AND date(g.end_date, '+{AFTER_WINDOW_DAYS} days'))
        GROUP BY e.participant_id
    """


def count_ak1(db: Database, programme_id: int) -> dict:
    """{'total': n, 'by_kelurahan': {kelurahan_id: n}} of the people a programme counts for AK1
    (see count_ak1_sql): each person once, in the kelurahan of their session."""
    by_kelurahan: dict[int, int] = {}
    for _pid, kid in db.conn.execute(count_ak1_sql(), {"programme": programme_id}):
        by_kelurahan[kid] = by_kelurahan.get(kid, 0) + 1
    return {"total": sum(by_kelurahan.values()), "by_kelurahan": by_kelurahan}


def erase_cards(db: Database, pid: int) -> int:
    """Anonymise an erased person's card numbers; the cards and their dates stay, so that
    the reports count them as before. Returns the number of cards."""
    return db.conn.execute(
        "UPDATE ak1_card SET number = ?, number_key = 'ERASED-' || id, legacy_duplicate = 0 "
        "WHERE participant_id = ?", [ERASED_NUMBER, pid]).rowcount
