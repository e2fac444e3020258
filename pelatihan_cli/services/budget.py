"""A programme's budget: its ceiling (*pagu*) and cost lines with unit rates in whole
rupiah, and what the programme costs, planned (from each session's capacity and days) and
realised (from recorded attendance).

Rules of the cost of one session that is not cancelled (rates from the programme's lines):

=====================  ===============================  ======================================
line                   planned                          realised
=====================  ===============================  ======================================
honorarium             rate x JP/day x days x instr.    rate x JP/day x days held x instr.
transport              rate x capacity x days           rate x people present, day by day
meals                  rate x (capacity + staff) x days rate x (present + staff), days held
materials_participant  rate x capacity                  rate x people present on some day
materials_session      rate                             rate, when the session was held
venue                  rate                             rate, when the session was held
printing               rate x capacity                  rate x people present on some day
=====================  ===============================  ======================================

A day is *held* when someone was present on it; attendance counts as everywhere else
(services/attendance.COUNTED_SQL: a withdrawal after attending keeps the day). A session
without an instructor yet is planned with one. Every amount is an int: rates times counts.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain.money import MoneyError, format_percent_bp, format_rupiah, parse_percent, parse_rupiah
from pelatihan_cli.errors import NotFound, ValidationError
from pelatihan_cli.services import audit, settings

# kind: (Indonesian label as printed, unit, English help)
LINES: dict[str, tuple[str, str, str]] = {
    "honorarium": ("Honorarium instruktur", "JP", "instructor honorarium per lesson hour (JP)"),
    "transport": ("Uang transport peserta", "orang/hari", "participant transport per person per day present"),
    "meals": ("Makan dan snack", "orang/hari", "meals and snacks per person per day (participants present + staff)"),
    "materials_participant": ("Bahan praktik (per peserta)", "orang", "practice materials per participant"),
    "materials_session": ("Bahan praktik (per kelas)", "kelas", "practice materials per session"),
    "venue": ("Sewa tempat dan peralatan", "kelas", "venue and equipment rent per session"),
    "printing": ("Penggandaan dan cetak", "orang", "printing per participant"),
}

# PPh 21 on instructors' honorarium: rates the office checks with its finance office
TAX_SETTINGS = {
    "pph21_non_pns": ("2.5", "PPh 21 on honorarium, % for a non-civil-servant instructor (the default category)."),
    "pph21_no_npwp": ("3", "PPh 21 on honorarium, % for an instructor marked as having no tax number (NPWP)."),
    "pph21_pns_1_2": ("0", "PPh 21 on honorarium, % for a civil servant of golongan I or II."),
    "pph21_pns_3": ("5", "PPh 21 on honorarium, % for a civil servant of golongan III."),
    "pph21_pns_4": ("15", "PPh 21 on honorarium, % for a civil servant of golongan IV."),
}


def _percent_setting(value: str) -> str:
    try:
        parse_percent(value)
    except MoneyError as e:
        raise ValidationError(str(e)) from None
    return value.strip().rstrip("%").strip().replace(",", ".")


for _key, (_default, _help) in TAX_SETTINGS.items():
    settings.register(_key, _default, _help, _percent_setting)


def tax_key(category: str, golongan: str | None) -> str:
    if category == "pns":
        return {"I": "pph21_pns_1_2", "II": "pph21_pns_1_2", "III": "pph21_pns_3", "IV": "pph21_pns_4"}.get(
            golongan or "", "pph21_pns_3")
    return "pph21_no_npwp" if category == "no-npwp" else "pph21_non_pns"


def tax_rates(db: Database) -> dict[str, int]:
    """The PPh 21 settings in basis points ({'pph21_non_pns': 250, ...})."""
    stored = dict(db.execute("SELECT key, value FROM setting WHERE key LIKE 'pph21_%'").fetchall())
    return {k: parse_percent(stored.get(k, default)) for k, (default, _h) in TAX_SETTINGS.items()}


@dataclass(frozen=True)
class Line:
    kind: str
    rate: int
    per_day: int | None = None  # honorarium: JP per training day
    staff: int | None = None  # meals: staff fed per session

    @property
    def label(self) -> str:
        return LINES[self.kind][0]


def _money(value, what: str) -> int:
    try:
        return parse_rupiah(value)
    except MoneyError as e:
        raise ValidationError(f"{what}: {e}.", field=what, value=value) from None


def _count(value, what: str) -> int:
    try:
        n = int(str(value).strip())
    except ValueError:
        raise ValidationError(f"{what} must be a whole number, got {value!r}.", field=what, value=value) from None
    if not 0 <= n <= 100:
        raise ValidationError(f"{what} must be between 0 and 100, got {n}.", field=what, value=value)
    return n


# --- reading and writing the budget ------------------------------------------------------

def get_budget(db: Database, programme_id: int) -> dict:
    """{'ceiling': int or None, 'lines': {kind: Line}}."""
    row = db.execute("SELECT ceiling FROM budget WHERE programme_id = ?", [programme_id]).fetchone()
    lines = {r[0]: Line(r[0], r[1], r[2], r[3]) for r in db.execute(
        "SELECT kind, rate, per_day, staff FROM budget_line WHERE programme_id = ?", [programme_id])}
    return {"ceiling": row[0] if row else None, "lines": lines}


def read_rate_file(path: str | Path) -> dict:
    """A rate file: CSV with columns line, rate, jp_per_day, staff (extra columns such as a
    note are ignored) and a row `ceiling`; or JSON {"ceiling": ..., "lines": {kind: {rate,
    jp_per_day, staff}}}. Returns {'ceiling': text or None, 'lines': {kind: {...}}}."""
    path = Path(path)
    if not path.exists():
        raise NotFound(f"No rate file at {path}.")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        import json

        data = json.loads(text)
        return {"ceiling": data.get("ceiling"), "lines": dict(data.get("lines") or {})}
    rows = list(csv.DictReader(io.StringIO("\n".join(
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")))))
    out: dict = {"ceiling": None, "lines": {}}
    for i, row in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        kind = row.get("line", "").lower()
        if kind == "ceiling":
            out["ceiling"] = row.get("rate")
        elif kind in LINES:
            out["lines"][kind] = {k: row.get(k) or None for k in ("rate", "jp_per_day", "staff")}
        else:
            raise ValidationError(f"{path.name}, row {i}: unknown line {kind!r}; lines are ceiling, "
                                  f"{', '.join(LINES)}.", field="line", value=kind)
    return out


def set_budget(db: Database, programme_id: int, *, ceiling=None, rates: Mapping[str, object] | None = None,
               jp_per_day=None, staff=None, rate_file: str | Path | None = None) -> dict:
    """Set a programme's ceiling and line rates (given ones only; the others stay), from a
    rate file and/or values (values win). One transaction, one audit entry. Returns
    show_budget() plus 'changed' (lines written) and 'warnings'."""
    wanted: dict[str, dict] = {}
    new_ceiling = None
    if rate_file is not None:
        loaded = read_rate_file(rate_file)
        if loaded["ceiling"] not in (None, ""):
            new_ceiling = _money(loaded["ceiling"], "ceiling")
        for kind, values in loaded["lines"].items():
            wanted[kind] = {
                "rate": _money(values.get("rate") if values.get("rate") is not None else "", f"{kind} rate"),
                "per_day": _count(values["jp_per_day"], "jp_per_day") if values.get("jp_per_day") not in (None, "")
                else None,
                "staff": _count(values["staff"], "staff") if values.get("staff") not in (None, "") else None,
            }
    if ceiling is not None:
        new_ceiling = _money(ceiling, "--ceiling")
    for kind, value in (rates or {}).items():
        if value is None:
            continue
        if kind not in LINES:
            raise ValidationError(f"unknown budget line {kind!r}; lines are {', '.join(LINES)}.")
        wanted.setdefault(kind, {"per_day": None, "staff": None})["rate"] = _money(value, f"--{kind.replace('_', '-')}")
    if jp_per_day is not None:
        wanted.setdefault("honorarium", {"staff": None})["per_day"] = _count(jp_per_day, "--jp-per-day")
    if staff is not None:
        wanted.setdefault("meals", {"per_day": None})["staff"] = _count(staff, "--staff")
    if new_ceiling is None and not wanted:
        raise ValidationError("Nothing to set: give --ceiling, a rate (--transport, --honorarium, ...) or --file.")
    with write_transaction(db):
        current = get_budget(db, programme_id)
        if new_ceiling is None and current["ceiling"] is None:
            raise ValidationError("This programme has no ceiling (pagu) yet; give --ceiling with the first rates.",
                                  field="--ceiling")
        if new_ceiling is not None:
            db.execute("INSERT INTO budget (programme_id, ceiling) VALUES (?, ?) ON CONFLICT (programme_id) DO "
                       "UPDATE SET ceiling = excluded.ceiling, updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now')",
                       [programme_id, new_ceiling])
        for kind, values in wanted.items():
            old = current["lines"].get(kind)
            rate = values.get("rate", old.rate if old else None)
            if rate is None:
                raise ValidationError(f"--{kind.replace('_', '-')}: the line has no rate yet; give its rate too.",
                                      field=kind)
            per_day = values.get("per_day") if values.get("per_day") is not None else (old.per_day if old else None)
            staff_n = values.get("staff") if values.get("staff") is not None else (old.staff if old else None)
            if kind == "honorarium" and not per_day:
                raise ValidationError("The honorarium line needs the lesson hours per training day: --jp-per-day N "
                                      "(e.g. 8).", field="--jp-per-day")
            db.execute(
                "INSERT INTO budget_line (programme_id, kind, rate, per_day, staff, label) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (programme_id, kind) DO UPDATE SET rate = excluded.rate, per_day = excluded.per_day, "
                "staff = excluded.staff, label = excluded.label",
                [programme_id, kind, rate, per_day if kind == "honorarium" else None,
                 (staff_n or 0) if kind == "meals" else None, LINES[kind][0]])
        audit.record(db, "budget.set", {"programme": programme_id, "ceiling": int(new_ceiling is not None),
                                        "lines": len(wanted)})
    out = show_budget(db, programme_id)
    out["changed"] = sorted(wanted)
    return out


def show_budget(db: Database, programme_id: int) -> dict:
    """{'programme', 'ceiling', 'planned', 'remaining_after_plan', 'lines': [{line, label,
    unit, rate, jp_per_day, staff, planned}], 'warnings'}."""
    from pelatihan_cli.services.programmes import get

    p = get(db, programme_id)
    budget = get_budget(db, programme_id)
    report = costs(db, programme_id)
    planned = report["planned"]
    lines = []
    for kind, (label, unit, _help) in LINES.items():
        line = budget["lines"].get(kind)
        lines.append({"line": kind, "label": label, "unit": unit, "rate": line.rate if line else None,
                      "jp_per_day": line.per_day if line else None, "staff": line.staff if line else None,
                      "planned": planned.get(kind, 0) if line else None})
    total = sum(planned.values())
    ceiling = budget["ceiling"]
    return {"programme": p.name, "programme_id": p.id, "ceiling": ceiling, "planned": total,
            "remaining_after_plan": None if ceiling is None else ceiling - total, "lines": lines,
            "warnings": over_ceiling_warnings(db, programme_id)}


# --- costs -------------------------------------------------------------------------------

def _sessions(db: Database, programme_id: int, session_id: int | None = None) -> list[dict]:
    where, params = "s.programme_id = ? AND s.status != 'cancelled'", [programme_id]
    if session_id is not None:
        where += " AND s.id = ?"
        params.append(session_id)
    rows = db.execute(
        f"""SELECT s.id, k.name, k.kecamatan, sk.name, s.capacity, s.days,
                   (SELECT count(*) FROM session_instructor si WHERE si.session_id = s.id)
            FROM session s JOIN kelurahan k ON k.id = s.kelurahan_id JOIN skill sk ON sk.id = s.skill_id
            WHERE {where} ORDER BY s.start_date, s.id""", params).fetchall()
    return [{"session_id": r[0], "kelurahan": r[1], "kecamatan": r[2], "skill": r[3], "capacity": r[4],
             "days": r[5], "instructors": r[6]} for r in rows]


def present_by_day(db: Database, programme_id: int) -> dict[int, dict[int, int]]:
    """{session id: {day no: people present}} (counted attendance, days within the session)."""
    from pelatihan_cli.services.attendance import COUNTED_SQL

    out: dict[int, dict[int, int]] = {}
    for sid, day, n in db.execute(
            f"""SELECT e.session_id, a.day_no, count(*) FROM attendance a
                JOIN enrollment e ON e.id = a.enrollment_id JOIN session s ON s.id = e.session_id
                WHERE a.present = 1 AND {COUNTED_SQL} AND a.day_no <= s.days AND s.programme_id = ?
                GROUP BY e.session_id, a.day_no""", [programme_id]):
        out.setdefault(sid, {})[day] = n
    return out


def attendees(db: Database, programme_id: int) -> dict[int, int]:
    """{session id: people present on at least one day}."""
    from pelatihan_cli.services.attendance import COUNTED_SQL

    return dict(db.execute(
        f"""SELECT e.session_id, count(DISTINCT e.id) FROM attendance a
            JOIN enrollment e ON e.id = a.enrollment_id JOIN session s ON s.id = e.session_id
            WHERE a.present = 1 AND {COUNTED_SQL} AND a.day_no <= s.days AND s.programme_id = ?
            GROUP BY e.session_id""", [programme_id]).fetchall())


def session_costs(s: dict, lines: Mapping[str, Line], present: Mapping[int, int], came: int) -> tuple[dict, dict]:
    """(planned, realised) {kind: rupiah} of one session (see the module's table)."""
    planned: dict[str, int] = {}
    realised: dict[str, int] = {}
    held = sum(1 for n in present.values() if n > 0)
    seats, days = s["capacity"], s["days"]
    for kind, line in lines.items():
        r = line.rate
        if kind == "honorarium":
            jp = line.per_day or 0
            planned[kind] = r * jp * days * max(1, s["instructors"])
            realised[kind] = r * jp * held * s["instructors"]
        elif kind == "transport":
            planned[kind] = r * seats * days
            realised[kind] = r * sum(present.values())
        elif kind == "meals":
            staff = line.staff or 0
            planned[kind] = r * (seats + staff) * days
            realised[kind] = r * (sum(present.values()) + staff * held)
        elif kind in ("materials_participant", "printing"):
            planned[kind] = r * seats
            realised[kind] = r * came
        else:  # materials_session, venue
            planned[kind] = r
            realised[kind] = r if held else 0
    return planned, realised


def costs(db: Database, programme_id: int) -> dict:
    """{'ceiling', 'lines': {kind: Line}, 'sessions': [session dict + planned/realised
    {kind: rupiah}], 'planned': {kind: sum}, 'realised': {kind: sum}}."""
    budget = get_budget(db, programme_id)
    lines = budget["lines"]
    present = present_by_day(db, programme_id)
    came = attendees(db, programme_id)
    sessions = _sessions(db, programme_id)
    planned_total = {k: 0 for k in lines}
    realised_total = {k: 0 for k in lines}
    for s in sessions:
        s["planned"], s["realised"] = session_costs(s, lines, present.get(s["session_id"], {}),
                                                    came.get(s["session_id"], 0))
        for k in lines:
            planned_total[k] += s["planned"][k]
            realised_total[k] += s["realised"][k]
    return {"ceiling": budget["ceiling"], "lines": lines, "sessions": sessions, "planned": planned_total,
            "realised": realised_total}


def over_ceiling_warnings(db: Database, programme_id: int | None) -> list[str]:
    """A warning when the programme's planned cost exceeds its ceiling (none without a budget)."""
    if programme_id is None:
        return []
    ceiling = db.execute("SELECT ceiling FROM budget WHERE programme_id = ?", [programme_id]).fetchone()
    if ceiling is None:
        return []
    planned = sum(costs(db, programme_id)["planned"].values())
    if planned <= ceiling[0]:
        return []
    name = db.execute("SELECT name FROM programme WHERE id = ?", [programme_id]).fetchone()[0]
    return [f"the plan of {name} now costs {format_rupiah(planned)}, {format_rupiah(planned - ceiling[0])} over its "
            f"ceiling of {format_rupiah(ceiling[0])}; see `pelatihan report budget -p {programme_id}`."]


def require_line(db: Database, programme_id: int, kind: str) -> Line:
    line = get_budget(db, programme_id)["lines"].get(kind)
    if line is None:
        name = db.execute("SELECT name FROM programme WHERE id = ?", [programme_id]).fetchone()[0]
        option = {"honorarium": "--honorarium RATE --jp-per-day N"}.get(kind, f"--{kind.replace('_', '-')} RATE")
        raise NotFound(f"Programme {name} has no {kind} rate; set it with "
                       f"`pelatihan budget set -p {programme_id} {option}`.")
    return line


def tax_label(bp: int) -> str:
    return format_percent_bp(bp)


# --- the report ---------------------------------------------------------------------------

BY = ("line", "session", "kelurahan")


def report(db: Database, programme_id: int, by: str = "line") -> dict:
    """Planned and realised cost of a programme against its ceiling, exact to the rupiah.

    {'programme', 'programme_id', 'year', 'by', 'ceiling', 'planned', 'realised',
    'remaining' (ceiling - realised), 'percent' (realised of ceiling, 2 decimals rounded
    down, as text), 'plan_over_ceiling', 'rows': [...], 'receipts': receipts.versions(),
    'superseded': count}. Rows by line: line, label, unit, rate, planned, realised,
    remaining, percent (of planned); by session: session_id, kelurahan, kecamatan, skill,
    planned, realised, percent; by kelurahan: kelurahan, kecamatan, sessions, planned,
    realised, percent."""
    from pelatihan_cli.domain.money import percent_of
    from pelatihan_cli.services import receipts
    from pelatihan_cli.services.programmes import get

    if by not in BY:
        raise ValidationError(f"--by must be one of {', '.join(BY)}, not {by!r}.", field="--by", value=by)
    p = get(db, programme_id)
    data = costs(db, programme_id)
    if data["ceiling"] is None and not data["lines"]:
        raise NotFound(f"Programme {p.name} has no budget yet; set it with "
                       f"`pelatihan budget set -p {p.id} --ceiling AMOUNT --transport RATE ...` or --file.")
    rows: list[dict] = []
    if by == "line":
        for kind, (label, unit, _h) in LINES.items():
            line = data["lines"].get(kind)
            if line is None:
                continue
            pl, re_ = data["planned"][kind], data["realised"][kind]
            rows.append({"line": kind, "label": label, "unit": unit, "rate": line.rate, "planned": pl,
                         "realised": re_, "remaining": pl - re_, "percent": percent_of(re_, pl)})
    elif by == "session":
        for s in data["sessions"]:
            pl, re_ = sum(s["planned"].values()), sum(s["realised"].values())
            rows.append({"session_id": s["session_id"], "kelurahan": s["kelurahan"], "kecamatan": s["kecamatan"],
                         "skill": s["skill"], "planned": pl, "realised": re_, "percent": percent_of(re_, pl)})
    else:
        groups: dict[tuple, dict] = {}
        for s in data["sessions"]:
            g = groups.setdefault((s["kecamatan"], s["kelurahan"]), {
                "kelurahan": s["kelurahan"], "kecamatan": s["kecamatan"], "sessions": 0, "planned": 0, "realised": 0})
            g["sessions"] += 1
            g["planned"] += sum(s["planned"].values())
            g["realised"] += sum(s["realised"].values())
        for key in sorted(groups):
            g = groups[key]
            rows.append({**g, "percent": percent_of(g["realised"], g["planned"])})
    planned, realised = sum(data["planned"].values()), sum(data["realised"].values())
    ceiling = data["ceiling"]
    versions = receipts.versions(db, programme_id)
    return {"programme": p.name, "programme_id": p.id, "year": p.year, "by": by, "ceiling": ceiling,
            "planned": planned, "realised": realised,
            "remaining": None if ceiling is None else ceiling - realised,
            "percent": percent_of(realised, ceiling) if ceiling else None,
            "plan_over_ceiling": None if ceiling is None else max(planned - ceiling, 0),
            "rows": rows, "receipts": versions,
            "superseded": sum(1 for v in versions if v["status"] == "superseded")}
