"""Receipt lists (*daftar penerimaan*): what participants and instructors sign for the money
they get, computed only from recorded attendance and the programme's budget lines.

Printing a list (PDF or xlsx) freezes it: a numbered version with its lines stored in
receipt_list/receipt_line (the database refuses to change a stored line). Printing it
again shows that frozen version, whatever changed since; when attendance (or a rate, or
an instructor) changed, the version is *superseded*: the differences are reported here and
in `report budget`, and `--reissue --reason` makes the next version (recorded in the
audit log; the old version keeps its lines and gets superseded_at).

- transport: per session and training day, one line per person present that day, at the
  transport rate;
- honorarium: per session or per programme, one line per instructor: JP (JP per day x
  days held), rate, gross, PPh 21 by the instructor's category (rounded down to the
  rupiah), net.
"""

from __future__ import annotations

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain.money import format_rupiah, tax, terbilang
from pelatihan_cli.domain.privacy import mask_account, mask_nik
from pelatihan_cli.errors import Conflict, NotFound, ValidationError, no_session
from pelatihan_cli.services import audit, budget

#: a receipt line above this amount needs a stamp-duty (meterai) on the signature
METERAI_ABOVE = 5_000_000

TITLES = {
    "transport": "DAFTAR PENERIMAAN UANG TRANSPORT PESERTA",
    "honorarium": "DAFTAR PENERIMAAN HONORARIUM INSTRUKTUR",
}


# --- what the lists hold now -----------------------------------------------------------------

def _session_info(db: Database, session_id: int) -> dict:
    row = db.execute(
        """SELECT s.id, s.programme_id, k.name, k.kecamatan, sk.name, s.venue, s.days, s.status
           FROM session s JOIN kelurahan k ON k.id = s.kelurahan_id JOIN skill sk ON sk.id = s.skill_id
           WHERE s.id = ?""", [session_id]).fetchone()
    if row is None:
        raise NotFound(no_session(session_id))
    if row[7] == "cancelled":
        raise Conflict(f"Session {session_id} is cancelled; it has no receipt lists.")
    dates = dict(db.execute("SELECT day_no, date FROM session_day WHERE session_id = ?", [session_id]).fetchall())
    instructors = [r[0] for r in db.execute(
        "SELECT i.name FROM session_instructor si JOIN instructor i ON i.id = si.instructor_id "
        "WHERE si.session_id = ? ORDER BY i.name", [session_id])]
    return {"session_id": row[0], "programme_id": row[1], "kelurahan": row[2], "kecamatan": row[3],
            "skill": row[4], "venue": row[5], "of_days": row[6], "dates": dates, "instructors": instructors}


def transport_lines(db: Database, session_id: int, day_no: int) -> tuple[dict, list[dict]]:
    """(session info, lines) of the transport list of one session day: the people present
    that day, sorted by name, each at the transport rate."""
    from pelatihan_cli.services.attendance import COUNTED_SQL

    s = _session_info(db, session_id)
    if not 1 <= day_no <= s["of_days"]:
        raise ValidationError(f"Session {session_id} has {s['of_days']} training day(s); --day must be 1 to "
                              f"{s['of_days']}, not {day_no}.", field="--day", value=day_no)
    rate = budget.require_line(db, s["programme_id"], "transport").rate
    people = db.execute(
        f"""SELECT p.id, p.name, p.nik FROM attendance a JOIN enrollment e ON e.id = a.enrollment_id
            JOIN session s ON s.id = e.session_id JOIN participant p ON p.id = e.participant_id
            WHERE e.session_id = ? AND a.day_no = ? AND a.present = 1 AND {COUNTED_SQL}""",
        [session_id, day_no]).fetchall()
    people.sort(key=lambda r: ((r[1] or "").casefold(), r[1] or "", r[0]))
    lines = [{"key": ("p", pid), "participant_id": pid, "instructor_id": None, "name": name or "(data dihapus)",
              "jp": None, "rate": rate, "gross": rate, "tax": 0, "net": rate} for pid, name, _nik in people]
    return s, lines


