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


# m002 copies the document settings' defaults of the first version, so that it migrates
# a database the same way whatever later versions make of those settings.
_M002_TITLE = "Pelatihan Kewirausahaan Masyarakat Kota Pekalongan Tahun 2024"
_M002_FUNDING = "Sumber dana: DBHCHT 2024"


def strip_year(text: str) -> str:
    """'Pelatihan ... Tahun 2024' -> 'Pelatihan ...'; 'Sumber dana: DBHCHT 2024' -> 'DBHCHT'."""
    import re

    text = " ".join(text.split())
    text = re.sub(r"^sumber\s+dana\s*:\s*", "", text, flags=re.IGNORECASE)
    text = re.sub(r"[\s,]*(?:\b(?:tahun|ta\.?|t\.a\.?|tahun anggaran)\s*)?\b(?:19|20)\d\d\s*$", "", text,
                  flags=re.IGNORECASE)
    return text.strip(" ,-")


@migrations()
def m002_programmes_lifecycle(db: Database) -> None:
    # m002: programmes own sessions (one per year migrated); enrollments of cancelled
    # sessions are kept but not active; instructors can be archived; AK1 cards per person.
    _run_script(
        db,
        """
        -- The unit a dinas plans, funds and reports (a kegiatan of one fiscal year).
        CREATE TABLE programme (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            name_key TEXT NOT NULL UNIQUE,
            year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
            start_date TEXT NOT NULL CHECK (start_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            end_date TEXT NOT NULL CHECK (end_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            -- printed on documents with the year: 'Sumber dana: {funding} {year}', '{title} Tahun {year}'
            funding TEXT,
            title TEXT,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            CHECK (start_date <= end_date)
        );

        -- A programme's own values of global document settings (letterhead, city, officer).
        CREATE TABLE programme_setting (
            programme_id INTEGER NOT NULL REFERENCES programme(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (programme_id, key)
        );

        ALTER TABLE session ADD COLUMN programme_id INTEGER REFERENCES programme(id);
        CREATE INDEX session_programme ON session (programme_id, start_date);
        CREATE TRIGGER session_programme_required_insert
        BEFORE INSERT ON session WHEN NEW.programme_id IS NULL
        BEGIN SELECT RAISE(ABORT, 'session needs a programme'); END;
        CREATE TRIGGER session_programme_required_update
        BEFORE UPDATE OF programme_id ON session WHEN NEW.programme_id IS NULL
        BEGIN SELECT RAISE(ABORT, 'session needs a programme'); END;

        -- 1 while the enrollment's session is cancelled: kept as history, not active, so
        -- it neither holds the person's one training of the year nor counts anywhere.
        ALTER TABLE enrollment ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1));
        DROP INDEX enrollment_one_active_per_year;
        CREATE UNIQUE INDEX enrollment_one_active_per_year
            ON enrollment (participant_id, year) WHERE status IN ('enrolled', 'waitlisted') AND cancelled = 0;

        -- an archived instructor taught sessions that are kept; hidden from planning
        ALTER TABLE instructor ADD COLUMN archived_at TEXT;

        -- AK1 (kartu pencari kerja) cards belong to the person; a renewal is a new number.
        -- legacy_duplicate marks a number the first version let two people hold: kept
        -- for the operator to correct, outside the uniqueness rule.
        CREATE TABLE ak1_card (
            id INTEGER PRIMARY KEY,
            participant_id INTEGER NOT NULL REFERENCES participant(id),
            number TEXT NOT NULL CHECK (length(trim(number)) > 0),
            number_key TEXT NOT NULL,
            issued_on TEXT CHECK (issued_on IS NULL OR issued_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            legacy_duplicate INTEGER NOT NULL DEFAULT 0 CHECK (legacy_duplicate IN (0, 1)),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
        );
        CREATE UNIQUE INDEX ak1_card_number ON ak1_card (number_key) WHERE legacy_duplicate = 0;
        CREATE INDEX ak1_card_participant ON ak1_card (participant_id, issued_on);
        """
    )
    stored = dict(db.execute(
        "SELECT key, value FROM setting WHERE key IN ('doc_programme_title', 'doc_funding')").fetchall())
    title = strip_year(stored.get("doc_programme_title", _M002_TITLE)) or "Pelatihan"
    funding = strip_year(stored.get("doc_funding", _M002_FUNDING)) or None
    years = [r[0] for r in db.execute(
        "SELECT DISTINCT CAST(substr(start_date, 1, 4) AS INTEGER) FROM session ORDER BY 1")]
    for year in years:
        name = f"{title} {year}"
        cur = db.execute(
            "INSERT INTO programme (name, name_key, year, start_date, end_date, funding, title) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [name, _name_key(name), year, f"{year:04d}-01-01", f"{year:04d}-12-31", funding, title])
        db.execute("UPDATE session SET programme_id = ? WHERE CAST(substr(start_date, 1, 4) AS INTEGER) = ?",
                   [cur.lastrowid, year])
    # the year of an enrollment is its programme's year (first version: the first day's year)
    db.execute("UPDATE enrollment SET cancelled = 1 "
               "WHERE session_id IN (SELECT id FROM session WHERE status = 'cancelled')")
    # the texts now live on each programme; keeping them global would print one year everywhere
    db.execute("DELETE FROM setting WHERE key IN ('doc_programme_title', 'doc_funding')")
    # AK1 cards: one per participant that had a number; a number held by two people stays
    # on the later one as a legacy duplicate for the operator to correct
    seen: set[str] = set()
    for pid, number, issued in db.execute(
            "SELECT id, ak1_number, ak1_date FROM participant WHERE ak1_number IS NOT NULL "
            "AND trim(ak1_number) != '' ORDER BY id").fetchall():
        key = ak1_key(number)
        db.execute("INSERT INTO ak1_card (participant_id, number, number_key, issued_on, legacy_duplicate) "
                   "VALUES (?, ?, ?, ?, ?)", [pid, number.strip(), key, issued, int(key in seen)])
        seen.add(key)


def _name_key(text: str) -> str:
    # the same key as domain.names.name_key at the time of m002
    from pelatihan_cli.domain.names import name_key

    return name_key(text)


def ak1_key(number: str) -> str:
    """An AK1 number compared without case, spaces, dots, slashes or dashes."""
    import re

    return re.sub(r"[\s./\-]", "", number).upper()


@migrations()
def m003_kelurahan_keyed_by_code(db: Database) -> None:
    # m003: a kelurahan/desa is keyed by its Kemendagri code; names may repeat (two
    # Purwosari in Kota Semarang); kabupaten/kota and province are known. Rebuilds the
    # table without the UNIQUE on name_key (ids kept, so every reference stays).
    if db.execute("PRAGMA foreign_keys").fetchone()[0]:
        raise RuntimeError("m003 rebuilds the kelurahan table and must run with foreign keys off")
    _run_script(
        db,
        """
        CREATE TABLE kelurahan_m003 (
            id INTEGER PRIMARY KEY,
            code TEXT UNIQUE CHECK (code IS NULL OR code GLOB
                '[0-9][0-9].[0-9][0-9].[0-9][0-9].[0-9][0-9][0-9][0-9]'),
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            name_key TEXT NOT NULL,
            kecamatan TEXT NOT NULL CHECK (length(trim(kecamatan)) > 0),
            kabupaten TEXT,
            provinsi TEXT
        );
        INSERT INTO kelurahan_m003 (id, code, name, name_key, kecamatan)
            SELECT id, code, name, name_key, kecamatan FROM kelurahan;
        DROP TABLE kelurahan;
        ALTER TABLE kelurahan_m003 RENAME TO kelurahan;
        CREATE INDEX kelurahan_name_key ON kelurahan (name_key);
        CREATE INDEX kelurahan_place ON kelurahan (provinsi, kabupaten, kecamatan);
        -- without a code, a name names one kelurahan within its kecamatan and kabupaten
        CREATE UNIQUE INDEX kelurahan_uncoded_name ON kelurahan (name_key, kecamatan, coalesce(kabupaten, ''))
            WHERE code IS NULL;
        """
    )
    from pelatihan_cli.regions import national_list

    coded = db.execute("SELECT id, code FROM kelurahan WHERE code IS NOT NULL").fetchall()
    if coded:
        places = national_list().by_code
        for kid, code in coded:
            p = places.get(code)
            if p is not None:
                db.execute("UPDATE kelurahan SET kabupaten = ?, provinsi = ? WHERE id = ?",
                           [p.kabupaten, p.provinsi, kid])


@migrations()
def m004_certificates_and_followup(db: Database) -> None:
    # m004: after the training — numbered certificates (never renumbered, never deleted,
    # only revoked), the person's birthplace and work status at registration, and
    # follow-ups (tracer study: several per person over time, the latest counts).
    _run_script(
        db,
        """
        ALTER TABLE participant ADD COLUMN birth_place TEXT;
        -- at registration: a *new* entrepreneur is one who was not self-employed before
        ALTER TABLE participant ADD COLUMN work_status TEXT CHECK (work_status IS NULL OR
            work_status IN ('employed', 'self-employed', 'seeking', 'studying'));

        CREATE TABLE certificate (
            id INTEGER PRIMARY KEY,
            enrollment_id INTEGER NOT NULL UNIQUE REFERENCES enrollment(id),
            programme_id INTEGER NOT NULL REFERENCES programme(id),
            seq INTEGER NOT NULL CHECK (seq >= 1),
            number TEXT NOT NULL UNIQUE CHECK (length(trim(number)) > 0),
            -- the verification code printed in the QR code
            code TEXT NOT NULL UNIQUE CHECK (length(code) >= 8),
            issued_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            revoked_at TEXT,
            revoke_reason TEXT,
            UNIQUE (programme_id, seq)
        );
        CREATE TRIGGER certificate_number_never_changes
        BEFORE UPDATE OF enrollment_id, programme_id, seq, number, code ON certificate
        BEGIN SELECT RAISE(ABORT, 'a certificate number never changes'); END;
        CREATE TRIGGER certificate_never_deleted
        BEFORE DELETE ON certificate
        BEGIN SELECT RAISE(ABORT, 'a certificate is revoked, never deleted'); END;

        CREATE TABLE followup (
            id INTEGER PRIMARY KEY,
            participant_id INTEGER NOT NULL REFERENCES participant(id),
            answered_on TEXT NOT NULL CHECK (answered_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            status TEXT NOT NULL CHECK (status IN ('employed', 'self-employed', 'seeking', 'studying')),
            business TEXT,
            -- since when in this status (a business started after the training is a new one)
            since TEXT CHECK (since IS NULL OR since GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            income_band TEXT,
            note TEXT,
            source TEXT NOT NULL DEFAULT 'manual',
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
        );
        CREATE INDEX followup_participant ON followup (participant_id, answered_on);
        """
    )


@migrations()
def m005_budget_and_receipts(db: Database) -> None:
    # m005: the money — a programme's ceiling (pagu) and cost lines in whole rupiah, the
    # instructors' tax data, and frozen receipt lists (what people signed and were paid).
    _run_script(
        db,
        """
        CREATE TABLE budget (
            programme_id INTEGER PRIMARY KEY REFERENCES programme(id),
            ceiling INTEGER NOT NULL CHECK (ceiling >= 0 AND typeof(ceiling) = 'integer'),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
        );

        -- one rate per kind of cost and programme, in whole rupiah
        CREATE TABLE budget_line (
            programme_id INTEGER NOT NULL REFERENCES programme(id),
            kind TEXT NOT NULL CHECK (kind IN ('honorarium', 'transport', 'meals', 'materials_participant',
                'materials_session', 'venue', 'printing')),
            rate INTEGER NOT NULL CHECK (rate >= 0 AND typeof(rate) = 'integer'),
            -- honorarium: lesson hours (JP) per training day; meals: staff fed per session
            per_day INTEGER CHECK (per_day IS NULL OR per_day >= 0),
            staff INTEGER CHECK (staff IS NULL OR staff >= 0),
            label TEXT,
            PRIMARY KEY (programme_id, kind)
        );

        -- PPh 21 category: 'non-pns' (default), 'no-npwp', 'pns' with golongan I-IV
        ALTER TABLE instructor ADD COLUMN tax_category TEXT NOT NULL DEFAULT 'non-pns'
            CHECK (tax_category IN ('non-pns', 'no-npwp', 'pns'));
        ALTER TABLE instructor ADD COLUMN golongan TEXT CHECK (golongan IS NULL OR golongan IN ('I', 'II', 'III', 'IV'));
        ALTER TABLE instructor ADD COLUMN bank_account TEXT;
        ALTER TABLE participant ADD COLUMN bank_account TEXT;

        -- a printed receipt list, frozen with its lines: a later attendance change makes it
        -- superseded (never rewritten); --reissue makes the next version
        CREATE TABLE receipt_list (
            id INTEGER PRIMARY KEY,
            programme_id INTEGER NOT NULL REFERENCES programme(id),
            kind TEXT NOT NULL CHECK (kind IN ('transport', 'honorarium')),
            session_id INTEGER REFERENCES session(id),
            day_no INTEGER,
            version INTEGER NOT NULL CHECK (version >= 1),
            total INTEGER NOT NULL CHECK (typeof(total) = 'integer'),
            frozen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now')),
            superseded_at TEXT,
            reissue_reason TEXT,
            UNIQUE (programme_id, kind, session_id, day_no, version)
        );
        CREATE TABLE receipt_line (
            receipt_id INTEGER NOT NULL REFERENCES receipt_list(id),
            line_no INTEGER NOT NULL CHECK (line_no >= 1),
            participant_id INTEGER REFERENCES participant(id),
            instructor_id INTEGER REFERENCES instructor(id),
            name TEXT NOT NULL,
            jp INTEGER,
            rate INTEGER,
            gross INTEGER NOT NULL CHECK (typeof(gross) = 'integer'),
            tax INTEGER NOT NULL DEFAULT 0 CHECK (typeof(tax) = 'integer'),
            net INTEGER NOT NULL CHECK (typeof(net) = 'integer' AND net = gross - tax),
            PRIMARY KEY (receipt_id, line_no)
        );
        CREATE TRIGGER receipt_line_frozen_update BEFORE UPDATE ON receipt_line
        BEGIN SELECT RAISE(ABORT, 'a printed receipt list is frozen'); END;
        CREATE TRIGGER receipt_line_frozen_delete BEFORE DELETE ON receipt_line
        BEGIN SELECT RAISE(ABORT, 'a printed receipt list is frozen'); END;
        """
    )


@migrations()
def m006_session_enrolled_counter(db: Database) -> None:
    # m006: the capacity triggers counted a session's enrolled rows on every insert, so a
    # row cost grew with the session (10k rows into one big session: O(n^2)). The session
    # now keeps its enrolled count, maintained by triggers; capacity is checked against it.
    _run_script(
        db,
        """
        ALTER TABLE session ADD COLUMN enrolled INTEGER NOT NULL DEFAULT 0;
        UPDATE session SET enrolled = (SELECT count(*) FROM enrollment e
                                       WHERE e.session_id = session.id AND e.status = 'enrolled');

        DROP TRIGGER enrollment_capacity_insert;
        DROP TRIGGER enrollment_capacity_update;
        CREATE TRIGGER enrollment_capacity_insert
        BEFORE INSERT ON enrollment WHEN NEW.status = 'enrolled'
        BEGIN
            SELECT RAISE(ABORT, 'session full')
            WHERE (SELECT enrolled >= capacity FROM session WHERE id = NEW.session_id);
        END;
        CREATE TRIGGER enrollment_capacity_update
        BEFORE UPDATE OF status, session_id ON enrollment
        WHEN NEW.status = 'enrolled' AND (OLD.status != 'enrolled' OR OLD.session_id != NEW.session_id)
        BEGIN
            SELECT RAISE(ABORT, 'session full')
            WHERE (SELECT enrolled >= capacity FROM session WHERE id = NEW.session_id);
        END;

        CREATE TRIGGER enrollment_count_insert
        AFTER INSERT ON enrollment WHEN NEW.status = 'enrolled'
        BEGIN UPDATE session SET enrolled = enrolled + 1 WHERE id = NEW.session_id; END;
        CREATE TRIGGER enrollment_count_delete
        AFTER DELETE ON enrollment WHEN OLD.status = 'enrolled'
        BEGIN UPDATE session SET enrolled = enrolled - 1 WHERE id = OLD.session_id; END;
        CREATE TRIGGER enrollment_count_update
        AFTER UPDATE OF status, session_id ON enrollment
        WHEN (OLD.status = 'enrolled') != (NEW.status = 'enrolled') OR OLD.session_id != NEW.session_id
        BEGIN
            UPDATE session SET enrolled = enrolled - 1 WHERE id = OLD.session_id AND OLD.status = 'enrolled';
            UPDATE session SET enrolled = enrolled + 1 WHERE id = NEW.session_id AND NEW.status = 'enrolled';
        END;
        """
    )


@migrations()
def m007_participant_person_key(db: Database) -> None:
    # m007: the possible-duplicate check (a new NIK whose name and birth date are a
    # registered person's) copied every participant's name key into a temporary table at
    # the start of each import, computing it in Python: 13 s before a 40-row import on a
    # database of a million people. The key (domain.names.person_name_key of the name) is
    # now stored with the person and indexed with the birth date. The services keep it up
    # to date; a row written by another tool has NULL there and is compared by its name.
    # Should person_name_key ever change, a new migration must recompute the column.
    from pelatihan_cli.domain.names import person_name_key

    db.execute("ALTER TABLE participant ADD COLUMN person_key TEXT")
    last = 0
    while True:   # in slices of ids, so that a million people do not sit in memory at once
        rows = db.execute("SELECT id, name FROM participant WHERE id > ? AND name IS NOT NULL ORDER BY id "
                          "LIMIT 20000", [last]).fetchall()
        if not rows:
            break
        db.conn.executemany("UPDATE participant SET person_key = ? WHERE id = ?",
                            [(person_name_key(name), pid) for pid, name in rows])
        last = rows[-1][0]
    db.execute("CREATE INDEX participant_person_key ON participant (birth_date, person_key)")
