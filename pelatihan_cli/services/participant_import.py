"""`participant import`: enroll every row of a participant list, through the same
`Enroller` as `participant enroll` (services/enrollment.py), so each row obeys exactly
the same rules.

Flow: open the file (importing.readers), match its headers (importing.headers; a
missing NIK or name column is an error before any row is read), then inside ONE write
transaction: for each row clean the cells (importing.participant_row); then, CHUNK_ROWS
rows at a time, refuse a NIK seen earlier in the file and hand the chunk to the
Enroller, which chooses each row's session in turn (so 'first with a free seat' sees
the rows before) and applies the rules of `participant enroll` to it. Bad rows are
collected with the row number the operator sees, the file's own column header, the
value and the reason, in file order.

Two ways to write, one set of decisions (Enroller.decide_many):
- a file under WRITER_MIN_BYTES (256 KiB, ~2,500 rows): `write_transaction` on the
  import's own connection, and Enroller.enroll_many per chunk (_SameConnection);
- a larger one: a writer process holds the transaction and writes chunk k while chunk
  k+1 is read and decided here (_ProcessWrites, services/import_writer.py); should the
  database refuse one of its writes, everything is rolled back and the import runs again
  the first way. Tests run every import of the suite through the writer, and the import
  modules both ways (tests/conftest.py).

- on_error='abort' (default): any bad row rolls everything back; every bad row is listed.
- on_error='skip': the good rows are committed; bad rows go to the rejects file.
- dry_run: everything is checked (capacity included) and then rolled back.
- overrides name their rows: `accept_nik_mismatch_for`, `allow_outside_for` and
  `accept_name_change_for` take row numbers or NIKs (importing.overrides); each use is
  recorded on the row's enrollment/participant and listed (masked NIK, row) in the audit
  row. The bare `allow_outside` / `accept_nik_mismatch` of `participant enroll` would
  cover a whole file: they are refused, naming the rows that would need them.
- warnings are data (importing.report.Warnings): never dropped, grouped for the table,
  every one in the JSON with its row, column and value, and in the rejects file.

Rows go only to sessions of one programme (`programme`, else the programme of --session,
else the default programme): a row never lands in another programme, and a session id
of another programme in a row is refused naming both.

Which session a row goes to is the resolve stage, services/import_routing.Router: the
--session option or the row's session column (a skill cell must agree with it), else the
session of the track the row's skill cell names among its kelurahan's (the row's, or the
file's with --kelurahan); no skill where the kelurahan has several tracks is refused
unless `first_free_seat`. When the track offers several sessions and the person is
already active in one of them, that one is the row's session, so importing the same file
again finds them there ('unchanged'). The summary says where rows went: `skills` (each
skill value -> track, with its rows) and `sessions` (enrolled / waitlisted per session).

Speed: kelurahan, skills and planned sessions are read once; the duplicate-NIK check
is a dictionary that moves to a private temporary file past 100,000 NIKs
(importing.first_rows: constant memory for a million rows); the Enroller reads the
chunk's registered NIKs (their enrollments too, which route a row to the session the
person is in) in two queries and writes the chunk with executemany (no savepoint and no
SELECT per row). `python bench/import_bench.py` measures it against `sqlite-utils insert`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.errors import Conflict, NotFound, RowErrors, ValidationError
from pelatihan_cli.importing.first_rows import FirstRows
from pelatihan_cli.importing.headers import PARTICIPANT_ALIASES, map_headers, match_headers
from pelatihan_cli.importing.participant_row import participant_row_cleaner
from pelatihan_cli.importing.locate import PARTICIPANT_TABLE
from pelatihan_cli.importing.readers import EXTRA_CELLS, open_rows
from pelatihan_cli.importing.values import SUSPECT_SCAN_ROWS, cell_int, cell_text, nik_source, suspect_number_column
from pelatihan_cli.importing.overrides import RowOverride
from pelatihan_cli.importing.report import SheetRow, Tally, Warnings
from pelatihan_cli.services import audit
from pelatihan_cli.services.import_routing import Router

ON_ERROR = ("abort", "skip")
SUMMARY_KEYS = ("programme", "read", "enrolled", "waitlisted", "updated", "unchanged", "rejected", "sessions",
                "skills", "warnings", "errors", "columns", "skipped")
#: how often the progress callback is called (rows)
PROGRESS_EVERY = 1000
#: rows enrolled together (Enroller.enroll_many): one prefetch and one executemany per chunk
CHUNK_ROWS = 500


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
    #: per session: [{session_id, kelurahan, skill, enrolled, waitlisted}]
    sessions: list[dict] = field(default_factory=list)
    #: each distinct skill value -> the track it named: [{value, track, rows}]
    skills: list[dict] = field(default_factory=list)
    #: every warning: [{row | rows, column, value, message}]
    warnings: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    #: the preview of the map stage: every column [{header, field, reason}] (field None: not
    #: used, and why; hidden columns included)
    columns: list[dict] = field(default_factory=list)
    #: the rows left out of the table and why: [{rows, reason}] (title, column numbers,
    #: neither NIK nor name, footer, hidden)
    skipped: list[dict] = field(default_factory=list)
    # not part of the JSON summary
    written: bool = False
    dry_run: bool = False
    on_error: str = "abort"
    rejects_path: str | None = None
    source: str = ""
    programme: str | None = None
    #: what the reader skipped and why (title rows, column numbers, footer, sheets)
    notes: list[str] = field(default_factory=list)
    #: the notes that `skipped` repeats (the preview shows the rows instead)
    skip_notes: set[str] = field(default_factory=set)
    #: the warnings for the table: identical messages in one line with their rows as ranges
    warning_lines: list[str] = field(default_factory=list)
    #: the file's kelurahan (--kelurahan), as resolved
    kelurahan: str | None = None
    #: (row problem, the override that would let it through: 'allow_outside', ...)
    overridable: list[tuple[dict, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The summary object: exactly the keys of SUMMARY_KEYS."""
        return {k: getattr(self, k) for k in SUMMARY_KEYS}