def honorarium_lines(db: Database, programme_id: int, session_id: int | None = None) -> list[dict]:
    """One line per instructor of the programme's sessions (or of one session): JP = JP per
    day x days held, gross = JP x rate, PPh 21 by category rounded down, net."""
    line = budget.require_line(db, programme_id, "honorarium")
    present = budget.present_by_day(db, programme_id)
    rates = budget.tax_rates(db)
    where, params = "s.programme_id = ? AND s.status != 'cancelled'", [programme_id]
    if session_id is not None:
        where += " AND s.id = ?"
        params.append(session_id)
    rows = db.execute(
        f"""SELECT s.id, i.id, i.name, i.tax_category, i.golongan FROM session s
            JOIN session_instructor si ON si.session_id = s.id JOIN instructor i ON i.id = si.instructor_id
            WHERE {where}""", params).fetchall()
    per: dict[int, dict] = {}
    for sid, iid, name, category, golongan in rows:
        held = sum(1 for n in present.get(sid, {}).values() if n > 0)
        if not held:
            continue
        entry = per.setdefault(iid, {"name": name, "jp": 0, "bp": rates[budget.tax_key(category, golongan)]})
        entry["jp"] += (line.per_day or 0) * held
    lines = []
    for iid, e in sorted(per.items(), key=lambda kv: (kv[1]["name"].casefold(), kv[0])):
        gross = e["jp"] * line.rate
        t = tax(gross, e["bp"])
        lines.append({"key": ("i", iid), "participant_id": None, "instructor_id": iid, "name": e["name"],
                      "jp": e["jp"], "rate": line.rate, "gross": gross, "tax": t, "net": gross - t})
    return lines


# --- frozen versions -------------------------------------------------------------------------

def _latest(db: Database, programme_id: int, kind: str, session_id: int | None, day_no: int | None):
    return db.execute(
        "SELECT id, version, total, frozen_at, superseded_at, reissue_reason FROM receipt_list "
        "WHERE programme_id = ? AND kind = ? AND session_id IS ? AND day_no IS ? ORDER BY version DESC LIMIT 1",
        [programme_id, kind, session_id, day_no]).fetchone()


def frozen_lines(db: Database, receipt_id: int) -> list[dict]:
    return [{"key": ("p", r[0]) if r[0] is not None else ("i", r[1]), "participant_id": r[0], "instructor_id": r[1],
             "name": r[2], "jp": r[3], "rate": r[4], "gross": r[5], "tax": r[6], "net": r[7]}
            for r in db.execute("SELECT participant_id, instructor_id, name, jp, rate, gross, tax, net "
                                "FROM receipt_line WHERE receipt_id = ? ORDER BY line_no", [receipt_id])]


def differences(frozen: list[dict], current: list[dict]) -> list[dict]:
    """Lines that differ between a frozen version and what attendance and settings give
    now: {name, printed, now} (amounts paid, None where the line is missing)."""
    old = {line["key"]: line for line in frozen}
    new = {line["key"]: line for line in current}
    out = []
    for key in list(old) + [k for k in new if k not in old]:
        a, b = old.get(key), new.get(key)
        if a and b and (a["gross"], a["tax"], a["jp"]) == (b["gross"], b["tax"], b["jp"]):
            continue
        out.append({"name": (b or a)["name"], "printed": a["net"] if a else None, "now": b["net"] if b else None})
    return out


def _freeze(db: Database, programme_id: int, kind: str, session_id, day_no, lines: list[dict], *,
            reason: str | None, previous) -> tuple[int, int]:
    version = (previous[1] + 1) if previous else 1
    total = sum(line["net"] for line in lines)
    cur = db.execute(
        "INSERT INTO receipt_list (programme_id, kind, session_id, day_no, version, total, reissue_reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", [programme_id, kind, session_id, day_no, version, total, reason])
    rid = cur.lastrowid
    db.conn.executemany(
        "INSERT INTO receipt_line (receipt_id, line_no, participant_id, instructor_id, name, jp, rate, gross, tax, net) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(rid, no, line["participant_id"], line["instructor_id"], line["name"], line["jp"], line["rate"],
          line["gross"], line["tax"], line["net"]) for no, line in enumerate(lines, start=1)])
    if previous:
        db.execute("UPDATE receipt_list SET superseded_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE id = ?",
                   [previous[0]])
    return rid, version


