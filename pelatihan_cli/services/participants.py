"""The participant registry: list, show, correct a record, record the AK1 card.

Enrollment itself (and its rules) is in services/enrollment.py. Everything returned for
display is masked (NIK, phone, birth date) unless show_nik is set; that use is logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain import eligibility as rules
from pelatihan_cli.domain import lifecycle
from pelatihan_cli.domain.dates import parse_date
from pelatihan_cli.domain.nik import Nik, clean_nik, decode_birth_date, parse_nik, region_warning
from pelatihan_cli.domain.person import SEX_LABEL, age_band, age_on, clean_person_name, clean_text, parse_sex
from pelatihan_cli.domain.phone import parse_phone
from pelatihan_cli.domain.privacy import mask_account, mask_birth_date, mask_nik, phone_for_display
from pelatihan_cli.errors import Conflict, NotFound, ValidationError
from pelatihan_cli.region_codes import nik_regions
from pelatihan_cli.services import ak1, audit, clock
from pelatihan_cli.services.enrollment import Enroller, session_facts

LIST_COLUMNS = ["nik", "name", "sex", "birth_date", "age", "kelurahan", "phone",
                "session_id", "programme", "status", "position", "ak1_number", "attended", "completed"]
# 'cancelled': an enrollment kept as history in a cancelled session (enrollment.cancelled)
STATUSES = ("enrolled", "waitlisted", "withdrawn", "cancelled")

# the position is the rank by first-come seq among the session's rows of the same status,
# counted on the enrollment_session index (session_id, status, seq) for each row: a
# filtered listing (one kelurahan, one person) touches only its own rows, never the
# whole enrollment table as a window function over it would
_POSITIONED = """
    SELECT e.*, CASE WHEN e.status = 'withdrawn' OR e.cancelled = 1 THEN NULL ELSE
        (SELECT count(*) FROM enrollment x
         WHERE x.session_id = e.session_id AND x.status = e.status AND x.seq <= e.seq) END AS position,
        CASE WHEN e.cancelled = 1 AND e.status != 'withdrawn' THEN 'cancelled' ELSE e.status END AS shown_status,
        (SELECT count(*) FROM attendance a WHERE a.enrollment_id = e.id AND a.present = 1) AS present_days
    FROM enrollment e
