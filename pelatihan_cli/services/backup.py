"""Backup and restore of the whole database with SQLite's online backup API.

`backup` copies a consistent snapshot even while other processes write (in WAL mode the
copy reads one snapshot while writers carry on), writes it to a temporary file next to
the target, checks it (PRAGMA integrity_check, and that it opens as a pelatihan
database), and only then renames it into place, so a crash never leaves a half-written
file under the name the operator asked for.

`restore` checks the file first (SQLite, ours, schema not newer, integrity ok), keeps
the current database as a timestamped backup beside it, then copies the file into the
live database through the same backup API. Writing through SQLite (instead of replacing
the file on disk) keeps the -wal and -shm files and other open connections consistent.
"""

from __future__ import annotations

import datetime as dt
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


def timestamp(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")


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


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary files of backups to `target` whose process was killed."""
    for leftover in target.parent.glob(f".{target.name}.tmp-*"):
        pid = leftover.name.removesuffix("-journal").rsplit("-", 1)[-1]
        try:
            os.kill(int(pid), 0)
            continue  # that backup is still running
        except (ValueError, ProcessLookupError):
            pass
        except PermissionError:
            continue
        try:
            leftover.unlink()
        except OSError:
            pass


def backup(db: Database, target: Path | str, *, force: bool = False) -> BackupResult:
    """Copy the open database `db` to `target` (a file, or a directory to put a
    timestamped file in). Refuses to overwrite unless `force`."""
    db_path = Path(db.path)  # type: ignore[attr-defined]
    target = _target_path(db_path, Path(target), force)
    _remove_stale_temporaries(target)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        _copy(db.conn, tmp)
        facts = verify(tmp)
        os.replace(tmp, target)
    except sqlite3.Error as e:
        raise DatabaseError(f"The backup to {target} failed ({e}); nothing was written there.") from e
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            try:
                leftover.unlink()
            except FileNotFoundError:
                pass
    if not getattr(db, "read_only", False):
        with write_transaction(db):
            audit.record(db, "ops.backup", {"bytes": target.stat().st_size, **facts["counts"]})
    return BackupResult(target, target.stat().st_size, facts["schema_version"], facts["counts"])


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


def restore(db_path: Path | str | None, source: Path | str) -> RestoreResult:
    """Replace the database at `db_path` (None: the default location) with the contents of
    `source`, after checking `source` and keeping the current database as
    `<name>.before-restore-<time>.db`. A missing database is created (disaster recovery)."""
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

    existed = db_path.exists()
    damaged_kept: Path | None = None
    try:
        db = open_db(option, create=True)  # current database: refused if it is not ours
    except DatabaseError as e:
        if not getattr(e, "damaged", False):
            raise
        # a damaged database (what restore is for): move it and its -wal/-shm aside
        damaged_kept = _move_aside(db_path, "damaged")
        existed = False
        db = open_db(option, create=True)
    try:
        if getattr(db, "read_only", False):
            raise DatabaseError(f"{db_path} is read-only; make it writable (chmod u+w) before restoring into it.")
        kept: Path | None = None
        if existed:
            kept = db_path.with_name(f"{db_path.stem}.before-restore-{timestamp()}{db_path.suffix or '.db'}")
            n = 1
            while kept.exists():
                n += 1
                kept = db_path.with_name(f"{db_path.stem}.before-restore-{timestamp()}-{n}{db_path.suffix or '.db'}")
            _copy(db.conn, kept)
            verify(kept)
        src = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            page_size = src.execute("PRAGMA page_size").fetchone()[0]
            # a WAL destination must have the source's page size; switch it briefly if not
            if db.execute("PRAGMA page_size").fetchone()[0] != page_size:
                db.execute("PRAGMA journal_mode = DELETE")
                db.execute(f"PRAGMA page_size = {int(page_size)}")
            src.backup(db.conn, pages=-1)
        except sqlite3.Error as e:
            raise DatabaseError(
                f"Restoring {source} failed ({e}); the database was not changed"
                + (f" (its copy is kept at {kept})." if kept else ".")
            ) from e
        finally:
            src.close()
    finally:
        db.conn.close()

    db = open_db(db_path)  # applies migrations if the backup is older, sets WAL again
    try:
        with write_transaction(db):
            counts = _counts(db.conn)
            audit.record(db, "ops.restore", counts)
        return RestoreResult(source, kept or damaged_kept, schema_version(db), counts)
    finally:
        db.conn.close()
