"""`participant import` end to end with files made the way Excel and LibreOffice make
them (issue 10): clerk headers and cells are read, and a NIK that may have lost digits
(a Number cell, scientific notation, a column saved from a Number column) is refused
per row with the row number, column, value and fix — and nothing is written."""

from __future__ import annotations

from pelatihan_cli.services.audit import mask_text  # NIKs in messages are masked (issue 13)

import datetime as dt
import json

from test_cli_participant_import import counts, enrollments, nik, programme, write_csv  # noqa: F401
from pelatihan_cli.db import open_db

SITI = nik(dt.date(1990, 7, 2), woman=True)
BUDI = nik(dt.date(1985, 12, 13))
ANI = nik(dt.date(2001, 1, 31), woman=True)
#: NIKs whose real 16th digit is not 0, and what Excel keeps of them in a Number cell
REAL = [nik(dt.date(1980 + i, 3, 9), serial=11 * (i + 1)) for i in range(6)]
EXCEL = [n[:15] + "0" for n in REAL]
NUMBER_FIX = "Format the column as Text and retype the NIK."


def test_clerk_headers_and_cells(cli, programme, tmp_path, db_path):
    f = write_csv(tmp_path / "bendan.csv", [
        "NO.;NIK (16 digit);NAMA PESERTA*;TEMPAT/TGL LAHIR;JENIS KELAMIN (L/P);ALAMAT LENGKAP;RT/RW;"
        "KELURAHAN/DESA;NO. HP/WA;KETRAMPILAN;KET",
        f"1;'{SITI};Siti\u00a0Aminah;Pekalongan, 02-Jul-1990;P;Jl. Kurinci 3;03/02;Kel. Bendan Kergon;"
        "0812-1111-2222 / 0857-3333-4444;Desain Produk & Kemasan;",
        f"2;\u200b{BUDI};Budi Santoso;Batang, 13 Des 1985;LAKI - LAKI;Gg. Mawar 1;;Kelurahan Bendan Kergon;"
        "tidak ada;Merajut;baru",
        f"3;{ANI};Ani;31-01-2001;2;;;Bendan Kergon;-;Desain Produk & Kemasan;",
    ])
    r = cli("participant", "import", f)
    assert r.exit_code == 0, r.stderr
    assert "Read 3 row(s): 3 enrolled" in r.stdout
    assert "Phone cell holds more than one number; the first was kept (row 2)" in r.stderr
    assert "Column(s) not used: 'KET' (not a known header)" in r.stderr
    assert enrollments(db_path) == [
        (SITI, "Siti Aminah", "1990-07-02", "P", "+6281211112222", programme["desain"], "enrolled"),
        (BUDI, "Budi Santoso", "1985-12-13", "L", None, programme["merajut"], "enrolled"),
        (ANI, "Ani", "2001-01-31", "P", None, programme["desain"], "enrolled"),
    ]
    db = open_db(db_path)
    try:
        addresses = [a for (a,) in db.execute("SELECT address FROM participant ORDER BY id")]
    finally:
        db.conn.close()
    assert addresses == ["Jl. Kurinci 3, RT 03/RW 02", "Gg. Mawar 1", None]


def test_ketrampilan_header_routes_every_row_to_its_track(cli, programme, tmp_path, db_path):
    """Before issue 10 the KETRAMPILAN column was not read and half of the rows went to the
    first track of their kelurahan."""
    people = [nik(dt.date(1990, 1, 1 + i), serial=i + 1) for i in range(6)]
    tracks = ["Merajut", "Desain Produk & Kemasan"] * 3
    f = write_csv(tmp_path / "k.csv", ["NIK,NAMA,KELURAHAN,KETRAMPILAN"] + [
        f"{n},Orang {i},Bendan Kergon,{t}" for i, (n, t) in enumerate(zip(people, tracks))])
    r = cli("participant", "import", f)
    assert r.exit_code == 0, r.stderr
    sessions = [row[5] for row in enrollments(db_path)]
    assert sessions == [programme["merajut"], programme["desain"]] * 3


