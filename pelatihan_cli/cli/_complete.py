"""Shell completion of values from the database: kelurahan, skills, instructors,
programmes and session ids with their label.

Only run when the shell asks (TAB), never at start-up. Each function reads the database
chosen by --db / PELATIHAN_DB / the default location straight through sqlite3, read-only,
and returns nothing (no error) when there is no database or it cannot be read."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def _db_path(ctx) -> Path | None:
    root = ctx.find_root() if ctx is not None else None
    given = None
    if root is not None:
        given = (root.params or {}).get("db")
    if given:
        return Path(given)
    if os.environ.get("PELATIHAN_DB"):
        return Path(os.environ["PELATIHAN_DB"])
    from platformdirs import user_data_path

    return user_data_path("pelatihan", appauthor=False) / "pelatihan.db"


def _query(ctx, sql: str, params: list) -> list[tuple]:
    path = _db_path(ctx)
    if path is None or not path.is_file():
        return []
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def _like(incomplete: str) -> str:
    return (incomplete or "").replace("%", "").replace("_", "") + "%"


def kelurahan(ctx, incomplete: str) -> list[tuple[str, str]]:
    return [(name, f"{kec}{', ' + kab if kab else ''}") for name, kec, kab in _query(
        ctx, "SELECT name, kecamatan, kabupaten FROM kelurahan WHERE name LIKE ? ORDER BY name LIMIT 200",
        [_like(incomplete)])]


def skill(ctx, incomplete: str) -> list[str]:
    return [r[0] for r in _query(ctx, "SELECT name FROM skill WHERE name LIKE ? ORDER BY name", [_like(incomplete)])]


def instructor(ctx, incomplete: str) -> list[str]:
    return [r[0] for r in _query(
        ctx, "SELECT name FROM instructor WHERE name LIKE ? AND archived_at IS NULL ORDER BY name",
        [_like(incomplete)])]


def programme(ctx, incomplete: str) -> list[tuple[str, str]]:
    rows = _query(ctx, "SELECT id, name, year FROM programme ORDER BY start_date", [])
    text = (incomplete or "").lower()
    return [(str(year), name) for _id, name, year in rows if str(year).startswith(text)] + \
        [(name, str(year)) for _id, name, year in rows if name.lower().startswith(text)]


def session(ctx, incomplete: str) -> list[tuple[str, str]]:
    rows = _query(
        ctx, "SELECT s.id, k.name, sk.name, s.start_date FROM session s JOIN kelurahan k ON k.id = s.kelurahan_id "
             "JOIN skill sk ON sk.id = s.skill_id WHERE CAST(s.id AS TEXT) LIKE ? AND s.status != 'cancelled' "
             "ORDER BY s.start_date DESC LIMIT 200", [_like(incomplete)])
    return [(str(sid), f"{kel} · {sk} · {start}") for sid, kel, sk, start in rows]