def _produce(db: Database, kind: str, programme_id: int, session_id, day_no, current_fn, *, freeze: bool,
             reissue: bool, reason: str | None) -> dict:
    """The list to show: the latest frozen version (with its differences from now), or the
    current lines; with `freeze` the current lines become version 1 (or, with `reissue`, the
    next version). Freezing is one transaction with one audit entry."""
    if reissue and not (reason and reason.strip()):
        raise ValidationError("--reissue needs --reason: say why a new version is printed (it is recorded).",
                              field="--reason")
    if reason and not reissue:
        raise ValidationError("--reason goes with --reissue.", field="--reason")
    if reissue and not freeze:
        raise ValidationError("--reissue prints a new version: give --format pdf or xlsx.", field="--reissue")
    with write_transaction(db):
        current = current_fn()
        latest = _latest(db, programme_id, kind, session_id, day_no)
        if reissue and latest is None:
            raise Conflict("Nothing was printed yet, so there is nothing to reissue; print it without --reissue.")
        status = "draft"
        version = frozen_at = reissue_reason = None
        lines = current
        diffs: list[dict] = []
        if latest is not None and not reissue:
            lines = frozen_lines(db, latest[0])
            version, frozen_at, reissue_reason = latest[1], latest[3], latest[5]
            diffs = differences(lines, current)
            status = "reprinted" if freeze else "printed"
        elif freeze:
            if not current:
                raise Conflict(_nothing_message(kind, session_id, day_no))
            _rid, version = _freeze(db, programme_id, kind, session_id, day_no, current,
                                    reason=reason.strip() if reissue else None, previous=latest)
            status = "reissued" if reissue else "frozen"
            reissue_reason = reason.strip() if reissue else None
            frozen_at = db.execute("SELECT frozen_at FROM receipt_list WHERE id = ?", [_rid]).fetchone()[0]
            audit.record(db, "receipt.reissue" if reissue else "receipt.print",
                         {"kind": kind, "session": session_id, "day": day_no, "version": version,
                          "lines": len(current), "total": sum(line["net"] for line in current)})
    from pelatihan_cli.clock import local_iso

    # stored in UTC, shown in the office's time zone
    return {"status": status, "version": version, "frozen_at": local_iso(frozen_at), "reissue_reason": reissue_reason,
            "lines": lines, "differences": diffs, "superseded": bool(diffs)}


def _nothing_message(kind: str, session_id, day_no) -> str:
    if kind == "transport":
        return (f"Nobody is recorded present on day {day_no} of session {session_id}; mark attendance first "
                f"(`pelatihan attendance mark {session_id} --day {day_no} --all`). Nothing was printed.")
    return ("No instructor has a training day held (with attendance) yet; mark attendance first. "
            "Nothing was printed.")


