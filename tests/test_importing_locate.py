"""The locate stage (importing.locate, importing.readers, importing.spreadsheets) on files
made the way clerks make them (tests/make_clerk_files.py): the right rows with their
sheet row numbers, hidden rows skipped and listed, merged values filled, the header
under a title block, the footer not read, UTF-16 text, .xls and .ods. No database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import make_clerk_files as clerk
from pelatihan_cli.importing.locate import PARTICIPANT_TABLE, TableEnd, is_column_numbers, is_footer_text, row_ranges
from pelatihan_cli.importing.readers import SHEET, ReadError, open_rows
from pelatihan_cli.importing.report import SheetRow

DATA = Path(__file__).parent / "data" / "clerk"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return clerk.build(tmp_path_factory.mktemp("clerk"))


def read(path, **kw):
    kw.setdefault("expect", PARTICIPANT_TABLE)
    kw.setdefault("include_hidden", False)
    with open_rows(path, **kw) as src:
        rows = list(src)
        return src, rows, src.take_warnings()


# --- pure rules ----------------------------------------------------------------------------

@pytest.mark.parametrize("cells,expected", [
    (["(1)", "(2)", "(3)"], True), ([1, 2, 3, 4], True), (["1", "2.", " 3 "], True), ([None, "(1)", "(2)"], True),
    ([1.0, 2.0], True), (["(1)"], False), (["1", "3"], False), (["NO", "NIK"], False), ([1, "Siti"], False),
    ([True, False], False),
])
def test_column_number_row(cells, expected):
    assert is_column_numbers(cells) is expected


@pytest.mark.parametrize("text", ["JUMLAH", "Jumlah peserta", "TOTAL", "Mengetahui,", "Lurah Medono",
                                  "NIP. 19700101 199003 1 005", "Pekalongan, 15 Juli 2025",
                                  "Pekalongan, 15-07-2025", "Kepala Kelurahan"])
def test_footer_text(text):
    assert is_footer_text(text)


@pytest.mark.parametrize("text", ["Siti Aminah", "Jumiati", "Totok Santoso", "Lurahmah", "Nipah Sari", "Medono"])
def test_names_are_not_footer_text(text):
    assert not is_footer_text(text)


def test_row_ranges():
    assert row_ranges([2, 3, 4, 9, 11, 12]) == "2–4, 9, 11–12"
    assert row_ranges([]) == ""


def test_table_end_skips_filler_ends_at_footer_and_keeps_a_late_nik():
    end = TableEnd("NIK", "NAMA")
    rows = [
        (8, {"NO": 1, "NIK": "3375994207900001", "NAMA": "Siti"}),
        (9, {"NO": 2, "NIK": None, "NAMA": "Budi"}),          # a name without NIK: a real (bad) row
        (10, {"NO": 3, "NIK": None, "NAMA": None}),           # numbered empty row
        (11, {"NO": "JUMLAH", "NIK": None, "NAMA": None}),
        (12, {"NO": None, "NIK": None, "NAMA": "SUGENG RIYADI, S.Sos"}),   # the signer, under the footer
        (13, {"NO": 4, "NIK": "3375991312850002", "NAMA": "Budi"}),      # added under the totals: kept
    ]
    kept = [n for n, r in rows if not end.skip(n, r)]
    assert kept == [8, 9, 13]
    assert end.summary() == ("1 row(s) with neither NIK nor name skipped (rows 10); the table ends at row 11 "
                             "('JUMLAH'): row(s) 11–12 below it skipped; they are not participants and not counted.")


# --- xlsx made by a clerk ----------------------------------------------------------------

def test_medono_xlsx_title_two_row_header_hidden_merged_footer(files):
    src, rows, warnings = read(files["medono"])
    assert src.sheet == "Peserta" and src.header_row == 6
    assert src.columns == ["NO", "NIK", "NAMA", "TANGGAL LAHIR", "L/P", "ALAMAT", "KELURAHAN", "NO HP", "PELATIHAN"]
    # sheet row numbers; the hidden row 10 (a withdrawn person) is not read
    assert [n for n, _ in rows] == [8, 9, 11, 12]
    assert [r["NIK"] for _, r in rows] == [clerk.medono_nik(i) for i in (0, 1, 3, 4)]
    # the skill merged over J8:J12 reaches every row; the visible phone column, not the hidden old one
    assert {r["PELATIHAN"] for _, r in rows} == {"Tas"}
    assert [r["NO HP"] for _, r in rows] == ["081234567801", "081234567802", "081234567804", "081234567805"]
    assert rows[0][1]["TANGGAL LAHIR"] == dt.date(1990, 7, 2)
    assert warnings == [
        "hidden column(s) H 'NO HP LAMA' not read; --include-hidden reads them.",
        f"{files['medono']}: sheet 'Rekap' has no participant header; read sheet 'Peserta' (give --sheet to choose "
        "another).",
        "1 hidden row(s) not imported: row 10; show them in the spreadsheet, or give --include-hidden to import them.",
    ]
    assert src.notes == [
        "row(s) 1–4 above the header skipped (title).",
        "rows 5–6 read as one header (merged group cells).",
        "row 7 (column numbers under the header) skipped.",
        "2 row(s) with neither NIK nor name skipped (rows 13–14); the table ends at row 15 ('JUMLAH'): row(s) 15, "
        "17–19, 22–23 below it skipped; they are not participants and not counted.",
    ]


def test_include_hidden_reads_hidden_rows_and_columns_visible_first(files):
    src, rows, warnings = read(files["medono"], include_hidden=True)
    assert [n for n, _ in rows] == [8, 9, 10, 11, 12]
    assert rows[2][1]["NAMA"] == "Dewi Lestari" and rows[2][1]["PELATIHAN"] == "Tas"
    assert src.columns[-1] == "NO HP LAMA"   # after the visible ones: the visible phone column wins
    assert not any("hidden" in w for w in warnings)


def test_a_hidden_rows_warning_names_every_row_however_many(tmp_path):
    """A clerk who hid every other person of a long list (a filter): the one warning names
    all 60 hidden rows; it once stopped after 40 and said 'and 20 more range(s)'."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["NIK", "NAMA"])
    for i in range(120):
        ws.append([f"33750101019{i:05d}", f"Orang {i}"])
    hidden = list(range(3, 123, 2))
    for r in hidden:
        ws.row_dimensions[r].hidden = True
    path = tmp_path / "filtered.xlsx"
    wb.save(path)
    _src, rows, warnings = read(path)
    assert len(rows) == 60
    (line,) = [w for w in warnings if "hidden row" in w]
    assert line.startswith("60 hidden row(s) not imported: rows 3, 5, 7,") and "more" not in line
    assert all(f" {r}," in line or f" {r};" in line for r in hidden), line


