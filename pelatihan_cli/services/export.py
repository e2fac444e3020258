"""Export the whole programme (kelurahan, skills, instructors, holidays, sessions,
participants, enrollments, attendance) to one JSON or xlsx file.

All tables are read inside one read transaction, so the file is a consistent snapshot
even while others write. NIK, birth date and phone are masked unless `show_nik`.
Rows reference each other by id (`participant_id`, `session_id`, `enrollment_id`),
so another system can join them without the (masked) NIK.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database

from pelatihan_cli import __version__
from pelatihan_cli.db import schema_version, write_transaction
from pelatihan_cli.domain.privacy import mask_birth_date, mask_nik, mask_phone
from pelatihan_cli.errors import Conflict, ValidationError
from pelatihan_cli.services import audit

FORMATS = ("json", "xlsx")

# table name in the export -> (columns, SQL). List-valued columns are aggregated with
# group_concat over a unit-separator and split again below.
_SEP = "\x1f"
TABLES: dict[str, tuple[list[str], str]] = {
    "kelurahan": (
        ["id", "code", "name", "kecamatan"],
        "SELECT id, code, name, kecamatan FROM kelurahan ORDER BY code IS NULL, code, name",
    ),
    "skills": (["id", "name"], "SELECT id, name FROM skill ORDER BY name"),
    "instructors": (
        ["id", "name", "phone", "skills"],
        f"""SELECT i.id, i.name, i.phone,
                  (SELECT group_concat(s.name, '{_SEP}') FROM instructor_skill x
                   JOIN skill s ON s.id = x.skill_id WHERE x.instructor_id = i.id)
           FROM instructor i ORDER BY i.name""",
    ),
    "holidays": (["date", "name"], "SELECT date, name FROM holiday ORDER BY date"),
    "programmes": (
        ["id", "name", "year", "start_date", "end_date", "funding", "title"],
        "SELECT id, name, year, start_date, end_date, funding, title FROM programme ORDER BY start_date, id",
    ),
    "sessions": (
        ["id", "programme_id", "programme", "kelurahan", "kecamatan", "skill", "start_date", "days", "dates",
         "capacity", "venue", "weekends", "status", "cancel_reason", "instructors", "created_at", "updated_at"],
        f"""SELECT s.id, s.programme_id, pr.name, k.name, k.kecamatan, sk.name, s.start_date, s.days,
                  (SELECT group_concat(date, '{_SEP}') FROM
                      (SELECT date FROM session_day WHERE session_id = s.id ORDER BY day_no)),
                  s.capacity, s.venue, s.weekends, s.status, s.cancel_reason,
                  (SELECT group_concat(i.name, '{_SEP}') FROM session_instructor si
                   JOIN instructor i ON i.id = si.instructor_id WHERE si.session_id = s.id),
                  s.created_at, s.updated_at
           FROM session s JOIN kelurahan k ON k.id = s.kelurahan_id JOIN skill sk ON sk.id = s.skill_id
           JOIN programme pr ON pr.id = s.programme_id
           ORDER BY s.start_date, s.id""",
    ),
    "participants": (
        ["id", "nik", "name", "birth_date", "sex", "address", "kelurahan", "phone", "ak1_number",
         "ak1_date", "age_band", "erased_at", "created_at", "updated_at"],
        # ak1_*: the person's latest card (services/ak1; the legacy participant columns are unused)
        """SELECT p.id, p.nik, p.name, p.birth_date, p.sex, p.address, k.name, p.phone,
                  (SELECT c.number FROM ak1_card c WHERE c.participant_id = p.id
                   ORDER BY c.issued_on IS NULL, c.issued_on DESC, c.id DESC LIMIT 1),
                  (SELECT c.issued_on FROM ak1_card c WHERE c.participant_id = p.id
                   ORDER BY c.issued_on IS NULL, c.issued_on DESC, c.id DESC LIMIT 1),
                  p.age_band, p.erased_at, p.created_at, p.updated_at
           FROM participant p LEFT JOIN kelurahan k ON k.id = p.kelurahan_id ORDER BY p.id""",
    ),
    "enrollments": (
        ["id", "participant_id", "session_id", "year", "status", "seq", "outside_domicile",
         "withdraw_reason", "created_at", "updated_at"],
        """SELECT id, participant_id, session_id, year, status, seq, outside_domicile,
                  withdraw_reason, created_at, updated_at FROM enrollment ORDER BY id""",
    ),
    "attendance": (
        ["enrollment_id", "participant_id", "session_id", "day_no", "date", "present", "marked_at"],
        """SELECT a.enrollment_id, e.participant_id, e.session_id, a.day_no, d.date, a.present, a.marked_at
           FROM attendance a JOIN enrollment e ON e.id = a.enrollment_id
           LEFT JOIN session_day d ON d.session_id = e.session_id AND d.day_no = a.day_no
           ORDER BY e.session_id, a.day_no, a.enrollment_id""",
    ),
}
LIST_COLUMNS = {"skills", "dates", "instructors"}
BOOL_COLUMNS = {"weekends", "outside_domicile", "present"}


def _mask(table: str, row: dict) -> None:
    if table == "participants":
        row["nik"] = mask_nik(row["nik"])
        row["birth_date"] = mask_birth_date(row["birth_date"])
        row["phone"] = mask_phone(row["phone"])
    elif table == "instructors":
        row["phone"] = mask_phone(row["phone"])


def collect(db: Database, *, show_nik: bool = False, programme_id: int | None = None) -> dict:
    """The whole database as {"meta": {...}, table: [row dicts]} from one snapshot; with
    `programme_id`, only that programme with its sessions, their enrollments and
    attendance, and the people enrolled in them (kelurahan, skills, instructors and
    holidays stay whole: they are shared)."""
    conn = db.conn
    own_txn = not conn.in_transaction
    if own_txn:
        conn.execute("BEGIN")  # deferred: a read snapshot, writers in WAL mode carry on
    try:
        data: dict = {
            "meta": {
                "exported_at": _now_local(),
                "pelatihan_version": __version__,
                "schema_version": schema_version(db),
                "personal_data_masked": not show_nik,
            }
        }
        for table, (columns, sql) in TABLES.items():
            rows = []
            for values in conn.execute(sql):
                row = dict(zip(columns, values))
                for c in LIST_COLUMNS.intersection(row):
                    row[c] = row[c].split(_SEP) if row[c] else []
                for c in BOOL_COLUMNS.intersection(row):
                    row[c] = bool(row[c])
                if not show_nik:
                    _mask(table, row)
                rows.append(row)
            data[table] = rows
    finally:
        if own_txn:
            conn.rollback()
    if programme_id is not None:
        data["meta"]["programme_id"] = programme_id
        data["programmes"] = [p for p in data["programmes"] if p["id"] == programme_id]
        data["sessions"] = [s for s in data["sessions"] if s["programme_id"] == programme_id]
        sids = {s["id"] for s in data["sessions"]}
        data["enrollments"] = [e for e in data["enrollments"] if e["session_id"] in sids]
        data["attendance"] = [a for a in data["attendance"] if a["session_id"] in sids]
        pids = {e["participant_id"] for e in data["enrollments"]}
        data["participants"] = [p for p in data["participants"] if p["id"] in pids]
    return data


def export(db: Database, output: Path | str, fmt: str = "json", *, show_nik: bool = False,
           force: bool = False, programme_id: int | None = None) -> dict:
    """Write the export to `output`; returns the row count per table."""
    output = Path(output)
    if fmt not in FORMATS:
        raise ValidationError(f"Unknown export format {fmt!r}; use json or xlsx.", field="format", value=fmt)
    if fmt == "xlsx" and output.suffix.casefold() != ".xlsx":
        raise ValidationError(f"{output} would hold an xlsx file under another name, which would not open; "
                              "give a file name ending in .xlsx.", field="output", value=str(output))
    if output.is_dir():
        raise ValidationError(f"{output} is a directory; give a file name for the export.", field="output", value=str(output))
    if not output.parent.is_dir():
        raise ValidationError(f"The directory {output.parent} does not exist; create it or choose another file.",
                              field="output", value=str(output))
    if output.exists() and not force:
        raise Conflict(f"{output} already exists; choose another file name, or add --force to overwrite it.")
    if show_nik:  # logged before anything is shown; refused where it cannot be logged
        audit.record_reveal(db, "privacy.show_nik", {"export": fmt})
    data = collect(db, show_nik=show_nik, programme_id=programme_id)
    tmp = output.with_name(f".{output.name}.tmp-{os.getpid()}")
    from pelatihan_cli.render import export as render_export

    try:
        if fmt == "json":
            render_export.write_json(data, tmp)
        else:
            render_export.write_xlsx(data, {t: cols for t, (cols, _) in TABLES.items()}, tmp)
        os.replace(tmp, output)
    finally:
        if tmp.exists():
            tmp.unlink()
    counts = {t: len(data[t]) for t in TABLES}
    if not getattr(db, "read_only", False):
        with write_transaction(db):
            audit.record(db, "ops.export", {"format": fmt, "show_nik": show_nik, "programme_id": programme_id,
                                            **counts})
    return counts


def _now_local() -> str:
    from pelatihan_cli import clock

    return clock.now().replace(microsecond=0).isoformat()