def _finish(db: Database, doc: dict, *, show_nik: bool, bank: bool) -> dict:
    """Numbered lines with masked NIK / bank account, totals and terbilang."""
    ids = [line["participant_id"] for line in doc["lines"] if line["participant_id"] is not None]
    people = {}
    if ids:
        import json

        people = {r[0]: (r[1], r[2]) for r in db.execute(
            "SELECT id, nik, bank_account FROM participant WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(ids)])}
    instr = {r[0]: r[1] for r in db.execute("SELECT id, bank_account FROM instructor")} if bank else {}
    out = []
    for no, line in enumerate(doc["lines"], start=1):
        nik, account = people.get(line["participant_id"], (None, None))
        if line["instructor_id"] is not None:
            account = instr.get(line["instructor_id"])
        row = {"no": no, "name": line["name"]}
        if line["participant_id"] is not None:
            row["nik"] = nik if show_nik else mask_nik(nik)
        if bank:
            row["bank_account"] = account if show_nik else mask_account(account)
        for k in ("jp", "rate", "gross", "tax", "net"):
            row[k] = line[k]
        row["meterai"] = line["net"] > METERAI_ABOVE
        out.append(row)
    doc["lines"] = out
    doc["total_gross"] = sum(r["gross"] for r in out)
    doc["total_tax"] = sum(r["tax"] for r in out)
    doc["total"] = sum(r["net"] for r in out)
    doc["total_text"] = format_rupiah(doc["total"])
    doc["terbilang"] = terbilang(doc["total"])
    if show_nik and out:
        audit.record_reveal(db, f"receipt.{doc['kind']}.show_nik", {"lines": len(out)})
    return doc


# --- the lists -----------------------------------------------------------------------------

def transport(db: Database, session_id: int, day_no: int, *, freeze: bool = False, reissue: bool = False,
              reason: str | None = None, show_nik: bool = False, bank: bool = False) -> dict:
    """The transport receipt list of a session day (see the module docstring)."""
    from pelatihan_cli.services.programmes import document_settings

    s, _ = transport_lines(db, session_id, day_no)  # checks session, day and rate first
    doc = _produce(db, "transport", s["programme_id"], session_id, day_no,
                   lambda: transport_lines(db, session_id, day_no)[1], freeze=freeze, reissue=reissue, reason=reason)
    date = s["dates"].get(day_no)
    doc.update(kind="transport", title=TITLES["transport"], programme_id=s["programme_id"], session=s,
               session_id=session_id, day=day_no, date=date, bank=bank,
               documents=document_settings(db, s["programme_id"]))
    return _finish(db, doc, show_nik=show_nik, bank=bank)


def honorarium(db: Database, *, programme_id: int | None = None, session_id: int | None = None,
               freeze: bool = False, reissue: bool = False, reason: str | None = None, show_nik: bool = False,
               bank: bool = False) -> dict:
    """The honorarium receipt list of one session, or of a whole programme."""
    from pelatihan_cli.services.programmes import document_settings

    s = None
    if session_id is not None:
        s = _session_info(db, session_id)
        programme_id = s["programme_id"]
    if programme_id is None:
        raise ValidationError("Give a session or --programme.")
    budget.require_line(db, programme_id, "honorarium")
    doc = _produce(db, "honorarium", programme_id, session_id, None,
                   lambda: honorarium_lines(db, programme_id, session_id), freeze=freeze, reissue=reissue,
                   reason=reason)
    where, params = "s.programme_id = ? AND s.status != 'cancelled'", [programme_id]
    if session_id is not None:
        where += " AND s.id = ?"
        params.append(session_id)
    last = db.execute(f"SELECT max(d.date) FROM session_day d JOIN session s ON s.id = d.session_id WHERE {where}",
                      params).fetchone()[0]
    doc.update(kind="honorarium", title=TITLES["honorarium"], programme_id=programme_id, session=s,
               session_id=session_id, day=None, date=last, bank=bank, documents=document_settings(db, programme_id))
    return _finish(db, doc, show_nik=show_nik, bank=bank)


def versions(db: Database, programme_id: int) -> list[dict]:
    """Every printed version of the programme's receipt lists, newest state first per list:
    {receipt_id, kind, session_id, day, version, total, now, frozen_at, status, differences};
    status 'current' (matches attendance now), 'superseded' (the latest version, but
    attendance, a rate or an instructor changed since: differences listed) or 'replaced'
    (a later version was printed)."""
    rows = db.execute(
        "SELECT id, kind, session_id, day_no, version, total, frozen_at, superseded_at, reissue_reason "
        "FROM receipt_list WHERE programme_id = ? ORDER BY kind, session_id, day_no, version", [programme_id]
    ).fetchall()
    latest: dict[tuple, int] = {}
    for r in rows:
        latest[(r[1], r[2], r[3])] = r[4]
    out = []
    from pelatihan_cli.clock import local_iso

    for rid, kind, sid, day, version, total, frozen_at, superseded_at, reason in rows:
        entry = {"receipt_id": rid, "kind": kind, "session_id": sid, "day": day, "version": version,
                 "total": total, "now": None, "frozen_at": local_iso(frozen_at), "reissue_reason": reason,
                 "status": "replaced", "differences": []}
        if latest[(kind, sid, day)] == version:
            try:
                if kind == "transport":
                    current = transport_lines(db, sid, day)[1]
                else:
                    current = honorarium_lines(db, programme_id, sid)
            except (NotFound, Conflict, ValidationError):
                current = []
            diffs = differences(frozen_lines(db, rid), current)
            entry.update(now=sum(line["net"] for line in current), differences=diffs,
                         status="superseded" if diffs else "current")
        out.append(entry)
    return out