def _programme(db: Database, programme: str | None, session_id: int | None):
    """The programme an import fills: --programme, else that of --session, else the default."""
    from pelatihan_cli.services import programmes

    if (programme is None or not str(programme).strip()) and session_id is not None:
        pid = db.execute("SELECT programme_id FROM session WHERE id = ?", [session_id]).fetchone()[0]
        return programmes.get(db, pid)
    return programmes.choose(db, programme)


def _missing_column_error(field: str, columns: list[str], source: str, fmt: str) -> ValidationError:
    """No NIK (or name) column: what was looked for, what the file has, and the way forward."""
    from pelatihan_cli.importing.locate import HEADER_SCAN

    names = ", ".join(PARTICIPANT_ALIASES[field])
    have = ", ".join(repr(c) for c in columns) or "none"
    if len(have) > 200:   # a file that is no list at all (a binary, a letter) would fill the screen
        have = have[:200] + "…"
    label = {"nik": "NIK", "name": "name"}[field]
    if fmt in ("json", "jsonl"):
        return ValidationError(f"{source} has no {label} key (accepted: {names}); its keys are {have}. "
                               f"Write the {label} of each person under one of those keys.", field=field, value=None)
    return ValidationError(
        f"{source} has no {label} column (accepted headers: {names}): no row among its first {HEADER_SCAN} "
        f"has a NIK header beside a name header, so the first row was read as the header: {have}. Give the "
        "list one header row with NIK and NAMA above the people (the registration template has it: "
        "`pelatihan template participants`).", field=field, value=None)


