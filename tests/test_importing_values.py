"""The clean stage (importing/values.py, importing/participant_row.py, and the domain
rules they hand on to): table tests of what clerks type into cells."""

from __future__ import annotations

import datetime as dt

import pytest

from pelatihan_cli.domain.dates import parse_date
from pelatihan_cli.domain.person import parse_sex
from pelatihan_cli.domain.places import Place, resolve_place, without_place_prefix
from pelatihan_cli.errors import NotFound, ValidationError
from pelatihan_cli.importing.participant_row import CellIssue, clean_participant_row
from pelatihan_cli.importing.values import (
    TWO_PHONES, address_with_rt_rw, birth_place_date, cell_date, cell_text, nik_cell, nik_source, phone_cell,
    suspect_number_column,
)

NIK = "3375014107900001"


@pytest.mark.parametrize("raw,clean", [
    ("'3375014107900001", "3375014107900001"),          # Excel's typed apostrophe
    ("  '0812 3456 7890 ", "0812 3456 7890"),
    ("\u200b3375014107900001", "3375014107900001"),    # zero-width space
    ("Siti\u200c Aminah\u200d", "Siti Aminah"),          # zero-width non-joiner / joiner joining nothing
    ("\u200d3375\u200c0141", "33750141"),
    ("Siti 👩🏽\u200d🔧", "Siti 👩🏽\u200d🔧"),                  # ... but an emoji sequence keeps its joiner
    ("\ufeffSiti", "Siti"),                              # BOM
    ("Si\u2060ti", "Siti"),                              # word joiner
    ("Siti\u00a0Aminah\u00a0", "Siti Aminah"),           # no-break space -> space
    ("\u2019Siti", "Siti"),                              # curly apostrophe from a word processor
    ("\u200b \u00a0", None), ("'", None), ("", None), ("   ", None), (None, None),
    ("Jl. Merdeka 5", "Jl. Merdeka 5"), ("O'Neil", "O'Neil"),   # an inner apostrophe stays
    (3375014107900001, "3375014107900001"), (3.5, "3.5"), (True, "true"),
])
def test_cell_text_strips_apostrophe_and_invisible_characters(raw, clean):
    assert cell_text(raw) == clean


@pytest.mark.parametrize("raw,expected", [
    ("-", (None, None)), ("\u2013", (None, None)), ("\u2014", (None, None)), ("tidak ada", (None, None)),
    ("Tdk Ada", (None, None)), ("----", (None, None)), ("- -", (None, None)), ("TIDAK  ADA", (None, None)), ("0", (None, None)), ("", (None, None)),
    (None, (None, None)), ("'0812-3456-7890", ("0812-3456-7890", None)), (81234567890, ("81234567890", None)),
    ("0812-1111-2222 / 0857-3333-4444", ("0812-1111-2222", TWO_PHONES)),
    ("0812-1111-2222; 0857-3333-4444", ("0812-1111-2222", TWO_PHONES)),
    ("081211112222, 085733334444", ("081211112222", TWO_PHONES)),
    ("0812 1111 2222 atau 0857 3333 4444", ("0812 1111 2222", TWO_PHONES)),
    ("+62 812-1111-2222/0857-3333-4444", ("+62 812-1111-2222", TWO_PHONES)),
    # not two numbers: handed on as typed for domain.phone to judge
    ("0812/3456/7890", ("0812/3456/7890", None)), ("0812-3456-7890", ("0812-3456-7890", None)),
])
def test_phone_cell(raw, expected):
    assert phone_cell(raw) == expected


@pytest.mark.parametrize("typed,sex", [
    ("L", "L"), ("P", "P"), ("LAKI - LAKI", "L"), ("Laki-Laki", "L"), ("laki laki", "L"), ("LAKI2", "L"),
    ("Lk", "L"), ("LK.", "L"), ("Pria", "L"), ("W", "P"), ("WANITA", "P"), ("PR", "P"), ("Pr.", "P"),
    ("PEREMPUAN", "P"), ("1", "L"), ("2", "P"), (1, "L"), ("M", "L"), ("F", "P"),
])
def test_sex_spellings(typed, sex):
    assert parse_sex(cell_text(typed)) == sex


@pytest.mark.parametrize("typed", ["3", "0", "X", "LP", "laki/perempuan"])
def test_sex_not_understood_is_refused(typed):
    with pytest.raises(ValidationError, match="1/2"):
        parse_sex(typed)