def test_without_expect_every_row_is_read_as_before(files):
    # the default of open_rows (attendance, kelurahan files): first non-blank row is the header
    with open_rows(files["bendan_1904"]) as src:
        assert src.columns[:3] == ["No", "NIK", "Nama Lengkap"] and len(list(src)) == 3


def test_1904_dates_and_a_nik_in_a_number_cell(files):
    _, rows, _ = read(files["bendan_1904"])
    assert [r["Tgl Lahir"] for _, r in rows] == [b for _, b, _, _ in clerk.BENDAN]
    _, rows, _ = read(files["bendan_number_nik"])
    value = rows[1][1]["NIK"]
    # kept a number, the 16th digit lost as Excel loses it: the cleaning stage refuses it
    assert type(value) is int and str(value) == clerk.bendan_nik(1)[:15] + "0" != clerk.bendan_nik(1)


def test_named_sheet_and_unknown_sheet(files):
    src, rows, _ = read(files["medono"], sheet="peserta")
    assert src.sheet == "Peserta" and len(rows) == 4
    with pytest.raises(ReadError, match="no sheet 'Tiga'; its sheets are 'Rekap', 'Peserta'"):
        read(files["medono"], sheet="Tiga")


def test_all_sheets_one_per_kelurahan(files):
    src, rows, warnings = read(files["per_kelurahan"], all_sheets=True)
    assert warnings == []
    assert src.sheets == ["Medono", "Bendan Kergon"]
    assert [(n, r[SHEET], r["Kelurahan"], r["NAMA"]) for n, r in rows] == [
        (SheetRow(3, "Medono"), "Medono", "Medono", "Siti Aminah"),
        (SheetRow(4, "Medono"), "Medono", "Medono", "Budi Santoso"),
        (SheetRow(3, "Bendan Kergon"), "Bendan Kergon", "Bendan Kergon", "Ani Wulandari"),
        (SheetRow(4, "Bendan Kergon"), "Bendan Kergon", "Bendan Kergon", "Joko Susilo")]
    # the row numbers carry their sheet: row 3 of Medono is not row 3 of Bendan Kergon
    assert rows[0][0] != rows[2][0] and int(rows[0][0]) == int(rows[2][0]) == 3
    assert f"row {rows[2][0]}" == "row 3 (sheet 'Bendan Kergon')" and rows[2][0].target() == "Bendan Kergon:3"
    # the second sheet's own spellings ('No KTP', 'Nama Lengkap', ...) land in the first sheet's columns
    assert src.columns == ["NO", "NIK", "NAMA", "TGL LAHIR", "PELATIHAN", "Kelurahan"]
    assert rows[2][1]["NIK"] == clerk.sheets_nik("Bendan Kergon", 0)
    assert "sheet 'Rekap' has no participant header; not read." in src.notes


