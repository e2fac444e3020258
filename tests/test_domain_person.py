"""Sex words, names, age bands."""

from __future__ import annotations

import pytest

from pelatihan_cli.domain.person import age_band, clean_person_name, clean_text, parse_sex
from pelatihan_cli.errors import ValidationError


@pytest.mark.parametrize("text,sex", [
    ("L", "L"), ("l", "L"), ("Laki-laki", "L"), ("LAKI-LAKI", "L"), ("laki laki", "L"), ("M", "L"),
    ("male", "L"), ("Male", "L"), ("P", "P"), ("p", "P"), ("Perempuan", "P"), ("PEREMPUAN", "P"),
    ("F", "P"), ("female", "P"), (" Female ", "P"), ("wanita", "P"), ("pria", "L"),
])
def test_sex_words(text, sex):
    assert parse_sex(text) == sex


@pytest.mark.parametrize("text", ["X", "", "lakilaki perempuan", "3", None])   # 1/2: the civil registry's codes
def test_sex_refused(text):
    with pytest.raises(ValidationError, match="write L or P") as e:
        parse_sex(text)
    assert e.value.field == "sex"


def test_names():
    assert clean_person_name("  Siti   Aminah ") == "Siti Aminah"
    for bad in ["", "   ", "1234", "x" * 200]:
        with pytest.raises(ValidationError) as e:
            clean_person_name(bad)
        assert e.value.field == "name"


def test_clean_text():
    assert clean_text("  Jl.  Merdeka 1 ", field="address") == "Jl. Merdeka 1"
    assert clean_text("", field="address") is None
    with pytest.raises(ValidationError):
        clean_text("x" * 400, field="address")


@pytest.mark.parametrize("age,band", [
    (14, "<15"), (15, "15-24"), (24, "15-24"), (25, "25-34"), (44, "35-44"), (45, "45-54"),
    (55, "55-64"), (64, "55-64"), (65, "65+"), (None, None),
])
def test_age_band(age, band):
    assert age_band(age) == band
