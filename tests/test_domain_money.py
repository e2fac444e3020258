"""Whole rupiah: parsing, display, terbilang from Rp 0 to Rp 999.999.999.999, tax in basis points."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from pelatihan_cli.domain.money import (
    MoneyError, format_percent_bp, format_rupiah, parse_percent, parse_rupiah, percent_of, tax, terbilang,
)


@pytest.mark.parametrize("text, value", [
    ("1.250.000", 1250000), ("Rp 1.250.000", 1250000), ("Rp1.250.000,-", 1250000), ("rp. 50.000", 50000),
    ("1250000", 1250000), ("0", 0), (" 750 000 ", 750000), (300000, 300000), ("999.999.999.999", 999_999_999_999),
])
def test_parse_rupiah(text, value):
    assert parse_rupiah(text) == value


@pytest.mark.parametrize("text", ["1250000.50", "1.250.000,50", "-50000", "1,250,000", "12.50", "Rp", "", "abc",
                                  "1.25.000", "1000000000000", -1, 1.5, True])
def test_parse_rupiah_refuses(text):
    with pytest.raises((MoneyError, TypeError)):
        parse_rupiah(text)


def test_format_rupiah():
    assert format_rupiah(1250000) == "Rp 1.250.000"
    assert format_rupiah(0) == "Rp 0"
    assert format_rupiah(999) == "Rp 999"
    assert format_rupiah(-50000) == "-Rp 50.000"
    with pytest.raises(TypeError):
        format_rupiah(1.5)


@pytest.mark.parametrize("n, words", [
    (0, "nol rupiah"), (1, "satu rupiah"), (11, "sebelas rupiah"), (12, "dua belas rupiah"),
    (100, "seratus rupiah"), (101, "seratus satu rupiah"), (1000, "seribu rupiah"), (1001, "seribu satu rupiah"),
    (11000, "sebelas ribu rupiah"), (100000, "seratus ribu rupiah"), (1000000, "satu juta rupiah"),
    (1200000, "satu juta dua ratus ribu rupiah"), (950000, "sembilan ratus lima puluh ribu rupiah"),
    (1000000000, "satu miliar rupiah"),
    (999_999_999_999, "sembilan ratus sembilan puluh sembilan miliar sembilan ratus sembilan puluh sembilan juta "
                      "sembilan ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan rupiah"),
])
def test_terbilang(n, words):
    assert terbilang(n) == words


_UNITS = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]


def _below_1000(n: int) -> list[str]:
    """An independent reading of 0 < n < 1000, as schoolbooks teach it."""
    words = []
    h, rest = divmod(n, 100)
    if h:
        words += ["seratus"] if h == 1 else [_UNITS[h], "ratus"]
    t, u = divmod(rest, 10)
    if t == 1:
        words += ["sepuluh"] if u == 0 else ["sebelas"] if u == 1 else [_UNITS[u], "belas"]
    else:
        if t:
            words += [_UNITS[t], "puluh"]
        if u:
            words.append(_UNITS[u])
    return words


def _reference(n: int) -> str:
    if n == 0:
        return "nol rupiah"
    words = []
    for scale, name in ((10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"), (1, "")):
        chunk, n = divmod(n, scale)
        if not chunk:
            continue
        if scale == 1000 and chunk == 1:
            words.append("seribu")
        else:
            words += _below_1000(chunk) + ([name] if name else [])
    return " ".join(words) + " rupiah"


@given(st.integers(min_value=0, max_value=999_999_999_999))
def test_terbilang_agrees_with_a_schoolbook_reading_over_the_whole_range(n):
    words = terbilang(n)
    assert words == _reference(n)
    assert words == " ".join(words.split()) and words == words.lower()


def test_terbilang_refuses_out_of_range():
    for bad in (-1, 1_000_000_000_000, 1.0):
        with pytest.raises(MoneyError):
            terbilang(bad)


def test_percent_and_tax_are_integer_arithmetic():
    assert [parse_percent(x) for x in ("2.5", "2,5", "2.5%", "15", "0", "3", "0.25")] == [250, 250, 250, 1500, 0, 300, 25]
    for bad in ("2.555", "-1", "101", "abc"):
        with pytest.raises(MoneyError):
            parse_percent(bad)
    assert format_percent_bp(250) == "2,5%" and format_percent_bp(1500) == "15%"
    assert tax(2_400_000, 250) == 60_000
    assert tax(1_999_999, 250) == 49_999  # 49.999,975 rounded down
    assert tax(333, 300) == 9  # 9.99 -> 9
    assert percent_of(1, 3) == "33.33" and percent_of(2, 3) == "66.66" and percent_of(5, 0) is None


@given(st.integers(min_value=0, max_value=10**11), st.integers(min_value=0, max_value=10000))
def test_tax_is_floor_of_the_exact_product(gross, bp):
    from fractions import Fraction

    assert tax(gross, bp) == int(Fraction(gross * bp, 10000))  # floor for non-negative values