def test_all_sheets_and_sheet_are_spreadsheet_options(files):
    with pytest.raises(ReadError, match="--all-sheets applies only to spreadsheets"):
        read(files["titled_csv"], all_sheets=True)
    with pytest.raises(ReadError, match="either --sheet or --all-sheets"):
        read(files["per_kelurahan"], all_sheets=True, sheet="Medono")


def test_sheet_row_numbers_when_the_table_starts_away_from_a1(tmp_path):
    # python-calamine starts its rows at row 1 or at the first used row depending on the version
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["C5"], ws["D5"] = "NIK", "Nama"
    ws["C7"], ws["D7"] = "3375994207900001", "Siti"
    p = tmp_path / "away.xlsx"
    wb.save(p)
    src, rows, _ = read(p)
    assert src.header_row == 5 and rows == [(7, {"NIK": "3375994207900001", "Nama": "Siti"})]


# --- text files ------------------------------------------------------------------------------

def test_excel_unicode_text_utf16(files):
    src, rows, warnings = read(files["unicode_text"])
    assert src.encoding == "utf-16" and src.delimiter == "\t" and warnings == []
    assert [(n, r["NIK"], r["NAMA"]) for n, r in rows] == [
        (4, clerk.medono_nik(0), "Siti Aminah"), (5, clerk.medono_nik(1), "Budi Santoso")]
    assert src.notes == ["row(s) 1–2 above the header skipped (title)."]


def test_titled_cp1252_csv_with_footer(files):
    src, rows, _ = read(files["titled_csv"])
    assert src.delimiter == ";"
    assert [n for n, _ in rows] == [4, 5]
    assert src.notes[-1].startswith("1 row(s) with neither NIK nor name skipped (rows 6); the table ends at row 7")


def test_separator_sniffed_on_the_first_line_that_has_one(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("\nDAFTAR PESERTA\nNIK;Nama\n3375994207900001;Siti\n", encoding="utf-8")
    src, rows, _ = read(p)
    assert src.delimiter == ";" and rows == [(4, {"NIK": "3375994207900001", "Nama": "Siti"})]


# --- .xls and .ods made by LibreOffice (committed: CI has no LibreOffice) -------------------

def test_ods_hidden_rows_columns_and_merges():
    src, rows, warnings = read(DATA / "medono_2025.ods")
    assert src.format == "ods" and src.format_family == "xlsx"
    assert [n for n, _ in rows] == [8, 9, 11, 12]
    assert {r["PELATIHAN"] for _, r in rows} == {"Tas"} and "NO HP LAMA" not in src.columns
    assert any("1 hidden row(s) not imported: row 10" in w for w in warnings)


def test_xls_merges_read_hidden_rows_not_detected_and_said():
    src, rows, warnings = read(DATA / "medono_2025.xls")
    assert src.format == "xls"
    assert [n for n, _ in rows] == [8, 9, 10, 11, 12]   # row 10 is hidden, which .xls does not let us see
    assert {r["PELATIHAN"] for _, r in rows} == {"Tas"}
    assert rows[0][1]["TANGGAL LAHIR"] == dt.date(1990, 7, 2)
    assert ("hidden rows and columns cannot be seen in a .xls file, so every row was read; check the list has "
            "no hidden rows, or save it as .xlsx.") in warnings


def test_xls_that_is_not_a_workbook(tmp_path):
    p = tmp_path / "p.xls"
    p.write_bytes(b"not an xls at all")
    with pytest.raises(ReadError, match="is not a readable xls workbook"):
        read(p)
