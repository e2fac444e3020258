"""services/participant_import.py called directly: summary object, progress callback,
warnings grouped by text, xlsx rejects, the file's own headers in errors."""

from __future__ import annotations

import datetime as dt

import pytest

from factories import make_session
from pelatihan_cli.errors import ValidationError
from pelatihan_cli.services.participant_import import SUMMARY_KEYS, import_participants
from test_cli_participant_import import ANI, BUDI, SITI, START, SYNTHETIC


@pytest.fixture
def session_id(pekalongan_db):
    return make_session(pekalongan_db, kelurahan="Bendan Kergon", skill="Merajut", days=START, capacity=2)


def test_summary_progress_and_waitlist(pekalongan_db, session_id, tmp_path):
    f = tmp_path / "p.csv"
    f.write_text(f"nik,nama\n{SITI},Siti\n{BUDI},Budi\n{ANI},Ani\n", encoding="utf-8")
    calls = []
    s = import_participants(pekalongan_db, f, session_id=session_id, progress=lambda d, t, u: calls.append((d, t, u)))
    assert list(s.as_dict()) == list(SUMMARY_KEYS)
    assert (s.read, s.enrolled, s.waitlisted, s.rejected, s.written) == (3, 2, 1, 0, True)
    assert calls[-1] == (f.stat().st_size, f.stat().st_size, "bytes")
    rows = pekalongan_db.execute("SELECT status, count(*) FROM enrollment GROUP BY status ORDER BY status").fetchall()
    assert rows == [("enrolled", 2), ("waitlisted", 1)]


def test_started_session_warning_is_grouped(pekalongan_db, tmp_path):
    past = make_session(pekalongan_db, kelurahan="Medono", skill="Tas", days=("2024-07-02", "2024-07-03"))
    f = tmp_path / "p.csv"
    f.write_text(f"nik,nama\n{SITI},Siti\n{BUDI},Budi\n", encoding="utf-8")
    s = import_participants(pekalongan_db, f, session_id=past, today=dt.date(2024, 8, 1))
    assert s.enrolled == 2 and len(s.warning_lines) == 2
    assert s.warning_lines[0].startswith("session ") and s.warning_lines[0].endswith("(rows 2–3)")
    assert s.warning_lines[1] == (SYNTHETIC + " (rows 2–3)")  # the test NIKs' kecamatan 33.75.99, once
    # the JSON objects: every row, with the column and value
    assert s.warnings[0]["rows"] == [2, 3] and s.warnings[0]["column"] == "--session"
    assert s.warnings[1] == {"rows": [2, 3], "column": "nik", "value": None, "message": SYNTHETIC}


def test_errors_name_the_files_own_header(pekalongan_db, session_id, tmp_path):
    f = tmp_path / "p.csv"
    f.write_text(f"No. KTP;Nama Lengkap;JK;HP\n{SITI};Siti;X;0812\n", encoding="utf-8")
    s = import_participants(pekalongan_db, f, session_id=session_id)
    assert s.rejected == 1 and not s.written and s.enrolled == 0
    assert s.errors[0]["row"] == 2 and s.errors[0]["column"] in ("JK", "HP")


def test_xlsx_rejects_and_missing_name_column(pekalongan_db, session_id, tmp_path):
    from openpyxl import Workbook, load_workbook

    wb = Workbook()
    wb.active.append(["NIK", "Nama"])
    wb.active.append(["123", "@Siti"])
    wb.active.append([SITI, "Siti"])
    f = tmp_path / "p.xlsx"
    wb.save(f)
    rej = tmp_path / "rej.xlsx"
    s = import_participants(pekalongan_db, f, session_id=session_id, on_error="skip", rejects=rej)
    assert (s.enrolled, s.rejected) == (1, 1)
    values = [[c.value for c in r] for r in load_workbook(rej).active.iter_rows()]
    assert values[0] == ["NIK", "Nama", "error", "warnings"] and values[1][:2] == ["123", "'@Siti"]
    wb = Workbook()
    wb.active.append(["NIK", "Alamat"])
    wb.save(f)
    with pytest.raises(ValidationError, match="has no name column"):
        import_participants(pekalongan_db, f, session_id=session_id)


def test_unknown_columns_one_warning_naming_them(pekalongan_db, session_id, tmp_path):
    f = tmp_path / "p.csv"
    f.write_text(f"No,nik,nama,Tempat Lahir,Agama,HP,No. HP (aktif)\n1,{SITI},Siti,Batang,Islam,,\n",
                 encoding="utf-8")
    s = import_participants(pekalongan_db, f, session_id=session_id)
    assert s.enrolled == 1
    assert s.warning_lines == ["Column(s) not used: 'Agama' (not a known header), 'No. HP (aktif)' (a second phone "
                          "column; 'HP' is used); see `pelatihan participant import --help` for the accepted "
                          "headers.", SYNTHETIC + " (row 2)"]


def test_duplicate_nik_found_across_chunks(pekalongan_db, session_id, tmp_path, monkeypatch):
    from pelatihan_cli.services import participant_import

    monkeypatch.setattr(participant_import, "CHUNK_ROWS", 2)
    f = tmp_path / "p.csv"
    spaced = f"{SITI[:6]} {SITI[6:12]} {SITI[12:]}"   # the same digits, typed with spaces
    f.write_text(f"nik,nama\n{SITI},Siti\n{BUDI},Budi\n{ANI},Ani\n{spaced},Siti Lagi\n", encoding="utf-8")
    s = import_participants(pekalongan_db, f, session_id=session_id, on_error="skip")
    assert (s.enrolled, s.waitlisted, s.rejected) == (2, 1, 1)
    assert s.errors == [{"row": 5, "column": "nik", "value": spaced,
                         "message": f"NIK {spaced!r} is a duplicate of row 2."}]
    names = [r[0] for r in pekalongan_db.execute("SELECT name FROM participant ORDER BY id")]
    assert names == ["Siti", "Budi", "Ani"]


