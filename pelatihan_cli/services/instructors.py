"""Instructors: who teaches which skills, and on which days they are booked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain.names import clean_name, did_you_mean, name_key
from pelatihan_cli.errors import Conflict, NotFound, RowErrors, ValidationError
from pelatihan_cli.domain.privacy import phone_for_display
from pelatihan_cli.services import audit, skills as skills_service

IMPORT_COLUMNS = ["name", "skills", "phone"]

# a session `s` that still holds its instructors: planned or running (not done, not cancelled)
_BLOCKING = "s.status != 'cancelled' AND ? <= (SELECT max(x.date) FROM session_day x WHERE x.session_id = s.id)"


def _blocking_params() -> list:
    from pelatihan_cli.services import clock

    return [clock.today().isoformat()]


@dataclass(frozen=True)
class Instructor:
    id: int
    name: str
    phone: str | None
    archived_at: str | None = None   # removed after teaching sessions that are kept


def _phone(text: str | None) -> str | None:
    from pelatihan_cli.domain.phone import parse_phone

    return parse_phone(text)


def clean_instructor_name(text: str | None) -> str:
    name = clean_name(text or "")
    if not name_key(name):
        raise ValidationError("The instructor's name is empty; give a name.", field="name", value=text)
    return name


def find(db: Database, name: str) -> Instructor | None:
    row = db.execute("SELECT id, name, phone, archived_at FROM instructor WHERE name_key = ?",
                     [name_key(name)]).fetchone()
    return Instructor(*row) if row else None


def resolve(db: Database, name: str, *, planning: bool = False) -> Instructor:
    """An instructor by name (case and spaces ignored), or NotFound offering close names.
    `planning`: an archived instructor is refused (hidden from planning)."""
    ins = find(db, name)
    if ins is None:
        known = [r[0] for r in db.execute(
            "SELECT name FROM instructor WHERE archived_at IS NULL OR ? ORDER BY name", [int(not planning)])]
        hint = did_you_mean(name, known) or " See `pelatihan instructor list`."
        raise NotFound(f"Unknown instructor {name!r}.{hint}")
    if planning and ins.archived_at:
        raise Conflict(f"Instructor {ins.name!r} was removed on {ins.archived_at[:10]} (archived: kept on the "
                       "sessions they taught); add them again with `pelatihan instructor add` to plan them.")
    return ins


def skills_of(db: Database, instructor_id: int) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT s.name FROM instructor_skill x JOIN skill s ON s.id = x.skill_id "
        "WHERE x.instructor_id = ? ORDER BY s.name_key", [instructor_id])]


def _skill_names(values: Sequence[str]) -> list[str]:
    names: list[str] = []
    keys: set[str] = set()
    for v in values:
        for part in str(v).split(";"):
            if not part.strip():
                continue
            n = skills_service.clean_skill(part)
            if name_key(n) not in keys:
                keys.add(name_key(n))
                names.append(n)
    if not names:
        raise ValidationError("Give at least one skill the instructor teaches, e.g. --skill Merajut.",
                              field="skill", value="")
    return names


def add(db: Database, name: str, skills: Sequence[str], phone: str | None = None, *,
        allow_new: bool = False) -> dict:
    """Add an instructor who teaches `skills` (new skill names are kept; one close to a
    stored skill is refused unless allow_new)."""
    name = clean_instructor_name(name)
    skill_names = _skill_names(skills)
    phone_e164 = _phone(phone)
    with write_transaction(db):
        existing = find(db, name)
        if existing and existing.archived_at:
            return _restore(db, existing, skill_names, phone_e164, allow_new=allow_new)
        if existing:
            raise Conflict(f"Instructor {existing.name!r} already exists; names must be unique. "
                           f"To add skills or change the phone, use `pelatihan instructor update {existing.name!r} "
                           "--add-skill ... --phone ...`.")
        cur = db.execute("INSERT INTO instructor (name, name_key, phone) VALUES (?, ?, ?)",
                         [name, name_key(name), phone_e164])
        new_skills = 0
        for s in skill_names:
            skill, created = skills_service.get_or_create(db, s, allow_new=allow_new)
            new_skills += created
            db.execute("INSERT INTO instructor_skill (instructor_id, skill_id) VALUES (?, ?)", [cur.lastrowid, skill.id])
        audit.record(db, "instructor.add", {"instructor": 1, "skill": new_skills})
    return {"name": name, "skills": sorted(skill_names, key=name_key), "new_skills": new_skills}


def _restore(db: Database, ins: Instructor, skill_names: Sequence[str], phone: str | None, *,
             allow_new: bool) -> dict:
    """`instructor add` of an archived instructor: back in planning, with the skills given
    added to the stored ones (and the phone, when given). Inside add's transaction."""
    db.execute("UPDATE instructor SET archived_at = NULL, phone = coalesce(?, phone) WHERE id = ?", [phone, ins.id])
    new_skills = 0
    for s in skill_names:
        skill, created = skills_service.get_or_create(db, s, allow_new=allow_new)
        new_skills += created
        db.execute("INSERT OR IGNORE INTO instructor_skill (instructor_id, skill_id) VALUES (?, ?)", [ins.id, skill.id])
    audit.record(db, "instructor.add", {"instructor": 1, "skill": new_skills, "restored": 1})
    return {"name": ins.name, "skills": skills_of(db, ins.id), "new_skills": new_skills, "restored": True}


