"""Facts about the database for `pelatihan info`."""

from __future__ import annotations

from sqlite_utils import Database

from pelatihan_cli import __version__
from pelatihan_cli.db import schema_version

COUNTED = [
    "kelurahan", "skill", "instructor", "holiday", "session", "participant",
    "enrollment", "attendance", "setting", "audit_log",
]


def database_info(db: Database) -> dict:
    counts = {t: db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in COUNTED}
    return {
        "path": str(db.path),
        "schema_version": schema_version(db),
        "pelatihan_version": __version__,
        "read_only": bool(getattr(db, "read_only", False)),
        "counts": counts,
    }