@pytest.mark.parametrize("typed,day", [
    ("12 Okt 1990", dt.date(1990, 10, 12)), ("12-Okt-1990", dt.date(1990, 10, 12)),
    ("12 Sept 1990", dt.date(1990, 9, 12)), ("12 Sept. 1990", dt.date(1990, 9, 12)),
    ("12 Sep 1990", dt.date(1990, 9, 12)), ("3 Nop 1990", dt.date(1990, 11, 3)), ("3 Nov 1990", dt.date(1990, 11, 3)),
    ("3 Nopember 1990", dt.date(1990, 11, 3)), ("31 Des 1990", dt.date(1990, 12, 31)),
    ("17 Agus 1990", dt.date(1990, 8, 17)), ("17 Agt 1990", dt.date(1990, 8, 17)), ("17-AGT-1990", dt.date(1990, 8, 17)),
    ("5 Peb 1990", dt.date(1990, 2, 5)), ("5 Feb 1990", dt.date(1990, 2, 5)), ("5 Pebruari 1990", dt.date(1990, 2, 5)),
    ("5 Mei 1990", dt.date(1990, 5, 5)), ("5 Jun 1990", dt.date(1990, 6, 5)), ("5 Jul 1990", dt.date(1990, 7, 5)),
    ("5 Mrt 1990", dt.date(1990, 3, 5)), ("12/Okt/1990", dt.date(1990, 10, 12)), ("12 okt. 1990", dt.date(1990, 10, 12)),
    ("\u200b'12-05-1990", dt.date(1990, 5, 12)),
])
def test_indonesian_month_abbreviations(typed, day):
    assert cell_date(typed, field="birth_date") == day


@pytest.mark.parametrize("typed", ["12 Okto 1990", "12 Xyz 1990", "12-Okt-90", "Okt 12 1990"])
def test_unreadable_dates_are_refused_not_guessed(typed):
    with pytest.raises(ValidationError):
        parse_date(typed, field="birth_date")


@pytest.mark.parametrize("typed,expected", [
    ("Pekalongan, 12-05-1990", ("Pekalongan", dt.date(1990, 5, 12))),
    ("Pekalongan,12-05-1990", ("Pekalongan", dt.date(1990, 5, 12))),
    ("Pekalongan 12 Mei 1990", ("Pekalongan", dt.date(1990, 5, 12))),
    ("Kab. Batang, 1 Okt 1990", ("Kab. Batang", dt.date(1990, 10, 1))),
    ("Batang / 12/05/1990", ("Batang", dt.date(1990, 5, 12))),
    ("Pekalongan, 1990-05-12", ("Pekalongan", dt.date(1990, 5, 12))),
    ("12-05-1990", (None, dt.date(1990, 5, 12))),
    (dt.datetime(1990, 5, 12), (None, dt.date(1990, 5, 12))),
    ("Pekalongan", ("Pekalongan", None)), ("Pekalongan,", ("Pekalongan", None)), ("", (None, None)), (None, (None, None)),
])
def test_birth_place_and_date(typed, expected):
    assert birth_place_date(typed) == expected


@pytest.mark.parametrize("typed", ["Pekalongan, 31-02-1990", "Pekalongan, 12-05-90", "Pekalongan 1990", 33000])
def test_birth_place_and_date_refuses_what_it_cannot_read(typed):
    with pytest.raises(ValidationError) as e:
        birth_place_date(typed)
    assert e.value.field == "birth_place_date"


@pytest.mark.parametrize("address,rt_rw,expected", [
    ("Jl. X No. 5", "03/02", "Jl. X No. 5, RT 03/RW 02"),
    ("Jl. X No. 5", "003 / 002", "Jl. X No. 5, RT 003/RW 002"),
    ("Jl. X No. 5,", "RT 03 RW 02", "Jl. X No. 5, RT 03/RW 02"),
    ("Jl. X No. 5 RT 03/RW 02", "03/02", "Jl. X No. 5 RT 03/RW 02"),   # already in the address
    (None, "03/02", "RT 03/RW 02"), ("Jl. X", None, "Jl. X"), ("Jl. X", "-", "Jl. X"),
    ("Jl. X", "03", "Jl. X, RT/RW 03"),
])
def test_address_with_rt_rw(address, rt_rw, expected):
    assert address_with_rt_rw(address, rt_rw) == expected


# --- NIK that may have lost digits -----------------------------------------------------

