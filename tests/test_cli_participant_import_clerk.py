"""`participant import` of files made the way clerks make them (tests/make_clerk_files.py),
end to end: exit code, stdout/stderr, then the rows in the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import make_clerk_files as clerk
from factories import make_session
from pelatihan_cli.db import open_db
from pelatihan_cli.services.audit import mask_text

DATA = Path(__file__).parent / "data" / "clerk"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return clerk.build(tmp_path_factory.mktemp("clerk"))


@pytest.fixture
def sessions(pekalongan_db):
    db = pekalongan_db
    return {
        "tas": make_session(db, kelurahan="Medono", skill="Tas", days=("2030-07-04", "2030-07-05")),
        "merajut": make_session(db, kelurahan="Bendan Kergon", skill="Merajut", days=("2030-07-02", "2030-07-03")),
        "desain": make_session(db, kelurahan="Bendan Kergon", skill="Desain Produk & Kemasan",
                               days=("2030-07-02", "2030-07-03")),
    }


def people(db_path) -> list[tuple]:
    db = open_db(db_path)
    try:
        return db.execute(
            "SELECT p.nik, p.name, p.phone, e.session_id FROM participant p JOIN enrollment e ON e.participant_id = p.id "
            "ORDER BY p.nik").fetchall()
    finally:
        db.conn.close()


def test_medono_list_with_title_hidden_row_merged_skill_and_signature(cli, sessions, files, db_path):
    r = cli("participant", "import", files["medono"])
    assert r.exit_code == 0, r.stderr
    # four people: not the hidden (withdrawn) one, not the empty numbered rows, not the footer
    assert "Read 4 row(s): 4 enrolled, 0 waitlisted, 0 updated, 0 unchanged, 0 rejected." in r.stdout
    assert "Warning: 1 hidden row(s) not imported: row 10; show them in the spreadsheet, or give " \
           "--include-hidden to import them." in r.stderr
    assert "Warning: hidden column(s) H 'NO HP LAMA' not read; --include-hidden reads them." in r.stderr
    assert "sheet 'Rekap' has no participant header; read sheet 'Peserta'" in r.stderr
    assert "Note: row(s) 1–4 above the header skipped (title)." in r.stderr
    assert "the table ends at row 15 ('JUMLAH')" in r.stderr
    expected = sorted((clerk.medono_nik(i), clerk.MEDONO[i][0], "+62" + clerk.MEDONO[i][4][1:], sessions["tas"])
                      for i in (0, 1, 3, 4))
    assert people(db_path) == expected   # the visible phone column, the merged skill's session


def test_include_hidden_takes_the_hidden_row(cli, sessions, files, db_path):
    r = cli("participant", "import", files["medono"], "--include-hidden", "--format", "json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["read"], out["enrolled"], out["rejected"]) == (5, 5, 0)
    assert clerk.medono_nik(2) in [p[0] for p in people(db_path)]


def test_all_sheets_sheet_name_is_the_kelurahan(cli, sessions, files, db_path):
    r = cli("participant", "import", files["per_kelurahan"], "--all-sheets", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["enrolled"] == 4
    got = {nik: sid for nik, _n, _p, sid in people(db_path)}
    assert got == {clerk.sheets_nik("Medono", 0): sessions["tas"], clerk.sheets_nik("Medono", 1): sessions["tas"],
                   clerk.sheets_nik("Bendan Kergon", 0): sessions["merajut"],
                   clerk.sheets_nik("Bendan Kergon", 1): sessions["desain"]}


def test_all_sheets_on_a_csv_is_one_line_error(cli, sessions, files):
    r = cli("participant", "import", files["titled_csv"], "--all-sheets")
    assert r.exit_code == 1
    assert r.stderr.strip().splitlines()[-1] == (
        "Error: --all-sheets applies only to spreadsheets (xlsx, xls, ods), not csv.")


@pytest.mark.parametrize("name", ["unicode_text", "titled_csv"])
def test_text_files_with_a_title_line(cli, sessions, files, db_path, name):
    r = cli("participant", "import", files[name])
    assert r.exit_code == 0, r.stderr
    assert "Read 2 row(s): 2 enrolled" in r.stdout
    assert [p[0] for p in people(db_path)] == sorted([clerk.medono_nik(0), clerk.medono_nik(1)])


def test_ods_and_xls_from_libreoffice(cli, sessions, db_path):
    r = cli("participant", "import", DATA / "medono_2025.ods", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["enrolled"] == 4
    r = cli("participant", "import", DATA / "medono_2025.xls", "--dry-run", "--format", "json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    # .xls: hidden rows cannot be seen, so the withdrawn person is read, and the operator is told
    assert out["read"] == 5
    assert any("cannot be seen in a .xls file" in str(w) for w in out["warnings"])


def _two_sheets_with_a_bad_row_3(path):
    """One sheet per kelurahan, as a kecamatan office sends them: in each, row 3's birth
    date disagrees with the NIK (day and month swapped)."""
    from openpyxl import Workbook

    wb = Workbook()
    for i, (sheet, skill) in enumerate((("Medono", "Tas"), ("Bendan Kergon", "Merajut"))):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = sheet
        ws.append(["NIK", "NAMA", "TANGGAL LAHIR", "PELATIHAN"])
        ws.append([clerk.nik(clerk.dt.date(1990, 7, 2), True, serial=60 + i), f"Ani {sheet}", "02-07-1990", skill])
        ws.append([clerk.nik(clerk.dt.date(1991, 3, 4), True, serial=70 + i), f"Ina {sheet}", "03-04-1991", skill])
    wb.save(path)
    return path


def test_all_sheets_rows_are_named_with_their_sheet_and_overrides_name_one_sheets_row(cli, sessions, tmp_path,
                                                                                       db_path):
    """With --all-sheets every sheet has a row 3: errors and warnings name the sheet, and an
    override names SHEET:ROW; a bare row number would have covered row 3 of every sheet."""
    f = _two_sheets_with_a_bad_row_3(tmp_path / "kecamatan.xlsx")
    r = cli("participant", "import", f, "--all-sheets")
    assert r.exit_code == 1
    bad = [line for line in r.stderr.splitlines() if line.startswith("  row ")]
    assert [line.split(",")[0] for line in bad] == ["  row 3 (sheet 'Medono')", "  row 3 (sheet 'Bendan Kergon')"]
    assert "--accept-nik-mismatch-for Medono:3" in bad[0] and "--accept-nik-mismatch-for 'Bendan Kergon:3'" in bad[1]
    r = cli("participant", "import", f, "--all-sheets", "--accept-nik-mismatch-for", "3")
    assert r.exit_code == 1 and r.stderr.startswith(
        "Error: --accept-nik-mismatch-for 3: with --all-sheets every sheet has a row 3; name the sheet too, as "
        "SHEET:ROW")
    rejects = tmp_path / "ditolak.xlsx"
    r = cli("participant", "import", f, "--all-sheets", "--accept-nik-mismatch-for", "bendan kergon:3",
            "--on-error", "skip", "--rejects", rejects, "--format", "json")
    assert r.exit_code == 3, r.stderr
    out = json.loads(r.stdout)
    assert [(e["sheet"], e["row"]) for e in out["errors"]] == [("Medono", 3)]
    # the refused row goes back in a sheet of its own sheet's name: fixed, it imports with --all-sheets again
    from openpyxl import load_workbook

    wb = load_workbook(rejects)
    assert wb.sheetnames == ["Medono"]
    assert [c.value for c in wb["Medono"][2]][:2] == [clerk.nik(clerk.dt.date(1991, 3, 4), True, serial=70),
                                                      "Ina Medono"]
    assert {w.get("sheet") for w in out["warnings"] if w.get("row") == 3} <= {"Bendan Kergon"}
    db = open_db(db_path)
    try:
        stored = db.execute("SELECT name, nik_mismatch_accepted FROM participant ORDER BY name").fetchall()
        changes = json.loads(db.execute("SELECT changes FROM audit_log WHERE action = 'participant.import'")
                             .fetchone()[0])
    finally:
        db.conn.close()
    assert stored == [("Ani Bendan Kergon", 0), ("Ani Medono", 0), ("Ina Bendan Kergon", 1)]
    assert [(a["sheet"], a["row"]) for a in changes["accept_nik_mismatch_for"]] == [("Bendan Kergon", 3)]


def test_all_sheets_a_nik_in_two_sheets_names_the_first_sheets_row(cli, sessions, tmp_path, db_path, monkeypatch):
    """The same person listed by two kelurahan offices: the second is a duplicate of the
    first sheet's row, also when the two rows are in different chunks (the temporary table)."""
    from openpyxl import Workbook

    from pelatihan_cli.services import participant_import

    monkeypatch.setattr(participant_import, "CHUNK_ROWS", 1)
    twice = clerk.nik(clerk.dt.date(1990, 7, 2), True, serial=80)
    wb = Workbook()
    for i, (sheet, skill) in enumerate((("Medono", "Tas"), ("Bendan Kergon", "Merajut"))):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = sheet
        ws.append(["NIK", "NAMA", "PELATIHAN"])
        ws.append([twice, "Ani Lestari", skill])
    wb.save(tmp_path / "dua.xlsx")
    r = cli("participant", "import", tmp_path / "dua.xlsx", "--all-sheets")
    assert r.exit_code == 1
    assert (f"  row 2 (sheet 'Bendan Kergon'), NIK '{mask_text(twice)}': NIK '{mask_text(twice)}' is a duplicate "
            "of row 2 (sheet 'Medono').") in r.stderr.splitlines(), r.stderr