def _xlsx_with_number_niks(path, niks):
    """A sheet as Excel saves it when NIKs were typed into Number cells: a double that kept
    15 significant digits (openpyxl writes what it is given; Excel would have zeroed the 16th)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["NIK (16 digit)", "NAMA PESERTA", "JENIS KELAMIN (L/P)", "KELURAHAN/DESA", "KETRAMPILAN"])
    for i, n in enumerate(niks):
        ws.append([n, f"Orang {i}", "L", "Bendan Kergon", "Merajut"])
    wb.save(path)
    return path


def test_xlsx_number_cell_niks_are_row_errors_and_nothing_is_written(cli, programme, tmp_path, db_path):
    f = _xlsx_with_number_niks(tmp_path / "angka.xlsx", [float(EXCEL[0]), int(EXCEL[1]), REAL[2]])
    r = cli("participant", "import", f)
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert "Error: 2 bad row(s) of 3; nothing was imported." in r.stderr
    for rowno, digits in ((2, EXCEL[0]), (3, EXCEL[1])):
        assert mask_text(f"  row {rowno}, NIK (16 digit) '{digits}': NIK was typed into a Number cell: Excel keeps "
                         f"only 15 digits and the 16th became 0 ({digits}). {NUMBER_FIX}") in lines
    assert not any(line.startswith("  row 4,") for line in lines)   # the text NIK is fine
    assert counts(db_path) == {"participant": 0, "enrolled": 0, "waitlisted": 0, "audit": 0}
    # --on-error skip imports the good row only
    r = cli("participant", "import", f, "--on-error", "skip", "--format", "json")
    assert r.exit_code == 3
    assert [(e["row"], e["column"], e["value"]) for e in json.loads(r.stdout)["errors"]] == [
        (2, "NIK (16 digit)", EXCEL[0]), (3, "NIK (16 digit)", EXCEL[1])]
    assert [row[0] for row in enrollments(db_path)] == [REAL[2]]


def test_csv_scientific_notation_nik_is_a_row_error(cli, programme, tmp_path, db_path):
    """Excel's CSV (semicolon, Indonesian locale) of a General/Number NIK column."""
    f = write_csv(tmp_path / "sci.csv", [
        "NIK;NAMA;KELURAHAN;KETRAMPILAN",
        "3,37599E+15;Siti;Bendan Kergon;Merajut",
        f"{BUDI};Budi;Bendan Kergon;Merajut",
        "3.37599E+15;Ani;Bendan Kergon;Merajut",
    ], encoding="cp1252")
    r = cli("participant", "import", f)
    assert r.exit_code == 1
    assert ("  row 2, NIK '3,37599E+15': NIK '3,37599E+15' is in scientific notation: the spreadsheet stored "
            "the NIK column as a Number and saved only its first digits. Format the column as Text, retype the "
            "NIKs and save again.") in r.stderr.splitlines()
    assert "  row 4, NIK '3.37599E+15': NIK '3.37599E+15' is in scientific notation" in r.stderr
    assert "  row 3," not in r.stderr
    assert counts(db_path)["participant"] == 0


def test_csv_column_saved_from_a_number_column_refuses_niks_ending_in_0(cli, programme, tmp_path, db_path):
    """Excel's CSV of a Number column formatted with 0 decimals: all 16 digits, the 16th 0."""
    lines = ["NIK;NAMA;KELURAHAN;KETRAMPILAN"] + [
        f"{n};Orang {i};Bendan Kergon;Merajut" for i, n in enumerate(EXCEL[:5])] + [
        f"{SITI};Siti;Bendan Kergon;Merajut"]
    f = write_csv(tmp_path / "nol.csv", lines)
    r = cli("participant", "import", f)
    assert r.exit_code == 1
    out = r.stderr.splitlines()
    assert "Error: 5 bad row(s) of 6; nothing was imported." in r.stderr
    for i, n in enumerate(EXCEL[:5]):
        assert mask_text(f"  row {i + 2}, NIK '{n}': NIK '{n}' ends in 0, like most NIKs of this column: the column "
                         f"looks Number-formatted, where Excel keeps only 15 digits and the 16th became 0. "
                         f"{NUMBER_FIX}") in out
    assert "  row 7," not in r.stderr
    assert counts(db_path)["participant"] == 0


def test_a_few_real_niks_ending_in_0_are_not_suspect(cli, programme, tmp_path, db_path):
    niks = [nik(dt.date(1990, 1, 1 + i), serial=i + 1) for i in range(9)] + [EXCEL[0]]
    f = write_csv(tmp_path / "ok.csv", ["NIK,NAMA,KELURAHAN,KETRAMPILAN"] + [
        f"{n},Orang {i},Bendan Kergon,Merajut" for i, n in enumerate(niks)])
    r = cli("participant", "import", f)
    assert r.exit_code == 0, r.stderr
    assert counts(db_path)["enrolled"] == 10


def test_json_float_nik_is_refused(cli, programme, tmp_path, db_path):
    f = tmp_path / "p.json"
    f.write_text('[{"nik": 3375994207900001.0, "nama": "Siti", "kelurahan": "Bendan Kergon", "pelatihan": "Merajut"}]')
    r = cli("participant", "import", f)
    assert r.exit_code == 1
    assert "  row 1, nik '3375994207900000': NIK 3375994207900000 is a number that JavaScript" not in r.stderr
    assert "row 1, nik '337599******0001': NIK 337599******0001 is a number that JavaScript and spreadsheets " \
           "cannot hold exactly" in r.stderr
    assert counts(db_path)["participant"] == 0