@pytest.mark.parametrize("fmt,source", [("xlsx", "spreadsheet"), ("xls", "spreadsheet"), ("ods", "spreadsheet"),
                                        ("json", "json"), ("jsonl", "json"), ("csv", "text"), ("tsv", "text")])
def test_nik_source(fmt, source):
    assert nik_source(fmt) == source


@pytest.mark.parametrize("value,message", [
    (3375010202900000.0, "NIK was typed into a Number cell: Excel keeps only 15 digits and the 16th became 0 "
                         "(3375010202900000). Format the column as Text and retype the NIK."),
    (3375010202900000, "NIK was typed into a Number cell: Excel keeps only 15 digits and the 16th became 0 "
                       "(3375010202900000). Format the column as Text and retype the NIK."),
    (3375010202900001, "NIK was typed into a Number cell: Excel keeps only 15 digits, so its last digits cannot "
                       "be trusted (3375010202900001). Format the column as Text and retype the NIK."),
    (3.37501e15, "NIK was typed into a Number cell: Excel keeps only 15 digits and the 16th became 0 "
                 "(3375010000000000). Format the column as Text and retype the NIK."),
])
def test_spreadsheet_number_cell_nik_is_refused(value, message):
    with pytest.raises(ValidationError) as e:
        nik_cell(value, source="spreadsheet")
    assert str(e.value) == message and e.value.field == "nik"


def test_json_numbers():
    assert nik_cell(3375010202900001, source="json") == ("3375010202900001", True)   # an exact double
    for value in (3375010202900001.0, 3.37501e15, 9412010202900001):   # a float; beyond 2**53
        with pytest.raises(ValidationError, match="write NIKs as strings"):
            nik_cell(value, source="json")


@pytest.mark.parametrize("text", ["3,37501E+15", "3.37501E+15", "3,37501e+15", "3E+15", "3.375010203E15"])
def test_scientific_notation_is_refused(text):
    with pytest.raises(ValidationError, match="scientific notation") as e:
        nik_cell(text, source="text")
    assert e.value.value == text


def test_text_niks():
    assert nik_cell(f"'{NIK}") == (NIK, False)
    assert nik_cell("3375 0141 0790 0001") == ("3375 0141 0790 0001", False)
    assert nik_cell("") == (None, False) and nik_cell(None) == (None, False)
    assert nik_cell("3375010202900010", suspect_zeros=False) == ("3375010202900010", False)
    assert nik_cell("3375010202900011", suspect_zeros=True) == ("3375010202900011", False)
    with pytest.raises(ValidationError, match="looks Number-formatted.*Format the column as Text"):
        nik_cell("3375010202900010", suspect_zeros=True)


@pytest.mark.parametrize("niks,suspect", [
    (["3375010202900000"] * 5, True),
    (["3375010202900000"] * 4 + ["3375010202900001"], True),              # 80 %
    (["3375010202900000"] * 3 + ["3375010202900001"] * 2, False),         # 60 %
    (["3375010202900000"] * 4, False),                                    # too few to judge
    ([f"33750102029000{i}0" for i in range(10)], True),
    ([f"3375010202900{i:03d}" for i in range(1, 101)], False),            # real serials: 10 % end in 0
    (["3375 0102 0290 0000"] * 5, True), (["'3375010202900000"] * 5, True),
    ([3375010202900000] * 5, False),                                      # number cells are refused one by one
    (["", None, "x", "123"] * 5, False),
])
def test_suspect_number_column(niks, suspect):
    assert suspect_number_column(niks) is suspect


# --- kelurahan prefixes -------------------------------------------------------------------

@pytest.mark.parametrize("typed,bare", [
    ("Kel. Medono", "Medono"), ("Kel.Medono", "Medono"), ("KEL MEDONO", "MEDONO"), ("Kelurahan Medono", "Medono"),
    ("Desa Kali", "Kali"), ("Ds. Kali", "Kali"), ("Kel/Desa Medono", "Medono"),
    ("Kelurahan", None), ("Kel.", None), ("Medono", None), ("Kelapa Dua", None), ("Desakolot", None),
    ("Kelitu Sintep", None),
])
def test_without_place_prefix(typed, bare):
    assert without_place_prefix(typed) == bare


def _resolver(*places: Place):
    from pelatihan_cli.domain.names import name_key

    def resolve(text):
        return resolve_place(text, by_code=lambda c: None,
                             by_name=lambda k: [p for p in places if name_key(p.name) == k],
                             all_names=lambda: [p.name for p in places])
    return resolve


