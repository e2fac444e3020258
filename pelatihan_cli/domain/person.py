"""A participant's plain attributes: sex, name, address, AK1 number, age band."""

from __future__ import annotations

from pelatihan_cli.domain.dates import age_on  # noqa: F401  (re-exported)
from pelatihan_cli.errors import ValidationError

SEX_WORDS = {
    "l": "L", "laki-laki": "L", "laki laki": "L", "lakilaki": "L", "laki": "L", "lk": "L", "pria": "L",
    "laki2": "L", "m": "L", "male": "L", "man": "L",
    "p": "P", "perempuan": "P", "wanita": "P", "pr": "P", "w": "P", "prp": "P", "f": "P", "female": "P",
    "woman": "P",
    # the civil registry's (Dukcapil) codes
    "1": "L", "2": "P",
}
SEX_LABEL = {"L": "Laki-laki", "P": "Perempuan"}
NAME_MAX = 120
ADDRESS_MAX = 300

# BPS-style ten-year bands of the productive age; kept after erasure for reports
AGE_BANDS = ((15, 24), (25, 34), (35, 44), (45, 54), (55, 64))


def parse_sex(text: object) -> str:
    """'L'/'P' from L/P, Laki-laki/Perempuan (also 'LAKI - LAKI', 'Laki2', 'Lk', 'Pr', 'W',
    'Wanita'), M/F, male/female (any case) and the civil registry's codes 1 (L) / 2 (P)."""
    key = " ".join(str(text).replace(".", " ").replace("-", " ").split()).casefold() if text is not None else ""
    sex = SEX_WORDS.get(key)
    if sex is None:
        raise ValidationError(
            f"Sex {text!r} is not understood; write L or P (also Laki-laki/Perempuan, M/F, male/female, 1/2).",
            field="sex", value=text,
        )
    return sex


def clean_person_name(text: object) -> str:
    """Trimmed name with inner spaces collapsed; refused when empty or absurd."""
    if not isinstance(text, str):
        raise ValidationError(f"Name {text!r} is not text; type the name as on the KTP.", field="name", value=text)
    name = " ".join(text.split())
    if not name:
        raise ValidationError("Name is empty; type the name as on the KTP.", field="name", value=text)
    if len(name) > NAME_MAX:
        raise ValidationError(f"Name is longer than {NAME_MAX} characters; shorten it.", field="name", value=text)
    if not (name.replace(" ", "").isalpha() or any(ch.isalpha() for ch in name)):
        raise ValidationError(f"Name {text!r} has no letters; type the name as on the KTP.", field="name", value=text)
    return name


def clean_text(text: object, *, field: str, limit: int = ADDRESS_MAX) -> str | None:
    """Optional free text (address, AK1 number): trimmed, None when empty."""
    if text is None:
        return None
    s = " ".join(str(text).split())
    if not s:
        return None
    if len(s) > limit:
        raise ValidationError(f"{field} is longer than {limit} characters; shorten it.", field=field, value=text)
    return s


def age_band(age: int | None) -> str | None:
    """'15-24', '25-34', ..., '55-64'; '<15' and '65+' outside; None when unknown."""
    if age is None:
        return None
    if age < AGE_BANDS[0][0]:
        return f"<{AGE_BANDS[0][0]}"
    for lo, hi in AGE_BANDS:
        if age <= hi:
            return f"{lo}-{hi}"
    return f"{AGE_BANDS[-1][1] + 1}+"
