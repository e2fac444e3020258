"""Schema migrations for the pelatihan database.

Numbered migrations are only ever added to; never edit one that has been released.
Tables are declared explicitly (sqlite-utils would otherwise guess types and strip the
leading zero of a phone number). The database enforces what must always hold: foreign
keys, uniqueness, CHECK constraints, one booking per instructor per day, one active
enrollment per person per year, and session capacity (a trigger), so that concurrent
writers cannot break them; the services only add the friendly message.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database, Migrations

MIGRATION_SET = "pelatihan"
migrations = Migrations(MIGRATION_SET)


def _run_script(db: Database, script: str) -> None:
    """Execute statements one by one: sqlite3's executescript() would COMMIT the
    transaction that Migrations wraps each migration in."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement[:60]!r}")


@migrations()
def m001_initial(db: Database) -> None:
    # m001: kelurahan, skills, instructors, holidays, sessions, participants,
    # enrollments, attendance, settings and the audit log.
    _run_script(
        db,
        """
        CREATE TABLE kelurahan (
            id INTEGER PRIMARY KEY,
            code TEXT UNIQUE CHECK (code IS NULL OR code GLOB
                '[0-9][0-9].[0-9][0-9].[0-9][0-9].[0-9][0-9][0-9][0-9]'),
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            name_key TEXT NOT NULL UNIQUE,
            kecamatan TEXT NOT NULL CHECK (length(trim(kecamatan)) > 0)
        );

        CREATE TABLE skill (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            name_key TEXT NOT NULL UNIQUE
        );

        CREATE TABLE instructor (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            name_key TEXT NOT NULL UNIQUE,
            phone TEXT
        );

        CREATE TABLE instructor_skill (
            instructor_id INTEGER NOT NULL REFERENCES instructor(id) ON DELETE CASCADE,
            skill_id INTEGER NOT NULL REFERENCES skill(id),
            PRIMARY KEY (instructor_id, skill_id)
        );

        -- Local non-working days added by the operator (national ones come from `holidays`).
        CREATE TABLE holiday (
            date TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            name TEXT NOT NULL
        );

        -- One skill track in one kelurahan over N training days.
        CREATE TABLE session (
            id INTEGER PRIMARY KEY,
            kelurahan_id INTEGER NOT NULL REFERENCES kelurahan(id),
            skill_id INTEGER NOT NULL REFERENCES skill(id),
            start_date TEXT NOT NULL,
            days INTEGER NOT NULL CHECK (days >= 1),
            capacity INTEGER NOT NULL CHECK (capacity >= 1),
            venue TEXT,
            weekends INTEGER NOT NULL DEFAULT 0 CHECK (weekends IN (0, 1)),
            status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cancelled')),
            cancel_reason TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
        );
        CREATE INDEX session_kelurahan ON session (kelurahan_id, status, start_date);

        -- The training days of a session, day_no 1..days.
        CREATE TABLE session_day (
            session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            day_no INTEGER NOT NULL CHECK (day_no >= 1),
            date TEXT NOT NULL,
            PRIMARY KEY (session_id, day_no)
        );
        CREATE INDEX session_day_date ON session_day (date, session_id);

        CREATE TABLE session_instructor (
            session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            instructor_id INTEGER NOT NULL REFERENCES instructor(id),
            PRIMARY KEY (session_id, instructor_id)
        );
        CREATE INDEX session_instructor_instructor ON session_instructor (instructor_id);

        -- An instructor's booked days on planned sessions: the primary key makes
        -- double-booking impossible, whoever writes. Rows go when a session is cancelled.
        CREATE TABLE instructor_day (
            instructor_id INTEGER NOT NULL REFERENCES instructor(id),
            date TEXT NOT NULL,
            session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
            PRIMARY KEY (instructor_id, date)
        );

        -- A person, keyed by NIK. After erasure (UU 27/2022) nik, name, birth_date,
        -- address and phone are NULL and only what the reports need is kept.
        CREATE TABLE participant (
            id INTEGER PRIMARY KEY,
            nik TEXT UNIQUE CHECK (nik IS NULL OR (length(nik) = 16 AND nik NOT GLOB '*[^0-9]*')),
            name TEXT,
            birth_date TEXT,
            sex TEXT NOT NULL CHECK (sex IN ('L', 'P')),
            address TEXT,
            kelurahan_id INTEGER REFERENCES kelurahan(id),
            phone TEXT CHECK (phone IS NULL OR phone GLOB '+[0-9]*'),
            ak1_number TEXT,
            ak1_date TEXT,
            nik_mismatch_accepted INTEGER NOT NULL DEFAULT 0,
            age_band TEXT,
            erased_at TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            CHECK (erased_at IS NOT NULL OR (nik IS NOT NULL AND name IS NOT NULL))
        );
        CREATE INDEX participant_kelurahan ON participant (kelurahan_id);

        CREATE TABLE enrollment (
            id INTEGER PRIMARY KEY,
            participant_id INTEGER NOT NULL REFERENCES participant(id),
            session_id INTEGER NOT NULL REFERENCES session(id),
            year INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('enrolled', 'waitlisted', 'withdrawn')),
            -- first-come order; the waitlist position is the rank among waitlisted rows
            seq INTEGER NOT NULL,
            outside_domicile INTEGER NOT NULL DEFAULT 0 CHECK (outside_domicile IN (0, 1)),
            withdraw_reason TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now')),
            UNIQUE (participant_id, session_id)
        );
        CREATE INDEX enrollment_session ON enrollment (session_id, status, seq);
        -- at most one active (enrolled or waitlisted) enrollment per person per year
        CREATE UNIQUE INDEX enrollment_one_active_per_year
            ON enrollment (participant_id, year) WHERE status IN ('enrolled', 'waitlisted');

        -- capacity: the enrolled count never exceeds the session's capacity
        CREATE TRIGGER enrollment_capacity_insert
        BEFORE INSERT ON enrollment WHEN NEW.status = 'enrolled'
        BEGIN
            SELECT RAISE(ABORT, 'session full')
            WHERE (SELECT count(*) FROM enrollment
                   WHERE session_id = NEW.session_id AND status = 'enrolled')
                  >= (SELECT capacity FROM session WHERE id = NEW.session_id);
        END;
        CREATE TRIGGER enrollment_capacity_update
        BEFORE UPDATE OF status, session_id ON enrollment
        WHEN NEW.status = 'enrolled' AND (OLD.status != 'enrolled' OR OLD.session_id != NEW.session_id)
        BEGIN
            SELECT RAISE(ABORT, 'session full')
            WHERE (SELECT count(*) FROM enrollment
                   WHERE session_id = NEW.session_id AND status = 'enrolled')
                  >= (SELECT capacity FROM session WHERE id = NEW.session_id);
        END;

        -- present (1) or absent (0) on a training day of the enrollment's session
        CREATE TABLE attendance (
            enrollment_id INTEGER NOT NULL REFERENCES enrollment(id) ON DELETE CASCADE,
            day_no INTEGER NOT NULL CHECK (day_no >= 1),
            present INTEGER NOT NULL CHECK (present IN (0, 1)),
            marked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            PRIMARY KEY (enrollment_id, day_no)
        );
        -- covering index: the summary reads who was present on which day without
        -- visiting the table rows (bench/scale.py: 0.99 s -> 0.70 s at 2M marks)
        CREATE INDEX attendance_present ON attendance (enrollment_id, present, day_no);

        CREATE TABLE setting (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        -- who changed what: NIKs in `command` are masked; `changes` is a JSON object of counts
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            os_user TEXT NOT NULL,
            command TEXT NOT NULL,
            action TEXT NOT NULL,
            changes TEXT NOT NULL DEFAULT '{}'
        );
        """
    )