def test_prefix_stripped_only_when_the_typed_text_names_no_place():
    medono = Place(1, "33.75.01.1001", "Medono", "Pekalongan Barat", "Kota Pekalongan")
    baru = Place(2, "13.12.07.2001", "Baru", "Ranah Batahan", "Kabupaten Pasaman Barat")
    desa_baru = Place(3, "13.12.07.2002", "Desa Baru", "Ranah Batahan", "Kabupaten Pasaman Barat")
    kelurahan = Place(4, "33.22.08.2003", "Kelurahan", "Jambu", "Kabupaten Semarang")
    resolve = _resolver(medono, baru, desa_baru, kelurahan)
    for typed in ("Kel. Medono", "Kelurahan Medono", "kel medono", "Kel. Medono (Pekalongan Barat)", "Desa Medono"):
        assert resolve(typed) == medono, typed
    assert resolve("Desa Baru") == desa_baru      # an official name that starts with 'Desa'
    assert resolve("Kelurahan") == kelurahan      # an official name (Kabupaten Semarang)
    assert resolve("Desa Desa Baru") == desa_baru
    with pytest.raises(NotFound, match="Unknown kelurahan 'Kel. Medon'.*Medono"):
        resolve("Kel. Medon")


# --- one participant row -------------------------------------------------------------------

MAPPING = {"nik": "NIK (16 digit)", "name": "NAMA PESERTA", "birth_place_date": "TEMPAT/TGL LAHIR",
           "sex": "L/P", "address": "ALAMAT", "rt_rw": "RT/RW", "kelurahan": "KEL/DESA", "phone": "NO. HP/WA",
           "skill": "KETRAMPILAN"}


def test_clean_participant_row():
    row = {"NIK (16 digit)": f"'{NIK}\u200b", "NAMA PESERTA": "Siti\u00a0Aminah", "TEMPAT/TGL LAHIR": "Pekalongan, 01-Jul-1990",
           "L/P": "P", "ALAMAT": "Jl. X No. 5", "RT/RW": "03/02", "KEL/DESA": "Kel. Medono",
           "NO. HP/WA": "0812-1111-2222 / 0857-3333-4444", "KETRAMPILAN": " Merajut "}
    c = clean_participant_row(row, MAPPING, source="text")
    assert (c.nik, c.name, c.birth_date, c.birth_place, c.sex) == (NIK, "Siti Aminah", dt.date(1990, 7, 1), "Pekalongan", "P")
    assert (c.address, c.kelurahan, c.phone, c.skill) == ("Jl. X No. 5, RT 03/RW 02", "Kel. Medono", "0812-1111-2222", "Merajut")
    assert c.problems == []
    assert c.warnings == [CellIssue("phone", "0812-1111-2222 / 0857-3333-4444", TWO_PHONES)]


def test_clean_participant_row_problems():
    row = {"NIK (16 digit)": 3375014107900000.0, "NAMA PESERTA": "Siti", "TEMPAT/TGL LAHIR": "Pekalongan, 31-02-1990"}
    c = clean_participant_row(row, MAPPING, source="spreadsheet")
    assert c.nik is None
    assert [(p.field, p.value) for p in c.problems] == [("nik", "3375014107900000"),
                                                         ("birth_place_date", "Pekalongan, 31-02-1990")]


def test_birth_date_column_and_ttl_must_agree():
    mapping = {"nik": "nik", "name": "nama", "birth_date": "tgl", "birth_place_date": "ttl"}
    same = clean_participant_row({"nik": NIK, "nama": "S", "tgl": "01/07/1990", "ttl": "Batang, 1 Juli 1990"}, mapping)
    assert (same.birth_date, same.birth_place, same.problems) == (dt.date(1990, 7, 1), "Batang", [])
    only_ttl = clean_participant_row({"nik": NIK, "nama": "S", "tgl": "", "ttl": "Batang, 1 Juli 1990"}, mapping)
    assert only_ttl.birth_date == dt.date(1990, 7, 1)
    differ = clean_participant_row({"nik": NIK, "nama": "S", "tgl": "07/01/1990", "ttl": "Batang, 1 Juli 1990"}, mapping)
    assert [p.field for p in differ.problems] == ["birth_place_date"]
    assert "disagrees with the tgl column (1990-01-07)" in differ.problems[0].message