TAX_CATEGORIES = ("non-pns", "no-npwp", "pns")
GOLONGAN = ("I", "II", "III", "IV")


def _tax_values(category: str | None, golongan: str | None) -> tuple[str | None, str | None]:
    """Checked (category, golongan): golongan I-IV (or 1-4) only for a civil servant ('pns')."""
    cat = category.strip().lower() if category is not None else None
    if cat is not None and cat not in TAX_CATEGORIES:
        raise ValidationError(f"--tax-category must be one of {', '.join(TAX_CATEGORIES)}, not {category!r}.",
                              field="--tax-category", value=category)
    gol = None
    if golongan is not None and golongan.strip():
        g = golongan.strip().upper()
        g = {"1": "I", "2": "II", "3": "III", "4": "IV"}.get(g, g)
        if g not in GOLONGAN:
            raise ValidationError(f"--golongan must be I, II, III or IV, not {golongan!r}.", field="--golongan",
                                  value=golongan)
        gol = g
    return cat, gol


def update(db: Database, name: str, *, add_skills: Sequence[str] = (), remove_skills: Sequence[str] = (),
           phone: str | None = None, rename: str | None = None, allow_new: bool = False,
           tax_category: str | None = None, golongan: str | None = None, bank_account: str | None = None) -> dict:
    """Change an instructor's skills, phone and/or name, in one transaction.

    New skill names are kept. A skill cannot be removed while the instructor is booked on a
    planned session of it, nor the last one. `phone=""` clears the phone. A rename must not
    take another instructor's name. Returns {name, old_name, skills, added, removed, new_skills,
    changed}; changed is empty when everything already had these values."""
    if (not add_skills and not remove_skills and phone is None and rename is None and tax_category is None
            and golongan is None and bank_account is None):
        raise ValidationError("Nothing to change: give --add-skill, --remove-skill, --phone, --rename, "
                              "--tax-category, --golongan and/or --bank-account.", field="instructor", value=name)
    new_category, new_golongan = _tax_values(tax_category, golongan)
    adding = _skill_names(add_skills) if add_skills else []
    removing = _skill_names(remove_skills) if remove_skills else []
    both = {name_key(n) for n in adding} & {name_key(n) for n in removing}
    if both:
        twice = next(n for n in adding if name_key(n) in both)
        raise ValidationError(f"Skill {twice!r} is given to both --add-skill and --remove-skill; give it once.",
                              field="skill", value=twice)
    new_phone = _phone(phone) if phone is not None else None
    new_name = clean_instructor_name(rename) if rename is not None else None
    changed: list[str] = []
    added: list[str] = []
    removed: list[str] = []
    new_skills = 0
    with write_transaction(db):
        ins = resolve(db, name)
        if new_name is not None and new_name != ins.name:
            other = find(db, new_name)
            if other is not None and other.id != ins.id:
                raise Conflict(f"Cannot rename {ins.name!r} to {new_name!r}: instructor {other.name!r} already "
                               "exists; names must be unique. Choose another name.")
            db.execute("UPDATE instructor SET name = ?, name_key = ? WHERE id = ?",
                       [new_name, name_key(new_name), ins.id])
            changed.append("name")
        taught = {name_key(t): t for t in skills_of(db, ins.id)}
        for s in removing:
            stored = taught.get(name_key(s))
            if stored is None:
                raise ValidationError(
                    f"Instructor {ins.name!r} does not teach {s!r} (teaches: {', '.join(taught.values()) or 'nothing'}); "
                    "nothing to remove.", field="--remove-skill", value=s)
            booked = db.execute(
                f"""SELECT s.id, k.name, s.start_date FROM session_instructor si JOIN session s ON s.id = si.session_id
                   JOIN kelurahan k ON k.id = s.kelurahan_id JOIN skill sk ON sk.id = s.skill_id
                   WHERE si.instructor_id = ? AND sk.name_key = ? AND {_BLOCKING}
                   ORDER BY s.start_date, s.id""", [ins.id, name_key(s), *_blocking_params()]).fetchall()
            if booked:
                sid, kel, start = booked[0]
                more = f" and {len(booked) - 1} more" if len(booked) > 1 else ""
                raise Conflict(
                    f"Cannot remove {stored!r} from instructor {ins.name!r}: they are booked on session "
                    f"{sid} ({kel} · {stored}, from {start}){more}; give it another instructor "
                    f"(`pelatihan session update {sid} --instructor ...`) or cancel it first.")
            db.execute("DELETE FROM instructor_skill WHERE instructor_id = ? AND skill_id = "
                       "(SELECT id FROM skill WHERE name_key = ?)", [ins.id, name_key(s)])
            del taught[name_key(s)]
            removed.append(stored)
        for s in adding:
            if name_key(s) in taught:
                continue
            skill, created = skills_service.get_or_create(db, s, allow_new=allow_new)
            new_skills += created
            db.execute("INSERT INTO instructor_skill (instructor_id, skill_id) VALUES (?, ?)", [ins.id, skill.id])
            taught[name_key(s)] = skill.name
            added.append(skill.name)
        if not taught:
            raise ValidationError(
                f"Instructor {ins.name!r} would teach no skill; add one with --add-skill, or remove the "
                "instructor with `pelatihan instructor remove`.", field="--remove-skill", value="; ".join(removing))
        if added or removed:
            changed.append("skills")
        if phone is not None and new_phone != ins.phone:
            db.execute("UPDATE instructor SET phone = ? WHERE id = ?", [new_phone, ins.id])
            changed.append("phone")
        old_tax = db.execute("SELECT tax_category, golongan, bank_account FROM instructor WHERE id = ?",
                             [ins.id]).fetchone()
        cat = new_category or old_tax[0]
        gol = new_golongan if golongan is not None else old_tax[1]
        if cat != "pns":
            if new_golongan:
                raise ValidationError("--golongan is for a civil servant: give --tax-category pns with it.",
                                      field="--golongan", value=golongan)
            gol = None
        elif gol is None:
            raise ValidationError("A civil servant (pns) needs a golongan: add --golongan I, II, III or IV.",
                                  field="--golongan")
        account = old_tax[2] if bank_account is None else (" ".join(bank_account.split()) or None)
        if (cat, gol) != tuple(old_tax[:2]):
            db.execute("UPDATE instructor SET tax_category = ?, golongan = ? WHERE id = ?", [cat, gol, ins.id])
            changed.append("tax")
        if account != old_tax[2]:
            db.execute("UPDATE instructor SET bank_account = ? WHERE id = ?", [account, ins.id])
            changed.append("bank_account")
        if changed:
            money = {k: 1 for k in ("tax", "bank_account") if k in changed}  # issue 15
            audit.record(db, "instructor.update", {**money, "instructor": 1, "skill_added": len(added),
                                                   "skill_removed": len(removed), "new_skills": new_skills,
                                                   "phone": int("phone" in changed), "renamed": int("name" in changed)})
    return {"name": new_name if "name" in changed else ins.name, "old_name": ins.name,
            "skills": sorted(taught.values(), key=name_key), "added": added, "removed": removed,
            "new_skills": new_skills, "changed": changed}


