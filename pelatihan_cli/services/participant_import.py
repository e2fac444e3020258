"""`participant import`: enroll every row of a participant list, through the same
`Enroller` as `participant enroll` (services/enrollment.py), so each row obeys exactly
the same rules.

Flow: open the file (importing.readers), match its headers (importing.headers; a
missing NIK or name column is an error before any row is read), then inside ONE
`write_transaction`: for each row parse the cells (importing.values); then, CHUNK_ROWS
rows at a time, refuse a NIK seen earlier in the file and hand the chunk to
`Enroller.enroll_many`, which chooses each row's session in turn (so 'first with a free
seat' sees the rows before) and applies the rules of `participant enroll` to it. Bad
rows are collected with the row number the operator sees, the file's own column header,
the value and the reason, in file order.

- on_error='abort' (default): any bad row rolls everything back; every bad row is listed.
- on_error='skip': the good rows are committed; bad rows go to the rejects file.
- dry_run: everything is checked (capacity included) and then rolled back.
- allow_outside / accept_nik_mismatch: the escape hatches of `participant enroll`, for
  every row of the file; each use is recorded on the row's enrollment/participant and
  counted in the audit row.

Rows go only to sessions of one programme (`programme`, else the programme of --session,
else the default programme): a row never lands in another programme, and a session id
of another programme in a row is refused naming both.

Which session a row goes to: `session_id` (the --session option); else the row's
session column; else the planned session of the row's kelurahan for the row's skill;
else the kelurahan's planned sessions in date order, the first with a free seat (the
first one, waitlisted, when all are full). When the kelurahan (or the kelurahan and skill)
offers several sessions and the person is already active in one of them, that one is the
row's session, so importing the same file again finds them there ('unchanged') instead of
offering them another session's free seat (which the one-per-year rule would refuse).

Speed: kelurahan, skills and planned sessions are read once; the duplicate-NIK check
uses a temporary table (constant memory for a million rows), read and written once per
chunk; the Enroller reads the chunk's registered NIKs in two queries and writes the
chunk with executemany (no savepoint and no SELECT per row).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain.names import name_key
from pelatihan_cli.errors import Conflict, NotFound, ValidationError
from pelatihan_cli.importing.headers import PARTICIPANT_ALIASES, map_headers, match_headers
from pelatihan_cli.importing.locate import PARTICIPANT_TABLE
from pelatihan_cli.importing.participant_row import clean_participant_row
from pelatihan_cli.importing.readers import EXTRA_CELLS, open_rows
from pelatihan_cli.importing.values import SUSPECT_SCAN_ROWS, cell_int, cell_text, nik_source, suspect_number_column
from pelatihan_cli.services import audit

if TYPE_CHECKING:
    from pelatihan_cli.services.enrollment import Enroller

ON_ERROR = ("abort", "skip")
SUMMARY_KEYS = ("programme", "read", "enrolled", "waitlisted", "updated", "unchanged", "rejected", "warnings", "errors")
#: how often the progress callback is called (rows)
PROGRESS_EVERY = 1000
#: rows enrolled together (Enroller.enroll_many): one prefetch and one executemany per chunk
CHUNK_ROWS = 500
#: identical warnings from many rows are reported once with the count and first rows
_WARNING_ROWS_SHOWN = 5
#: the sessions a chunk's registered NIKs are active in (for rows whose session is chosen)
_ACTIVE_SQL = (
    "SELECT p.nik, e.session_id FROM participant p JOIN enrollment e ON e.participant_id = p.id "
    "WHERE p.nik IN (SELECT value FROM json_each(?)) AND e.status IN ('enrolled', 'waitlisted')")


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run or an aborted import."""


