"""Indonesian mobile phone numbers: parse what operators type, store E.164, show 0812-3456-7890.

`phonenumbers` (region ID) is the authority. It costs ~30 µs a call, so the shapes that
nearly every row has (0812..., +62 812..., 812..., with spaces, dots or hyphens) take a
fast path that reproduces its answer from the same metadata (mobile pattern
8[1-35-9]\\d{7,10}); tests/test_domain_phone.py checks the two agree. Anything else goes to
phonenumbers.
"""

from __future__ import annotations

import re

from pelatihan_cli.errors import ValidationError

# phonenumbers' metadata for ID, mobile numbers (national significant number)
_MOBILE_NSN = re.compile(r"8[1-35-9]\d{7,10}")
_STRIP = str.maketrans("", "", " .-\t()")
_phonenumbers = None

HINT = "write an Indonesian mobile number such as 0812-3456-7890 or +62 812 3456 7890"


def _fail(raw: object, why: str) -> ValidationError:
    return ValidationError(f"Phone {raw!r} {why}; {HINT}.", field="phone", value=raw)


def _lib():
    global _phonenumbers
    if _phonenumbers is None:
        import phonenumbers

        _phonenumbers = phonenumbers
    return _phonenumbers


def _fast(text: str) -> str | None:
    """E.164 for the common shapes, or None to let phonenumbers decide."""
    s = text.translate(_STRIP)
    if s.startswith("+62"):
        nsn = s[3:]
    elif s.startswith("08"):
        nsn = s[1:]
    elif s.startswith("8"):
        nsn = s
    else:
        return None  # '62812...' without '+' is ambiguous for phonenumbers: let it decide
    if nsn.isascii() and _MOBILE_NSN.fullmatch(nsn):
        return "+62" + nsn
    return None


def parse_phone_slow(text: str) -> str:
    """phonenumbers' answer: E.164 of a valid ID mobile number, else ValidationError."""
    pn = _lib()
    try:
        number = pn.parse(text, "ID")
    except pn.NumberParseException:
        raise _fail(text, "is not a phone number") from None
    if not pn.is_valid_number(number) or number.country_code != 62:
        raise _fail(text, "is not a valid Indonesian number")
    kind = pn.number_type(number)
    if kind not in (pn.PhoneNumberType.MOBILE, pn.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise _fail(text, "is not a mobile number (a landline or service number was given)")
    return pn.format_number(number, pn.PhoneNumberFormat.E164)


def parse_phone(text: object) -> str | None:
    """'0812 3456 7890', '+62 812-3456-7890', '6281234567890', '81234567890' -> '+6281234567890'.

    Empty or None -> None (the phone is optional). Raises ValidationError(field='phone')."""
    if text is None:
        return None
    if not isinstance(text, str):
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)
        else:
            raise _fail(text, "is not text")
    s = text.strip()
    if not s:
        return None
    if len(s) > 40:
        raise _fail(text, "is too long to be a phone number")
    return _fast(s) or parse_phone_slow(s)


def format_phone(e164: str | None) -> str | None:
    """'+6281234567890' -> '0812-3456-7890' (phonenumbers' national format for ID mobiles)."""
    if not e164:
        return e164
    if e164.startswith("+628"):
        nsn = e164[3:]
        n = len(nsn)
        if 9 <= n <= 10 and _MOBILE_NSN.fullmatch(nsn):
            return f"0{nsn[:3]}-{nsn[3:n - 3]}-{nsn[n - 3:]}"
        if 11 <= n <= 12 and _MOBILE_NSN.fullmatch(nsn):
            return f"0{nsn[:3]}-{nsn[3:7]}-{nsn[7:]}"
    pn = _lib()
    try:
        return pn.format_number(pn.parse(e164, "ID"), pn.PhoneNumberFormat.NATIONAL)
    except pn.NumberParseException:
        return e164