def list_instructors(db: Database, skill: str | None = None, *, show_phone: bool = False,
                     include_archived: bool = False) -> list[dict]:
    """Rows: name, phone (masked unless show_phone), skills, sessions (planned or running),
    booked_days, archived (the date, or None). Archived instructors only with include_archived."""
    where, params = ["(i.archived_at IS NULL OR ?)"], [int(include_archived)]
    if skill:
        sk = skills_service.resolve(db, skill)
        where.append("i.id IN (SELECT instructor_id FROM instructor_skill WHERE skill_id = ?)")
        params.append(sk.id)
    sql = f"""
        SELECT i.id, i.name, i.phone,
            (SELECT count(*) FROM session_instructor si JOIN session s ON s.id = si.session_id
              WHERE si.instructor_id = i.id AND {_BLOCKING}) AS sessions,
            (SELECT count(*) FROM instructor_day d WHERE d.instructor_id = i.id) AS booked_days,
            i.archived_at
        FROM instructor i WHERE {' AND '.join(where)} ORDER BY i.name_key
    """
    rows = db.execute(sql, [*_blocking_params(), *params]).fetchall()
    skill_map: dict[int, list[str]] = {}
    for iid, sname in db.execute(
        "SELECT x.instructor_id, s.name FROM instructor_skill x JOIN skill s ON s.id = x.skill_id ORDER BY s.name_key"
    ):
        skill_map.setdefault(iid, []).append(sname)
    out = [
        {"name": r[1], "phone": phone_for_display(r[2], reveal=show_phone), "skills": skill_map.get(r[0], []),
         "sessions": r[3], "booked_days": r[4], "archived": r[5][:10] if r[5] else None}
        for r in rows
    ]
    if show_phone and out:
        audit.record_reveal(db, "instructor.list.show_nik", {"rows": len(out)})
    return out


