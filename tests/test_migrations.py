"""A blank database reaches the expected schema; applying the migrations twice changes nothing."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from pelatihan_cli.db import MIGRATIONS_TABLE, open_db, schema_version
from pelatihan_cli.migrations import MIGRATION_SET, migrations

EXPECTED_TABLES = {
    "kelurahan", "skill", "instructor", "instructor_skill", "holiday", "session", "session_day",
    "session_instructor", "instructor_day", "participant", "enrollment", "attendance", "setting",
    "audit_log", MIGRATIONS_TABLE,
}
# indexes the hot queries depend on (see tests/test_fault_query_plans.py)
EXPECTED_INDEXES = {"session_kelurahan", "session_day_date", "participant_kelurahan", "enrollment_session", "attendance_present",
                    "enrollment_one_active_per_year"}


def _schema(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()


def test_blank_database_reaches_expected_schema(db_path):
    db = open_db(db_path, create=True)
    tables = set(db.table_names())
    assert EXPECTED_TABLES <= tables
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert EXPECTED_INDEXES <= indexes
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"enrollment_capacity_insert", "enrollment_capacity_update"} <= triggers
    assert schema_version(db) == migrations._migrations[-1].name
    applied = [r[0] for r in db.execute(f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ?", [MIGRATION_SET])]
    assert applied == [m.name for m in migrations._migrations]
    # NIK and phone must be TEXT (leading zeros), never guessed as integers
    cols = {c.name: c.type.upper() for c in db["participant"].columns}
    assert cols["nik"] == "TEXT" and cols["phone"] == "TEXT"
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.conn.close()


def test_applying_twice_changes_nothing(db_path):
    db = open_db(db_path, create=True)
    before = _schema(db.conn)
    count = db.execute(f"SELECT count(*) FROM [{MIGRATIONS_TABLE}]").fetchone()[0]
    migrations.apply(db)  # again, directly
    db.conn.close()
    db = open_db(db_path)  # and through open_db
    assert _schema(db.conn) == before
    assert db.execute(f"SELECT count(*) FROM [{MIGRATIONS_TABLE}]").fetchone()[0] == count
    db.conn.close()


def test_migrating_leaves_data_alone(db_path):
    db = open_db(db_path, create=True)
    db.execute("INSERT INTO kelurahan (name, name_key, kecamatan) VALUES ('Medono', 'medono', 'Pekalongan Barat')")
    db.conn.commit()
    db.conn.close()
    db = open_db(db_path)
    assert db.execute("SELECT name FROM kelurahan").fetchall() == [("Medono",)]
    db.conn.close()


def test_in_memory_database_migrates_too():
    db = Database(memory=True)
    migrations.apply(db)
    assert EXPECTED_TABLES - {MIGRATIONS_TABLE} <= set(db.table_names())
