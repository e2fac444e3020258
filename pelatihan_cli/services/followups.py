"""Follow-up (tracer study): what became of the people trained.

Several follow-ups per person are kept (the latest counts in the reports); each has the
day it was answered, a status (employed, self-employed, seeking, studying), and optionally
the business, since when, an income band and a note. `due` lists completers whose training
ended at least N months ago and who have not answered since; `import_followups` reads a
survey export (a Google Forms CSV: timestamp, NIK, status in Indonesian) with the intake
rules of participant import: header aliases, every bad row named, --dry-run, --on-error,
a rejects file, and no value guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain import outcomes
from pelatihan_cli.domain.dates import parse_date
from pelatihan_cli.domain.person import clean_text
from pelatihan_cli.domain.privacy import mask_nik, phone_for_display
from pelatihan_cli.errors import PelatihanError, RowErrors, ValidationError
from pelatihan_cli.services import audit, settings
from pelatihan_cli.services.attendance import completed_sql


def _check_wage(value: str) -> str:
    digits = re.sub(r"[^\d]", "", value)
    if not digits or int(digits) <= 0:
        raise ValidationError(f"give the monthly minimum wage in whole rupiah, e.g. 2389801; got {value!r}")
    return str(int(digits))


def _check_bands(value: str) -> str:
    return ",".join(outcomes._fmt(x).replace(",", ".") for x in outcomes.parse_band_limits(value))


settings.register("minimum_wage", "2389801",
                  "Monthly minimum wage in rupiah that income bands are multiples of (default: UMK Kota "
                  "Pekalongan 2024; set the current UMK of your kabupaten/kota).", _check_wage)
settings.register("followup_income_bands", "1,2",
                  "Income bands of follow-ups as rising multiples of minimum_wage: '1,2' gives "
                  "'< 1 UMK', '1-2 UMK', '> 2 UMK'.", _check_bands)

FOLLOWUP_KEYS = ["nik", "name", "answered_on", "status", "business", "since", "income_band", "note", "source"]
DUE_KEYS = ["nik", "name", "phone", "wa_link", "kelurahan", "skill", "session_id", "end_date", "months_since",
            "work_status"]

#: header aliases of a survey export (Google Forms: 'Timestamp'/'Cap waktu', questions as headers)
FOLLOWUP_ALIASES: dict[str, tuple[str, ...]] = {
    "answered_on": ("timestamp", "cap_waktu", "tanggal", "tanggal_isi", "tanggal_pengisian", "waktu", "answered_on",
                    "date", "tgl"),
    "nik": ("nik", "no_ktp", "nomor_nik", "nik_ktp", "nomor_induk_kependudukan", "nik_peserta"),
    "status": ("status", "status_pekerjaan", "status_pekerjaan_saat_ini", "pekerjaan_saat_ini",
               "status_saat_ini", "kegiatan_saat_ini", "work_status", "apa_kegiatan_anda_saat_ini",
               "status_sekarang"),   # the column `followup due` writes for the officer who calls
    "business": ("nama_usaha", "usaha", "business", "jenis_usaha", "nama_dan_jenis_usaha", "tempat_kerja",
                 "nama_tempat_kerja", "tempat_bekerja"),
    "since": ("sejak", "sejak_kapan", "since", "mulai", "tanggal_mulai", "mulai_usaha", "mulai_bekerja",
              "sejak_tanggal"),
    "income_band": ("penghasilan", "pendapatan", "income", "income_band", "penghasilan_per_bulan",
                    "pendapatan_per_bulan", "omzet", "omset"),
    "note": ("catatan", "keterangan", "note", "notes", "saran", "komentar"),
    "name": ("nama", "nama_lengkap", "name"),
}


def income_limits(db: Database) -> tuple[list[float], int]:
    return outcomes.parse_band_limits(settings.get(db, "followup_income_bands")), int(settings.get(db, "minimum_wage"))


def income_bands(db: Database) -> list[str]:
    return outcomes.band_labels(income_limits(db)[0])


@dataclass
class FollowupInput:
    status: str
    answered_on: object = None
    business: str | None = None
    since: object = None
    income_band: object = None
    note: str | None = None


def _clean(db: Database, f: FollowupInput, today: dt.date, limits=None) -> dict:
    """The checked values of one follow-up (ValidationError naming the field otherwise)."""
    status = outcomes.parse_work_status(f.status, field="status")
    if status is None:
        raise ValidationError("status is empty; give employed/bekerja, self-employed/wirausaha, seeking/belum "
                              "bekerja or studying/melanjutkan.", field="status", value=f.status)
    answered = today if f.answered_on in (None, "") else _day(f.answered_on, "answered_on")
    if answered > today:
        raise ValidationError(f"answered_on {answered.isoformat()} is in the future (today is {today.isoformat()}).",
                              field="answered_on", value=f.answered_on)
    since = None if f.since in (None, "") else _day(f.since, "since")
    if since is not None and since > answered:
        raise ValidationError(f"since {since.isoformat()} is after the answer ({answered.isoformat()}).",
                              field="since", value=f.since)
    bands, wage = limits or income_limits(db)
    return {"status": status, "answered_on": answered.isoformat(), "since": since.isoformat() if since else None,
            "business": clean_text(f.business, field="business", limit=200),
            "income_band": outcomes.parse_income_band(f.income_band, bands, wage),
            "note": clean_text(f.note, field="note", limit=500)}


_TIMESTAMP = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T].*)?$")
_DMY_TIME = re.compile(r"^(\d{1,2}/\d{1,2}/\d{4})(?:\s+\d{1,2}[:.]\d{2}.*)?$")


def _day(value: object, field_name: str) -> dt.date:
    """A date, or the date of a form timestamp ('2024/10/15 10:23:45 AM GMT+7',
    '15/10/2024 10:23:45'); month-first is never assumed."""
    if isinstance(value, (dt.date, dt.datetime)):
        return parse_date(value, field=field_name)
    s = str(value).strip()
    if m := _TIMESTAMP.match(s):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise ValidationError(f"{field_name} {s!r} is not a real date.", field=field_name, value=value) from None
    if m := _DMY_TIME.match(s):
        return parse_date(m[1], field=field_name)
    return parse_date(s, field=field_name)


def _insert(db: Database, pid: int, v: dict, source: str) -> bool:
    """Insert unless the same answer (day and status) is already stored; True when inserted."""
    if db.execute("SELECT 1 FROM followup WHERE participant_id = ? AND answered_on = ? AND status = ?",
                  [pid, v["answered_on"], v["status"]]).fetchone():
        return False
    db.execute("INSERT INTO followup (participant_id, answered_on, status, business, since, income_band, note, source) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               [pid, v["answered_on"], v["status"], v["business"], v["since"], v["income_band"], v["note"], source])
    return True


def record(db: Database, nik: str, f: FollowupInput, *, today: dt.date | None = None) -> dict:
    """Record one follow-up of the person with this NIK (one audited transaction)."""
    from pelatihan_cli.services import clock
    from pelatihan_cli.services.participants import find

    v = _clean(db, f, today or clock.today())
    with write_transaction(db):
        pid, stored_nik, name = find(db, nik)
        inserted = _insert(db, pid, v, "manual")
        if inserted:
            audit.record(db, "followup.record", {"followups": 1})
        count = db.execute("SELECT count(*) FROM followup WHERE participant_id = ?", [pid]).fetchone()[0]
    return {"nik": mask_nik(stored_nik), "name": name, **v, "recorded": inserted, "followups": count}


def history(db: Database, nik: str, *, show_nik: bool = False) -> list[dict]:
    """Every follow-up of one person, oldest first (the last one counts)."""
    from pelatihan_cli.services.participants import find

    pid, stored_nik, name = find(db, nik)
    rows = db.execute("SELECT answered_on, status, business, since, income_band, note, source FROM followup "
                      "WHERE participant_id = ? ORDER BY answered_on, id", [pid]).fetchall()
    if show_nik and rows:
        audit.record_reveal(db, "followup.show_nik", {"participants": 1})
    return [{"nik": stored_nik if show_nik else mask_nik(stored_nik), "name": name,
             **dict(zip(FOLLOWUP_KEYS[2:], r))} for r in rows]


def due(db: Database, programme_id: int, *, months: int = 3, today: dt.date | None = None,
        show_nik: bool = False) -> list[dict]:
    """Completers of the programme whose training ended at least `months` ago and who
    have not answered a follow-up since it ended; by kelurahan, then name. Phone masked and
    no wa.me link unless show_nik (logged)."""
    from pelatihan_cli.services import clock

    if months < 0:
        raise ValidationError("--months must be 0 or more.", field="--months", value=months)
    today = today or clock.today()
    rows = db.execute(
        f"""
        SELECT p.nik, p.name, p.phone, k.name, sk.name, s.id,
               (SELECT max(date) FROM session_day WHERE session_id = s.id) AS last_day, p.work_status, p.id
        FROM ({completed_sql("s.programme_id = ?")}) d
        JOIN enrollment e ON e.id = d.enrollment_id
        JOIN participant p ON p.id = e.participant_id
        JOIN session s ON s.id = e.session_id
        JOIN kelurahan k ON k.id = s.kelurahan_id
        JOIN skill sk ON sk.id = s.skill_id
        WHERE p.name IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM followup f WHERE f.participant_id = p.id AND f.answered_on >=
                          (SELECT max(date) FROM session_day WHERE session_id = s.id))
        """, [programme_id]).fetchall()
    out = []
    for nik, name, phone, kel, skill, sid, last, work, _pid in rows:
        end = dt.date.fromisoformat(last)
        if outcomes.add_months(end, months) > today:
            continue
        elapsed = (today.year - end.year) * 12 + today.month - end.month - (today.day < end.day)
        out.append({"nik": nik if show_nik else mask_nik(nik), "name": name,
                    "phone": phone_for_display(phone, reveal=show_nik),
                    "wa_link": outcomes.wa_link(phone) if show_nik else None, "kelurahan": kel, "skill": skill,
                    "session_id": sid, "end_date": last, "months_since": elapsed,
                    "work_status": outcomes.STATUS_ID.get(work) if work else None})
    out.sort(key=lambda r: (r["kelurahan"], r["name"].casefold(), r["session_id"]))
    if show_nik and out:
        audit.record_reveal(db, "followup.due.show_nik", {"participants": len(out)})
    return out


# --- import -------------------------------------------------------------------------------

@dataclass
class FollowupImport:
    read: int = 0
    recorded: int = 0
    already: int = 0
    refused: int = 0
    dry_run: bool = False
    mapping: dict = field(default_factory=dict)
    ignored_columns: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    rejects_file: str | None = None
    #: what the reader left out of the table and why (title block, rows with neither NIK
    #: nor name, the footer): never a row dropped unsaid
    notes: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"read": self.read, "recorded": self.recorded, "already_recorded": self.already,
                "refused": self.refused, "dry_run": self.dry_run, "mapping": self.mapping,
                "ignored_columns": self.ignored_columns, "rejects_file": self.rejects_file,
                "errors": self.errors, "warnings": self.warnings, "notes": self.notes}


def _followup_fields(headers):
    from pelatihan_cli.importing.headers import match_headers

    return match_headers(list(headers), FOLLOWUP_ALIASES)[0]


def import_followups(db: Database, source, *, input_format: str | None = None, sheet: str | None = None,
                     dry_run: bool = False, on_error: str = "abort", rejects: str | None = None,
                     today: dt.date | None = None) -> FollowupImport:
    """Read a survey export and record its follow-ups. on_error='abort' (default): any bad
    row stores nothing and every bad row is listed (RowErrors); 'skip': the good rows are
    stored and the bad ones written to `rejects`. A row repeating a stored answer (same
    person, day and status) is counted as already recorded, so re-importing is harmless."""
    from pelatihan_cli.importing.headers import map_headers
    from pelatihan_cli.importing.readers import open_rows
    from pelatihan_cli.services import clock

    if on_error not in ("abort", "skip"):
        raise ValidationError(f"--on-error must be abort or skip, not {on_error!r}.", field="on_error", value=on_error)
    today = today or clock.today()
    summary = FollowupImport(dry_run=dry_run)
    limits = income_limits(db)
    from pelatihan_cli.importing.locate import Expect

    # the header under a title block (the call list of `followup due` has one), as a
    # participant list's; a row with neither NIK nor status is not an answer (said in a
    # note), one with a status and no NIK is refused; the signature block ends the table
    table = Expect(_followup_fields, required=("nik", "status"), keys=("nik", "status"), keys_label="NIK nor status")
    with open_rows(source, input_format, sheet, expect=table) as src:
        summary.warnings += src.take_warnings()
        hm = map_headers(src.columns, FOLLOWUP_ALIASES)
        summary.mapping = dict(hm.mapping)
        summary.ignored_columns = hm.reasons()
        missing = [f for f in ("nik", "status") if f not in hm.mapping]
        if missing:
            raise ValidationError(
                f"{src.name}: no column for {' and '.join(missing)} (headers: {', '.join(map(repr, src.columns))}). "
                "Name them e.g. 'NIK' and 'Status pekerjaan'.", field="header")
        col = hm.mapping.get
        writer = None
        if rejects and on_error == "skip":
            from pelatihan_cli.importing.rejects import open_rejects

            writer = open_rejects(rejects, src.format_family, src.columns, delimiter=src.delimiter)
            summary.rejects_file = str(rejects)
        try:
            with write_transaction(db):
                niks = dict(db.execute("SELECT nik, id FROM participant WHERE nik IS NOT NULL").fetchall())
                seen: set[tuple] = set()
                unanswered: list[int] = []
                for rowno, row in src:
                    summary.read += 1
                    problems: list[dict] = []

                    def get(f: str):
                        c = col(f)
                        v = None if c is None else row.get(c)
                        return None if v is None or (isinstance(v, str) and not v.strip()) else v

                    nik_raw = get("nik")
                    nik = re.sub(r"[\s.\-']", "", str(nik_raw)) if nik_raw is not None else ""
                    pid = niks.get(nik)
                    if not any(get(f) for f in ("status", "business", "since", "income_band", "note")):
                        # a call list's row for someone not reached: no answer to record
                        unanswered.append(rowno)
                        continue
                    if not nik:
                        problems.append({"column": col("nik"), "value": nik_raw, "message": "NIK is empty"})
                    elif "*" in nik:
                        problems.append({"column": col("nik"), "value": nik_raw, "message": (
                            "the NIK is masked, so the person cannot be told apart; write the call list with "
                            "`pelatihan followup due --show-nik`, or type the NIK")})
                    elif not (len(nik) == 16 and nik.isdigit()):
                        problems.append({"column": col("nik"), "value": nik_raw, "message": "a NIK has 16 digits"})
                    elif pid is None:
                        problems.append({"column": col("nik"), "value": mask_nik(nik),
                                         "message": "no participant has this NIK"})
                    values = None
                    try:
                        values = _clean(db, FollowupInput(status=get("status"), answered_on=get("answered_on"),
                                                          business=get("business"), since=get("since"),
                                                          income_band=get("income_band"), note=get("note")),
                                        today, limits)
                    except PelatihanError as e:
                        f = getattr(e, "field", None)
                        problems.append({"column": col(f) if f else None, "value": getattr(e, "value", None),
                                         "message": str(e)})
                    if problems:
                        summary.refused += 1
                        for p in problems:
                            summary.errors.append({"row": rowno, **p})
                        if writer is not None:
                            writer.write(row, "; ".join(p["message"] for p in problems))
                        continue
                    key = (pid, values["answered_on"], values["status"])
                    if key in seen:
                        summary.already += 1
                        summary.warnings.append(f"row {rowno}: the same answer as an earlier row; counted once.")
                        continue
                    seen.add(key)
                    if _insert(db, pid, values, "import"):
                        summary.recorded += 1
                    else:
                        summary.already += 1
                summary.warnings += src.take_warnings()
                summary.notes = list(src.notes)
                if unanswered:
                    from pelatihan_cli.importing.report import row_ranges

                    summary.warnings.append(
                        f"{len(unanswered)} row(s) without an answer (no status, nothing else filled) were left out: "
                        f"row(s) {row_ranges(unanswered)}.")
                if summary.errors and on_error == "abort":
                    raise RowErrors(
                        f"{summary.refused} of {summary.read} row(s) refused; nothing was recorded. Fix them, or "
                        "import the good rows with --on-error skip --rejects FILE.", summary.errors)
                if dry_run:
                    raise _DryRun()
                if summary.recorded:
                    audit.record(db, "followup.import", {"followups": summary.recorded, "already": summary.already,
                                                         "refused": summary.refused})
        except _DryRun:
            pass
        finally:
            if writer is not None:
                writer.close()
    return summary


class _DryRun(Exception):
    """Rolls the import's transaction back after every row was checked."""
