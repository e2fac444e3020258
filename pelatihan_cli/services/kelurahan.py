"""Kelurahan registry: add, import, rename, remove, list, and name resolution.

A kelurahan/desa is keyed by its Kemendagri code (m003); its name may repeat (two
Purwosari in Kota Semarang). A kelurahan stored without a code is one per name within its
kecamatan (and kabupaten/kota). Typed names are resolved by domain/places.resolve_place:
code, literal official name, `Name (Kecamatan)`, `Name, Kabupaten`."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain.names import clean_name, did_you_mean, name_key, near_duplicate, new_name_message
from pelatihan_cli.domain.places import CODE_RE, Place, labels, resolve_place
from pelatihan_cli.errors import Conflict, NotFound, RowErrors, ValidationError
from pelatihan_cli.services import audit

#: a Kelurahan is a domain Place (id, code, name, kecamatan, kabupaten, provinsi)
Kelurahan = Place
_COLUMNS = "id, code, name, kecamatan, kabupaten, provinsi"


def _row(r) -> Kelurahan:
    return Place(*r)


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


def resolve(db: Database, name: str, *, field: str = "kelurahan") -> Kelurahan:
    """The kelurahan `name` names: a code, an official name (case, spaces and hyphens
    ignored), `Name (Kecamatan)` or `Name, Kabupaten`; NotFound with 'did you mean', or
    ValidationError listing the candidates of an ambiguous name."""
    def by_code(code: str):
        r = db.execute(f"SELECT {_COLUMNS} FROM kelurahan WHERE code = ?", [code]).fetchone()
        return _row(r) if r else None

    def by_name(key: str):
        return [_row(r) for r in db.execute(f"SELECT {_COLUMNS} FROM kelurahan WHERE name_key = ? ORDER BY code, id",
                                            [key])]

    def all_names():
        return [r[0] for r in db.execute("SELECT DISTINCT name FROM kelurahan")]

    return resolve_place(str(name), by_code=by_code, by_name=by_name, all_names=all_names, field=field)


class Index:
    """Every kelurahan in memory, resolved by the same rule as `resolve` (for imports)."""

    def __init__(self, db: Database):
        self.places = [_row(r) for r in db.execute(f"SELECT {_COLUMNS} FROM kelurahan")]
        self._by_code = {p.code: p for p in self.places if p.code}
        self._by_name: dict[str, list[Place]] = {}
        for p in sorted(self.places, key=lambda p: (p.code or "", p.id)):
            self._by_name.setdefault(name_key(p.name), []).append(p)

    def resolve(self, text: str, *, field: str = "kelurahan") -> Place:
        return resolve_place(text, by_code=self._by_code.get, by_name=lambda k: self._by_name.get(k, []),
                             all_names=lambda: (p.name for p in self.places), field=field)


def display_names(db: Database) -> dict[int, str]:
    """{kelurahan id: what output shows} for the kelurahan whose name is not unique in the
    database: 'Name (Kecamatan)' (with the kabupaten/kota, or the code, where that is not
    enough). Others show their name: use `display_names(db).get(id, name)`."""
    return labels(_row(r) for r in db.execute(
        f"SELECT {_COLUMNS} FROM kelurahan WHERE name_key IN "
        "(SELECT name_key FROM kelurahan GROUP BY name_key HAVING count(*) > 1)"))


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


def _official(code: str | None):
    """The national list's entry for a code (None when the code is not in the 2025 list)."""
    if not code:
        return None
    from pelatihan_cli.regions import national_list

    return national_list().by_code.get(code)


def _conflict_for(db: Database, name: str, kecamatan: str, kabupaten: str | None, code: str | None,
                  exclude: int | None = None) -> str | None:
    """Why this kelurahan cannot be stored beside the others, or None."""
    if code:
        other = db.execute("SELECT name, kecamatan FROM kelurahan WHERE code = ? AND id != ?",
                           [code, exclude or -1]).fetchone()
        if other:
            return f"code {code} already belongs to {other[0]} ({other[1]})"
        return None
    other = db.execute(
        "SELECT name, kecamatan FROM kelurahan WHERE name_key = ? AND kecamatan = ? "
        "AND coalesce(kabupaten, '') = coalesce(?, '') AND code IS NULL AND id != ?",
        [name_key(name), kecamatan, kabupaten, exclude or -1]).fetchone()
    if other:
        return (f"{other[0]} ({other[1]}) already exists without a code; give the Kemendagri code "
                "of each to keep two places of one name in one kecamatan")
    return None