def show(db: Database, name: str, *, show_phone: bool = False) -> dict:
    """One instructor with skills, booked days (date, session, kelurahan, skill) and
    `archived` (the date they were removed, or None); archived instructors too."""
    ins = resolve(db, name)
    booked = [
        {"date": r[0], "session": r[1], "kelurahan": r[2], "skill": r[3]}
        for r in db.execute(
            """SELECT d.date, d.session_id, k.name, sk.name FROM instructor_day d
               JOIN session s ON s.id = d.session_id JOIN kelurahan k ON k.id = s.kelurahan_id
               JOIN skill sk ON sk.id = s.skill_id
               WHERE d.instructor_id = ? ORDER BY d.date""",
            [ins.id],
        )
    ]
    if show_phone:
        audit.record_reveal(db, "instructor.show.show_nik", {"rows": 1})
    category, golongan, account = db.execute(
        "SELECT tax_category, golongan, bank_account FROM instructor WHERE id = ?", [ins.id]).fetchone()
    hidden = "***"  # tax data is personal data: shown with --show-nik
    tax = {"tax_category": category if show_phone else hidden,
           "golongan": (golongan if show_phone else hidden) if golongan else None,
           "npwp": ("no" if category == "no-npwp" else "yes") if show_phone else hidden,
           "bank_account": (account if show_phone else "*" * max(len(account) - 4, 0) + account[-4:])
           if account else None}
    return {**tax, "name": ins.name, "phone": phone_for_display(ins.phone, reveal=show_phone),
            "skills": skills_of(db, ins.id), "booked_days": booked,
            "archived": ins.archived_at[:10] if ins.archived_at else None}