@pytest.mark.parametrize("fails", [False, True])
def test_the_imports_process_settings_are_restored_after_it(pekalongan_db, session_id, tmp_path, fails):
    """The import enlarges SQLite's page cache and makes the cycle collector rarer for its
    duration only: afterwards (also after a refused file) both are as they were."""
    import gc

    conn = pekalongan_db.conn
    conn.execute("PRAGMA cache_size = -1234")
    gc_before = gc.get_threshold()
    f = tmp_path / "p.csv"
    f.write_text("nama\nSiti\n" if fails else f"nik,nama\n{SITI},Siti\n", encoding="utf-8")
    if fails:
        with pytest.raises(ValidationError):
            import_participants(pekalongan_db, f, session_id=session_id)
    else:
        assert import_participants(pekalongan_db, f, session_id=session_id).enrolled == 1
    assert conn.execute("PRAGMA cache_size").fetchone()[0] == -1234
    assert gc.get_threshold() == gc_before


@pytest.mark.parametrize("in_memory", [1, 100_000])
def test_duplicate_nik_found_after_the_check_moved_to_disk(pekalongan_db, session_id, tmp_path, monkeypatch,
                                                           in_memory):
    """Past FirstRows.IN_MEMORY NIKs the duplicate check moves to a temporary file: a NIK
    seen before the move is still named with its first row."""
    from pelatihan_cli.importing import first_rows
    from pelatihan_cli.services import participant_import

    monkeypatch.setattr(participant_import, "CHUNK_ROWS", 2)
    monkeypatch.setattr(first_rows, "IN_MEMORY", in_memory)
    f = tmp_path / "p.csv"
    f.write_text(f"nik,nama\n{SITI},Siti\n{BUDI},Budi\n{ANI},Ani\n{BUDI},Budi Lagi\n{SITI},Siti Lagi\n",
                 encoding="utf-8")
    s = import_participants(pekalongan_db, f, session_id=session_id, on_error="skip")
    assert [(e["row"], e["message"]) for e in s.errors] == [
        (5, f"NIK {BUDI!r} is a duplicate of row 3."), (6, f"NIK {SITI!r} is a duplicate of row 2.")]
    assert pekalongan_db.execute("SELECT count(*) FROM participant").fetchone()[0] == 3


def test_first_rows_keep_sheet_rows_on_disk():
    from pelatihan_cli.importing.first_rows import FirstRows
    from pelatihan_cli.importing.report import SheetRow

    seen = FirstRows(in_memory=1)
    seen.add([("1" * 16, SheetRow(3, "Medono"))])
    seen.add([("2" * 16, 7)])   # the second NIK moves both to disk
    assert seen.lookup(["1" * 16, "2" * 16, "3" * 16]) == {"1" * 16: SheetRow(3, "Medono"), "2" * 16: 7}
    assert str(seen.lookup(["1" * 16])["1" * 16]) == str(SheetRow(3, "Medono"))
    seen.close()


def test_a_list_does_not_take_back_a_withdrawal(pekalongan_db, session_id, tmp_path):
    """Siti attended both days, then withdrew ('pindah kerja'). The same list imported again
    refuses her row, naming the way back (`participant enroll`); her withdrawal, its reason
    and her attendance stay as recorded. Budi's row is unchanged."""
    from pelatihan_cli.db import write_transaction
    from pelatihan_cli.services.enrollment import EnrollOptions, Enroller, PersonInput, withdraw

    f = tmp_path / "p.csv"
    f.write_text(f"nik,nama\n{SITI},Siti\n{BUDI},Budi\n", encoding="utf-8")
    assert import_participants(pekalongan_db, f, session_id=session_id).enrolled == 2
    eid = pekalongan_db.execute("SELECT e.id FROM enrollment e JOIN participant p ON p.id = e.participant_id "
                                "WHERE p.nik = ?", [SITI]).fetchone()[0]
    with write_transaction(pekalongan_db):
        pekalongan_db.conn.executemany("INSERT INTO attendance (enrollment_id, day_no, present) VALUES (?, ?, 1)",
                                       [(eid, 1), (eid, 2)])
    withdraw(pekalongan_db, session_id, SITI, reason="pindah kerja", force=True)
    s = import_participants(pekalongan_db, f, session_id=session_id, on_error="skip")
    assert (s.enrolled, s.unchanged, s.rejected) == (0, 1, 1)
    assert s.errors[0]["row"] == 2 and s.errors[0]["column"] == "nik"
    assert s.errors[0]["message"] == (
        f"NIK '{SITI}' was withdrawn from session {session_id} (Bendan Kergon · Merajut); a list does not take back a "
        f"withdrawal. If they are coming back, enroll them: `pelatihan participant enroll {session_id} {SITI}` "
        "(at the end of the queue); otherwise take the row out of the list.")
    row = pekalongan_db.execute("SELECT status, withdraw_reason, (SELECT count(*) FROM attendance WHERE enrollment_id = ?) "
                                "FROM enrollment WHERE id = ?", [eid, eid]).fetchone()
    assert row == ("withdrawn", "pindah kerja", 2)
    # the operator's own word for her brings her back, at the end of the queue
    with write_transaction(pekalongan_db):
        r = Enroller(pekalongan_db).enroll(PersonInput(SITI, "Siti"), session_id, EnrollOptions())
    assert r.status == "enrolled"
