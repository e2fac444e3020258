"""Skills: free-text names kept once each, matched ignoring case and spaces."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain.names import clean_name, did_you_mean, name_key, near_duplicate, new_name_message
from pelatihan_cli.errors import Conflict, NotFound, ValidationError
from pelatihan_cli.services import audit


@dataclass(frozen=True)
class Skill:
    id: int
    name: str


def clean_skill(text: str | None, *, field: str = "skill") -> str:
    """The skill name as typed, trimmed; refuses empty text."""
    name = clean_name(text or "")
    if not name_key(name):
        raise ValidationError("The skill is empty; give its name, e.g. --skill Merajut.", field=field, value=text)
    return name


def find(db: Database, name: str) -> Skill | None:
    row = db.execute("SELECT id, name FROM skill WHERE name_key = ?", [name_key(name)]).fetchone()
    return Skill(row[0], row[1]) if row else None


def resolve(db: Database, name: str) -> Skill:
    """An existing skill by name (case and spaces ignored)."""
    name = clean_skill(name)
    skill = find(db, name)
    if skill is None:
        known = [r[0] for r in db.execute("SELECT name FROM skill ORDER BY name")]
        hint = did_you_mean(name, known) or " See `pelatihan skill list`."
        raise NotFound(f"Unknown skill {name!r}.{hint}")
    return skill


def check_new(db: Database, name: str, *, allow_new: bool = False, field: str = "skill") -> None:
    """Refuse a new skill name that is probably a typo of a stored one, unless allow_new
    (--new). A name with a stored skill's key is that skill: nothing to refuse."""
    if allow_new:
        return
    known = [r[0] for r in db.execute("SELECT name FROM skill")]
    near = near_duplicate(name, known)
    if near is not None:
        raise ValidationError(new_name_message("skill", clean_name(name), near), field=field, value=name)


def get_or_create(db: Database, name: str, *, allow_new: bool = False) -> tuple[Skill, bool]:
    """The skill with this name, created when new. Call inside a write transaction.
    A new name close to a stored one ('Merajutt') is refused unless allow_new.

    Returns (skill, created)."""
    name = clean_skill(name)
    skill = find(db, name)
    if skill:
        return skill, False
    check_new(db, name, allow_new=allow_new)
    cur = db.execute("INSERT INTO skill (name, name_key) VALUES (?, ?)", [name, name_key(name)])
    return Skill(cur.lastrowid, name), True


def list_skills(db: Database) -> list[dict]:
    """Rows with name, instructors (who teach it) and sessions (planned)."""
    sql = """
        SELECT s.name,
            (SELECT count(*) FROM instructor_skill x WHERE x.skill_id = s.id) AS instructors,
            (SELECT count(*) FROM session t WHERE t.skill_id = s.id AND t.status = 'planned') AS sessions
        FROM skill s ORDER BY s.name_key
    """
    return [{"name": r[0], "instructors": r[1], "sessions": r[2]} for r in db.execute(sql).fetchall()]


def _usage(db: Database, skill_id: int) -> tuple[int, int]:
    """(sessions of any status, instructors) that use a skill."""
    return db.execute(
        "SELECT (SELECT count(*) FROM session WHERE skill_id = ?), "
        "(SELECT count(*) FROM instructor_skill WHERE skill_id = ?)", [skill_id, skill_id]).fetchone()


def rename(db: Database, old: str, new: str) -> dict:
    """Correct a skill's spelling everywhere (sessions and instructors keep pointing at it).
    Refused when another skill has the new name: merge them instead."""
    new = clean_skill(new, field="new")
    with write_transaction(db):
        skill = resolve(db, old)
        other = find(db, new)
        if other is not None and other.id != skill.id:
            raise Conflict(f"Skill {other.name!r} already exists; to put {skill.name!r} into it, use "
                           f"`pelatihan skill merge {skill.name!r} {other.name!r}`.")
        if new == skill.name:
            return {"skill": skill.name, "old_name": skill.name, "changed": False}
        db.execute("UPDATE skill SET name = ?, name_key = ? WHERE id = ?", [new, name_key(new), skill.id])
        audit.record(db, "skill.rename", {"skill": 1})
    return {"skill": new, "old_name": skill.name, "changed": True}


def merge(db: Database, source: str, into: str) -> dict:
    """Move the sessions and instructors of `source` to `into`, then remove `source`.

    An instructor who already teaches both keeps one row (`into`): counted in
    `instructors_already`, never a duplicate."""
    with write_transaction(db):
        src = resolve(db, source)
        dst = resolve(db, into)
        if src.id == dst.id:
            raise ValidationError(f"{source!r} and {into!r} are the same skill ({src.name!r}); nothing to merge.",
                                  field="into", value=into)
        sessions = db.execute("UPDATE session SET skill_id = ? WHERE skill_id = ?", [dst.id, src.id]).rowcount
        both = db.execute(
            "DELETE FROM instructor_skill WHERE skill_id = ? AND instructor_id IN "
            "(SELECT instructor_id FROM instructor_skill WHERE skill_id = ?)", [src.id, dst.id]).rowcount
        moved = db.execute("UPDATE instructor_skill SET skill_id = ? WHERE skill_id = ?", [dst.id, src.id]).rowcount
        db.execute("DELETE FROM skill WHERE id = ?", [src.id])
        audit.record(db, "skill.merge", {"skill": 1, "sessions": sessions, "instructors": moved,
                                         "instructors_already": both})
    return {"skill": dst.name, "merged": src.name, "sessions": sessions, "instructors": moved,
            "instructors_already": both}


def removable(db: Database, name: str) -> Skill:
    """The skill, if nothing uses it; Conflict naming the counts of sessions and instructors."""
    skill = resolve(db, name)
    n_sessions, n_instructors = _usage(db, skill.id)
    if n_sessions or n_instructors:
        raise Conflict(
            f"Skill {skill.name!r} is used by {n_sessions} session(s) and {n_instructors} instructor(s); "
            f"move them to another skill with `pelatihan skill merge {skill.name!r} OTHER`, "
            "or correct its name with `pelatihan skill rename`.")
    return skill


def remove(db: Database, name: str) -> dict:
    """Remove a skill nobody uses; refused, with the counts, while sessions or instructors do."""
    with write_transaction(db):
        skill = removable(db, name)
        db.execute("DELETE FROM skill WHERE id = ?", [skill.id])
        audit.record(db, "skill.remove", {"skill": 1})
    return {"skill": skill.name, "removed": True}
