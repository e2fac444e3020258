"""NIK (Nomor Induk Kependudukan): parse and check the 16-digit Indonesian identity number.

Layout PPRRKKDDMMYYSSSS: province, regency (kabupaten/kota), kecamatan where the NIK was
first issued (never the current domicile), birth date DDMMYY with 40 added to the day for
women, and a serial. A NIK is issued once and never renumbered, so its region is checked
against every code that has existed, not only today's (`RegionCodes`, the Kemendagri lists
2015-2025, read by pelatihan_cli/region_codes.py; this module does no I/O):

- digits 1-2 must be a province of some edition (refused otherwise);
- digits 3-4 must be a possible regency number, 01-69 (kabupaten) or 71-79 (kota);
- a regency or kecamatan code found in no edition is only a warning (`region_warning`):
  older splits (Kalimantan Utara, 2012) predate the list.

We also refuse a day of 32-40 or above 71, a zero regency/kecamatan or serial, and a
century that would make the person younger than 0 or older than 100 on the reference day
(python-stdnum's `stdnum.id.nik` reads day 99 as the 19th and year 05 as 1905).

Called once per row by the batch importer, so the common case (16 plain digits) avoids
regexes and the checks are set look-ups.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pelatihan_cli.domain.dates import age_on
from pelatihan_cli.errors import ValidationError

# Kemendagri province codes of the editions 2015-2025 (Papua's 2022 split included: 91-96);
# the default when no RegionCodes are given, equal to the list's (a test keeps them equal).
PROVINCES = frozenset(
    {"11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
     "31", "32", "33", "34", "35", "36", "51", "52", "53",
     "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
     "81", "82", "91", "92", "93", "94", "95", "96"}
)
MAX_AGE = 100

_SEPARATORS = str.maketrans("", "", " .\t\n\r\u00a0-")


@dataclass(frozen=True)
class RegionCodes:
    """Every province, kabupaten/kota and kecamatan code of the lists `editions` covers,
    as digits without dots ('33', '3375', '337501'), with its name."""

    names: Mapping[str, str]
    editions: str = "2015-2025"
    provinces: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "provinces", frozenset(c for c in self.names if len(c) == 2))


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


def _ranges(codes: Iterable[str]) -> str:
    """'11-19, 21, 31-36': sorted two-digit codes with runs joined."""
    nums = sorted(int(c) for c in codes)
    parts: list[str] = []
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        parts.append(f"{nums[i]:02d}" if i == j else f"{nums[i]:02d}-{nums[j]:02d}")
        i = j + 1
    return ", ".join(parts)


def check_region(digits: str, raw: object = None, regions: RegionCodes | None = None) -> None:
    """Refuse a clean NIK whose digits 1-4 cannot be a place of issue: a province code of
    no edition, a zero, or a regency number outside 01-69 (kabupaten) and 71-79 (kota)."""
    raw = digits if raw is None else raw
    provinces = PROVINCES if regions is None else regions.provinces
    editions = "2015-2025" if regions is None else regions.editions
    if digits[:2] not in provinces:
        raise _fail(raw, f"has {digits[:2]} as its province code (digits 1-2), which is the code of no province "
                         f"in any Kemendagri list {editions}; the province codes are {_ranges(provinces)}. "
                         "Check it against the KTP or KK.")
    if digits[2:4] == "00" or digits[4:6] == "00":
        raise _fail(raw, "has zeros as regency or kecamatan code (digits 3-6); check it against the KTP or KK.")
    regency = int(digits[2:4])
    if not (regency <= 69 or 71 <= regency <= 79):
        raise _fail(raw, f"has {digits[2:4]} as its kabupaten/kota number (digits 3-4), which no regency can "
                         "have: kabupaten are numbered 01-69 and kota 71-79. Check it against the KTP or KK.")


def region_warning(digits: str, regions: RegionCodes) -> str | None:
    """The warning for a clean NIK (that passed check_region) whose kabupaten/kota or
    kecamatan code is in no edition of `regions`; None when both are known. The text is
    the same for every NIK of that code, so a batch can group it."""
    regency, kecamatan = digits[:4], digits[:6]
    names = regions.names
    if kecamatan in names:
        return None
    if regency not in names:
        where = names.get(digits[:2], digits[:2])
        return (f"NIK kabupaten/kota code {digits[:2]}.{digits[2:4]} ({where}) is in no Kemendagri list "
                f"{regions.editions} (synthetic or very old NIK?)")
    return (f"NIK kecamatan code {digits[:2]}.{digits[2:4]}.{digits[4:6]} ({names[regency]}) is in no Kemendagri "
            f"list {regions.editions} (synthetic or very old NIK?)")


#: (digits 7-12, century of the reference day) -> (the real dates they can be, newest
#: first; sex): a list repeats birth dates (bounded so that memory stays flat)
_CANDIDATES: dict[tuple[str, int], tuple[tuple[dt.date, ...], str]] = {}
_CANDIDATES_MAX = 50_000


def decode_birth_date(digits: str, on: dt.date, raw: object = None) -> tuple[dt.date, str]:
    """Birth date and sex encoded in a clean 16-digit NIK; the century is the one that
    makes the person 0..100 years old on `on` (the later one when both would)."""
    raw = digits if raw is None else raw
    key = (digits[6:12], on.year // 100)
    found = _CANDIDATES.get(key)
    if found is None:
        found = _candidates(digits, on, raw)
        if len(_CANDIDATES) < _CANDIDATES_MAX:
            _CANDIDATES[key] = found
    births, sex = found
    for birth in births:
        if 0 <= age_on(birth, on) <= MAX_AGE and birth <= on:
            return birth, sex
    if not births:
        raise _fail(raw, f"encodes {digits[6:8]}-{digits[8:10]}-{digits[10:12]} (digits 7-12, DDMMYY), "
                         "which is not a real date of birth.")
    raise _fail(raw, f"encodes a birth year ..{digits[10:12]} that gives no age between 0 and {MAX_AGE} "
                     f"on {on.isoformat()}; check digits 11-12.")


def _candidates(digits: str, on: dt.date, raw: object) -> tuple[tuple[dt.date, ...], str]:
    """The real dates digits 7-12 can be in the century of `on` and the one before, and
    the sex (day + 40 for women); a day or month no date has is refused."""
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
    births = []
    for century in (on.year // 100 * 100, on.year // 100 * 100 - 100):
        try:
            births.append(dt.date(century + yy, month, day))
        except ValueError:
            continue
    return tuple(births), sex


def parse_nik(text: object, *, on: dt.date | None = None, regions: RegionCodes | None = None) -> Nik:
    """Check a NIK as typed and decode it; `on` is the reference day for the century
    (the session's first day; default today); `regions` the province codes of every
    edition (default: PROVINCES). Raises ValidationError(field='nik')."""
    digits = clean_nik(text)
    check_region(digits, text, regions)
    if digits[12:] == "0000":
        raise _fail(text, "has serial 0000 (the last 4 digits); no NIK is issued with it.")
    birth, sex = decode_birth_date(digits, on or dt.date.today(), text)
    return Nik(digits, birth, sex)


def is_valid(text: object, *, on: dt.date | None = None, regions: RegionCodes | None = None) -> bool:
    try:
        parse_nik(text, on=on, regions=regions)
    except ValidationError:
        return False
    return True