def add(db: Database, name: str | None, kecamatan: str | None, code: str | None = None, *,
        allow_new: bool = False) -> dict:
    """Add a kelurahan. With a code of the national list, name and kecamatan (and its
    kabupaten/kota and province) come from the list; a typed name that differs is kept
    and warned. Returns {kelurahan: Place, warnings: [...]}."""
    code = validate_code(code)
    official = _official(code)
    warnings: list[str] = []
    if official is not None:
        typed_name = clean_name(name or "")
        if typed_name and name_key(typed_name) != name_key(official.name):
            warnings.append(f"the national list names {code} {official.name!r} ({official.kecamatan}, "
                            f"{official.kabupaten}); stored as typed: {typed_name!r}.")
        name = typed_name or official.name
        typed_kec = clean_name(kecamatan or "")
        if typed_kec and name_key(typed_kec) != name_key(official.kecamatan):
            warnings.append(f"the national list puts {code} in kecamatan {official.kecamatan!r}; "
                            f"stored as typed: {typed_kec!r}.")
        kecamatan = typed_kec or official.kecamatan
    elif code is None and not (name and kecamatan):
        raise ValidationError("Give the kelurahan's name and --kecamatan, or its Kemendagri --code.",
                              field="name", value=name)
    name, kecamatan, code = _check_new(db, name or "", kecamatan or "", code)
    kabupaten = official.kabupaten if official else None
    provinsi = official.provinsi if official else None
    with write_transaction(db):
        if official is None or name_key(kecamatan) != name_key(official.kecamatan):
            kecamatan = check_kecamatan(kecamatan, known_kecamatan(db), allow_new=allow_new)
        why = _conflict_for(db, name, kecamatan, kabupaten, code)
        if why:
            raise Conflict(f"Kelurahan {name!r} cannot be added: {why}.")
        cur = db.execute(
            "INSERT INTO kelurahan (code, name, name_key, kecamatan, kabupaten, provinsi) VALUES (?, ?, ?, ?, ?, ?)",
            [code, name, name_key(name), kecamatan, kabupaten, provinsi],
        )
        audit.record(db, "kelurahan.add", {"kelurahan": 1})
    return {"kelurahan": Place(cur.lastrowid, code, name, kecamatan, kabupaten, provinsi), "warnings": warnings}


def read_file(path: Path) -> list[tuple[int, dict]]:
    """Numbered rows of a kelurahan file (CSV, JSON or xlsx with code, name, kecamatan)."""
    from pelatihan_cli.importing.table_file import read_rows

    return read_rows(path, required=["name", "kecamatan"], known=["code", "name", "kecamatan"])


