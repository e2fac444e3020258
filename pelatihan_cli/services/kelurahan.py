"""Kelurahan registry: add, import, rename, remove, list, and name resolution."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain.names import clean_name, did_you_mean, name_key, near_duplicate, new_name_message
from pelatihan_cli.errors import Conflict, NotFound, RowErrors, ValidationError
from pelatihan_cli.services import audit

CODE_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")


@dataclass(frozen=True)
class Kelurahan:
    id: int
    code: str | None
    name: str
    kecamatan: str


def _row(r) -> Kelurahan:
    return Kelurahan(id=r[0], code=r[1], name=r[2], kecamatan=r[3])


def validate_code(code: str | None) -> str | None:
    if code is None:
        return None
    code = code.strip()
    if not code:
        return None
    if not CODE_RE.match(code):
        raise ValidationError(
            f"Kelurahan code {code!r} is not a Kemendagri code; write it as NN.NN.NN.NNNN, e.g. 33.75.01.1006.",
            field="code",
            value=code,
        )
    return code


def resolve(db: Database, name: str) -> Kelurahan:
    """Find a kelurahan by name, ignoring case, spaces and hyphens, or by its code."""
    key = name_key(name)
    row = db.execute("SELECT id, code, name, kecamatan FROM kelurahan WHERE name_key = ?", [key]).fetchone()
    if row is None and CODE_RE.match(name.strip()):
        row = db.execute("SELECT id, code, name, kecamatan FROM kelurahan WHERE code = ?", [name.strip()]).fetchone()
    if row is None:
        names = [r[0] for r in db.execute("SELECT name FROM kelurahan")]
        hint = did_you_mean(name, names) or " See `pelatihan kelurahan list`."
        raise NotFound(f"Unknown kelurahan {name!r}.{hint}")
    return _row(row)


def _check_new(db: Database, name: str, kecamatan: str, code: str | None, *, row_label: str = "") -> tuple[str, str, str | None]:
    name = clean_name(name)
    kecamatan = clean_name(kecamatan)
    if not name:
        raise ValidationError(f"{row_label}Kelurahan name is empty; give a name.", field="name", value=name)
    if not kecamatan:
        raise ValidationError(f"{row_label}Kecamatan of {name!r} is empty; give --kecamatan.", field="kecamatan", value=kecamatan)
    code = validate_code(code)
    return name, kecamatan, code


def known_kecamatan(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT kecamatan FROM kelurahan ORDER BY kecamatan")]


def check_kecamatan(kecamatan: str, known: list[str], *, allow_new: bool = False) -> str:
    """The kecamatan as stored when its key is known ('pekalongan timur' -> 'Pekalongan Timur');
    a new one close to a known one ('Pekalongan Tmur') is refused unless allow_new (--new)."""
    key = name_key(kecamatan)
    for k in known:
        if name_key(k) == key:
            return k
    near = None if allow_new else near_duplicate(kecamatan, known)
    if near is not None:
        raise ValidationError(new_name_message("kecamatan", kecamatan, near), field="kecamatan", value=kecamatan)
    return kecamatan


def add(db: Database, name: str, kecamatan: str, code: str | None = None, *, allow_new: bool = False) -> Kelurahan:
    name, kecamatan, code = _check_new(db, name, kecamatan, code)
    with write_transaction(db):
        kecamatan = check_kecamatan(kecamatan, known_kecamatan(db), allow_new=allow_new)
        existing = db.execute("SELECT name FROM kelurahan WHERE name_key = ?", [name_key(name)]).fetchone()
        if existing:
            raise Conflict(f"Kelurahan {existing[0]!r} already exists; names must be unique.")
        if code:
            other = db.execute("SELECT name FROM kelurahan WHERE code = ?", [code]).fetchone()
            if other:
                raise Conflict(f"Code {code} already belongs to kelurahan {other[0]!r}.")
        cur = db.execute(
            "INSERT INTO kelurahan (code, name, name_key, kecamatan) VALUES (?, ?, ?, ?)",
            [code, name, name_key(name), kecamatan],
        )
        audit.record(db, "kelurahan.add", {"kelurahan": 1})
        return Kelurahan(cur.lastrowid, code, name, kecamatan)


def read_file(path: Path) -> list[tuple[int, dict]]:
    """Numbered rows of a kelurahan file (CSV, JSON or xlsx with code, name, kecamatan)."""
    from pelatihan_cli.importing.table_file import read_rows

    return read_rows(path, required=["name", "kecamatan"], known=["code", "name", "kecamatan"])


def import_rows(db: Database, rows: list[tuple[int, dict]], *, allow_new: bool = False) -> dict:
    """Add the rows, all or nothing. A row equal to a stored kelurahan is unchanged.

    Returns counts {'read', 'added', 'unchanged'}; raises RowErrors listing every bad row."""
    errors: list[dict] = []
    seen_keys: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    plan: list[tuple[str, str, str | None]] = []
    unchanged = 0
    with write_transaction(db):
        kecamatans = known_kecamatan(db)
        for rowno, raw in rows:
            try:
                name, kecamatan, code = _check_new(db, raw.get("name", ""), raw.get("kecamatan", ""), raw.get("code"))
                # a kecamatan new in an earlier row counts as known for the rows after it
                kecamatan = check_kecamatan(kecamatan, kecamatans, allow_new=allow_new)
                if kecamatan not in kecamatans:
                    kecamatans.append(kecamatan)
            except ValidationError as e:
                errors.append({"row": rowno, "column": e.field, "value": e.value, "message": str(e)})
                continue
            key = name_key(name)
            if key in seen_keys:
                errors.append({"row": rowno, "column": "name", "value": name, "message": f"duplicate of row {seen_keys[key]}"})
                continue
            if code and code in seen_codes:
                errors.append({"row": rowno, "column": "code", "value": code, "message": f"code duplicate of row {seen_codes[code]}"})
                continue
            seen_keys[key] = rowno
            if code:
                seen_codes[code] = rowno
            stored = db.execute("SELECT code, name, kecamatan FROM kelurahan WHERE name_key = ?", [key]).fetchone()
            if stored:
                if (stored[0] or None, stored[2]) == (code, kecamatan) or (code is None and stored[2] == kecamatan):
                    unchanged += 1
                    continue
                errors.append({
                    "row": rowno, "column": "name", "value": name,
                    "message": f"kelurahan {stored[1]!r} already exists with code {stored[0] or '-'} in {stored[2]}; "
                               "fix the row or rename the stored one",
                })
                continue
            if code:
                other = db.execute("SELECT name FROM kelurahan WHERE code = ?", [code]).fetchone()
                if other:
                    errors.append({"row": rowno, "column": "code", "value": code, "message": f"code already belongs to {other[0]!r}"})
                    continue
            plan.append((name, kecamatan, code))
        if errors:
            first = errors[0]
            raise RowErrors(
                f"{len(errors)} bad row(s), nothing imported. Row {first['row']}, {first['column']} "
                f"{first['value']!r}: {first['message']}",
                errors,
            )
        if plan:
            db.conn.executemany(
                "INSERT INTO kelurahan (code, name, name_key, kecamatan) VALUES (?, ?, ?, ?)",
                [(code, name, name_key(name), kec) for name, kec, code in plan],
            )
            audit.record(db, "kelurahan.import", {"kelurahan": len(plan)})
    return {"read": len(rows), "added": len(plan), "unchanged": unchanged}


def import_file(db: Database, path: Path, *, allow_new: bool = False) -> dict:
    return import_rows(db, read_file(path), allow_new=allow_new)


def load_pekalongan(db: Database) -> dict:
    from pelatihan_cli.resources import data_path

    # the official list: its kecamatan are real even where close to a stored spelling
    return import_file(db, data_path("kelurahan_pekalongan.csv"), allow_new=True)


def rename(db: Database, old: str, new: str) -> Kelurahan:
    new = clean_name(new)
    if not new:
        raise ValidationError("The new name is empty; give a name.")
    with write_transaction(db):
        k = resolve(db, old)
        other = db.execute("SELECT name FROM kelurahan WHERE name_key = ? AND id != ?", [name_key(new), k.id]).fetchone()
        if other:
            raise Conflict(f"Kelurahan {other[0]!r} already exists; choose another name.")
        db.execute("UPDATE kelurahan SET name = ?, name_key = ? WHERE id = ?", [new, name_key(new), k.id])
        audit.record(db, "kelurahan.rename", {"kelurahan": 1})
    return Kelurahan(k.id, k.code, new, k.kecamatan)


def update(db: Database, name: str, *, kecamatan: str | None = None, code: str | None = None,
           allow_new: bool = False) -> dict:
    """Correct a kelurahan's kecamatan and/or Kemendagri code (`code=""` clears it).

    The code is checked as on `add` and must not be another kelurahan's; a new kecamatan
    close to a stored one is refused unless allow_new. Returns {name, kecamatan, code,
    changed}; changed lists the fields that differ (empty: nothing written)."""
    if kecamatan is None and code is None:
        raise ValidationError("Nothing to update: give --kecamatan and/or --code.", field="kelurahan", value=name)
    new_code = validate_code(code) if code is not None else None
    if kecamatan is not None:
        kecamatan = clean_name(kecamatan)
        if not kecamatan:
            raise ValidationError("The kecamatan is empty; give its name, e.g. --kecamatan 'Pekalongan Barat'.",
                                  field="kecamatan", value=kecamatan)
    with write_transaction(db):
        k = resolve(db, name)
        new: dict = {}
        if kecamatan is not None:
            others = [x for x in known_kecamatan(db) if x != k.kecamatan or db.execute(
                "SELECT 1 FROM kelurahan WHERE kecamatan = ? AND id != ? LIMIT 1", [x, k.id]).fetchone()]
            new["kecamatan"] = check_kecamatan(kecamatan, others, allow_new=allow_new) \
                if name_key(kecamatan) != name_key(k.kecamatan) else kecamatan
        if code is not None:
            if new_code:
                other = db.execute("SELECT name FROM kelurahan WHERE code = ? AND id != ?", [new_code, k.id]).fetchone()
                if other:
                    raise Conflict(f"Code {new_code} already belongs to kelurahan {other[0]!r}; "
                                   "correct that one first, or check the code.")
            new["code"] = new_code
        stored = {"kecamatan": k.kecamatan, "code": k.code}
        changed = {f: v for f, v in new.items() if stored[f] != v}
        if changed:
            db.execute(f"UPDATE kelurahan SET {', '.join(f'{f} = ?' for f in changed)} WHERE id = ?",
                       [*changed.values(), k.id])
            audit.record(db, "kelurahan.update", {"kelurahan": 1, "fields": len(changed)})
    result = {**stored, **changed}
    return {"name": k.name, "kecamatan": result["kecamatan"], "code": result["code"], "changed": sorted(changed)}


def remove(db: Database, name: str) -> Kelurahan:
    with write_transaction(db):
        k = resolve(db, name)
        n_sessions = db.execute("SELECT count(*) FROM session WHERE kelurahan_id = ?", [k.id]).fetchone()[0]
        if n_sessions:
            raise Conflict(
                f"Kelurahan {k.name!r} has {n_sessions} session(s); cancel or move them before removing it "
                "(cancelled sessions are kept for the record, so such a kelurahan stays)."
            )
        n_people = db.execute("SELECT count(*) FROM participant WHERE kelurahan_id = ?", [k.id]).fetchone()[0]
        if n_people:
            raise Conflict(f"Kelurahan {k.name!r} is the domicile of {n_people} participant(s); it cannot be removed.")
        db.execute("DELETE FROM kelurahan WHERE id = ?", [k.id])
        audit.record(db, "kelurahan.remove", {"kelurahan": 1})
    return k


def resolve_kecamatan(db: Database, kecamatan: str) -> list[str]:
    """The stored spellings of a kecamatan, matched like kelurahan names (ignoring case,
    spaces and hyphens); NotFound offering the closest names."""
    known = [r[0] for r in db.execute("SELECT DISTINCT kecamatan FROM kelurahan")]
    same = [k for k in known if name_key(k) == name_key(kecamatan)]
    if not same:
        hint = did_you_mean(kecamatan, known) or (
            f" Known: {', '.join(sorted(known))}." if known else " No kelurahan yet: see `pelatihan kelurahan add`.")
        raise NotFound(f"Unknown kecamatan {kecamatan!r}.{hint}")
    return same


def list_kelurahan(db: Database, kecamatan: str | None = None) -> list[dict]:
    """Rows with code, name, kecamatan, sessions (planned), participants (enrolled)."""
    where, params = "", []
    if kecamatan:
        where = "WHERE k.kecamatan IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(resolve_kecamatan(db, kecamatan)))
    sql = f"""
        SELECT k.code, k.name, k.kecamatan,
            (SELECT count(*) FROM session s WHERE s.kelurahan_id = k.id AND s.status = 'planned') AS sessions,
            (SELECT count(*) FROM enrollment e JOIN session s ON s.id = e.session_id
              WHERE s.kelurahan_id = k.id AND s.status = 'planned' AND e.status = 'enrolled') AS participants
        FROM kelurahan k {where}
        ORDER BY k.code IS NULL, k.code, k.name
    """
    return [
        {"code": r[0], "name": r[1], "kecamatan": r[2], "sessions": r[3], "participants": r[4]}
        for r in db.execute(sql, params).fetchall()
    ]
