"""Fault suite: property tests over the parsers and file readers. Whatever they are
given, they return a valid value or raise the project's ValidationError, nothing else."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pelatihan_cli.domain.dates import parse_date
from pelatihan_cli.domain.nik import clean_nik, parse_nik
from pelatihan_cli.domain.phone import format_phone, parse_phone
from pelatihan_cli.errors import ValidationError
from pelatihan_cli.importing.readers import open_rows
from pelatihan_cli.importing.values import cell_date, cell_int, cell_text

pytestmark = pytest.mark.fault

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FILES = settings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

digits = st.text(alphabet="0123456789", min_size=0, max_size=20)
nik_like = st.one_of(
    digits,
    st.builds(lambda a, b: a + b, st.sampled_from(["3375", "3174", "1101", "9999", "0000"]), digits),
    st.builds(lambda d: f"337501{d}", st.text(alphabet="0123456789 .-", max_size=14)),
    st.text(max_size=40),
)
anything = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=60),
                     st.binary(max_size=20), st.dates(), st.lists(st.integers(), max_size=3))


def _value_or_validation_error(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs), None
    except ValidationError as e:
        assert str(e), "a ValidationError must say what is wrong"
        return None, e


@FAST
@given(nik_like)
@example("3375014107900001")
@example("3375 0141 0790 0001")
@example("33750141079000010")
@example("\x00" * 16)
@example("٣٣٧٥٠١٤١٠٧٩٠٠٠٠١")  # Arabic-Indic digits: str.isdigit() is true for them
def test_nik_parser(text):
    nik, err = _value_or_validation_error(parse_nik, text, on=dt.date(2024, 7, 2))
    if err is None:
        assert re.fullmatch(r"[0-9]{16}", nik.value)
        assert isinstance(nik.birth_date, dt.date) and nik.sex in ("L", "P")
    else:
        assert err.field == "nik"
    cleaned, err = _value_or_validation_error(clean_nik, text)
    if err is None:
        assert re.fullmatch(r"[0-9]{16}", cleaned)


@FAST
@given(anything)
def test_nik_parser_on_any_python_value(value):
    _value_or_validation_error(parse_nik, value, on=dt.date(2024, 7, 2))


phone_like = st.one_of(
    st.builds(lambda p, d: p + d, st.sampled_from(["0812", "+62812", "62812", "812", "+62 21", "021", "+1", "0"]),
              st.text(alphabet="0123456789 -.()", max_size=14)),
    st.text(max_size=50),
    st.integers(),
)


@FAST
@given(phone_like)
@example("0812-3456-7890")
@example("+62 812 3456 7890")
@example("٠٨١٢٣٤٥٦٧٨٩٠")
def test_phone_parser(text):
    phone, err = _value_or_validation_error(parse_phone, text)
    if err is None and phone is not None:
        assert re.fullmatch(r"\+62[0-9]{8,13}", phone), phone
        assert format_phone(phone)
        assert parse_phone(phone) == phone  # stored form parses to itself


date_like = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    st.builds(lambda d, m, y, sep: f"{d}{sep}{m}{sep}{y}", st.integers(-5, 40), st.integers(-1, 14),
              st.integers(0, 10000), st.sampled_from(["/", "-", ".", " "])),
    st.builds(lambda d, w, y: f"{d} {w} {y}", st.integers(0, 32),
              st.sampled_from(["Juli", "juli", "Agustus", "Agt", "Des", "Foo", "Mei", "May", ""]), st.integers(0, 9999)),
    st.text(max_size=30),
)


@FAST
@given(date_like)
@example("2024-02-30")
@example("29/02/2023")
@example("0000-01-01")
def test_date_parser(text):
    value, err = _value_or_validation_error(parse_date, text, field="birth_date")
    if err is None:
        assert isinstance(value, dt.date)
    else:
        assert err.field == "birth_date"


@FAST
@given(anything)
def test_cell_values(value):
    _value_or_validation_error(cell_text, value)
    d, err = _value_or_validation_error(cell_date, value, field="birth_date")
    assert err is not None or d is None or isinstance(d, dt.date)


@FAST
@given(st.one_of(anything, st.sampled_from([float("nan"), float("inf"), -float("inf")])))
@example(float("nan"))
def test_cell_int(value):
    n, err = _value_or_validation_error(cell_int, value, field="session")
    assert err is not None or n is None or isinstance(n, int)


def _read_all(path, fmt=None):
    with open_rows(path, fmt) as src:
        rows = list(src)
    for number, row in rows:
        assert isinstance(number, int) and isinstance(row, dict)
    return rows


@FILES
@given(st.binary(max_size=400), st.sampled_from(["csv", "tsv", "json", "jsonl", "xlsx"]))
@example(b"", "csv")
@example(b"\xef\xbb\xbf", "csv")
@example(b"nik,nama\n\x00\x00,\xff\xfe\n", "csv")
@example(b"[1, 2, 3]", "json")
@example(b"{\"nik\": 1}", "json")
@example(b"[{\"nik\": {\"x\": [1]}}]", "json")
@example(b"[1]\n{\"a\": 1}\n", "jsonl")
@example(b"PK\x03\x04garbage", "xlsx")
def test_file_readers_on_random_bytes(tmp_path_factory, data, fmt):
    path = tmp_path_factory.mktemp("r") / f"list.{fmt}"
    path.write_bytes(data)
    _value_or_validation_error(_read_all, path)


rows_strategy = st.lists(st.dictionaries(st.sampled_from(["nik", "nama", "alamat", "x"]),
                                         st.one_of(st.text(max_size=20), st.integers(), st.none(), st.floats()),
                                         max_size=4), max_size=5)


@FILES
@given(rows_strategy)
def test_json_reader_on_structured_input(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("j") / "list.json"
    path.write_text(json.dumps(rows, allow_nan=True))
    _value_or_validation_error(_read_all, path)


@FILES
@given(st.lists(st.lists(st.one_of(st.text(max_size=15), st.integers(), st.floats(allow_nan=False), st.none(),
                                   st.booleans(), st.datetimes(min_value=dt.datetime(1900, 3, 1))), max_size=4),
                max_size=5))
def test_xlsx_reader_on_odd_sheets(tmp_path_factory, rows):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    path = tmp_path_factory.mktemp("x") / "list.xlsx"
    wb.save(path)
    _value_or_validation_error(_read_all, path)


def test_xlsx_reader_on_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "list.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    with pytest.raises(ValidationError):
        _read_all(path)
