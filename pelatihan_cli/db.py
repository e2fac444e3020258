"""Open the pelatihan database: check the file is ours, apply migrations, set pragmas.

Every command goes through `open_db`. A file that is not a pelatihan database is refused
before anything is written to it, so its bytes stay exactly as they were. A missing file
is created only when asked (`create=True`: `pelatihan init` and `pelatihan restore`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path
from typing import Iterator

from sqlite_utils import Database

from pelatihan_cli.errors import DatabaseError
from pelatihan_cli.migrations import MIGRATION_SET, migrations

ENV_VAR = "PELATIHAN_DB"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000
MIGRATIONS_TABLE = "_sqlite_migrations"


def default_db_path() -> Path:
    """`$PELATIHAN_DB`, else pelatihan.db in the user data directory."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path("pelatihan", appauthor=False) / "pelatihan.db"


def resolve_db_path(option: str | os.PathLike | None) -> Path:
    return Path(option) if option else default_db_path()


def _is_read_only(path: Path) -> bool:
    # root passes os.access() on a chmod 444 file, so the mode bits count too
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not os.access(path, os.W_OK) or not (mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _check_file(path: Path, *, create: bool) -> bool:
    """Refuse paths that cannot be a pelatihan database. Returns True if the file exists."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a database file. Give a file path with --db.")
    if not path.exists():
        parent = path.parent
        if not parent.exists():
            if not create:
                raise DatabaseError(
                    f"The directory {parent} does not exist. Create it, or choose another path with --db."
                )
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise DatabaseError(f"Cannot create the directory {parent}: {e.strerror}.") from e
        elif not parent.is_dir():
            raise DatabaseError(f"{parent} is not a directory. Choose another path with --db.")
        return False
    try:
        with path.open("rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except OSError as e:
        raise DatabaseError(f"Cannot read {path}: {e.strerror}.") from e
    if not head:
        raise DatabaseError(
            f"{path} is an empty file, not a pelatihan database. "
            "Remove it or choose another path with --db; pelatihan creates the file itself."
        )
    if head != SQLITE_MAGIC:
        raise DatabaseError(
            f"{path} is not a SQLite database (it looks like another kind of file). "
            "Check the path given with --db or PELATIHAN_DB."
        )
    return True


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    try:
        if read_only:
            uri = path.resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        else:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return conn
    except sqlite3.Error as e:
        raise DatabaseError(f"Cannot open {path}: {e}.") from e


def _create_new(path: Path) -> None:
    """Create a migrated database at `path` without ever exposing a half-made file.

    The database is built under a temporary name beside `path` and linked into place;
    if another process got there first, its file is kept. So no process ever sees an
    empty file that is about to become a database (an empty file is refused)."""
    import secrets

    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        conn = sqlite3.connect(str(tmp))
        try:
            migrations.apply(Database(conn, execute_plugins=False))
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process created it meanwhile: use theirs
        except OSError:
            if not path.exists():  # filesystems without hard links
                os.replace(tmp, path)
    except OSError as e:
        raise DatabaseError(f"Cannot create {path}: {e.strerror}.") from e
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(str(tmp) + suffix)
            except FileNotFoundError:
                pass


def _unusable(path: Path | str, e: sqlite3.Error) -> DatabaseError:
    """The error for a file SQLite cannot use; a full disk is named as such (SQLite then
    only says 'disk I/O error', because it cannot even create the -shm file)."""
    import shutil

    try:
        free = shutil.disk_usage(Path(path).resolve().parent).free
    except OSError:
        free = None
    low = str(e).lower()
    if free is not None and free < 256 * 1024 and ("i/o" in low or "full" in low):
        return DatabaseError(
            f"The disk holding {path} is full ({free:,} bytes free), so the database cannot be opened; "
            "nothing was changed. Free some space and run the command again."
        )
    if "malformed" in low:
        err = DatabaseError(
            f"{path} is damaged ({e}). Restore it from a backup with `pelatihan restore FILE` "
            "(the damaged file is kept beside it)."
        )
        err.damaged = True  # type: ignore[attr-defined]
        return err
    return DatabaseError(f"{path} is not a usable SQLite database ({e}).")


def check_ownership(db: Database, path: Path | str) -> list[str]:
    """Raise unless the database is empty or ours, and not newer than this pelatihan.

    Returns the names of pending migrations. Read-only: writes nothing."""
    try:
        tables = set(db.table_names())
    except sqlite3.DatabaseError as e:
        raise _unusable(path, e) from e
    known = [m.name for m in migrations._migrations]
    applied: list[str] = []
    if MIGRATIONS_TABLE in tables:
        applied = [
            r[0]
            for r in db.execute(
                f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ?", [MIGRATION_SET]
            ).fetchall()
        ]
    user_tables = {t for t in tables if not t.startswith("sqlite_") and t != MIGRATIONS_TABLE}
    if user_tables and not applied:
        sample = ", ".join(sorted(user_tables)[:3])
        raise DatabaseError(
            f"{path} is a SQLite database of another application (tables: {sample}), "
            "not a pelatihan database. Choose another path with --db."
        )
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise DatabaseError(
            f"{path} was written by a newer version of pelatihan (schema {unknown[-1]}). "
            "Upgrade pelatihan to use it."
        )
    return [name for name in known if name not in applied]


def missing_database_message(path: Path) -> str:
    """What to say when there is no database at `path` (only init and restore create one)."""
    import shlex

    return f"no database at {path}; create it with pelatihan --db {shlex.quote(str(path))} init"


def open_db(path: str | os.PathLike | None = None, *, create: bool = False) -> Database:
    """Open and migrate the database at `path` (default: see `default_db_path`). Refuses
    files that are not pelatihan databases, unchanged.

    A missing file is refused (DatabaseError, nothing created) unless `create`: only
    `pelatihan init` and `pelatihan restore` make a new database, so a mistyped --db path
    is an error instead of an empty database."""
    # only the default location's directory is created; a --db/PELATIHAN_DB path in a
    # missing directory is most likely a typo, so it is refused
    explicit = path is not None or bool(os.environ.get(ENV_VAR))
    path = resolve_db_path(path)
    if not create and not path.is_dir() and not path.exists():
        raise DatabaseError(missing_database_message(path))
    existed = _check_file(path, create=create and not explicit)
    if not existed:
        if not create:  # removed since the check above
            raise DatabaseError(missing_database_message(path))
        _create_new(path)
        existed = True
    read_only = existed and _is_read_only(path)
    conn = _connect(path, read_only=read_only)
    db = Database(conn, execute_plugins=False)
    try:
        pending = check_ownership(db, path)
        if pending:
            if read_only:
                raise DatabaseError(
                    f"{path} is read-only and needs upgrading to this version of pelatihan. "
                    "Make it writable (chmod u+w) and run the command again."
                )
            # under the write lock, so that two processes opening a new file at once
            # do not both apply the same migration
            with write_transaction(db):
                if check_ownership(db, path):
                    migrations.apply(db)
        if not read_only:
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as e:
        conn.close()
        if any(w in str(e).lower() for w in ("full", "i/o", "malformed")):
            raise _unusable(path, e) from e
        raise DatabaseError(f"{path} cannot be used: {e}.") from e
    except BaseException:
        conn.close()
        raise
    db.path = path  # type: ignore[attr-defined]
    db.read_only = read_only  # type: ignore[attr-defined]
    return db


def schema_version(db: Database) -> str | None:
    rows = db.execute(
        f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ? ORDER BY id DESC LIMIT 1",
        [MIGRATION_SET],
    ).fetchall()
    return rows[0][0] if rows else None


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One `BEGIN IMMEDIATE` transaction (or a savepoint when already inside one).

    IMMEDIATE takes the write lock up front, so a check-then-write (capacity,
    uniqueness) cannot interleave with another writer; waiting writers queue on the
    busy timeout instead of failing with 'database is locked'."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise
    else:
        conn.commit()


class _DryRun(Exception):
    """Raised at the end of a dry run's transaction so that it rolls back."""


@contextlib.contextmanager
def dry_run_transaction(db: Database, dry_run: bool) -> Iterator[Database]:
    """A bulk write's --dry-run: with `dry_run`, everything inside runs in one transaction
    (checks, writes and audit entries as for real) that is then rolled back, so the counts
    are the real ones and nothing is kept; without it, a plain pass-through."""
    if not dry_run:
        yield db
        return
    try:
        with write_transaction(db):
            yield db
            raise _DryRun
    except _DryRun:
        pass
