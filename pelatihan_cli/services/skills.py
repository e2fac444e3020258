"""Skills: free-text names kept once each, matched ignoring case and spaces."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from pelatihan_cli.domain.names import clean_name, did_you_mean, name_key
from pelatihan_cli.errors import NotFound, ValidationError


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


def get_or_create(db: Database, name: str) -> tuple[Skill, bool]:
    """The skill with this name, created when new. Call inside a write transaction.

    Returns (skill, created)."""
    name = clean_skill(name)
    skill = find(db, name)
    if skill:
        return skill, False
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
