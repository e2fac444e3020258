"""`participant import FILE --dry-run` as a preview (issue 10, point 4): how the columns
were mapped (ignored ones and why), which rows were skipped as title, footer or hidden,
and where the rows would go; the JSON carries the same (`columns`, `skipped`)."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from factories import make_session
from pelatihan_cli.db import open_db
from pelatihan_cli.importing.locate import is_instruction_sheet
from pelatihan_cli.importing.readers import open_rows
from pelatihan_cli.importing.locate import PARTICIPANT_TABLE

SITI = ("3375014207900001", "Siti Aminah", dt.datetime(1990, 7, 2), "P")
BUDI = ("3375011312850002", "Budi Santoso", dt.datetime(1985, 12, 13), "L")


@pytest.fixture
def tas(pekalongan_db):
    return make_session(pekalongan_db, kelurahan="Medono", skill="Tas", days=("2030-07-02", "2030-07-03"))


@pytest.fixture
def clerk_xlsx(tmp_path):
    """A title block (rows 1-2, then a blank row), the header in row 4 with a running number and a
    KETERANGAN column, two people, a hidden withdrawn person, a totals row and a signature."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Peserta"
    ws["A1"] = "DAFTAR CALON PESERTA PELATIHAN 2030"
    ws["A2"] = "KELURAHAN MEDONO"
    ws.append([])
    ws.append(["NO", "NIK", "NAMA", "TANGGAL LAHIR", "L/P", "KELURAHAN", "PELATIHAN", "KETERANGAN"])
    for i, (nik, name, birth, sex) in enumerate((SITI, BUDI), start=1):
        ws.append([i, nik, name, birth, sex, "Medono", "Tas", "baru"])
    ws.append([3, "3375016503990003", "Dewi Lestari", dt.datetime(1999, 3, 25), "P", "Medono", "Tas", "mundur"])
    ws.row_dimensions[7].hidden = True
    ws.append(["JUMLAH", None, 2])
    ws.append([])
    ws.append([None, None, "Lurah Medono"])
    path = tmp_path / "medono.xlsx"
    wb.save(path)
    return path


def count_participants(db_path) -> int:
    db = open_db(db_path)
    try:
        return db.execute("SELECT count(*) FROM participant").fetchone()[0]
    finally:
        db.conn.close()


def test_preview_lists_columns_skipped_rows_and_sessions(cli, tas, clerk_xlsx, db_path):
    r = cli("participant", "import", clerk_xlsx, "--dry-run")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    lines = [" ".join(line.replace("│", " ").split()) for line in out.splitlines()]
    assert "NO - running number" in lines
    assert "NIK nik" in lines and "NAMA name" in lines and "PELATIHAN skill" in lines
    assert "KETERANGAN - not a known header" in lines
    assert "Skipped rows:" in out
    assert "  rows 1–3: title above the header" in out
    assert "  row 7: hidden" in out
    assert "  rows 8, 10: footer: the table ends at row 8 ('JUMLAH')" in out
    assert "Dry run, nothing written. Read 2 row(s): 2 enrolled, 0 waitlisted" in out
    assert f"  session {tas} (Medono · Tas): 2 enrolled, 0 waitlisted" in out
    # the preview lists the skipped rows on stdout; their notes are not repeated on stderr
    assert "above the header skipped" not in r.stderr
    assert "Warning: 1 hidden row(s) not imported: row 7" in r.stderr
    assert "Column(s) not used: 'KETERANGAN' (not a known header)" in r.stderr
    assert count_participants(db_path) == 0


def test_preview_json_carries_columns_and_skipped(cli, tas, clerk_xlsx, db_path):
    r = cli("participant", "import", clerk_xlsx, "--dry-run", "-f", "json")
    assert r.exit_code == 0, r.stderr
    s = json.loads(r.stdout)
    assert list(s) == ["programme", "read", "enrolled", "waitlisted", "updated", "unchanged", "rejected", "sessions",
                       "skills", "warnings", "errors", "columns", "skipped"]
    assert s["columns"] == [
        {"header": "NO", "field": None, "reason": "running number"},
        {"header": "NIK", "field": "nik", "reason": None},
        {"header": "NAMA", "field": "name", "reason": None},
        {"header": "TANGGAL LAHIR", "field": "birth_date", "reason": None},
        {"header": "L/P", "field": "sex", "reason": None},
        {"header": "KELURAHAN", "field": "kelurahan", "reason": None},
        {"header": "PELATIHAN", "field": "skill", "reason": None},
        {"header": "KETERANGAN", "field": None, "reason": "not a known header"},
    ]
    assert s["skipped"] == [
        {"rows": [1, 2, 3], "reason": "title above the header"},
        {"rows": [8, 10], "reason": "footer: the table ends at row 8 ('JUMLAH')"},
        {"rows": [7], "reason": "hidden"},
    ]
    assert s["sessions"] == [{"session_id": tas, "kelurahan": "Medono", "skill": "Tas", "enrolled": 2,
                              "waitlisted": 0}]
    assert count_participants(db_path) == 0


def test_an_import_carries_the_same_keys_and_prints_no_preview(cli, tas, clerk_xlsx, db_path):
    r = cli("participant", "import", clerk_xlsx)
    assert r.exit_code == 0, r.stderr
    assert "Skipped rows" not in r.stdout and "Columns" not in r.stdout
    assert "Note: row(s) 1–3 above the header skipped (title)." in r.stderr
    assert count_participants(db_path) == 2
    r = cli("participant", "import", clerk_xlsx, "-f", "json")
    s = json.loads(r.stdout)
    assert s["unchanged"] == 2 and s["skipped"][0] == {"rows": [1, 2, 3], "reason": "title above the header"}


def test_csv_preview_title_column_numbers_and_filler(tmp_path):
    path = tmp_path / "daftar.csv"
    path.write_text("DAFTAR PESERTA;;\nNIK;NAMA;KELURAHAN\n(1);(2);(3)\n3375014207900001;Siti Aminah;Medono\n"
                    ";;Medono\n", encoding="utf-8")
    with open_rows(path, expect=PARTICIPANT_TABLE) as src:
        rows = list(src)
        assert [r for r, _ in rows] == [4]
        assert src.skipped == [{"rows": [1], "reason": "title above the header"},
                               {"rows": [3], "reason": "column numbers under the header"},
                               {"rows": [5], "reason": "neither NIK nor name"}]


@pytest.mark.parametrize("name,expected", [
    ("Petunjuk", True), ("PETUNJUK PENGISIAN", True), ("Cara Mengisi", True), ("Instructions", True),
    ("Rekap", False), ("Peserta", False), ("Sheet1", False),
])
def test_instruction_sheet_names(name, expected):
    assert is_instruction_sheet(name) is expected
