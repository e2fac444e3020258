"""Phone numbers: parse to E.164, display 0812-3456-7890, and the fast path agrees with phonenumbers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from pelatihan_cli.domain.phone import format_phone, parse_phone, parse_phone_slow
from pelatihan_cli.errors import ValidationError


@pytest.mark.parametrize("text", [
    "081234567890", "0812-3456-7890", "0812 3456 7890", "+62 812 3456 7890", "+6281234567890",
    "6281234567890", "81234567890", "(+62) 812.3456.7890", " 0812-3456-7890 ",
])
def test_same_number_in_every_shape(text):
    assert parse_phone(text) == "+6281234567890"


def test_display_format():
    assert format_phone("+6281234567890") == "0812-3456-7890"
    assert format_phone("+62811234567") == "0811-234-567"
    assert format_phone("+6289512345678") == "0895-1234-5678"
    assert format_phone(None) is None


def test_optional():
    assert parse_phone(None) is None
    assert parse_phone("  ") is None


@pytest.mark.parametrize("text,why", [
    ("021 5551234", "not a mobile number"),
    ("+62 21 5551234", "not a mobile number"),
    ("0812", "not a valid Indonesian number"),
    ("+65 8123 4567", "not a valid Indonesian number"),
    ("halo", "not a phone number"),
])
def test_refused(text, why):
    with pytest.raises(ValidationError, match=why) as e:
        parse_phone(text)
    assert e.value.field == "phone" and e.value.value == text


_separator = st.sampled_from(["", " ", "-", ".", "  "])


@st.composite
def phone_shapes(draw):
    prefix = draw(st.sampled_from(["0", "+62", "62", "", "+62 ", "(+62) ", "+620", "00", "+6"]))
    first = draw(st.sampled_from("0123456789"))
    second = draw(st.sampled_from("0123456789"))
    rest = draw(st.text(alphabet="0123456789", min_size=5, max_size=13))
    parts, i = [], 0
    while i < len(rest):
        n = draw(st.integers(1, 4))
        parts.append(rest[i:i + n])
        i += n
    body = first + second + draw(_separator).join(parts)
    return prefix + body


def _outcome(fn, text):
    try:
        return fn(text)
    except ValidationError:
        return "refused"


@settings(max_examples=1500, deadline=None)
@given(st.one_of(phone_shapes(), st.text(max_size=20)))
def test_fast_path_gives_phonenumbers_answer(text):
    stripped = text.strip()
    expected = _outcome(parse_phone_slow, stripped) if stripped else None
    if len(stripped) > 40:
        return
    assert _outcome(parse_phone, text) == expected


@settings(max_examples=500, deadline=None)
@given(st.sampled_from("12356789"), st.text(alphabet="0123456789", min_size=7, max_size=10))
def test_display_matches_phonenumbers_national_format(second, rest):
    import phonenumbers

    e164 = "+628" + second + rest
    expected = phonenumbers.format_number(phonenumbers.parse(e164, "ID"), phonenumbers.PhoneNumberFormat.NATIONAL)
    assert format_phone(e164) == expected