"""


def _attendance(status: str | None, present: int | None, days: int | None) -> tuple[str | None, bool | None, str]:
    """(attended '2/2', completed, note) of an enrollment row; (None, None, '') without one."""
    if status is None or days is None:
        return None, None, ""
    completed = status != "cancelled" and present >= days
    note = lifecycle.enrollment_note(status, present, days, completed, cancelled=status == "cancelled")
    return lifecycle.attended(present, days), completed, note


def _present(nik, birth, phone, show_nik: bool) -> tuple:
    shown_phone = phone_for_display(phone, reveal=show_nik)
    if show_nik:
        return nik, birth, shown_phone
    return mask_nik(nik), mask_birth_date(birth), shown_phone


def find(db: Database, nik_text: str) -> tuple:
    """(id, nik, name) of a registered person, or NotFound naming the NIK as typed."""
    nik = clean_nik(nik_text)
    row = db.conn.execute("SELECT id, nik, name FROM participant WHERE nik = ?", [nik]).fetchone()
    if row is None:
        raise NotFound(f"No participant with NIK {nik_text!r}; see `pelatihan participant list --search NAME`.")
    return row


def list_participants(db: Database, *, session_id: int | None = None, kelurahan: str | None = None,
                      status: str | None = None, search: str | None = None, show_nik: bool = False,
                      today: dt.date | None = None, programme_id: int | None = None) -> list[dict]:
    """One row per enrollment (a registered person without one appears once, with no session).
    Keys: LIST_COLUMNS. `age` is on the session's first day (today without a session)."""
    from pelatihan_cli.services import kelurahan as kel

    today = today or clock.today()
    # one session's list shows its erased people too (no name, no NIK), so that its count
    # agrees with `session show` and the roster; other lists leave them out
    where, params = ["p.erased_at IS NULL"] if session_id is None else [], []
    if session_id is not None:
        session_facts(db, session_id)  # unknown session -> clear error
        where.append("r.session_id = ?")
        params.append(int(session_id))
    if kelurahan:
        where.append("p.kelurahan_id = ?")
        params.append(kel.resolve(db, kelurahan).id)
    if programme_id is not None:  # enrollments in the programme's sessions only
        where.append("s.programme_id = ?")
        params.append(programme_id)
    if status:
        if status not in STATUSES:
            raise ValidationError(f"Status {status!r} is not one of {', '.join(STATUSES)}.", field="status", value=status)
        where.append("r.shown_status = ?")
        params.append(status)
    if search and search.strip():
        text = search.strip()
        digits = text.replace(" ", "").replace(".", "")
        cond = "p.name LIKE ? ESCAPE '\\'"
        params.append("%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        if digits.isdigit():
            cond += " OR p.nik LIKE ?"
            params.append(f"%{digits}%")
        where.append(f"({cond})")
    sql = f"""
        WITH r AS ({_POSITIONED})
        SELECT p.nik, p.name, p.sex, p.birth_date, k.id, p.phone, r.session_id, r.shown_status, r.position,
               {ak1.latest_sql('number')}, s.start_date, r.present_days, s.days, pr.name
        FROM participant p
        LEFT JOIN r ON r.participant_id = p.id
        LEFT JOIN session s ON s.id = r.session_id
        LEFT JOIN programme pr ON pr.id = s.programme_id
        LEFT JOIN kelurahan k ON k.id = p.kelurahan_id
        WHERE {' AND '.join(where)}
        ORDER BY r.session_id IS NULL, r.session_id,
                 CASE r.shown_status WHEN 'enrolled' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END, r.position, p.name
    """
    rows = []
    places = _place_names(db)
    for nik, name, sex, birth, kid, phone, sid, st, pos, ak1_no, start, present, days, prog in db.conn.execute(sql, params):
        kname = places.get(kid)
        attended, completed, _note = _attendance(st, present, days)
        on = dt.date.fromisoformat(start) if start else today
        age = age_on(dt.date.fromisoformat(birth), on) if birth else None
        nik_out, birth_out, phone_out = _present(nik, birth, phone, show_nik)
        rows.append({"nik": nik_out, "name": name, "sex": sex, "birth_date": birth_out, "age": age,
                     "kelurahan": kname, "phone": phone_out, "session_id": sid, "programme": prog, "status": st,
                     "position": pos, "ak1_number": ak1_no, "attended": attended, "completed": completed})
    if show_nik and rows:
        audit.record_reveal(db, "participant.list.show_nik", {"rows": len(rows)})
    return rows


def _place_names(db: Database) -> dict[int, str]:
    """{kelurahan id: shown name}: 'Purwosari (Mijen)' where the name alone is ambiguous."""
    from pelatihan_cli.services.kelurahan import display_names

    names = dict(db.execute("SELECT id, name FROM kelurahan").fetchall())
    names.update(display_names(db))
    return names


def show(db: Database, nik_text: str, *, show_nik: bool = False) -> dict:
    """One person and their enrollments (newest session first)."""
    pid = find(db, nik_text)[0]
    p = db.conn.execute(
        "SELECT p.nik, p.name, p.sex, p.birth_date, p.address, k.name, p.phone, "
        f"{ak1.latest_sql('number')}, {ak1.latest_sql('issued_on')}, "
        "p.nik_mismatch_accepted, p.age_band, p.created_at, p.updated_at, p.birth_place, p.work_status, "
        "p.bank_account FROM participant p LEFT JOIN kelurahan k ON k.id = p.kelurahan_id WHERE p.id = ?",
        [pid]).fetchone()
    nik, birth, phone = _present(p[0], p[3], p[6], show_nik)
    enrollments = []
    for sid, kname, skill, start, st, pos, outside, reason, cap, present, days in db.conn.execute(
            f"""WITH r AS ({_POSITIONED})
                SELECT r.session_id, k.name, sk.name, s.start_date, r.shown_status, r.position, r.outside_domicile,
                       r.withdraw_reason, s.capacity, r.present_days, s.days
                FROM r JOIN session s ON s.id = r.session_id JOIN kelurahan k ON k.id = s.kelurahan_id
                JOIN skill sk ON sk.id = s.skill_id
                WHERE r.participant_id = ? ORDER BY s.start_date DESC, r.seq DESC""", [pid]):
        attended, completed, note = _attendance(st, present, days)
        enrollments.append({"session_id": sid, "kelurahan": kname, "skill": skill, "start_date": start,
                            "status": st, "position": pos, "capacity": cap, "outside_domicile": bool(outside),
                            "withdraw_reason": reason, "attended": attended, "completed": completed,
                            "record": note})
    if show_nik:
        audit.record_reveal(db, "participant.show.show_nik", {"rows": 1})
    return {"nik": nik, "name": p[1], "sex": p[2], "sex_label": SEX_LABEL.get(p[2]), "birth_date": birth,
            "address": p[4], "kelurahan": p[5], "phone": phone, "ak1_number": p[7], "ak1_date": p[8],
            "ak1_cards": ak1.cards_of(db, pid),
            "nik_mismatch_accepted": bool(p[9]), "age_band": p[10], "created_at": p[11], "updated_at": p[12],
            # printed on certificates / the tracer study's baseline / honorarium transfers (masked)
            "birth_place": p[13], "work_status": p[14],
            "bank_account": p[15] if show_nik else mask_account(p[15]),
            "enrollments": enrollments}


@dataclass
class UpdateResult:
    name: str
    changed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def message(self) -> str:
        if not self.changed:
            return f"{self.name}: nothing changed."
        return f"Updated {self.name}: {', '.join(self.changed)}."


def _reference_day(db: Database, pid: int, today: dt.date) -> dt.date:
    """The first day of the person's latest session (their age there is what counts)."""
    row = db.conn.execute(
        "SELECT max(s.start_date) FROM enrollment e JOIN session s ON s.id = e.session_id "
        "WHERE e.participant_id = ?", [pid]).fetchone()
    return dt.date.fromisoformat(row[0]) if row and row[0] else today


def update(db: Database, nik_text: str, *, name: str | None = None, phone: str | None = None,
           address: str | None = None, birth_date: str | dt.date | None = None, sex: str | None = None,
           kelurahan: str | None = None, accept_nik_mismatch: bool = False, allow_outside: bool = False,
           new_nik: str | None = None, today: dt.date | None = None, birth_place: str | None = None,
           work_status: str | None = None, bank_account: str | None = None) -> UpdateResult:
    """Correct a record; every given value is validated as at enrollment, and the person's
    active enrollments must still satisfy the age and domicile rules. An empty --phone or
    --address clears it. `new_nik` corrects a mistyped NIK: it must be a valid NIK that
    agrees with the birth date and sex (unless accept_nik_mismatch) and that nobody else
    holds (two records of one person are merged with `participant merge`)."""
    if all(v is None for v in (name, phone, address, birth_date, sex, kelurahan, new_nik, birth_place, work_status,
                               bank_account)):
        raise ValidationError(
            "Nothing to update: give at least one of --name, --phone, --address, --birth-date, --sex, --kelurahan, "
            "--birth-place, --work-status, --bank-account, --new-nik.")
    today = today or clock.today()
    with write_transaction(db):
        pid = find(db, nik_text)[0]
        cols = ["name", "birth_date", "sex", "address", "kelurahan_id", "phone", "nik_mismatch_accepted", "age_band", "nik",
                "birth_place", "work_status", "bank_account"]
        stored = dict(zip(cols, db.conn.execute(f"SELECT {', '.join(cols)} FROM participant WHERE id = ?", [pid]).fetchone()))
        ref = _reference_day(db, pid, today)
        # decoded, not re-checked: a stored NIK that today's rules refuse (a regency number
        # 99, say) must stay correctable with --new-nik
        nik = Nik(stored["nik"], *decode_birth_date(stored["nik"], ref))
        new: dict = {}
        warnings: list[str] = []
        if name is not None:
            new["name"] = clean_person_name(name)
        if phone is not None:
            new["phone"] = parse_phone(phone)
        if address is not None:
            new["address"] = clean_text(address, field="address")
        if birth_place is not None:
            new["birth_place"] = clean_text(birth_place, field="birth_place", limit=60)
        if bank_account is not None:  # for offices that pay allowances by transfer ('' clears it)
            new["bank_account"] = " ".join(bank_account.split()) or None
        if work_status is not None:
            from pelatihan_cli.domain.outcomes import parse_work_status

            new["work_status"] = parse_work_status(work_status, field="work_status")
        birth_in = None if birth_date is None else parse_date(birth_date, field="birth_date")
        sex_in = None if sex is None else parse_sex(sex)
        if birth_in is not None or sex_in is not None:
            birth, sx, warnings = rules.check_nik_agreement(
                nik, birth_in, sex_in, accept_mismatch=accept_nik_mismatch, nik_text=nik_text,
                birth_text=birth_date if isinstance(birth_date, str) else None, sex_text=sex)
            if birth_in is not None:
                new["birth_date"] = birth.isoformat()
            if sex_in is not None:
                new["sex"] = sx
            if warnings:
                new["nik_mismatch_accepted"] = 1
        if new_nik is not None:
            warnings += _check_new_nik(db, new_nik, nik_text, stored, new, ref, accept_nik_mismatch)
        enroller = Enroller(db, today=today)
        if kelurahan is not None:
            new["kelurahan_id"] = enroller.kelurahan(kelurahan)[0]
        birth_eff = dt.date.fromisoformat(new.get("birth_date") or stored["birth_date"])
        dom_id = new.get("kelurahan_id", stored["kelurahan_id"])
        active = db.conn.execute(
            "SELECT e.id, e.session_id, e.outside_domicile FROM enrollment e WHERE e.participant_id = ? "
            "AND e.status IN ('enrolled', 'waitlisted')", [pid]).fetchall()
        newly_outside = []
        for eid, sid, outside in active:
            s = enroller.session(sid)
            if "birth_date" in new:
                rules.check_age(birth_eff, s, enroller.age_min, enroller.age_max, value=birth_date)
            if "kelurahan_id" in new and dom_id is not None and not outside:
                if rules.check_domicile(dom_id, enroller.kelurahan_name(dom_id), s, allow_outside=allow_outside,
                                        value=kelurahan):
                    newly_outside.append(eid)
        new["age_band"] = age_band(age_on(birth_eff, ref))
        changed = {k: v for k, v in new.items() if stored.get(k) != v}
        shown = stored["name"] if "name" not in changed else new["name"]
        result = UpdateResult(shown, [("kelurahan" if k == "kelurahan_id" else k) for k in changed
                                      if k not in ("age_band", "nik_mismatch_accepted")], warnings)
        if changed:
            writes = dict(changed)
            if "name" in changed:   # the possible-duplicate key follows the name
                from pelatihan_cli.domain.names import person_name_key

                writes["person_key"] = person_name_key(changed["name"])
            sets = ", ".join(f"{k} = ?" for k in writes)
            db.conn.execute(f"UPDATE participant SET {sets}, updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') "
                            "WHERE id = ?", [*writes.values(), pid])
            for eid in newly_outside:
                db.conn.execute("UPDATE enrollment SET outside_domicile = 1 WHERE id = ?", [eid])
            audit.record(db, "participant.update", {"participants": 1, "fields": len(changed),
                                                    "outside_domicile": len(newly_outside)})
    return result


def _check_new_nik(db: Database, new_nik: str, nik_text: str, stored: dict, new: dict, ref: dt.date,
                   accept_mismatch: bool) -> list[str]:
    """Validate a corrected NIK into new['nik']; returns mismatch and region warnings."""
    regions = nik_regions()
    candidate = parse_nik(new_nik, on=ref, regions=regions)
    if candidate.value == stored["nik"]:
        return []
    other = db.conn.execute("SELECT name FROM participant WHERE nik = ?", [candidate.value]).fetchone()
    if other is not None:
        raise Conflict(
            f"NIK {new_nik!r} is already registered, for {ak1.short_name(other[0])}; if both records are the "
            f"same person, merge them: `pelatihan participant merge {candidate.value} {nik_text}`.")
    birth = dt.date.fromisoformat(new.get("birth_date") or stored["birth_date"])
    sex = new.get("sex", stored["sex"])
    _b, _s, warnings = rules.check_nik_agreement(candidate, birth, sex, accept_mismatch=accept_mismatch,
                                                 nik_text=new_nik)
    if warnings:
        new["nik_mismatch_accepted"] = 1
    new["nik"] = candidate.value
    region = region_warning(candidate.value, regions)
    return warnings + [region] if region else warnings


def record_ak1(db: Database, nik_text: str, number: str, date: str | dt.date | None = None,
               *, today: dt.date | None = None) -> dict:
    """Record one of the person's AK1 cards (see services/ak1.record, which also corrects)."""
    r = ak1.record(db, nik_text, number, date, today=today)
    return {"name": r["name"], "ak1_number": r["number"], "ak1_date": r["issued_on"], "status": r["status"]}
