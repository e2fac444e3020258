"""Money in whole rupiah: parse what operators type, show it as `Rp 1.250.000`, say it in
words (*terbilang*), and take a tax rate in basis points. Pure; never a float.

Amounts are Python ints. A rate of tax is kept in basis points (2.5% = 250) and a tax is
`gross * bp // 10000`: rounded down to the rupiah, as each printed line is.
"""

from __future__ import annotations

import re

MAX_RUPIAH = 999_999_999_999  # terbilang is tested up to here; a programme is far below it


class MoneyError(ValueError):
    """A typed amount or rate that is not a whole, non-negative rupiah amount."""


_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 1.250.000
_PLAIN = re.compile(r"^\d+$")


def parse_rupiah(text: object) -> int:
    """'1.250.000', 'Rp 1.250.000', 'Rp1.250.000,-', '1250000' or an int -> 1250000.

    Refused: decimals ('1250000.50', '1.250.000,50'), negatives, commas as thousands
    separators ('1,250,000', ambiguous), anything else. The message says what to write."""
    if isinstance(text, bool):
        raise MoneyError(f"{text!r} is not an amount in rupiah")
    if isinstance(text, int):
        value = text
    else:
        raw = str(text).strip()
        s = raw
        if re.match(r"(?i)^rp\.?", s):
            s = re.sub(r"(?i)^rp\.?", "", s).strip()
        s = s.replace(" ", "").replace("\u00a0", "")
        if s.endswith(",-"):  # 'Rp 1.250.000,-' as written on forms
            s = s[:-2]
        if s.startswith("-"):
            raise MoneyError(f"{raw!r} is negative; amounts are 0 or more rupiah")
        if _PLAIN.match(s):
            value = int(s)
        elif _GROUPED.match(s):
            value = int(s.replace(".", ""))
        else:
            raise MoneyError(
                f"{raw!r} is not a whole rupiah amount; write e.g. 1250000, 1.250.000 or 'Rp 1.250.000' "
                "(no decimals: rupiah have no sen on these lists)")
    if value < 0:
        raise MoneyError(f"{value} is negative; amounts are 0 or more rupiah")
    if value > MAX_RUPIAH:
        raise MoneyError(f"{value} is more than Rp 999.999.999.999")
    return value


def group(n: int) -> str:
    """1250000 -> '1.250.000' (Indonesian grouping)."""
    if n < 0:
        return "-" + group(-n)
    return f"{n:,}".replace(",", ".")


def format_rupiah(n: int) -> str:
    """1250000 -> 'Rp 1.250.000'; negative amounts (a difference) -> '-Rp 1.250.000'."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"rupiah amounts are ints, got {n!r}")
    return f"-Rp {group(-n)}" if n < 0 else f"Rp {group(n)}"


def terbilang(n: int) -> str:
    """1200000 -> 'satu juta dua ratus ribu rupiah' (num2words' Indonesian, tidied)."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 0 or n > MAX_RUPIAH:
        raise MoneyError(f"terbilang takes 0 to 999.999.999.999 rupiah, got {n!r}")
    if n == 0:
        return "nol rupiah"
    from num2words import num2words

    # num2words reads each group of three digits well, but says 'satu juta satu ribu' for
    # 1.001.000 (Indonesian: 'satu juta seribu'); so groups are read one by one
    words: list[str] = []
    for scale, name in ((10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"), (1, "")):
        chunk, n = divmod(n, scale)
        if not chunk:
            continue
        if scale == 1000 and chunk == 1:
            words.append("seribu")
            continue
        words.append(" ".join(str(num2words(chunk, lang="id")).lower().replace("-", " ").split()))
        if name:
            words.append(name)
    return " ".join(words) + " rupiah"


def parse_percent(text: object) -> int:
    """A tax rate as basis points: '2.5', '2,5', '2.5%', '15' -> 250, 250, 250, 1500.
    At most two decimals, 0 to 100; decimals are read as digits, never as a float."""
    raw = str(text).strip()
    s = raw.rstrip("%").strip().replace(",", ".")
    m = re.match(r"^(\d{1,3})(?:\.(\d{1,2}))?$", s)
    if not m:
        raise MoneyError(f"{raw!r} is not a percentage; write e.g. 2.5 or 15 (at most two decimals)")
    bp = int(m.group(1)) * 100 + int((m.group(2) or "0").ljust(2, "0"))
    if bp > 10000:
        raise MoneyError(f"{raw!r} is more than 100%")
    return bp


def format_percent_bp(bp: int) -> str:
    """250 -> '2,5%', 1500 -> '15%', 0 -> '0%' (Indonesian decimal comma)."""
    whole, frac = divmod(bp, 100)
    return f"{whole}%" if not frac else f"{whole},{str(frac).rjust(2, '0').rstrip('0')}%"


def tax(gross: int, bp: int) -> int:
    """The tax on `gross` at `bp` basis points, rounded down to the rupiah."""
    return gross * bp // 10000


def percent_of(part: int, whole: int) -> str | None:
    """part/whole as a percentage with two decimals, rounded down: (1, 3) -> '33.33'.
    None when whole is 0."""
    if whole <= 0:
        return None
    hundredths = part * 10000 // whole if part >= 0 else -((-part) * 10000 // whole)
    sign = "-" if hundredths < 0 else ""
    whole_part, frac = divmod(abs(hundredths), 100)
    return f"{sign}{whole_part}.{frac:02d}"
