"""Upgrading a database that the first version of pelatihan built (m001 only).

tests/data/v1_pekalongan_2024.db was made by commit 8ff2279 (the last m001-only version)
running the demo's steps: `init --pekalongan`, the bundled instructors, `session auto-plan`
of 2024, `participant import data/sample_participants.csv` (1,080 people), attendance of
session 1 on both days, AK1 numbers (AK1/3375/0001 recorded for two people, which that
version accepted), `session cancel 8`, a 2025 session 55 with two of the 2024 people,
`config set doc_officer_name` and `config set doc_programme_title '... Tahun 2024'`.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from pelatihan_cli.db import open_db, schema_version
from pelatihan_cli.migrations import migrations, strip_year

V1 = Path(__file__).parent / "data" / "v1_pekalongan_2024.db"


@pytest.fixture
def v1_path(tmp_path):
    path = tmp_path / "v1.db"
    shutil.copy(V1, path)
    return path


def _counts(conn) -> dict:
    tables = ["kelurahan", "skill", "instructor", "session", "session_day", "participant", "enrollment",
              "attendance", "audit_log", "session_instructor", "instructor_day"]
    return {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}


def _rows(conn, sql):
    return conn.execute(sql).fetchall()


def test_v1_database_keeps_every_record_and_gets_one_programme_per_year(v1_path):
    raw = sqlite3.connect(v1_path)
    before = _counts(raw)
    sessions_before = _rows(raw, "SELECT id, kelurahan_id, skill_id, start_date, days, capacity, status FROM session ORDER BY id")
    people_before = _rows(raw, "SELECT id, nik, name, birth_date FROM participant ORDER BY id")
    marks_before = _rows(raw, "SELECT enrollment_id, day_no, present FROM attendance ORDER BY 1, 2")
    audit_before = _rows(raw, "SELECT id, at, action, changes FROM audit_log ORDER BY id")
    raw.close()
    assert before["participant"] == 1080 and before["attendance"] == 40

    db = open_db(v1_path)
    assert schema_version(db) == migrations._migrations[-1].name
    conn = db.conn
    assert _counts(conn) == before
    assert _rows(conn, "SELECT id, kelurahan_id, skill_id, start_date, days, capacity, status FROM session ORDER BY id") == sessions_before
    assert _rows(conn, "SELECT id, nik, name, birth_date FROM participant ORDER BY id") == people_before
    assert _rows(conn, "SELECT enrollment_id, day_no, present FROM attendance ORDER BY 1, 2") == marks_before
    assert _rows(conn, "SELECT id, at, action, changes FROM audit_log ORDER BY id") == audit_before

    progs = _rows(conn, "SELECT id, name, year, start_date, end_date, funding, title FROM programme ORDER BY year")
    # the title came from the operator's setting, its trailing year stripped; funding from the default
    assert progs == [
        (1, "Pelatihan Kewirausahaan Kota Pekalongan 2024", 2024, "2024-01-01", "2024-12-31", "DBHCHT",
         "Pelatihan Kewirausahaan Kota Pekalongan"),
        (2, "Pelatihan Kewirausahaan Kota Pekalongan 2025", 2025, "2025-01-01", "2025-12-31", "DBHCHT",
         "Pelatihan Kewirausahaan Kota Pekalongan"),
    ]
    assert _rows(conn, "SELECT programme_id, count(*) FROM session GROUP BY 1 ORDER BY 1") == [(1, 54), (2, 1)]
    # the per-programme texts left the global settings; the officer stayed
    assert _rows(conn, "SELECT key, value FROM setting ORDER BY key") == [("doc_officer_name", "Drs. Budi Santoso")]
    # the cancelled session's 20 enrollments are kept, flagged as not active
    assert _rows(conn, "SELECT e.cancelled, count(*) FROM enrollment e JOIN session s ON s.id = e.session_id "
                       "WHERE s.id = 8 GROUP BY 1") == [(1, 20)]
    assert _rows(conn, "SELECT count(*) FROM enrollment WHERE cancelled = 1") == [(20,)]
    # AK1: one card per person who had a number; the number two people held is kept once as
    # unique and once as a legacy duplicate for the operator to correct
    cards = _rows(conn, "SELECT participant_id, number, issued_on, legacy_duplicate FROM ak1_card ORDER BY id")
    assert [(c[1], c[3]) for c in cards] == [("AK1/3375/0001", 0), ("AK1/3375/0001", 1), ("AK1/3375/0002", 0)]
    db.conn.close()


def test_migrated_database_refuses_a_session_without_programme_and_opens_twice_unchanged(v1_path):
    db = open_db(v1_path)
    with pytest.raises(sqlite3.IntegrityError, match="session needs a programme"):
        db.execute("INSERT INTO session (kelurahan_id, skill_id, start_date, days, capacity) VALUES (1, 1, '2026-01-05', 2, 20)")
    schema = _rows(db.conn, "SELECT sql FROM sqlite_master ORDER BY name")
    db.conn.close()
    db = open_db(v1_path)
    assert _rows(db.conn, "SELECT sql FROM sqlite_master ORDER BY name") == schema
    assert _rows(db.conn, "SELECT count(*) FROM programme") == [(2,)]
    db.conn.close()


def test_migrated_rosters_print_each_programme_year(cli, v1_path, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    r = cli("--db", v1_path, "roster", "2025-07-07", "--format", "pdf", "--output", tmp_path / "r2025.pdf")
    assert r.exit_code == 0, r.stderr
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "r2025.pdf").pages)
    assert "Pelatihan Kewirausahaan Kota Pekalongan Tahun 2025" in text
    assert "Sumber dana: DBHCHT 2025" in text and "2024" not in text.replace("2025", "")
    r = cli("--db", v1_path, "roster", "2024-07-02", "--format", "pdf", "--output", tmp_path / "r2024.pdf")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(tmp_path / "r2024.pdf").pages)
    assert "Tahun 2024" in text and "Sumber dana: DBHCHT 2024" in text


@pytest.mark.parametrize("text, stripped", [
    ("Pelatihan Kewirausahaan Masyarakat Kota Pekalongan Tahun 2024", "Pelatihan Kewirausahaan Masyarakat Kota Pekalongan"),
    ("Sumber dana: DBHCHT 2024", "DBHCHT"),
    ("Sumber Dana : APBD TA. 2025", "APBD"),
    ("Pelatihan Menjahit", "Pelatihan Menjahit"),
    ("Program 1000 Wirausaha", "Program 1000 Wirausaha"),
])
def test_strip_year(text, stripped):
    assert strip_year(text) == stripped


def test_v1_kelurahan_get_their_kabupaten_and_province_and_names_may_repeat(v1_path):
    db = open_db(v1_path)
    conn = db.conn
    assert _rows(conn, "SELECT count(*), kabupaten, provinsi FROM kelurahan GROUP BY 2, 3") == [
        (27, "Kota Pekalongan", "Jawa Tengah")]
    # the UNIQUE on the name is gone (a name may repeat with another code); ids are unchanged
    conn.execute("INSERT INTO kelurahan (code, name, name_key, kecamatan) VALUES ('33.74.02.1004', 'Medono', 'medono', 'X')")
    assert _rows(conn, "SELECT count(*) FROM kelurahan WHERE name_key = 'medono'") == [(2,)]
    assert _rows(conn, "SELECT count(*) FROM session s JOIN kelurahan k ON k.id = s.kelurahan_id") == [(55,)]
    assert _rows(conn, "PRAGMA foreign_key_check") == []
    conn.rollback()
    db.conn.close()


def test_session_enrolled_counter_matches_the_rows_after_upgrade_and_after_changes(v1_path, cli, monkeypatch):
    db = open_db(v1_path)
    check = ("SELECT count(*) FROM session s WHERE s.enrolled != "
             "(SELECT count(*) FROM enrollment e WHERE e.session_id = s.id AND e.status = 'enrolled')")
    assert _rows(db.conn, check) == [(0,)]
    assert _rows(db.conn, "SELECT enrolled FROM session WHERE id IN (1, 55) ORDER BY id") == [(20,), (2,)]
    db.conn.close()
    monkeypatch.setenv("PELATIHAN_TODAY", "2025-06-02")
    # withdraw, enroll (a seat and the waitlist), move, erase: the counter follows
    assert cli("--db", v1_path, "participant", "withdraw", "55", "3375991611960001").exit_code == 0
    assert cli("--db", v1_path, "session", "update", "55", "--capacity", "2").exit_code == 0
    for i in range(1, 4):
        r = cli("--db", v1_path, "participant", "enroll", "55", f"337501410790000{i}", "--name", f"Peserta {i}",
                "--kelurahan", "Medono")
        assert r.exit_code == 0, r.stderr
    assert cli("--db", v1_path, "participant", "erase", "3375014107900001", "--yes").exit_code == 0
    db = open_db(v1_path)
    assert _rows(db.conn, check) == [(0,)]
    assert _rows(db.conn, "SELECT enrolled, capacity FROM session WHERE id = 55") == [(2, 2)]
    db.conn.close()


def test_m007_stores_every_persons_name_key_and_finds_a_v1_person_as_a_possible_duplicate(v1_path, tmp_path):
    """m007: the name key of each of the 1,080 people is stored (the possible-duplicate
    look-up uses the index, no longer a per-import copy), and an import finds a v1 person's
    twin: same name and birth date, another NIK."""
    from pelatihan_cli.domain.names import person_name_key
    from pelatihan_cli.services.participant_import import import_participants

    db = open_db(v1_path)
    rows = _rows(db.conn, "SELECT name, person_key FROM participant ORDER BY id")
    assert len(rows) == 1080 and all(key == person_name_key(name) for name, key in rows)
    assert "participant_person_key" in {i.name for i in db["participant"].indexes}
    nik, name, birth = _rows(db.conn, "SELECT nik, name, birth_date FROM participant ORDER BY id LIMIT 1")[0]
    twin = nik[:12] + "9999"   # the same birth date and sex, another serial
    f = tmp_path / "twin.csv"
    f.write_text(f"nik,nama,tanggal_lahir\n{twin},{name.upper()},{birth}\n", encoding="utf-8")
    summary = import_participants(db, f, session_id=55, dry_run=True)
    assert any(f"possible duplicate: {name!r}, born {birth}" in line for line in summary.warning_lines), \
        summary.warning_lines
