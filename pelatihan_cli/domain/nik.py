"""NIK (Nomor Induk Kependudukan): parse and check the 16-digit Indonesian identity number.

Layout PPRRKKDDMMYYSSSS: province, regency, kecamatan where the NIK was first issued
(never the current domicile), birth date DDMMYY with 40 added to the day for women,
and a serial. python-stdnum's `stdnum.id.nik` checks the province against its table (which lacks
the provinces created since 2012, see NEWER_PROVINCES); on top of it we refuse what it lets through: a day of 32-40 or above 71
(stdnum reads day 99 as the 19th), a zero regency/kecamatan or serial, and a century
that would make the person younger than 0 or older than 100 on the reference day
(stdnum reads year 05 as 1905).

Called once per row by the batch importer, so the common case (16 plain digits) avoids
regexes and stdnum is consulted once per 4-digit region prefix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pelatihan_cli.domain.dates import age_on
from pelatihan_cli.errors import ValidationError

# Kemendagri province codes, old and new (Papua's 2022 split included: 91-96).
PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
     "31", "32", "33", "34", "35", "36", "51", "52", "53",
     "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
     "81", "82", "91", "92", "93", "94", "95", "96"}
)
# Provinces newer than python-stdnum's table (Kalimantan Utara 2012, Papua's 2022 split):
# stdnum refuses them, we do not.
NEWER_PROVINCES = frozenset({"65", "92", "93", "95", "96"})
MAX_AGE = 100

_SEPARATORS = str.maketrans("", "", " .\t\n\r\u00a0-")
_region_ok: dict[str, bool] = {}
_stdnum_nik = None


@dataclass(frozen=True)
class Nik:
    """A checked NIK and what it encodes."""

    value: str             # 16 digits
    birth_date: dt.date    # century chosen for the reference day
    sex: str               # 'L' or 'P'


def _fail(raw: object, why: str) -> ValidationError:
    return ValidationError(f"NIK {raw!r} {why}", field="nik", value=raw)


def clean_nik(text: object) -> str:
    """The NIK's 16 digits, spaces/dots/hyphens removed; ValidationError otherwise."""
    if not isinstance(text, str):
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)
        else:
            raise _fail(text, "is not text; type the 16 digits of the NIK.")
    s = text.strip()
    if not (len(s) == 16 and s.isascii() and s.isdigit()):
        s = s.translate(_SEPARATORS)
        if not s:
            raise _fail(text, "is empty; type the 16 digits from the KTP or KK.")
        if not (s.isascii() and s.isdigit()):
            raise _fail(text, "may contain only digits (spaces and dots are ignored); letters and other signs are refused.")
        if len(s) != 16:
            raise _fail(text, f"must have exactly 16 digits, it has {len(s)}; check it against the KTP or KK.")
    return s


def _region_known(prefix4: str) -> bool:
    """stdnum's table of regencies, asked once per 4-digit prefix."""
    ok = _region_ok.get(prefix4)
    if ok is None and prefix4[:2] in NEWER_PROVINCES:
        ok = _region_ok[prefix4] = True
    if ok is None:
        global _stdnum_nik
        if _stdnum_nik is None:
            from stdnum.id import nik as stdnum_nik

            _stdnum_nik = stdnum_nik
        from stdnum.exceptions import ValidationError as StdnumError

        try:  # a known-good date and serial, so only the region decides
            _stdnum_nik.validate(prefix4 + "01" + "010190" + "0001")
            ok = True
        except StdnumError:
            ok = False
        _region_ok[prefix4] = ok
    return ok


def decode_birth_date(digits: str, on: dt.date, raw: object = None) -> tuple[dt.date, str]:
    """Birth date and sex encoded in a clean 16-digit NIK; the century is the one that
    makes the person 0..100 years old on `on` (the later one when both would)."""
    raw = digits if raw is None else raw
    day = int(digits[6:8])
    month = int(digits[8:10])
    yy = int(digits[10:12])
    if 1 <= day <= 31:
        sex = "L"
    elif 41 <= day <= 71:
        sex, day = "P", day - 40
    else:
        raise _fail(raw, f"has {digits[6:8]} as the day of birth (digits 7-8); it must be 01-31, "
                         "or 41-71 for women (day + 40).")
    if not 1 <= month <= 12:
        raise _fail(raw, f"has {digits[8:10]} as the month of birth (digits 9-10); it must be 01-12.")
    real = False
    for century in (on.year // 100 * 100, on.year // 100 * 100 - 100):
        try:
            birth = dt.date(century + yy, month, day)
        except ValueError:
            continue
        real = True
        if 0 <= age_on(birth, on) <= MAX_AGE and birth <= on:
            return birth, sex
    if not real:
        raise _fail(raw, f"encodes {digits[6:8]}-{digits[8:10]}-{digits[10:12]} (digits 7-12, DDMMYY), "
                         "which is not a real date of birth.")
    raise _fail(raw, f"encodes a birth year ..{digits[10:12]} that gives no age between 0 and {MAX_AGE} "
                     f"on {on.isoformat()}; check digits 11-12.")


def parse_nik(text: object, *, on: dt.date | None = None) -> Nik:
    """Check a NIK as typed and decode it; `on` is the reference day for the century
    (the session's first day; default today). Raises ValidationError(field='nik')."""
    digits = clean_nik(text)
    if digits[:2] not in PROVINCES:
        raise _fail(text, f"starts with {digits[:2]}, which is not an Indonesian province code (digits 1-2).")
    if digits[2:4] == "00" or digits[4:6] == "00":
        raise _fail(text, "has zeros as regency or kecamatan code (digits 3-6); check it against the KTP or KK.")
    if digits[12:] == "0000":
        raise _fail(text, "has serial 0000 (the last 4 digits); no NIK is issued with it.")
    birth, sex = decode_birth_date(digits, on or dt.date.today(), text)
    if not _region_known(digits[:4]):
        raise _fail(text, f"starts with {digits[:2]}, which is not a known province code (digits 1-2).")
    return Nik(digits, birth, sex)


def is_valid(text: object, *, on: dt.date | None = None) -> bool:
    try:
        parse_nik(text, on=on)
    except ValidationError:
        return False
    return True