def import_rows(db: Database, rows: list[tuple[int, dict]], *, allow_new: bool = False,
                official_rows: bool = False) -> dict:
    """Add the rows, all or nothing. A row equal to a stored kelurahan is unchanged.

    Rows are keyed by code; rows without a code by name within their kecamatan. A code of
    the national list brings the kabupaten/kota and province. `official_rows`: the rows
    come from the national list (their kecamatan are real even where close to another).
    Returns counts {'read', 'added', 'unchanged'}; raises RowErrors listing every bad row."""
    errors: list[dict] = []
    seen_codes: dict[str, int] = {}
    seen_uncoded: dict[tuple, int] = {}
    plan: list[tuple] = []
    warnings: list[str] = []
    unchanged = 0
    refused: dict[str, str | None] = {}  # kecamatan key -> the stored one it is close to
    with write_transaction(db):
        kecamatans = known_kecamatan(db)
        known_keys = {name_key(k) for k in kecamatans}
        stored_by_code = {r[0]: r[1:] for r in db.execute(
            "SELECT code, name, kecamatan FROM kelurahan WHERE code IS NOT NULL")}
        stored_uncoded = {(r[0], r[1], r[2] or ""): r[3] for r in db.execute(
            "SELECT name_key, kecamatan, kabupaten, name FROM kelurahan WHERE code IS NULL")}
        for rowno, raw in rows:
            try:
                name, kecamatan, code = _check_new(db, raw.get("name", ""), raw.get("kecamatan", ""), raw.get("code"))
                official = _official(code)
                is_official = official_rows or (
                    official is not None and name_key(official.kecamatan) == name_key(kecamatan))
                key = name_key(kecamatan)
                if not is_official and key not in known_keys and not allow_new:
                    # a kecamatan new in an earlier row counts as known for the rows after it
                    # (check_kecamatan's rule); one refused is refused again without a second
                    # search: a province file without codes names each hundreds of times
                    if key not in refused:
                        refused[key] = near_duplicate(kecamatan, kecamatans)
                    if refused[key] is not None:
                        raise ValidationError(new_name_message("kecamatan", kecamatan, refused[key]),
                                              field="kecamatan", value=kecamatan)
                if name_key(kecamatan) not in known_keys:
                    kecamatans.append(kecamatan)
                    known_keys.add(name_key(kecamatan))
            except ValidationError as e:
                errors.append({"row": rowno, "column": e.field, "value": e.value, "message": str(e)})
                continue
            kabupaten = official.kabupaten if official else None
            provinsi = official.provinsi if official else None
            if official is not None and name_key(official.name) != name_key(name):
                warnings.append(f"row {rowno}: the national list names {code} {official.name!r} "
                                f"({official.kecamatan}); stored as the row has it: {name!r}.")
            if code:
                if code in seen_codes:
                    errors.append({"row": rowno, "column": "code", "value": code,
                                   "message": f"code duplicate of row {seen_codes[code]}"})
                    continue
                seen_codes[code] = rowno
                stored = stored_by_code.get(code)
                if stored is not None:
                    if name_key(stored[0]) == name_key(name) and name_key(stored[1]) == name_key(kecamatan):
                        unchanged += 1
                        continue
                    errors.append({"row": rowno, "column": "code", "value": code,
                                   "message": f"code {code} is stored as {stored[0]} ({stored[1]}); fix the row, "
                                              f"or correct the stored one (`pelatihan kelurahan update {code} ...`)"})
                    continue
            else:
                key = (name_key(name), kecamatan, kabupaten or "")
                if key in seen_uncoded:
                    errors.append({"row": rowno, "column": "name", "value": name,
                                   "message": f"duplicate of row {seen_uncoded[key]} (same name in {kecamatan}); "
                                              "give each its Kemendagri code"})
                    continue
                seen_uncoded[key] = rowno
                if key in stored_uncoded:
                    unchanged += 1
                    continue
            plan.append((code, name, name_key(name), kecamatan, kabupaten, provinsi))
        if errors:
            first = errors[0]
            raise RowErrors(
                f"{len(errors)} bad row(s), nothing imported. Row {first['row']}, {first['column']} "
                f"{first['value']!r}: {first['message']}",
                errors,
            )
        if plan:
            db.conn.executemany(
                "INSERT INTO kelurahan (code, name, name_key, kecamatan, kabupaten, provinsi) VALUES (?, ?, ?, ?, ?, ?)",
                plan)
            audit.record(db, "kelurahan.import", {"kelurahan": len(plan)})
    return {"read": len(rows), "added": len(plan), "unchanged": unchanged, "warnings": warnings}


def import_file(db: Database, path: Path, *, allow_new: bool = False, dry_run: bool = False) -> dict:
    """import_rows of a file; `dry_run`: checked and counted as for real, nothing kept."""
    from pelatihan_cli.db import dry_run_transaction

    rows = read_file(path)
    with dry_run_transaction(db, dry_run):
        counts = import_rows(db, rows, allow_new=allow_new)
    return {**counts, "dry_run": dry_run}


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
        why = _conflict_for(db, new, k.kecamatan, k.kabupaten, k.code, exclude=k.id)
        if why:
            raise Conflict(f"Kelurahan {old!r} cannot be renamed {new!r}: {why}.")
        db.execute("UPDATE kelurahan SET name = ?, name_key = ? WHERE id = ?", [new, name_key(new), k.id])
        audit.record(db, "kelurahan.rename", {"kelurahan": 1})
    return Place(k.id, k.code, new, k.kecamatan, k.kabupaten, k.provinsi)


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
        if changed.get("code"):
            official = _official(changed["code"])
            if official is not None:  # the new code says where it is
                changed.update(kabupaten=official.kabupaten, provinsi=official.provinsi)
        if changed:
            db.execute(f"UPDATE kelurahan SET {', '.join(f'{f} = ?' for f in changed)} WHERE id = ?",
                       [*changed.values(), k.id])
            audit.record(db, "kelurahan.update", {"kelurahan": 1, "fields": len(changed)})
    result = {**stored, **changed}
    return {"name": k.name, "kecamatan": result["kecamatan"], "code": result["code"],
            "changed": sorted(f for f in changed if f in stored)}


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