@contextlib.contextmanager
def _fewer_collections():
    """Python's cycle collector runs after every 700 new container objects; an import makes
    dozens per row, all freed by reference counting (no cycles), so the collector's passes
    are wasted work (~5-10% of a 100,000-row import). They are made rarer for the import's
    duration, and the settings are restored after."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 20_000), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


#: SQLite's page cache during an import, in KiB (the default is 2,000 KiB): the new rows go
#: into four indexes at random places (NIK, name key and birth date, ...), and once those
#: outgrow the cache every row re-reads and re-writes pages (~15% of a 100,000-row import)
IMPORT_CACHE_KIB = 32_768


@contextlib.contextmanager
def _bigger_page_cache(db: Database):
    conn = db.conn
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(before)}")


def _bulk_work(fn):
    """An import's setting for its duration: rarer collector passes, a bigger page cache."""
    @functools.wraps(fn)
    def run(db: Database, *args, **kwargs):
        with _fewer_collections(), _bigger_page_cache(db):
            return fn(db, *args, **kwargs)
    return run


def import_participants(db: Database, source: str | os.PathLike, **options: Any) -> ImportSummary:
    """Import a participant list; see the module doc and `_import` for the options.
    Returns the summary; the caller decides the exit code (errors + abort -> 1, rejected
    rows with skip -> 3). A large file is written by a second process
    (services/import_writer.py); should the database refuse one of its writes, the import
    runs again on this connection alone, which pins the refusal on its row."""
    from pelatihan_cli.services.import_writer import WriterRefused

    try:
        return _import(db, source, **options)
    except WriterRefused:
        return _import(db, source, **options, writer=False)


#: a file at least this large (bytes) is written by the writer process (importing 2,500
#: rows or more); smaller ones do not repay its start (~20 ms)
WRITER_MIN_BYTES = 256 * 1024
#: the processor cores the writer process needs to be worth it: with one, the two
#: processes would take turns, and passing the rows between them is pure cost
WRITER_MIN_CPUS = 2


