"""Backup and restore of the whole database with SQLite's online backup API.

`backup` copies a consistent snapshot even while other processes write (in WAL mode the
copy reads one snapshot while writers carry on), writes it to a temporary file next to
the target, checks it (PRAGMA integrity_check, and that it opens as a pelatihan
database), logs it, and only then puts it in place, so a crash never leaves a
half-written file under the name the operator asked for, nor a backup file that the
audit log does not know (see "the audit entry of a backup and its file" below).

`restore` checks the file first (SQLite, ours, schema not newer, integrity ok), keeps
the current database as a timestamped backup beside it, prepares the backup in a staging
copy (migrated, with the audit entries written since the backup and the restore entry),
then copies that into the live database through the same backup API. Writing through
SQLite (instead of replacing the file on disk) keeps the -wal and -shm files and other
open connections consistent.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from pelatihan_cli.db import (
    BUSY_TIMEOUT_MS,
    _check_file,
    check_ownership,
    open_db,
    resolve_db_path,
    schema_version,
    write_transaction,
)
from pelatihan_cli.errors import Conflict, DatabaseError, ValidationError
from pelatihan_cli.services import audit


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    schema_version: str | None
    counts: dict
    logged: bool = True  # False: a read-only database, whose log cannot hold the entry


def timestamp(now: dt.datetime | None = None) -> str:
    if now is None:
        from pelatihan_cli import clock

        now = clock.now()  # the office's local time, as the file name is read
    return now.strftime("%Y%m%d-%H%M%S")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _target_path(db_path: Path, target: Path, force: bool) -> Path:
    if target.is_dir():
        target = target / f"{db_path.stem}-{timestamp()}.db"
    if _same_file(db_path, target):
        raise ValidationError(
            f"{target} is the database itself; give another file name for the backup.", field="file", value=str(target)
        )
    if not target.parent.is_dir():
        raise ValidationError(
            f"The directory {target.parent} does not exist; create it or choose another file.",
            field="file",
            value=str(target),
        )
    if target.exists() and not force:
        raise Conflict(f"{target} already exists; choose another file name, or add --force to overwrite it.")
    return target


def _counts(conn: sqlite3.Connection) -> dict:
    names = ("kelurahan", "session", "participant", "enrollment", "attendance")
    return {n: conn.execute(f"SELECT count(*) FROM [{n}]").fetchone()[0] for n in names}


def verify(path: Path) -> dict:
    """Check that `path` is a sound pelatihan database without writing to it.

    Returns {"schema_version", "counts", "pending"}; raises DatabaseError otherwise."""
    path = Path(path)
    if not path.exists():
        raise DatabaseError(f"{path} does not exist.")
    _check_file(path, create=False)
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as e:
        raise DatabaseError(f"Cannot open {path}: {e}.") from e
    try:
        db = Database(conn, execute_plugins=False)
        pending = check_ownership(db, path)
        tables = set(db.table_names())
        if "_sqlite_migrations" not in tables:
            raise DatabaseError(f"{path} is an empty SQLite file, not a pelatihan database.")
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if problems != ["ok"]:
            raise DatabaseError(
                f"{path} is damaged (integrity check: {'; '.join(problems[:3])}). Use another backup."
            )
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            raise DatabaseError(f"{path} has {len(fk)} broken reference(s) between tables. Use another backup.")
        return {"schema_version": schema_version(db), "counts": _counts(conn) if not pending else {}, "pending": pending}
    except sqlite3.DatabaseError as e:
        raise DatabaseError(f"{path} is not a usable SQLite database ({e}).") from e
    finally:
        conn.close()


def _copy(src: sqlite3.Connection, dest_path: Path) -> None:
    """Online backup of `src` into a fresh file, then make it a single self-contained
    file (rollback journal, no -wal needed)."""
    dest = sqlite3.connect(str(dest_path))
    try:
        # pages=-1: one step, one read snapshot of the source; writers in WAL mode go on
        src.backup(dest, pages=-1)
        dest.execute("PRAGMA journal_mode = DELETE")
        dest.commit()
    finally:
        dest.close()


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process: treat it as running
    return True


def _remove_stale_temporaries(target: Path, keep: set[str] = frozenset()) -> None:
    """Temporary files of backups to `target` whose process was killed (except those a
    pending backup entry still refers to: `reconcile` settles them)."""
    for leftover in target.parent.glob(f".{target.name}.tmp-*"):
        pid = leftover.name.removesuffix("-journal").rsplit("-", 1)[-1]
        if str(leftover.parent.resolve() / leftover.name.removesuffix("-journal")) in keep:
            continue
        try:
            if _process_alive(int(pid)):
                continue  # that backup is still running
        except ValueError:
            pass
        try:
            leftover.unlink()
        except OSError:
            pass


def _step(name: str) -> None:
    """A named point of `backup` (copied, verified, locking, logged, committed, linked,
    renamed, done). Does nothing; the fault tests replace it to kill the process there."""


# --- the audit entry of a backup and its file --------------------------------------
#
# A backup file exists if and only if its 'ops.backup' entry does. Neither a rename nor a
# commit can be undone by the other, so the entry is written first, with a note of what is
# still to happen, and the note is settled afterwards:
#
#   1. the copy is made and checked under a hidden temporary name (.NAME.tmp-PID);
#   2. one transaction (this is where a backup waits for the write lock) adds the
#      'ops.backup' entry and a pending note in the `setting` table, key
#      'backup.pending.<entry id>', value {tmp, target, pid, host};
#   3. the temporary file is renamed into place (without --force: linked, so that a file
#      that appeared meanwhile is never overwritten, then the temporary name removed);
#   4. the note is deleted.
#
# Killed before 2 commits: no entry, no file (a hidden temporary at most, removed by the
# next backup to that name). Killed between 2 and 4: `reconcile` (run on the next open of
# the database by any command) looks at the file system: the temporary name gone (or the
# same file as the target) means the rename happened and the note is just deleted; the
# temporary file still there means the file never appeared, so an 'ops.backup.failed'
# entry naming the first one is appended (the log stays append-only) in the same
# transaction that deletes the note, and the temporary file is removed. A note whose
# process is still running (same host, live pid) is left alone.

PENDING = "backup.pending."


def _pending_notes(db: Database) -> list[tuple[int, dict]]:
    rows = db.execute(
        "SELECT key, value FROM setting WHERE key >= ? AND key < ?", [PENDING, PENDING[:-1] + "/"]
    ).fetchall()
    notes = []
    for key, value in rows:
        try:
            notes.append((int(key[len(PENDING):]), json.loads(value)))
        except (ValueError, TypeError):
            continue
    return notes


def _note_outcome(note: dict) -> str | None:
    """'done' (the file was put in place), 'failed' (it never was) or None (in flight)."""
    import socket

    tmp, target = Path(note.get("tmp", "")), Path(note.get("target", ""))
    if not tmp.exists():
        return "done"
    try:
        if target.exists() and os.path.samefile(tmp, target):
            return "done"  # linked into place; only the temporary name was left
    except OSError:
        pass
    if note.get("host") != socket.gethostname():
        return None  # another computer's backup: its pid says nothing here
    pid = int(note.get("pid", 0))
    if pid == os.getpid() or _process_alive(pid):
        return None
    return "failed"


def reconcile(db: Database) -> int:
    """Settle the notes of backups whose process ended between writing the entry and
    putting the file in place (see above). Returns how many 'ops.backup.failed' entries
    were added. Cheap when there is nothing to settle: one read of the `setting` table."""
    if getattr(db, "read_only", False) or not _pending_notes(db):
        return 0
    failed = 0
    for entry_id, _note in _pending_notes(db):
        key = f"{PENDING}{entry_id}"
        try:
            with write_transaction(db):
                row = db.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
                note = json.loads(row[0]) if row else None
                outcome = _note_outcome(note) if note else None
                if outcome == "failed":
                    audit.record(db, "ops.backup.failed", {
                        "entry": entry_id, "file": note.get("target"),
                        "reason": "interrupted before the file was put in place; no backup was written",
                    })
                if outcome:
                    db.execute("DELETE FROM setting WHERE key = ?", [key])
        except sqlite3.OperationalError:
            break  # locked by a long write: the notes stay for the next open; no command fails for this
        failed += outcome == "failed"
        if outcome:
            # 'failed': the copy that never became the backup; 'done' after a link: the
            # temporary second name of the backup file (the file itself stays)
            _unlink_quietly(Path(note["tmp"]))
    return failed


def _unlink_quietly(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-journal")):
        try:
            p.unlink()
        except OSError:
            pass


def _put_in_place(tmp: Path, target: Path, force: bool) -> None:
    if force:
        os.replace(tmp, target)
        return
    try:
        os.link(tmp, target)  # fails if a file appeared at target meanwhile
    except FileExistsError:
        raise Conflict(
            f"{target} appeared while the backup was being made; nothing was written there. "
            "Choose another file name, or add --force to overwrite it."
        ) from None
    except OSError:
        # a filesystem without hard links: rename, still refusing a file that is there now
        if target.exists():
            raise Conflict(f"{target} already exists; choose another file name, or add --force to overwrite it.") from None
        os.replace(tmp, target)
        return
    _step("linked")
    _unlink_quietly(tmp)  # the backup is in place; this only drops its temporary name


def _settle_failed(db: Database, entry_id: int, target: Path, reason: str) -> bool:
    """The entry was written but the file could not be put in place: append
    'ops.backup.failed' and delete the note, in one transaction. False if that failed
    too (the note then stays, and the next open settles it)."""
    try:
        with write_transaction(db):
            audit.record(db, "ops.backup.failed", {"entry": entry_id, "file": str(target), "reason": reason})
            db.execute("DELETE FROM setting WHERE key = ?", [f"{PENDING}{entry_id}"])
        return True
    except sqlite3.Error:
        return False


def backup(db: Database, target: Path | str, *, force: bool = False) -> BackupResult:
    """Copy the open database `db` to `target` (a file, or a directory to put a
    timestamped file in). Refuses to overwrite unless `force`.

    The file and its 'ops.backup' entry come together (see the protocol above): when the
    command fails or is killed there is neither, or the next open settles the entry with
    an 'ops.backup.failed' one. A read-only database cannot hold an entry: its backup is
    made without one (BackupResult.logged is False)."""
    import socket

    db_path = Path(db.path)  # type: ignore[attr-defined]
    target = _target_path(db_path, Path(target), force)
    read_only = getattr(db, "read_only", False)
    reconcile(db)
    _remove_stale_temporaries(target, {n.get("tmp", "") for _i, n in _pending_notes(db)})
    tmp = target.parent.resolve() / f".{target.name}.tmp-{os.getpid()}"
    entry_id: int | None = None
    note_open = placed = False
    try:
        try:
            _copy(db.conn, tmp)
            _step("copied")
            facts = verify(tmp)
            size = tmp.stat().st_size
            _step("verified")
            if not read_only:
                note = {"tmp": str(tmp), "target": str(target.parent.resolve() / target.name),
                        "pid": os.getpid(), "host": socket.gethostname()}
                _step("locking")
                with write_transaction(db):  # waits here for the write lock
                    entry_id = audit.record(db, "ops.backup", {"file": str(target), "bytes": size, **facts["counts"]})
                    db.execute("INSERT INTO setting (key, value) VALUES (?, ?)",
                               [f"{PENDING}{entry_id}", json.dumps(note, sort_keys=True)])
                    _step("logged")
                note_open = True
                _step("committed")
        except sqlite3.Error as e:
            low = str(e).lower()
            if "locked" in low or "busy" in low:
                raise DatabaseError(
                    "The database stayed locked by another pelatihan process for too long, so the backup "
                    f"could not be logged; nothing was written to {target}. Run the command again."
                ) from e
            raise DatabaseError(f"The backup to {target} failed ({e}); nothing was written there.") from e
        try:
            _put_in_place(tmp, target, force)
        except (Conflict, OSError) as e:
            reason = str(e) if isinstance(e, Conflict) else f"{e.strerror or e}"
            if entry_id is not None and _settle_failed(db, entry_id, target, reason):
                note_open = False
            if isinstance(e, Conflict):
                raise
            raise DatabaseError(f"The backup to {target} could not be put in place ({reason}); nothing was written there.") from e
        placed = True
        _step("renamed")
        if entry_id is not None:
            try:
                with write_transaction(db):
                    db.execute("DELETE FROM setting WHERE key = ?", [f"{PENDING}{entry_id}"])
            except sqlite3.OperationalError:
                pass  # locked: the next open finds the file in place and deletes the note
        _step("done")
    finally:
        # while a note is open and the file is not in place, the temporary file is the
        # evidence that `reconcile` needs: keep it
        if placed or not note_open:
            _unlink_quietly(tmp)
    return BackupResult(target, size, facts["schema_version"], facts["counts"], logged=not read_only)


def _move_aside(db_path: Path, label: str) -> Path:
    """Rename the database (and its -wal/-shm) to `<name>.<label>-<time>.db`."""
    kept = db_path.with_name(f"{db_path.stem}.{label}-{timestamp()}{db_path.suffix or '.db'}")
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            os.replace(side, kept.with_name(kept.name + suffix))
    os.replace(db_path, kept)
    return kept


def _not_a_backup(e: DatabaseError) -> DatabaseError:
    """The file checks' message for a restore: their hints about --db (the database in use)
    do not apply to the backup file given to restore."""
    import re

    sentences = re.split(r"(?<=\.) ", str(e))
    kept = [s for s in sentences if "--db" not in s and "PELATIHAN_DB" not in s]
    hint = "; give a file made by `pelatihan backup`." if len(kept) < len(sentences) else "."
    return DatabaseError(" ".join(kept) + " Nothing was restored" + hint)


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous_kept_as: Path | None
    schema_version: str | None
    counts: dict
    entries_kept: int = 0  # audit entries written since the backup, carried over
    entries_lost: int | str = 0  # "unknown": the replaced database was damaged


# --- restore keeps the log ----------------------------------------------------------

AUDIT_COLUMNS = ("id", "at", "os_user", "command", "action", "changes")
# the smallest an audit row can be in a file (its time alone is 19 bytes): used to bound
# the ids a damaged database may have held, when not even its last id can be read
MIN_AUDIT_ROW_BYTES = 40


@dataclass(frozen=True)
class _LaterEntries:
    """The audit entries of the database being replaced that the backup does not have."""

    rows: list[tuple]  # AUDIT_COLUMNS, oldest first
    last_id: int  # the highest id the replaced database had (or, damaged, could have had)
    complete: bool  # False: the replaced database was damaged and entries may be lost


def _last_audit_id(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]


def _later_entries(conn: sqlite3.Connection, after: int) -> _LaterEntries:
    rows = conn.execute(
        f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit_log WHERE id > ? ORDER BY id", [after]).fetchall()
    return _LaterEntries([tuple(r) for r in rows], _last_audit_id(conn), True)


def _salvage_later_entries(path: Path, after: int) -> _LaterEntries:
    """Read what can still be read of a damaged database's log (read-only, best effort)."""
    rows: list[tuple] = []
    last: int | None = None
    complete = False
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        conn = None
    if conn is not None:
        try:
            try:
                last = _last_audit_id(conn)
            except sqlite3.Error:
                last = None
            try:
                cur = conn.execute(
                    f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit_log WHERE id > ? ORDER BY id", [after])
                for row in cur:
                    rows.append(tuple(row))
                complete = last is not None
            except sqlite3.Error:
                complete = False
        finally:
            conn.close()
    if last is None:
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        last = after + size // MIN_AUDIT_ROW_BYTES  # it cannot have held more rows than that
    return _LaterEntries(rows, max([last, after, *(r[0] for r in rows[-1:])]), complete)


def _remove_stale_staging(db_path: Path) -> None:
    for leftover in db_path.parent.glob(f".{db_path.name}.restore-*.tmp*"):
        pid = leftover.name.split(".restore-", 1)[1].split(".", 1)[0]
        try:
            if _process_alive(int(pid)):
                continue
        except ValueError:
            pass
        _unlink_quietly(leftover)


def restore(db_path: Path | str | None, source: Path | str) -> RestoreResult:
    """Replace the database at `db_path` (None: the default location) with the contents of
    `source`, after checking `source` and keeping the current database as
    `<name>.before-restore-<time>.db`. A missing database is created (disaster recovery).

    The audit log is append-only, so a restore does not take it back in time: the entries
    the current database has after the backup's last one (written since the backup was
    taken) are carried over with their ids, followed by the 'ops.restore' entry, whose id
    is above every id the replaced database had. When the current database is damaged, what
    can still be read of its log is carried over, and the restore entry says whether
    entries were lost ("entries_lost": 0 or "unknown"); its id then skips past the most
    entries the damaged file could have held.

    The backup is prepared in a hidden staging copy (migrated, log entries added), then
    copied into the live database in one step: a restore killed midway leaves the old
    database or the new one, never a restored database without its log. (The live
    database's log is read just before that step, not under its write lock: the backup
    API cannot write into a connection that holds a transaction. A write committed by
    another process in that instant would be lost; restore is not something to run while
    others work.)"""
    option = db_path
    db_path = resolve_db_path(db_path)
    source = Path(source)
    if not source.exists():
        raise ValidationError(f"{source} does not exist; give the path of a backup file.", field="file", value=str(source))
    if source.is_dir():
        raise ValidationError(f"{source} is a directory; give the path of a backup file.", field="file", value=str(source))
    if _same_file(source, db_path):
        raise ValidationError(f"{source} is the database in use; give the path of a backup file.", field="file", value=str(source))
    try:
        verify(source)
    except DatabaseError as e:
        raise _not_a_backup(e) from e
    src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        backup_last_id = _last_audit_id(src)
    finally:
        src.close()

    existed = db_path.exists()
    damaged_kept: Path | None = None
    later: _LaterEntries | None = None
    kept: Path | None = None

    def set_damaged_aside() -> None:
        # a damaged database (what restore is for): move it and its -wal/-shm aside and
        # read what can still be read of its log
        nonlocal damaged_kept, later, existed
        damaged_kept = _move_aside(db_path, "damaged")
        later = _salvage_later_entries(damaged_kept, backup_last_id)
        existed = False

    try:
        db = open_db(option, create=True)  # current database: refused if it is not ours
    except DatabaseError as e:
        if not getattr(e, "damaged", False):
            raise
        set_damaged_aside()
        db = open_db(option, create=True)
    staging = db_path.parent.resolve() / f".{db_path.name}.restore-{os.getpid()}.tmp"
    try:
        if getattr(db, "read_only", False):
            raise DatabaseError(f"{db_path} is read-only; make it writable (chmod u+w) before restoring into it.")
        if existed:
            kept = db_path.with_name(f"{db_path.stem}.before-restore-{timestamp()}{db_path.suffix or '.db'}")
            n = 1
            while kept.exists():
                n += 1
                kept = db_path.with_name(f"{db_path.stem}.before-restore-{timestamp()}-{n}{db_path.suffix or '.db'}")
            try:
                _copy(db.conn, kept)
                verify(kept)
            except (DatabaseError, sqlite3.DatabaseError):
                # damaged where opening it does not look (a table's pages): the copy would
                # be damaged too, so the database is moved aside as damaged instead
                db.conn.close()
                for suffix in ("", "-journal"):
                    _unlink_quietly(Path(str(kept) + suffix))
                kept = None
                set_damaged_aside()
                db = open_db(option, create=True)
        try:
            reconcile(db)  # interrupted backups get their 'ops.backup.failed' entry first
        except sqlite3.DatabaseError:
            pass  # never in the way of a restore; the entries say what they can
        _remove_stale_staging(db_path)
        src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            _copy(src, staging)
        finally:
            src.close()
        stage = open_db(staging)  # applies migrations if the backup is older
        try:
            if later is None:  # read as late as possible, just before the switch
                later = _later_entries(db.conn, backup_last_id) if existed else _LaterEntries([], 0, True)
            notes = _pending_notes(db) if existed else []
            with write_transaction(stage):
                marks = ", ".join("?" for _ in AUDIT_COLUMNS)
                for row in later.rows:
                    stage.execute(f"INSERT INTO audit_log ({', '.join(AUDIT_COLUMNS)}) VALUES ({marks})", list(row))
                for entry_id, note in notes:  # backups still in flight in other processes
                    stage.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                                  [f"{PENDING}{entry_id}", json.dumps(note, sort_keys=True)])
                counts = _counts(stage.conn)
                changes: dict = {**counts, "entries_kept": len(later.rows)}
                if damaged_kept:
                    changes["damaged_kept_as"] = str(damaged_kept)
                    changes["entries_lost"] = 0 if later.complete else "unknown"
                audit.record(stage, "ops.restore", changes, min_id=max(backup_last_id, later.last_id) + 1)
            stage.execute("PRAGMA journal_mode = DELETE")
            version = schema_version(stage)
        finally:
            stage.conn.close()
        prepared = sqlite3.connect(str(staging))
        try:
            page_size = prepared.execute("PRAGMA page_size").fetchone()[0]
            # a WAL destination must have the source's page size; switch it briefly if not
            if db.execute("PRAGMA page_size").fetchone()[0] != page_size:
                db.execute("PRAGMA journal_mode = DELETE")
                db.execute(f"PRAGMA page_size = {int(page_size)}")
            prepared.backup(db.conn, pages=-1)
        except sqlite3.Error as e:
            raise DatabaseError(
                f"Restoring {source} failed ({e}); the database was not changed"
                + (f" (its copy is kept at {kept})." if kept else ".")
            ) from e
        finally:
            prepared.close()
    finally:
        db.conn.close()
        for suffix in ("", "-journal", "-wal", "-shm"):
            _unlink_quietly(Path(str(staging) + suffix))

    open_db(option).conn.close()  # WAL again, as pelatihan leaves a database
    return RestoreResult(source, kept or damaged_kept, version, counts,
                         len(later.rows), changes.get("entries_lost", 0))