@dataclass
class ImportSummary:
    read: int = 0
    enrolled: int = 0
    waitlisted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    # not part of the JSON summary
    written: bool = False
    dry_run: bool = False
    on_error: str = "abort"
    rejects_path: str | None = None
    source: str = ""
    programme: str | None = None
    #: what the reader skipped and why (title rows, column numbers, footer, sheets)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The summary object: exactly the keys of SUMMARY_KEYS."""
        return {k: getattr(self, k) for k in SUMMARY_KEYS}


class _Warnings:
    """Row warnings grouped by text: 'text (rows 2, 5, 9 and 40 more)'."""

    def __init__(self) -> None:
        self._rows: dict[str, list[int]] = {}
        self._counts: dict[str, int] = {}

    def add(self, text: str, row: int | None = None) -> None:
        n = self._counts.get(text)
        if n is None:
            self._counts[text] = 1
            self._rows[text] = [] if row is None else [row]
        else:
            self._counts[text] = n + 1
            if row is not None and len(self._rows[text]) < _WARNING_ROWS_SHOWN:
                self._rows[text].append(row)

    def render(self) -> list[str]:
        out = []
        for text, n in self._counts.items():
            rows = self._rows[text]
            if not rows:
                out.append(text)
                continue
            shown = ", ".join(map(str, rows))
            more = n - len(rows)
            label = "row" if n == 1 else "rows"
            out.append(f"{text} ({label} {shown}{f' and {more} more' if more > 0 else ''})")
        return out


class _Sessions:
    """Planned sessions, kelurahan and skills, read once for the whole file."""

    def __init__(self, db: Database, enroller: Enroller, programme):
        self.db = db
        self.programme = programme
        self.enrolled = enroller.enrolled_count  # seats taken, counting the rows enrolled before this one
        self.kelurahan = enroller.kelurahan      # name or code -> (id, name); the Enroller's cached look-up
        self.skill_by_key: dict[str, tuple[int, str]] = {
            key: (sid, name) for sid, name, key in db.execute("SELECT id, name, name_key FROM skill")}
        self.by_kel: dict[int, list[tuple[int, int, int]]] = {}   # kel -> [(session, skill, capacity)] by date
        for sid, kid, skid, cap in db.execute(
            "SELECT id, kelurahan_id, skill_id, capacity FROM session WHERE status = 'planned' "
            "AND programme_id = ? ORDER BY start_date, id", [programme.id if programme else -1]
        ):
            self.by_kel.setdefault(kid, []).append((sid, skid, cap))
        #: whether some kelurahan offers a choice (then a person's active session matters)
        self.has_choice = any(len(v) > 1 for v in self.by_kel.values())
        self._resolved: dict[tuple[str, str | None], int] = {}

    def _first_free(self, candidates: list[tuple[int, int, int]], active: tuple[int, ...]) -> int:
        """The candidate the person is already active in, else the first with a free seat,
        else the first."""
        for sid, _skill, _cap in candidates if active else ():
            if sid in active:
                return sid
        for sid, _skill, cap in candidates:
            if self.enrolled(sid) < cap:
                return sid
        return candidates[0][0]

    def resolve(self, kel_text: str, skill_text: str | None, active: tuple[int, ...] = ()) -> int:
        """The session for a row's kelurahan (and skill); an unambiguous answer is cached.
        `active`: the sessions the row's person is already enrolled or waitlisted in."""
        sid = self._resolved.get((kel_text, skill_text))
        if sid is not None:
            return sid
        kid, kname = self.kelurahan(kel_text)
        sessions = self.by_kel.get(kid, [])
        if not sessions:
            where = f" in {self.programme.name}" if self.programme else ""
            raise ValidationError(f"Kelurahan {kname} has no planned session{where}; plan one (`pelatihan session plan`), "
                                  "give the session id in a sesi column or with --session, or choose the programme "
                                  "with --programme.", field="kelurahan", value=kel_text)
        if skill_text is None:
            if len(sessions) == 1:
                self._resolved[(kel_text, skill_text)] = sessions[0][0]
                return sessions[0][0]
            return self._first_free(sessions, active)
        skill = self.skill_by_key.get(name_key(skill_text))
        matching = [s for s in sessions if skill is not None and s[1] == skill[0]]
        if not matching:
            offered = sorted({self._skill_name(s[1]) for s in sessions})
            raise ValidationError(f"Kelurahan {kname} has no planned session for skill {skill_text!r} in this programme; "
                                  f"its sessions are for {', '.join(offered)}.", field="skill", value=skill_text)
        if len(matching) == 1:
            self._resolved[(kel_text, skill_text)] = matching[0][0]
            return matching[0][0]
        return self._first_free(matching, active)

    def check_programme(self, sid: int) -> int:
        """A session id given in the file or with --session must belong to the programme."""
        row = self.db.execute("SELECT p.id, p.name FROM session s JOIN programme p ON p.id = s.programme_id "
                              "WHERE s.id = ?", [sid]).fetchone()
        if row is not None and self.programme is not None and row[0] != self.programme.id:
            raise ValidationError(
                f"session {sid} belongs to programme {row[1]!r}, not {self.programme.name!r}, which this import "
                f"fills; give --programme {row[0]} to import into that programme, or fix the session id.",
                field="session", value=sid)
        return sid

    def _skill_name(self, skill_id: int) -> str:
        for sid, name in self.skill_by_key.values():
            if sid == skill_id:
                return name
        return str(skill_id)