def _cpus() -> int:
    """The cores this process may run on (its affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # not Linux
        return os.cpu_count() or 1


def _use_writer(db: Database, source: str | os.PathLike) -> bool:
    """Whether this import may hand its writes to a writer process: a file on disk large
    enough, two cores or more, and a database in WAL mode (its reads then go on beside
    the writer's transaction) that is not inside a transaction already."""
    if str(source) == "-" or getattr(db, "path", None) is None or getattr(db, "read_only", False):
        return False
    if _cpus() < WRITER_MIN_CPUS:
        return False
    try:
        if os.path.getsize(source) < WRITER_MIN_BYTES:
            return False
    except OSError:
        return False
    conn = db.conn
    return not conn.in_transaction and conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"


@contextlib.contextmanager
def _transaction(db: Database, writer):
    """The import's one write transaction: BEGIN IMMEDIATE on this connection, or (with a
    writer process) the child's, which it already holds; nothing to do here then: the
    child commits on `end` and rolls back when closed without it."""
    if writer is None:
        with write_transaction(db):
            yield
    else:
        yield


@_bulk_work
def _import(
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
    kelurahan: str | None = None,
    first_free_seat: bool = False,
    accept_nik_mismatch_for: Sequence[str] = (),
    allow_outside_for: Sequence[str] = (),
    accept_name_change_for: Sequence[str] = (),
    include_hidden: bool = False,
    all_sheets: bool = False,
    writer: bool = True,
) -> ImportSummary:
    """Import a participant list (see `import_participants`); `writer`: a large file may
    be written by a writer process."""
    from pelatihan_cli.services.enrollment import EnrollOptions, Enroller, EnrollResult, PersonInput

    if on_error not in ON_ERROR:
        raise ValidationError(f"--on-error must be abort or skip, not {on_error!r}.", field="on_error", value=on_error)
    overrides = {
        "accept_nik_mismatch": RowOverride("--accept-nik-mismatch-for", accept_nik_mismatch_for),
        "allow_outside": RowOverride("--allow-outside-for", allow_outside_for),
        "accept_name_change": RowOverride("--accept-name-change-for", accept_name_change_for),
    }
    if all_sheets:   # 'row 3' is a row of every sheet: an override names one row, so its sheet too
        for ov in overrides.values():
            for v in ov.rows.values():
                raise ValidationError(
                    f"{ov.option} {v}: with --all-sheets every sheet has a row {v.strip()}; name the sheet too, "
                    f"as SHEET:ROW (e.g. {ov.option} Medono:{v.strip()}, as the error lines name the rows).",
                    field=ov.option, value=v)
    if allow_outside or accept_nik_mismatch:
        _refuse_bare_overrides(db, source, allow_outside=allow_outside, accept_nik_mismatch=accept_nik_mismatch,
                               again=dict(input_format=input_format, sheet=sheet, session_id=session_id, today=today,
                                          programme=programme, include_hidden=include_hidden, all_sheets=all_sheets,
                                          kelurahan=kelurahan, first_free_seat=first_free_seat,
                                          accept_nik_mismatch_for=accept_nik_mismatch_for,
                                          allow_outside_for=allow_outside_for,
                                          accept_name_change_for=accept_name_change_for))
    summary = ImportSummary(dry_run=dry_run, on_error=on_error, source=str(source))
    warnings = Warnings()
    tally = Tally()
    placed = True   # False when the rows were rolled back: no session holds them
    # locate (importing.readers): the header under a title block, hidden rows left out,
    # merged cells filled, the table's end (totals, signature) not read as participants
    src = open_rows(source, input_format, sheet, expect=PARTICIPANT_TABLE, include_hidden=include_hidden,
                    all_sheets=all_sheets)
    rejects_writer = None
    seen = FirstRows()   # where each NIK was first seen (a later row names that row)
    writes = None        # how the chunks are written: _SameConnection or _ProcessWrites
    try:
        for w in src.take_warnings():
            warnings.add(w)
        header_map = map_headers(src.columns, PARTICIPANT_ALIASES)
        mapping, unknown = header_map.mapping, header_map.unknown
        for f in ("nik", "name"):
            if f not in mapping:
                raise _missing_column_error(f, src.columns, src.name, src.format)
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
        ov_mismatch, ov_outside, ov_name = (overrides["accept_nik_mismatch"], overrides["allow_outside"],
                                            overrides["accept_name_change"])

        any_override = bool(ov_mismatch or ov_outside or ov_name)

        def options(rowno: int, key: str | None) -> EnrollOptions:
            """The row's options: the overrides that name it (its row number or NIK)."""
            if not any_override:
                return EnrollOptions(override_for=_row_target(rowno), rejoin=False)
            return EnrollOptions(accept_nik_mismatch=ov_mismatch.covers(rowno, key),
                                 allow_outside=ov_outside.covers(rowno, key),
                                 accept_name_change=ov_name.covers(rowno, key), override_for=_row_target(rowno),
                                 rejoin=False)
        counts = {"enrolled": 0, "waitlisted": 0, "updated": 0, "unchanged": 0}
        exceptions = {"outside_domicile": 0, "nik_mismatch_accepted": 0, "name_change_accepted": 0}
        errors = summary.errors
        overridable = summary.overridable

        def reject(rowno: int, row: dict, problems: list[dict], notes: list = ()) -> None:
            errors.extend(problems)
            summary.rejected += 1
            for w in notes:  # found before the refusal: reported with the row's error
                note(rowno, row, w)
            if rejects_writer is not None:
                rejects_writer.write(row, "; ".join(p["message"] for p in problems), "; ".join(notes))

        def note(rowno: int, row: dict, w: str) -> None:
            """A warning of the Enroller's (eligibility.Note: with its field and value) for this row."""
            fld = getattr(w, "field", None)
            col = None
            if fld is not None:
                col = "--session" if fld == "session" and session_id is not None else field_column.get(fld, fld)
            value = getattr(w, "value", None)
            if value is not None and col in row:
                value = row[col]   # as the file holds it
            if value is not None and not isinstance(value, (str, int, float, bool)):
                value = cell_text(value)
            warnings.add(w, rowno, col, value)

        def problem(rowno: int, field_name: str | None, value: Any, message: str, column: str | None = None) -> dict:
            if column is None and field_name is not None:
                if field_name == "session" and session_id is not None:
                    column = "--session"
                else:
                    column = field_column.get(field_name, field_name)
            if value is not None and not isinstance(value, (str, int, float, bool)):
                value = cell_text(value)
            found = {"row": rowno, "column": column, "value": value, "message": message}
            if isinstance(rowno, SheetRow):   # --all-sheets: which sheet's row
                found["sheet"] = rowno.sheet
            return found

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
        if writer and _use_writer(db, source):
            writes = _ProcessWrites.start(db)   # holds the write lock from here on (None: cannot start)
        try:
            with _transaction(db, writes):
                enroller = Enroller(db, today=today)
                if writes is None:
                    writes = _SameConnection(enroller)
                else:
                    writes.use(enroller)
                if session_id is not None:
                    enroller.session(session_id)  # an unknown --session: one error, before any row
                prog = _programme(db, programme, session_id)
                summary.programme = prog.name if prog else None
                sessions = Router(db, enroller, prog, kelurahan=kelurahan, first_free_seat=first_free_seat)
                if sessions.bound is not None:
                    summary.kelurahan = sessions.bound[1]
                if session_id is not None:
                    sessions.check_programme(session_id)
                total = src.total
                n = 0
                # rows are read and checked one by one, then enrolled a chunk at a time:
                # chunk = [(rowno, row, problems, nik key, person, session)]
                chunk: list[tuple] = []

                def resolver(row: dict, kel: str | None, sess_col: str | None, skill_col: str | None,
                             key: str | None, chosen: list) -> Callable[[], int]:
                    """The row's session, chosen when its turn comes (it sees the seats taken);
                    `chosen` receives (skill value, track) for the summary."""
                    def resolve() -> int:
                        skill = cell_text(row.get(skill_col)) if skill_col else None
                        if session_id is not None:
                            chosen[:] = [skill, sessions.given(session_id, skill, via="--session")]
                            return session_id
                        sid = cell_int(row.get(sess_col), field="session") if sess_col else None
                        if sid is not None:
                            sessions.check_programme(sid)
                            chosen[:] = [skill, sessions.given(sid, skill, via=f"session column {sess_col!r}")]
                            return sid
                        sid, track = sessions.route(kel, skill, enroller.active_sessions(key) if key is not None else ())
                        chosen[:] = [skill, track]
                        return sid
                    return resolve

                def enroll_chunk() -> None:
                    # duplicate NIK inside the file (compared on its digits): earlier chunks are
                    # in `seen`, this chunk is checked in order
                    keys = [c[3] for c in chunk if c[3] is not None]
                    first_row = seen.lookup(keys) if keys else {}
                    fresh = []
                    items = []
                    for rowno, row, problems, key, person, session, _chosen in chunk:
                        if key is not None:
                            first = first_row.get(key)
                            if first is None:
                                first_row[key] = rowno
                                fresh.append((key, rowno))
                            else:
                                problems.append(problem(rowno, "nik", person.nik,
                                                        f"NIK {person.nik!r} is a duplicate of row {first}."))
                        if not problems:
                            items.append((person, session, options(rowno, key)))
                    if fresh:
                        seen.add(fresh)
                    for rows, out in writes.submit(items, list(chunk)):
                        report(rows, out)
                    chunk.clear()

                def report(rows: list[tuple], out: list) -> None:
                    """A chunk's outcomes, in file order (`out`: one per row without problems)."""
                    outcomes = iter(out)
                    for rowno, row, problems, key, _person, _session, chosen in rows:
                        if problems:
                            reject(rowno, row, problems)
                            continue
                        sid, result = next(outcomes)
                        if chosen:
                            tally.skill(chosen[0], chosen[1])
                        if result.__class__ is EnrollResult:
                            counts[result.status] += 1
                            if result.outside_domicile or result.nik_mismatch_accepted or result.name_change_accepted:
                                for what, ov, used in (("outside_domicile", ov_outside, result.outside_domicile),
                                                       ("nik_mismatch_accepted", ov_mismatch,
                                                        result.nik_mismatch_accepted),
                                                       ("name_change_accepted", ov_name, result.name_change_accepted)):
                                    if used:
                                        exceptions[what] += 1
                                        ov.used(rowno, key)
                            s = enroller.session(sid)
                            tally.session(s.id, s.kelurahan, s.skill, result.status)
                            if sessions.bound is not None and s.kelurahan_id != sessions.bound[0]:
                                warnings.add(f"placed in {s.label}, outside the file's kelurahan "
                                             f"{sessions.bound[1]} (--kelurahan)", rowno, "session", s.id)
                            for w in result.warnings:
                                note(rowno, row, w)
                        elif isinstance(result, ValidationError):
                            p = problem(rowno, result.field, _cell_value(row, result), str(result))
                            if result.override:
                                overridable.append((p, result.override))
                            reject(rowno, row, [p], getattr(result, "warnings", ()))
                        elif isinstance(result, (Conflict, NotFound)):
                            reject(rowno, row, [_session_problem(rowno, row, sid, str(result))],
                                   getattr(result, "warnings", ()))
                        else:
                            reject(rowno, row, [problem(rowno, None, None, str(result))])

                # a NIK column saved from a Number column (most NIKs end in 0): judged on its first rows
                head = []
                for item in src:
                    head.append(item)
                    if len(head) >= SUSPECT_SCAN_ROWS:
                        break
                suspect_zeros = suspect_number_column(r.get(c_nik) for _, r in head)
                clean = participant_row_cleaner(field_column, source=nik_kind, suspect_zeros=suspect_zeros)
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
                        clean = participant_row_cleaner(field_column, source=nik_kind, suspect_zeros=suspect_zeros)
                        col = mapping.get
                        c_sess, c_skill = col("session"), col("skill")
                    cells = clean(row)
                    for issue in cells.problems:
                        problems.append(problem(rowno, issue.field, issue.value, issue.message))
                    for issue in cells.warnings:
                        warnings.add(issue.message, rowno)
                    numeric_nik_rows += cells.nik_was_number
                    nik, kel = cells.nik, cells.kelurahan
                    person = PersonInput(
                        nik or "", cells.name or "", cells.birth_date, cells.sex, cells.address,
                        kel if kel is not None or sessions.bound is None else kelurahan,
                        cells.phone, cells.ak1_number, cells.ak1_date,
                        birth_place=cells.birth_place, work_status=cells.work_status,
                    )
                    key = None if nik is None else _nik_key(nik)
                    chosen: list = []
                    session = resolver(row, kel, c_sess, c_skill, key, chosen)
                    chunk.append((rowno, row, problems, key, person, session, chosen))
                    if len(chunk) >= CHUNK_ROWS:
                        enroll_chunk()
                enroll_chunk()
                for rows, out in writes.flush():
                    report(rows, out)
                for w in src.take_warnings():  # found while reading: hidden rows, later sheets
                    warnings.add(w)
                summary.notes = list(src.notes)
                summary.skipped = [dict(x) for x in src.skipped]
                summary.skip_notes = set(src.skip_notes)
                summary.columns = _column_preview(src)
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
                for ov in overrides.values():
                    for v in ov.unused():
                        warnings.add(f"{ov.option} {v}: no row needed it there; nothing was accepted for it.")
                if dry_run or (errors and on_error == "abort"):
                    raise _Rollback
                if not (counts["enrolled"] or counts["waitlisted"] or counts["updated"]):
                    nothing_to_write = True  # every row unchanged: the import writes nothing at all
                    raise _Rollback
                writes.commit("participant.import", {
                    "read": n, "enrolled": counts["enrolled"], "waitlisted": counts["waitlisted"],
                    "updated": counts["updated"], "unchanged": counts["unchanged"], "rejected": summary.rejected,
                    **{k: v for k, v in exceptions.items() if v},
                    **{f"{k}_for": ov.applied for k, ov in overrides.items() if ov.applied},
                    **({"kelurahan": summary.kelurahan} if summary.kelurahan else {}),
                })
                summary.written = True
        except _Rollback:
            if not dry_run and not nothing_to_write:
                # nothing was written: only read and rejected keep their meaning
                summary.enrolled = summary.waitlisted = summary.updated = summary.unchanged = 0
                placed = False
    finally:
        if rejects_writer is not None:
            rejects_writer.close()
        src.close()
        seen.close()
        if writes is not None:
            writes.close()
    summary.warnings = warnings.objects()
    summary.warning_lines = warnings.lines()
    summary.sessions = tally.sessions() if placed else []
    summary.skills = tally.skills()
    return summary


class _SameConnection:
    """Chunks decided and written on the import's own connection (Enroller.enroll_many),
    inside its write transaction; each chunk's outcomes are ready at once."""

    def __init__(self, enroller):
        self.enroller = enroller

    def submit(self, items: list, rows: list) -> list[tuple[list, list]]:
        return [(rows, self.enroller.enroll_many(items))]

    def flush(self) -> list[tuple[list, list]]:
        return []

    def commit(self, action: str, changes: dict) -> None:
        audit.record(self.enroller.db, action, changes)

    def close(self) -> None:
        pass


class _ProcessWrites:
    """Chunks decided here and written by a writer process (services/import_writer.py),
    which holds the transaction: while it writes chunk k, chunk k+1 is read and decided
    here. A chunk's outcomes are ready once its writes are made, because its
    possible-duplicate look-up runs there, after the chunks before it are written."""

    def __init__(self, db: Database):
        from pelatihan_cli.db import BUSY_TIMEOUT_MS
        from pelatihan_cli.services.enrollment import _PARTICIPANT_INSERT_SQL, _TWINS_SQL, _TWINS_UNKEYED_SQL
        from pelatihan_cli.services.import_writer import WriterProcess

        self.enroller = None
        self._writer = WriterProcess(str(os.path.abspath(db.path)), busy_timeout_ms=BUSY_TIMEOUT_MS,
                                     cache_kib=IMPORT_CACHE_KIB, twins_sql=(_TWINS_SQL, _TWINS_UNKEYED_SQL),
                                     people_sql=_PARTICIPANT_INSERT_SQL)
        self._next_ids: tuple[int, int] | None = None
        self._pending: tuple | None = None   # (rows, outcomes, writes) of the chunk being written

    @classmethod
    def start(cls, db: Database) -> _ProcessWrites | None:
        """The writer, holding the write lock; None when no process can be started here
        (then the import runs on its own connection). A lock not got in time, or another
        database error, is raised as on one connection."""
        from pelatihan_cli.services.import_writer import WriterDied

        try:
            return cls(db)
        except (OSError, WriterDied):   # no process to be had (limits), or it stopped at once
            return None

    def use(self, enroller) -> None:
        """The Enroller (made once the writer holds the lock; it reads beside it); it
        leaves the new people's name keys to the writer."""
        self.enroller = enroller
        enroller.defer_person_keys = True

    def submit(self, items: list, rows: list) -> list[tuple[list, list]]:
        out, writes = self.enroller.decide_many(items, self._next_ids)
        self._next_ids = writes.next_ids
        ready = self.flush()
        if writes or writes.twins:
            self._writer.send([e[:4] for e in writes.twins], writes.new_people, writes.statements(people=False))
            self._pending = (rows, out, writes)
        else:
            ready.append((rows, out))
        return ready

    def flush(self) -> list[tuple[list, list]]:
        """The chunk being written, once it is (with its possible-duplicate warnings)."""
        if self._pending is None:
            return []
        rows, out, writes = self._pending
        self._pending = None
        self.enroller.look_up_twins(writes.twins, self._writer.receive())
        return [(rows, out)]

    def commit(self, action: str, changes: dict) -> None:
        sql, params = audit.entry(action, changes)
        self._writer.commit([(sql, [params])])

    def close(self) -> None:
        self._writer.close()


#: the bare escape hatches of `participant enroll` and the import option that names rows
_BARE = {"allow_outside": ("--allow-outside", "--allow-outside-for"),
         "accept_nik_mismatch": ("--accept-nik-mismatch", "--accept-nik-mismatch-for")}


def _refuse_bare_overrides(db: Database, source, *, allow_outside: bool, accept_nik_mismatch: bool,
                           again: dict) -> None:
    """--allow-outside / --accept-nik-mismatch would cover every row of a file (one flag
    once let 12 swapped birth dates through): refused, naming the rows they would cover,
    found by checking the file without them (nothing is written)."""
    given = [k for k, on in (("allow_outside", allow_outside), ("accept_nik_mismatch", accept_nik_mismatch)) if on]
    flags = " and ".join(_BARE[k][0] for k in given)
    per_row = " / ".join(f"{_BARE[k][1]} ROW" for k in given)
    head = (f"{flags} would cover every row of the file; an import names the rows (or NIKs) it accepts: "
            f"{per_row} (repeatable).")
    if str(source) == "-":
        raise ValidationError(f"{head} Import without it to see which rows need it.", field=given[0], value=None)
    checked = import_participants(db, source, on_error="skip", dry_run=True, **again)
    needed = [(e, k) for e, k in checked.overridable if k in given]
    if not needed:
        raise ValidationError(f"{head} No row of this file needs it: drop {flags}.", field=given[0], value=None)
    by_flag = {k: sorted({e["row"] for e, o in needed if o == k}) for k in given}
    covered = "; ".join(f"{_BARE[k][0]} {_rows_text(r)}" for k, r in by_flag.items() if r)
    example = " ".join(f"{_BARE[k][1]} {_row_target(min(e['row'] for e, o in needed if o == k))}" for k in given
                       if any(o == k for _, o in needed))
    raise RowErrors(f"{head} It would cover {covered} (below): check each row, and name only those whose KTP "
                    f"really differs or who may train outside their kelurahan, e.g. {example}.",
                    [e for e, _ in needed])


def _column_preview(src) -> list[dict]:
    """Every column as the map stage read it ({header, field, reason}), then the hidden
    columns that were left out."""
    out = [c.as_dict() for c in map_headers(src.columns, PARTICIPANT_ALIASES).columns]
    out += [{"header": h, "field": None, "reason": "hidden column; --include-hidden reads it"}
            for h in src.hidden_columns]
    return out


def _row_target(row: int) -> str:
    """How an override option names this row: '12', or 'Medono:12' (quoted for the shell
    when the sheet's name needs it) for a row of a workbook read with --all-sheets."""
    if isinstance(row, SheetRow):
        import shlex

        return shlex.quote(row.target())
    return str(row)


def _rows_text(rows: list[int]) -> str:
    """'rows 3–5' for plain rows; each row with its sheet for rows of several sheets."""
    if any(isinstance(r, SheetRow) for r in rows):
        return ("row " if len(rows) == 1 else "rows ") + ", ".join(map(str, rows))
    from pelatihan_cli.importing.report import row_ranges

    return f"row{'s' if len(rows) > 1 else ''} {row_ranges(rows)}"


def _nik_key(nik: str) -> str:
    s = nik.strip()
    if len(s) == 16 and s.isdigit():
        return s
    return "".join(ch for ch in s if ch not in " .-\t\u00a0")
