"""importing/: readers (csv/tsv/json/jsonl/xlsx/stdin), header matching, cell values,
rejects writers. No database."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys

import pytest

from pelatihan_cli.errors import ValidationError
from pelatihan_cli.importing.headers import PARTICIPANT_ALIASES, header_key, match_headers
from pelatihan_cli.importing.readers import EXTRA_CELLS, ReadError, open_rows, sniff_delimiter
from pelatihan_cli.importing.rejects import open_rejects
from pelatihan_cli.importing.values import cell_date, cell_int, cell_text


def rows_of(path, fmt=None, sheet=None):
    with open_rows(path, fmt, sheet) as src:
        return src, list(src)


# --- CSV ----------------------------------------------------------------------------------

def test_semicolon_cp1252_csv(tmp_path):
    p = tmp_path / "peserta.csv"
    p.write_bytes("No;NIK;Nama;Tgl. Lahir\n1;3375014107900001;José Pérez;02/07/1990\n".encode("cp1252"))
    src, rows = rows_of(p)
    assert src.delimiter == ";" and src.encoding == "cp1252" and src.format_family == "csv"
    assert rows == [(2, {"No": "1", "NIK": "3375014107900001", "Nama": "José Pérez", "Tgl. Lahir": "02/07/1990"})]
    assert any("Windows-1252" in w for w in src.warnings)


def test_utf8_bom_header_is_clean(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes(b"\xef\xbb\xbfnik,nama\n1,Siti\n")
    src, rows = rows_of(p)
    assert src.columns == ["nik", "nama"] and src.encoding == "utf-8-sig" and not src.warnings
    assert rows == [(2, {"nik": "1", "nama": "Siti"})]


def test_late_non_utf8_byte_switches_whole_file(tmp_path):
    # the pre-scan decides the encoding for the whole file, not just its start
    p = tmp_path / "late.csv"
    p.write_bytes(b"nik,nama\n" + b"1,Ana\n" * 50_000 + "2,Zoë\n".encode("cp1252"))
    src, rows = rows_of(p)
    assert src.encoding == "cp1252" and rows[-1][1]["nama"] == "Zoë"


def test_row_numbers_count_blank_and_multiline_rows(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text('nik,nama\n1,"Siti\nAminah"\n\n2,Budi\n,\n3,Ani\n', encoding="utf-8")
    _, rows = rows_of(p)
    assert [(n, r["nik"]) for n, r in rows] == [(2, "1"), (4, "2"), (6, "3")]
    assert rows[0][1]["nama"] == "Siti\nAminah"


def test_short_and_long_rows(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("nik,nama,hp\n1,Siti\n2,Budi,0812,extra\n", encoding="utf-8")
    _, rows = rows_of(p)
    assert rows[0][1] == {"nik": "1", "nama": "Siti", "hp": ""}
    assert rows[1][1][EXTRA_CELLS] == ["extra"]


@pytest.mark.parametrize("line,expected", [
    ("nik,nama,alamat", ","), ("nik;nama;alamat", ";"), ("nik\tnama\talamat", "\t"),
    ('nik;"nama, lengkap";alamat', ";"), ("nik", ","), ('"a;b",c', ","),
])
def test_sniff_delimiter(line, expected):
    assert sniff_delimiter(line) == expected


def test_tsv_and_unknown_extension(tmp_path):
    p = tmp_path / "x.tsv"
    p.write_text("nik\tnama\n1\tA, B\n", encoding="utf-8")
    _, rows = rows_of(p)
    assert rows == [(2, {"nik": "1", "nama": "A, B"})]
    q = tmp_path / "x.dat"
    q.write_text("nik\n1\n")
    with pytest.raises(ReadError, match="--input-format"):
        open_rows(q)
    _, rows = rows_of(q, "csv")
    assert rows == [(2, {"nik": "1"})]


def test_empty_and_missing_files(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("\n\n")
    with pytest.raises(ReadError, match="no header row"):
        open_rows(p)
    with pytest.raises(ReadError, match="File not found"):
        open_rows(tmp_path / "nope.csv")


def test_stdin_needs_format_and_is_read(monkeypatch):
    with pytest.raises(ReadError, match="needs --input-format"):
        open_rows("-")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"nik;nama\n1;Siti\n")))
    src, rows = rows_of("-", "csv")
    assert src.name == "<stdin>" and rows == [(2, {"nik": "1", "nama": "Siti"})]


# --- JSON / JSON lines -------------------------------------------------------------------

def test_json_list_streamed(tmp_path):
    p = tmp_path / "p.json"
    p.write_text(json.dumps([{"nik": "1", "nama": "Siti"}, {"nik": 2, "nama": "Budi", "hp": None}]))
    src, rows = rows_of(p)
    assert rows == [(1, {"nik": "1", "nama": "Siti"}), (2, {"nik": 2, "nama": "Budi", "hp": None})]
    assert src.columns == ["nik", "nama", "hp"] and src.format_family == "jsonl"


def test_json_large_objects_across_chunks(tmp_path):
    p = tmp_path / "big.json"
    objs = [{"nik": str(i), "nama": "x" * 70_000} for i in range(3)]
    p.write_text(json.dumps(objs, indent=2))
    _, rows = rows_of(p)
    assert [r["nik"] for _, r in rows] == ["0", "1", "2"]


@pytest.mark.parametrize("text,message", [
    ('{"nik": 1}', "list of objects"),
    ('[{"nik": 1}, 5]', "item 2 of the list is not an object"),
    ('[{"nik": 1} {"nik": 2}]', "expected ',' or ']' after object 1"),
    ('[{"nik": 1}, {"nik": ', "object 2 is not valid JSON"),
    ('[{"nik": 1}', "not closed"),
    ('[] x', "after the closing"),
])
def test_json_errors(tmp_path, text, message):
    p = tmp_path / "bad.json"
    p.write_text(text)
    with pytest.raises(ReadError, match=message):
        with open_rows(p) as src:
            list(src)


def test_json_lines_numbers_are_lines(tmp_path):
    p = tmp_path / "p.jsonl"
    p.write_text('{"nik": "1"}\n\n{"nik": "2", "nama": "B"}\n')
    src, rows = rows_of(p)
    assert rows == [(1, {"nik": "1"}), (3, {"nik": "2", "nama": "B"})]
    assert src.columns == ["nik", "nama"]
    p.write_text('{"nik": "1"}\n[1]\n')
    with pytest.raises(ReadError, match="line 2"):
        rows_of(p)


# --- xlsx --------------------------------------------------------------------------------

def _xlsx(path, rows, title="Peserta", extra_sheet=False):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    if extra_sheet:
        ws2 = wb.create_sheet("Kedua")
        ws2.append(["nik", "nama"])
        ws2.append(["9", "Dua"])
    wb.save(path)


def test_xlsx_date_cells_numeric_nik_and_sheets(tmp_path):
    p = tmp_path / "p.xlsx"
    _xlsx(p, [["NIK", "Nama", "Tanggal Lahir"], [3375014107900001, "Siti", dt.datetime(1990, 7, 1)],
              [None, None, None], ["3375014107900002", "Ani", "01/07/1990"]], extra_sheet=True)
    src, rows = rows_of(p)
    assert src.format_family == "xlsx" and src.columns == ["NIK", "Nama", "Tanggal Lahir"]
    # python-calamine gives a date cell as a date (a datetime when it has a time of day)
    assert rows[0] == (2, {"NIK": 3375014107900001, "Nama": "Siti", "Tanggal Lahir": dt.date(1990, 7, 1)})
    assert type(rows[0][1]["NIK"]) is int   # a number cell stays a number: cleaning refuses it as a NIK
    assert rows[1][0] == 4
    assert cell_text(rows[0][1]["NIK"]) == "3375014107900001"
    assert cell_text(3375014107900001.0) == "3375014107900001"   # a float cell: no '.0', no exponent
    _, rows = rows_of(p, sheet="kedua")
    assert rows == [(2, {"nik": "9", "nama": "Dua"})]
    with pytest.raises(ReadError, match="no sheet 'Tiga'.*'Peserta', 'Kedua'"):
        open_rows(p, sheet="Tiga")


def test_xlsx_not_a_workbook(tmp_path):
    p = tmp_path / "p.xlsx"
    p.write_text("nik,nama\n")
    with pytest.raises(ReadError, match="not a readable xlsx"):
        open_rows(p)


# --- headers and values -------------------------------------------------------------------

def test_header_aliases_and_unknown():
    cols = ["No", "No. KTP", "NAMA LENGKAP", "Tgl_Lahir", "L/P", "Alamat", "Kel.", "No HP", "Sesi",
            "Keterampilan", "No AK1", "Tempat Lahir", "name"]
    mapping, unknown = match_headers(cols, PARTICIPANT_ALIASES)
    assert mapping == {
        "nik": "No. KTP", "name": "NAMA LENGKAP", "birth_date": "Tgl_Lahir", "sex": "L/P", "address": "Alamat",
        "kelurahan": "Kel.", "phone": "No HP", "session": "Sesi", "skill": "Keterampilan", "ak1_number": "No AK1",
        "birth_place": "Tempat Lahir",
    }
    assert unknown == ["name"]   # 'name' repeats the name column; 'No' is ignored
    assert header_key(" Jenis_Kelamin ") == header_key("jenis kelamin") == "jeniskelamin"


# every header the issue names, as typed in a spreadsheet (any case, spaces, _ and .)
ISSUE_ALIASES = {
    "nik": ["nik", "no_ktp", "no_nik"], "name": ["nama", "nama_lengkap", "name"],
    "birth_date": ["tanggal_lahir", "tgl_lahir", "birth_date"],
    "sex": ["jenis_kelamin", "jk", "l_p", "sex", "gender"], "address": ["alamat", "address"],
    "kelurahan": ["kelurahan"], "phone": ["no_hp", "hp", "telepon", "no_telp", "phone"],
    "session": ["sesi", "session", "session_id"], "skill": ["pelatihan", "keterampilan", "skill"],
    "ak1_number": ["no_ak1", "ak1"],
}


@pytest.mark.parametrize("field,header", [(f, h) for f, hs in ISSUE_ALIASES.items() for h in hs])
def test_every_issue_alias_matches_in_any_spelling(field, header):
    for typed in (header, header.upper(), header.replace("_", " ").title(), header.replace("_", ". ")):
        assert match_headers([typed], PARTICIPANT_ALIASES) == ({field: typed}, []), typed


@pytest.mark.parametrize("text,expected", [
    ("1990-07-02", dt.date(1990, 7, 2)), ("02/07/1990", dt.date(1990, 7, 2)), ("02-07-1990", dt.date(1990, 7, 2)),
    ("2/7/1990", dt.date(1990, 7, 2)), ("2 Juli 1990", dt.date(1990, 7, 2)), (" 13/12/1990 ", dt.date(1990, 12, 13)),
    (dt.datetime(1990, 7, 2), dt.date(1990, 7, 2)), ("1990-07-02 00:00:00", dt.date(1990, 7, 2)), ("", None), (None, None),
])
def test_cell_date(text, expected):
    assert cell_date(text, field="birth_date") == expected


def test_month_first_is_never_assumed():
    with pytest.raises(ValidationError, match="not a real date"):
        cell_date("07/13/1990", field="birth_date")
    with pytest.raises(ValidationError, match="number, not a date"):
        cell_date(33000, field="birth_date")


def test_cell_text_and_int():
    assert cell_text("  Siti  ") == "Siti" and cell_text("   ") is None and cell_text(None) is None
    assert cell_text(81234567890) == "81234567890" and cell_text(1.5) == "1.5"
    assert cell_int(" 12 ", field="session") == 12 and cell_int(12.0, field="session") == 12
    with pytest.raises(ValidationError, match="'dua' is not a number"):
        cell_int("dua", field="session")


# --- rejects --------------------------------------------------------------------------------

def test_rejects_csv_is_formula_safe_and_keeps_delimiter(tmp_path):
    out = tmp_path / "rej.csv"
    with open_rejects(out, "csv", ["nik", "nama"], delimiter=";") as w:
        w.write({"nik": "12", "nama": "=HYPERLINK(\"x\")"}, "NIK '12' must have exactly 16 digits")
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines() == ['nik;nama;error;warnings',
                                 "12;\"'=HYPERLINK(\"\"x\"\")\";NIK '12' must have exactly 16 digits;"]


def test_rejects_xlsx_and_jsonl(tmp_path):
    from openpyxl import load_workbook

    x = tmp_path / "rej.xlsx"
    with open_rejects(x, "xlsx", ["nik", "nama", "lahir", "error"]) as w:
        w.write({"nik": 3375014107900001, "nama": "+Siti", "lahir": dt.datetime(1990, 7, 2), "error": "old"}, "bad")
    ws = load_workbook(x).active
    values = [[c.value for c in r] for r in ws.iter_rows()]
    assert values[0] == ["nik", "nama", "lahir", "error", "_error", "warnings"]
    assert values[1][:2] == [3375014107900001, "'+Siti"] and values[1][4] == "bad"
    assert values[1][2].date() == dt.date(1990, 7, 2)
    j = tmp_path / "rej.jsonl"
    with open_rejects(j, "jsonl", ["nik"]) as w:
        w.write({"nik": "1", "x": [1]}, "bad")
    assert json.loads(j.read_text()) == {"nik": "1", "x": [1], "error": "bad", "warnings": ""}