def _programme(db: Database, programme: str | None, session_id: int | None):
    """The programme an import fills: --programme, else that of --session, else the default."""
    from pelatihan_cli.services import programmes

    if (programme is None or not str(programme).strip()) and session_id is not None:
        pid = db.execute("SELECT programme_id FROM session WHERE id = ?", [session_id]).fetchone()[0]
        return programmes.get(db, pid)
    return programmes.choose(db, programme)


def _missing_column_error(field: str, columns: list[str], source: str) -> ValidationError:
    names = ", ".join(PARTICIPANT_ALIASES[field])
    have = ", ".join(repr(c) for c in columns) or "none"
    label = {"nik": "NIK", "name": "name"}[field]
    return ValidationError(
        f"{source} has no {label} column (accepted headers: {names}); its columns are {have}. "
        "Rename the column in the first row and import again.", field=field, value=None)


def import_participants(
    db: Database,
    source: str | os.PathLike,
    *,
    input_format: str | None = None,
    sheet: str | None = None,
    session_id: int | None = None,
    on_error: str = "abort",
    dry_run: bool = False,
    rejects: str | os.PathLike | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int | None, str], None] | None = None,
    allow_outside: bool = False,
    accept_nik_mismatch: bool = False,
    programme: str | None = None,
    include_hidden: bool = False,
    all_sheets: bool = False,
) -> ImportSummary:
    """Import a participant list; see the module doc. Returns the summary; the caller
    decides the exit code (errors + abort -> 1, rejected rows with skip -> 3)."""
    from pelatihan_cli.services.enrollment import EnrollOptions, Enroller, EnrollResult, PersonInput

    if on_error not in ON_ERROR:
        raise ValidationError(f"--on-error must be abort or skip, not {on_error!r}.", field="on_error", value=on_error)
    summary = ImportSummary(dry_run=dry_run, on_error=on_error, source=str(source))
    warnings = _Warnings()
    # locate (importing.readers): the header under a title block, hidden rows left out,
    # merged cells filled, the table's end (totals, signature) not read as participants
    src = open_rows(source, input_format, sheet, expect=PARTICIPANT_TABLE, include_hidden=include_hidden,
                    all_sheets=all_sheets)
    rejects_writer = None
    try:
        for w in src.take_warnings():
            warnings.add(w)
        header_map = map_headers(src.columns, PARTICIPANT_ALIASES)
        mapping, unknown = header_map.mapping, header_map.unknown
        for f in ("nik", "name"):
            if f not in mapping:
                raise _missing_column_error(f, src.columns, src.name)
        if unknown:
            warnings.add(f"Column(s) not used: {', '.join(header_map.reasons())}; "
                         "see `pelatihan participant import --help` for the accepted headers.")
        if rejects is not None:
            rp = os.path.abspath(os.fspath(rejects))
            if str(source) != "-" and os.path.exists(rp) and os.path.samefile(rp, os.fspath(source)):
                raise ValidationError("The rejects file must not be the input file; give another --rejects path.",
                                      field="rejects", value=str(rejects))
            from pelatihan_cli.importing.rejects import open_rejects

            # csv rejects keep a ',' or ';' separator (Excel's locale); TSV input gets plain CSV
            delimiter = src.delimiter if src.delimiter in (",", ";") else ","
            rejects_writer = open_rejects(rejects, src.format_family, src.columns, delimiter=delimiter)
            summary.rejects_path = str(rejects)

        col = mapping.get
        c_nik = mapping["nik"]
        c_sess, c_skill = col("session"), col("skill")   # the other cells: importing.participant_row
        field_column = {f: h for f, h in mapping.items()}
        ncols = len(src.columns)
        numeric_nik_rows = 0   # JSON numbers accepted as their digits
        nik_kind = nik_source(src.format)
        opts = EnrollOptions(allow_outside=allow_outside, accept_nik_mismatch=accept_nik_mismatch)
        counts = {"enrolled": 0, "waitlisted": 0, "updated": 0, "unchanged": 0}
        exceptions = {"outside_domicile": 0, "nik_mismatch_accepted": 0}
        errors = summary.errors

        def reject(rowno: int, row: dict, problems: list[dict]) -> None:
            errors.extend(problems)
            summary.rejected += 1
            if rejects_writer is not None:
                rejects_writer.write(row, "; ".join(p["message"] for p in problems))

        def problem(rowno: int, field_name: str | None, value: Any, message: str, column: str | None = None) -> dict:
            if column is None and field_name is not None:
                if field_name == "session" and session_id is not None:
                    column = "--session"
                else:
                    column = field_column.get(field_name, field_name)
            if value is not None and not isinstance(value, (str, int, float, bool)):
                value = cell_text(value)
            return {"row": rowno, "column": column, "value": value, "message": message}

        def _cell_value(row: dict, e: ValidationError) -> Any:
            """The refused value as the file holds it (e.g. '02/01/1990', not the date
            parsed from it); the error's own value when it is not from a cell."""
            col = field_column.get(e.field) if e.field != "session" or session_id is None else None
            if col is not None and col in row:
                return row[col]
            return e.value

        def _session_problem(rowno: int, row: dict, sid: object, message: str) -> dict:
            """A refusal about the row's session, named by what chose it: --session, the
            row's session cell, or its kelurahan (the session was chosen from it)."""
            if session_id is not None:
                return problem(rowno, None, sid, message, column="--session")
            sess_col = field_column.get("session")
            if sess_col is not None and cell_text(row.get(sess_col)) is not None:
                return problem(rowno, None, sid, message, column=sess_col)
            kel_col = field_column.get("kelurahan")
            if kel_col is not None:
                return problem(rowno, None, row.get(kel_col), message, column=kel_col)
            return problem(rowno, None, sid, message, column="session")

        nothing_to_write = False
        try:
            with write_transaction(db):
                conn = db.conn
                conn.execute("CREATE TEMP TABLE IF NOT EXISTS _import_nik (nik TEXT PRIMARY KEY, row INTEGER NOT NULL) WITHOUT ROWID")
                conn.execute("DELETE FROM _import_nik")
                enroller = Enroller(db, today=today)
                if session_id is not None:
                    enroller.session(session_id)  # an unknown --session: one error, before any row
                prog = _programme(db, programme, session_id)
                summary.programme = prog.name if prog else None
                sessions = _Sessions(db, enroller, prog)
                if session_id is not None:
                    sessions.check_programme(session_id)
                total = src.total
                n = 0
                # rows are read and checked one by one, then enrolled a chunk at a time:
                # chunk = [(rowno, row, problems, nik key, person, session)]
                chunk: list[tuple] = []
                active_by_nik: dict[str, tuple[int, ...]] = {}   # this chunk's registered people

                def resolver(row: dict, kel: str | None, sess_col: str | None, skill_col: str | None,
                             key: str | None) -> Callable[[], int]:
                    def resolve() -> int:  # called by the Enroller in row order: it sees the seats taken
                        sid = cell_int(row.get(sess_col), field="session") if sess_col else None
                        if sid is not None:
                            sessions.check_programme(sid)
                        if sid is None:
                            if kel is None:
                                raise ValidationError(
                                    "no session for this row: give --session, or a sesi (session id) or "
                                    "kelurahan column (with pelatihan for the skill).", field="session", value=None)
                            sid = sessions.resolve(kel, cell_text(row.get(skill_col)) if skill_col else None,
                                                   active_by_nik.get(key, ()) if key is not None else ())
                        return sid
                    return resolve

                def enroll_chunk() -> None:
                    # duplicate NIK inside the file (compared on its digits): earlier chunks are
                    # in the temporary table, this chunk is checked in order
                    keys = [c[3] for c in chunk if c[3] is not None]
                    first_row = dict(conn.execute(
                        "SELECT nik, row FROM _import_nik WHERE nik IN (SELECT value FROM json_each(?))",
                        [json.dumps(keys)]).fetchall()) if keys else {}
                    fresh = []
                    items = []
                    for rowno, row, problems, key, person, session in chunk:
                        if key is not None:
                            first = first_row.get(key)
                            if first is None:
                                first_row[key] = rowno
                                fresh.append((key, rowno))
                            else:
                                problems.append(problem(rowno, "nik", person.nik,
                                                        f"NIK {person.nik!r} is a duplicate of row {first}."))
                        if not problems:
                            items.append((person, session, opts))
                    if fresh:
                        conn.executemany("INSERT INTO _import_nik (nik, row) VALUES (?, ?)", fresh)
                    active_by_nik.clear()
                    if session_id is None and sessions.has_choice and fresh:
                        for k, sid in conn.execute(_ACTIVE_SQL, [json.dumps([k for k, _ in fresh])]):
                            active_by_nik[k] = (*active_by_nik.get(k, ()), sid)
                    outcomes = iter(enroller.enroll_many(items))
                    for rowno, row, problems, _key, _person, _session in chunk:
                        if problems:
                            reject(rowno, row, problems)
                            continue
                        sid, result = next(outcomes)
                        if result.__class__ is EnrollResult:
                            counts[result.status] += 1
                            if result.outside_domicile or result.nik_mismatch_accepted:
                                exceptions["outside_domicile"] += result.outside_domicile
                                exceptions["nik_mismatch_accepted"] += result.nik_mismatch_accepted
                            for w in result.warnings:
                                warnings.add(w, rowno)
                        elif isinstance(result, ValidationError):
                            reject(rowno, row, [problem(rowno, result.field, _cell_value(row, result), str(result))])
                        elif isinstance(result, (Conflict, NotFound)):
                            reject(rowno, row, [_session_problem(rowno, row, sid, str(result))])
                        else:
                            reject(rowno, row, [problem(rowno, None, None, str(result))])
                    chunk.clear()

                # a NIK column saved from a Number column (most NIKs end in 0): judged on its first rows
                head = []
                for item in src:
                    head.append(item)
                    if len(head) >= SUSPECT_SCAN_ROWS:
                        break
                suspect_zeros = suspect_number_column(r.get(c_nik) for _, r in head)
                for rowno, row in itertools.chain(head, src):
                    n += 1
                    if progress is not None and n % PROGRESS_EVERY == 0:
                        progress(src.done, total, src.unit)
                    problems: list[dict] = []
                    if EXTRA_CELLS in row:
                        problems.append(problem(
                            rowno, None, None,
                            f"row has {len(src.columns) + len(row[EXTRA_CELLS])} cells but the header has "
                            f"{len(src.columns)}; put quotes around cells that contain the separator "
                            f"{src.delimiter!r}." if src.delimiter else
                            "row has more cells than the header; give every column a header."))
                    if len(src.columns) != ncols:  # JSON: a later object brought new keys
                        ncols = len(src.columns)
                        mapping, now_unknown = match_headers(src.columns, PARTICIPANT_ALIASES)
                        new = [u for u in now_unknown if u not in unknown]
                        if new:
                            unknown = now_unknown
                            warnings.add(f"Key(s) not used: {', '.join(repr(c) for c in new)}.")
                        field_column = dict(mapping)
                        col = mapping.get
                        c_sess, c_skill = col("session"), col("skill")
                    cells = clean_participant_row(row, field_column, source=nik_kind, suspect_zeros=suspect_zeros)
                    for issue in cells.problems:
                        problems.append(problem(rowno, issue.field, issue.value, issue.message))
                    for issue in cells.warnings:
                        warnings.add(issue.message, rowno)
                    numeric_nik_rows += cells.nik_was_number
                    nik, kel = cells.nik, cells.kelurahan
                    person = PersonInput(
                        nik or "", cells.name or "", cells.birth_date, cells.sex, cells.address, kel,
                        cells.phone, cells.ak1_number, cells.ak1_date,
                    )
                    key = None if nik is None else _nik_key(nik)
                    session = session_id if session_id is not None else resolver(row, kel, c_sess, c_skill, key)
                    chunk.append((rowno, row, problems, key, person, session))
                    if len(chunk) >= CHUNK_ROWS:
                        enroll_chunk()
                enroll_chunk()
                for w in src.take_warnings():  # found while reading: hidden rows, later sheets
                    warnings.add(w)
                summary.notes = list(src.notes)
                summary.read = n
                if progress is not None:
                    progress(src.done, total, src.unit)
                if numeric_nik_rows:  # spreadsheet number cells are row errors (importing.values.nik_cell)
                    warnings.add(
                        f"{numeric_nik_rows} NIK value(s) are JSON numbers, not strings; they were read as their "
                        "digits, but JavaScript and spreadsheets keep only 15 significant digits, so check them "
                        'and write NIKs as strings ("3375...").')
                for k, v in counts.items():
                    setattr(summary, k, v)
                conn.execute("DROP TABLE IF EXISTS temp._import_nik")
                if dry_run or (errors and on_error == "abort"):
                    raise _Rollback
                if not (counts["enrolled"] or counts["waitlisted"] or counts["updated"]):
                    nothing_to_write = True  # every row unchanged: the import writes nothing at all
                    raise _Rollback
                audit.record(db, "participant.import", {
                    "read": n, "enrolled": counts["enrolled"], "waitlisted": counts["waitlisted"],
                    "updated": counts["updated"], "unchanged": counts["unchanged"], "rejected": summary.rejected,
                    **{k: v for k, v in exceptions.items() if v},
                })
                summary.written = True
        except _Rollback:
            if not dry_run and not nothing_to_write:
                # nothing was written: only read and rejected keep their meaning
                summary.enrolled = summary.waitlisted = summary.updated = summary.unchanged = 0
    finally:
        if rejects_writer is not None:
            rejects_writer.close()
        src.close()
    summary.warnings = warnings.render()
    return summary


def _nik_key(nik: str) -> str:
    s = nik.strip()
    if len(s) == 16 and s.isdigit():
        return s
    return "".join(ch for ch in s if ch not in " .-\t\u00a0")
