"""NIK parsing: the region of issue against every Kemendagri list 2015-2025, the birth date,
and the stricter rules of the programme."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from pelatihan_cli.domain.nik import PROVINCES, RegionCodes, clean_nik, parse_nik, region_warning
from pelatihan_cli.errors import ValidationError

ON = dt.date(2024, 7, 2)


def test_male_nik_decodes_birth_date_and_sex():
    n = parse_nik("3375010207900001", on=ON)
    assert (n.value, n.birth_date, n.sex) == ("3375010207900001", dt.date(1990, 7, 2), "L")


def test_female_day_plus_40():
    n = parse_nik("3375014207900001", on=ON)
    assert (n.birth_date, n.sex) == (dt.date(1990, 7, 2), "P")
    assert parse_nik("3375017107900001", on=ON).birth_date.day == 31  # 71 = 31 + 40
    assert parse_nik("3375014101900001", on=ON).birth_date == dt.date(1990, 1, 1)


@pytest.mark.parametrize("day", ["00", "32", "40", "72", "99"])
def test_day_outside_01_31_and_41_71_refused(day):
    with pytest.raises(ValidationError, match=f"has {day} as the day of birth") as e:
        parse_nik(f"337501{day}07900001", on=ON)
    assert e.value.field == "nik"


def test_stdnum_would_accept_day_99_but_we_refuse():
    from stdnum.id import nik as stdnum_nik

    assert stdnum_nik.is_valid("3375019907900001")
    with pytest.raises(ValidationError):
        parse_nik("3375019907900001", on=ON)


def test_month_and_real_date():
    with pytest.raises(ValidationError, match="month of birth"):
        parse_nik("3375010213900001", on=ON)
    with pytest.raises(ValidationError, match="not a real date"):
        parse_nik("3375013102900001", on=ON)  # 31 February


def test_century_makes_age_between_0_and_100():
    # stdnum reads 05 as 1905: a 19-year-old
    assert parse_nik("3375010207050001", on=ON).birth_date == dt.date(2005, 7, 2)
    assert parse_nik("3375010207300001", on=ON).birth_date == dt.date(1930, 7, 2)
    # born 3 July 24: 2024-07-03 is in the future on 2 July 2024, so 1924 (age 99)
    assert parse_nik("3375010307240001", on=ON).birth_date == dt.date(1924, 7, 3)
    assert parse_nik("3375010207240001", on=ON).birth_date == dt.date(2024, 7, 2)
    # the reference day decides
    assert parse_nik("3375010207300001", on=dt.date(2031, 1, 1)).birth_date == dt.date(2030, 7, 2)


# a small list in the shape of the real one (tests/test_region_codes.py checks the real one)
REGIONS = RegionCodes({
    "33": "Jawa Tengah", "3375": "Kota Pekalongan", "337501": "Pekalongan Barat",
    "91": "Papua", "9101": "KAB. MERAUKE", "910101": "MERAUKE",
    "64": "Kalimantan Timur", "6401": "Kabupaten Paser", "640101": "Batu Sopang",
    "65": "Kalimantan Utara", "6501": "Kabupaten Bulungan", "650101": "Tanjung Palas",
})


@pytest.mark.parametrize("nik,warning", [
    ("3375010207900001", None),
    ("9101010207900001", None),  # Merauke: Papua until 2022, Papua Selatan since; still a real NIK
    ("6501010207900001", None),  # Kalimantan Utara (2012): in every edition of the list
    ("3375990207900001",
     "NIK kecamatan code 33.75.99 (Kota Pekalongan) is in no Kemendagri list 2015-2025 (synthetic or very old NIK?)"),
    ("6405010207900001",  # Bulungan before Kalimantan Utara was split off (2012)
     "NIK kabupaten/kota code 64.05 (Kalimantan Timur) is in no Kemendagri list 2015-2025 (synthetic or very old NIK?)"),
])
def test_region_known_or_only_warned(nik, warning):
    assert parse_nik(nik, on=ON, regions=REGIONS).value == nik
    assert region_warning(nik, REGIONS) == warning


def test_region_warning_is_the_same_text_for_every_nik_of_a_code():
    # the importer groups identical warnings: one line for all the demo's 337599... NIKs
    assert region_warning("3375990207900001", REGIONS) == region_warning("3375994512850123", REGIONS)


@pytest.mark.parametrize("nik", ["9901010207900001", "2075010207900001", "1001010207900001"])
def test_province_of_no_edition_refused_with_what_the_digits_mean(nik):
    with pytest.raises(ValidationError) as e:
        parse_nik(nik, on=ON, regions=REGIONS)
    assert str(e.value) == (
        f"NIK '{nik}' has {nik[:2]} as its province code (digits 1-2), which is the code of no province in any "
        "Kemendagri list 2015-2025; the province codes are 33, 64-65, 91. Check it against the KTP or KK.")
    assert e.value.field == "nik"


def test_default_provinces_are_every_province_that_existed():
    assert "33" in PROVINCES and "99" not in PROVINCES and {"65", "93", "96"} <= PROVINCES
    with pytest.raises(ValidationError, match=r"has 99 as its province code \(digits 1-2\).*the province codes "
                                              r"are 11-19, 21, 31-36, 51-53, 61-65, 71-76, 81-82, 91-96\."):
        parse_nik("9975010207900001", on=ON)


@pytest.mark.parametrize("regency", ["70", "80", "90", "99"])
def test_regency_number_outside_kabupaten_and_kota_ranges_refused(regency):
    with pytest.raises(ValidationError) as e:
        parse_nik(f"33{regency}010207900001", on=ON, regions=REGIONS)
    assert str(e.value) == (
        f"NIK '33{regency}010207900001' has {regency} as its kabupaten/kota number (digits 3-4), which no regency "
        "can have: kabupaten are numbered 01-69 and kota 71-79. Check it against the KTP or KK.")


@pytest.mark.parametrize("regency", ["01", "29", "69", "71", "79"])
def test_regency_numbers_in_range_pass_and_are_only_warned_when_unknown(regency):
    nik = f"33{regency}010207900001"
    assert parse_nik(nik, on=ON, regions=REGIONS).value == nik
    assert region_warning(nik, REGIONS) == (
        f"NIK kabupaten/kota code 33.{regency} (Jawa Tengah) is in no Kemendagri list 2015-2025 "
        "(synthetic or very old NIK?)")


def test_newer_provinces_accepted_although_stdnum_lacks_them():
    from stdnum.id import nik as stdnum_nik

    assert not stdnum_nik.is_valid("6501010207900001")  # Kalimantan Utara (2012)
    assert parse_nik("6501010207900001", on=ON).value == "6501010207900001"


@pytest.mark.parametrize("nik", ["3300000207900001", "3375000207900001", "3300010207900001"])
def test_digits_3_to_6_not_zero(nik):
    with pytest.raises(ValidationError, match="digits 3-6"):
        parse_nik(nik, on=ON)


def test_serial_0000_refused():
    with pytest.raises(ValidationError, match="serial 0000"):
        parse_nik("3375010207900000", on=ON)


@pytest.mark.parametrize("text,why", [
    ("337501020790001", "it has 15"),
    ("33750102079000011", "it has 17"),
    ("3375O10207900001", "only digits"),
    ("", "empty"),
    ("   ", "empty"),
    ("3375-01x", "only digits"),
])
def test_length_and_letters(text, why):
    with pytest.raises(ValidationError, match=why) as e:
        parse_nik(text, on=ON)
    assert e.value.value == text  # shown as typed


def test_spaces_and_dots_removed():
    assert clean_nik(" 33.75.01 020790 0001 ") == "3375010207900001"
    assert parse_nik("3375 0102 0790 0001", on=ON).value == "3375010207900001"


def test_message_shows_nik_as_typed():
    with pytest.raises(ValidationError) as e:
        parse_nik("33.75.01.0207900000", on=ON)
    assert "'33.75.01.0207900000'" in str(e.value)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="0123456789 .-", max_size=24), st.integers(), st.none(),
                st.from_regex(r"(1[1-9]|3[1-6]|65|9[1-6])[0-9]{2}[0-7][0-9][01][0-9]{7}", fullmatch=True)))
def test_any_input_parses_or_raises_validation_error(text):
    try:
        n = parse_nik(text, on=ON)
    except ValidationError as e:
        assert e.field == "nik"
    else:
        from stdnum.id import nik as stdnum_nik

        assert len(n.value) == 16 and n.value.isdigit()
        assert 0 <= (ON - n.birth_date).days <= 100 * 366
        # whatever we accept, stdnum accepts too (bar the provinces its table lacks)
        assert stdnum_nik.is_valid(n.value) or n.value[:2] in {"65", "92", "93", "95", "96"}
        regency = int(n.value[2:4])
        assert 1 <= regency <= 69 or 71 <= regency <= 79


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["3375", "3374", "3171", "1101", "3578"]),
    st.integers(1, 99),
    st.dates(dt.date(1924, 7, 3), ON),
    st.sampled_from("LP"),
    st.integers(1, 9999),
)
def test_built_niks_decode_back(region, kec, birth, sex, serial):
    day = birth.day + (40 if sex == "P" else 0)
    text = f"{region}{kec:02d}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
    n = parse_nik(text, on=ON)
    assert (n.birth_date, n.sex) == (birth, sex)


def test_decoded_birth_dates_are_remembered_per_reference_day():
    """decode_birth_date remembers what it decoded, keyed by digits 7-12 and the reference
    day: the same digits decoded for another day get that day's century, and a bad NIK
    after a good one with other digits is still refused."""
    import datetime as dt

    from pelatihan_cli.domain.nik import decode_birth_date

    digits = "3375010207250001"   # born 02-07-..25
    assert decode_birth_date(digits, dt.date(2030, 1, 1)) == (dt.date(2025, 7, 2), "L")
    assert decode_birth_date(digits, dt.date(2024, 1, 1)) == (dt.date(1925, 7, 2), "L")
    assert decode_birth_date(digits, dt.date(2030, 1, 1)) == (dt.date(2025, 7, 2), "L")
    with pytest.raises(ValidationError, match="day of birth"):
        decode_birth_date("3375013207250001", dt.date(2030, 1, 1))