def remove(db: Database, name: str) -> dict:
    """Remove an instructor; refused while booked on a planned or running session.

    Links to cancelled sessions go. An instructor who taught done sessions is archived
    (hidden from planning and from `instructor list`, kept on those sessions' records);
    one who taught none is deleted. Returns {name, archived, done_sessions}."""
    with write_transaction(db):
        ins = resolve(db, name)
        if ins.archived_at:
            raise Conflict(f"Instructor {ins.name!r} was already removed on {ins.archived_at[:10]} (archived).")
        booked = db.execute(
            f"""SELECT s.id FROM session_instructor si JOIN session s ON s.id = si.session_id
               WHERE si.instructor_id = ? AND {_BLOCKING} ORDER BY s.start_date, s.id""",
            [ins.id, *_blocking_params()],
        ).fetchall()
        if booked:
            ids = ", ".join(str(r[0]) for r in booked[:5]) + (" ..." if len(booked) > 5 else "")
            raise Conflict(
                f"Instructor {ins.name!r} is booked on {len(booked)} planned or running session(s) ({ids}); "
                "cancel them or plan them with another instructor first."
            )
        cancelled_ids = "SELECT id FROM session WHERE status = 'cancelled'"
        db.execute(f"DELETE FROM instructor_day WHERE instructor_id = ? AND session_id IN ({cancelled_ids})",
                   [ins.id])
        cancelled = db.execute(
            f"DELETE FROM session_instructor WHERE instructor_id = ? AND session_id IN ({cancelled_ids})",
            [ins.id]).rowcount
        done = db.execute("SELECT count(*) FROM session_instructor WHERE instructor_id = ?", [ins.id]).fetchone()[0]
        if done:
            db.execute("UPDATE instructor SET archived_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE id = ?",
                       [ins.id])
        else:
            db.execute("DELETE FROM instructor_day WHERE instructor_id = ?", [ins.id])
            db.execute("DELETE FROM instructor_skill WHERE instructor_id = ?", [ins.id])
            db.execute("DELETE FROM instructor WHERE id = ?", [ins.id])
        audit.record(db, "instructor.remove", {"instructor": 1, "cancelled_session_links": cancelled,
                                               "archived": int(bool(done)), "done_sessions_kept": done})
    return {"name": ins.name, "archived": bool(done), "done_sessions": done}


def import_file(db: Database, path, *, dry_run: bool = False, **options) -> dict:
    """_import_file; `dry_run`: every row checked and counted as for real (audit entry
    included), then rolled back, so nothing is kept."""
    from pelatihan_cli.db import dry_run_transaction

    with dry_run_transaction(db, dry_run):
        counts = _import_file(db, path, **options)
    return {**counts, "dry_run": dry_run}


def _import_file(db: Database, path: Path | str, *, allow_new: bool = False) -> dict:
    """Add instructors from a file (name, skills separated by ';', phone), all or nothing.

    A stored instructor of the same name keeps their data and gains the listed skills
    they lack (and the phone when none was stored); a row that adds nothing is unchanged."""
    from pelatihan_cli.importing.table_file import read_rows

    rows = read_rows(path, required=["name", "skills"], known=IMPORT_COLUMNS)
    errors: list[dict] = []
    seen: dict[str, int] = {}
    counts = {"read": len(rows), "added": 0, "updated": 0, "unchanged": 0, "new_skills": 0}
    with write_transaction(db):
        for rowno, raw in rows:
            try:
                name = clean_instructor_name(raw.get("name"))
                key = name_key(name)
                if key in seen:
                    raise ValidationError(f"duplicate of row {seen[key]}", field="name", value=name)
                seen[key] = rowno
                skill_names = _skill_names([raw.get("skills", "")])
                for sk in skill_names:
                    if skills_service.find(db, sk) is None:
                        skills_service.check_new(db, sk, allow_new=allow_new, field="skills")
                phone = _phone(raw.get("phone"))
            except ValidationError as e:
                errors.append({"row": rowno, "column": e.field, "value": e.value, "message": str(e)})
                continue
            if errors:
                continue  # nothing will be written; keep validating the rest
            ins = find(db, name)
            if ins is None:
                cur = db.execute("INSERT INTO instructor (name, name_key, phone) VALUES (?, ?, ?)", [name, key, phone])
                ins_id, changed = cur.lastrowid, None
                counts["added"] += 1
            else:
                ins_id, changed = ins.id, False
                if phone and not ins.phone:
                    db.execute("UPDATE instructor SET phone = ? WHERE id = ?", [phone, ins.id])
                    changed = True
            for s in skill_names:
                skill, created = skills_service.get_or_create(db, s, allow_new=True)  # checked above
                counts["new_skills"] += created
                cur = db.execute("INSERT OR IGNORE INTO instructor_skill (instructor_id, skill_id) VALUES (?, ?)",
                                 [ins_id, skill.id])
                if cur.rowcount and changed is False:
                    changed = True
            if changed is True:
                counts["updated"] += 1
            elif changed is False:
                counts["unchanged"] += 1
        if errors:
            first = errors[0]
            raise RowErrors(
                f"{len(errors)} bad row(s) in {Path(path).name}, nothing imported. "
                f"Row {first['row']}: {first['message']}",
                errors,
            )
        if counts["added"] or counts["updated"]:
            audit.record(db, "instructor.import", {k: counts[k] for k in ("added", "updated", "new_skills")})
    return counts