def place_filter(db: Database, kecamatan: str | None = None, kabupaten: str | None = None,
                 alias: str = "k") -> tuple[str, list]:
    """SQL condition (on kelurahan `alias`) and parameters for --kecamatan/--kabupaten.

    A kecamatan is matched like kelurahan names (case, spaces, hyphens ignored); one name
    held by kecamatan of several kabupaten/kota needs --kabupaten (the error lists them)."""
    clauses, params = [], []
    kab_names = None
    if kabupaten:
        kab_names = resolve_kabupaten(db, kabupaten)
        clauses.append(f"{alias}.kabupaten IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(kab_names))
    if kecamatan:
        pairs = resolve_kecamatan_pairs(db, kecamatan, kab_names)
        clauses.append(f"({alias}.kecamatan, coalesce({alias}.kabupaten, '')) IN "
                       "(SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))")
        params.append(json.dumps([[k, b or ""] for k, b in pairs]))
    return " AND ".join(clauses), params


def resolve_kabupaten(db: Database, kabupaten: str) -> list[str]:
    from pelatihan_cli.domain.places import regency_key

    known = [r[0] for r in db.execute("SELECT DISTINCT kabupaten FROM kelurahan WHERE kabupaten IS NOT NULL")]
    typed = regency_key(kabupaten)
    same = [k for k in known if regency_key(k) == typed or (typed.startswith(":") and regency_key(k).split(":", 1)[1] == typed[1:])]
    if not same:
        hint = did_you_mean(kabupaten, known) or (f" Known: {', '.join(sorted(known))}." if known else
                                                  " No kelurahan with a kabupaten/kota yet (they come with codes).")
        raise NotFound(f"Unknown kabupaten/kota {kabupaten!r}.{hint}")
    if len(same) > 1:
        raise ValidationError(f"{kabupaten!r} is both {' and '.join(same)}; write which, e.g. --kabupaten {same[0]!r}.",
                              field="--kabupaten", value=kabupaten)
    return same


def resolve_kecamatan_pairs(db: Database, kecamatan: str, kabupaten: list[str] | None = None) -> list[tuple[str, str | None]]:
    """(kecamatan, kabupaten) pairs the typed kecamatan names; ambiguous across kabupaten/kota
    without `kabupaten` -> ValidationError listing them."""
    rows = db.execute("SELECT DISTINCT kecamatan, kabupaten FROM kelurahan").fetchall()
    same = [(k, b) for k, b in rows if name_key(k) == name_key(kecamatan) and (kabupaten is None or b in kabupaten)]
    if not same:
        known = sorted({k for k, b in rows if kabupaten is None or b in kabupaten})
        hint = did_you_mean(kecamatan, known) or (
            f" Known: {', '.join(known)}." if known else " No kelurahan yet: see `pelatihan kelurahan add`.")
        raise NotFound(f"Unknown kecamatan {kecamatan!r}.{hint}")
    regencies = sorted({b or "-" for _, b in same})
    if kabupaten is None and len(regencies) > 1:
        raise ValidationError(
            f"Kecamatan {kecamatan!r} exists in {len(regencies)} kabupaten/kota ({', '.join(regencies)}); "
            "add --kabupaten to say which.", field="--kecamatan", value=kecamatan)
    return same


def resolve_kecamatan(db: Database, kecamatan: str) -> list[str]:
    """The stored spellings of a kecamatan (see resolve_kecamatan_pairs)."""
    return sorted({k for k, _ in resolve_kecamatan_pairs(db, kecamatan)})


def list_kelurahan(db: Database, kecamatan: str | None = None, kabupaten: str | None = None) -> list[dict]:
    """Rows with code, name, kecamatan, kabupaten, provinsi, sessions (not cancelled),
    participants (enrolled), ordered by code (province, kabupaten/kota, kecamatan)."""
    cond, params = place_filter(db, kecamatan, kabupaten)
    where = f"WHERE {cond}" if cond else ""
    sql = f"""
        SELECT k.code, k.name, k.kecamatan, k.kabupaten, k.provinsi,
            (SELECT count(*) FROM session s WHERE s.kelurahan_id = k.id AND s.status = 'planned') AS sessions,
            (SELECT count(*) FROM enrollment e JOIN session s ON s.id = e.session_id
              WHERE s.kelurahan_id = k.id AND s.status = 'planned' AND e.status = 'enrolled'
                AND e.cancelled = 0) AS participants
        FROM kelurahan k {where}
        ORDER BY k.code IS NULL, k.code, k.kabupaten, k.kecamatan, k.name
    """
    return [
        {"code": r[0], "name": r[1], "kecamatan": r[2], "kabupaten": r[3], "provinsi": r[4], "sessions": r[5],
         "participants": r[6]}
        for r in db.execute(sql, params).fetchall()
    ]


