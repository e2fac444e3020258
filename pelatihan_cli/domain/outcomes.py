"""After the training: work statuses (tracer study), income bands, the *wirausaha baru*
rule, certificate numbers and verification codes, and wa.me links. Pure: no I/O.

Statuses are stored in English (`employed`, `self-employed`, `seeking`, `studying`) and
printed in Indonesian; Indonesian survey answers are read, and an answer that names two
statuses, or none, is refused rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import string

from pelatihan_cli.errors import ValidationError

STATUSES = ("employed", "self-employed", "seeking", "studying")
#: how documents print a status
STATUS_ID = {"employed": "Bekerja", "self-employed": "Wirausaha", "seeking": "Belum bekerja",
             "studying": "Melanjutkan pendidikan/pelatihan"}

# phrases first (so that 'belum bekerja' is not read as 'bekerja'); each found phrase is
# removed before the next group is looked for
_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("seeking", ("belum bekerja", "tidak bekerja", "belum kerja", "tidak kerja", "mencari kerja",
                 "mencari pekerjaan", "cari kerja", "menganggur", "pengangguran", "seeking", "unemployed",
                 "looking for work", "job seeker", "jobseeker", "pencari kerja")),
    ("self-employed", ("wirausaha", "wiraswasta", "berwirausaha", "usaha sendiri", "buka usaha", "membuka usaha",
                       "punya usaha", "usaha mandiri", "self employed", "self-employed", "selfemployed",
                       "entrepreneur", "berdagang", "pedagang", "umkm")),
    ("studying", ("melanjutkan", "sekolah", "kuliah", "studi", "pendidikan", "studying", "student",
                  "pelatihan lanjutan", "kursus", "mahasiswa", "pelajar")),
    ("employed", ("bekerja", "kerja", "karyawan", "karyawati", "buruh", "pegawai", "employed", "pekerja",
                  "staf", "staff", "honorer")),
)


def _norm(text: str) -> str:
    return " " + " ".join(re.sub(r"[^a-z0-9\-]+", " ", str(text).casefold()).split()) + " "


def parse_work_status(text: object, *, field: str = "status") -> str | None:
    """'Wirausaha / usaha sendiri' -> 'self-employed'; 'Belum bekerja' -> 'seeking';
    None or blank -> None. An answer naming no status or two is a ValidationError."""
    if text is None or not str(text).strip():
        return None
    s = _norm(str(text))
    found: list[str] = []
    for status, phrases in _PHRASES:
        for p in sorted(phrases, key=len, reverse=True):
            key = f" {p} "
            if key in s:
                if status not in found:
                    found.append(status)
                s = s.replace(key, " ")
    if len(found) == 1:
        return found[0]
    choices = ("employed/bekerja, self-employed/wirausaha, seeking/belum bekerja, "
               "studying/melanjutkan (sekolah, kuliah)")
    if not found:
        raise ValidationError(f"{field} {text!r} is not a work status; write one of {choices}.",
                              field=field, value=text)
    raise ValidationError(f"{field} {text!r} names {' and '.join(found)}; give one status ({choices}).",
                          field=field, value=text)


# --- income bands ---------------------------------------------------------------------

def parse_band_limits(text: str) -> list[float]:
    """The setting followup_income_bands, '1,2' (multiples of the minimum wage, rising)."""
    try:
        limits = [float(x) for x in str(text).replace(";", ",").split(",") if x.strip()]
    except ValueError:
        raise ValidationError(f"income bands {text!r}: give rising multiples of the minimum wage, e.g. 1,2") from None
    if not limits or any(x <= 0 for x in limits) or limits != sorted(set(limits)):
        raise ValidationError(f"income bands {text!r}: give rising positive multiples, e.g. 0.5,1,2")
    return limits


def _fmt(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:g}".replace(".", ",")


def band_labels(limits: list[float]) -> list[str]:
    """[1, 2] -> ['< 1 UMK', '1-2 UMK', '> 2 UMK']."""
    labels = [f"< {_fmt(limits[0])} UMK"]
    labels += [f"{_fmt(a)}-{_fmt(b)} UMK" for a, b in zip(limits, limits[1:])]
    labels.append(f"> {_fmt(limits[-1])} UMK")
    return labels


def _band_key(text: str) -> str:
    return re.sub(r"[\s_]+", "", str(text).casefold()).replace("–", "-")


def parse_income_band(text: object, limits: list[float], wage: int, *, field: str = "income_band") -> str | None:
    """A band label ('1-2 UMK', case and spaces forgiven) or an amount in rupiah
    ('Rp 3.000.000', '3000000', '3 juta'), placed in its band by the minimum wage."""
    if text is None or not str(text).strip():
        return None
    labels = band_labels(limits)
    key = _band_key(text)
    for label in labels:
        if _band_key(label) == key:
            return label
    raw = str(text).casefold().replace("rp", "").strip()
    m = re.fullmatch(r"([\d.,\s]+)\s*(jt|juta|rb|ribu)?", raw)
    if m:
        digits = m[1].replace(" ", "")
        unit = m[2]
        try:
            if unit:
                amount = float(digits.replace(".", "").replace(",", ".")) * (1_000_000 if unit in ("jt", "juta") else 1_000)
            else:
                amount = float(digits.replace(".", "").replace(",", ""))
        except ValueError:
            amount = None
        if amount is not None and wage > 0:
            ratio = amount / wage
            for limit, label in zip(limits, labels):
                if ratio < limit:
                    return label
            return labels[-1]
    raise ValidationError(f"{field} {text!r} is neither a band ({', '.join(labels)}) nor an amount in rupiah.",
                          field=field, value=text)


# --- the outcome of one person ------------------------------------------------------------

def is_new_entrepreneur(status: str | None, since: str | None, answered_on: str | None,
                        at_registration: str | None, last_day: str) -> bool:
    """Wirausaha baru: self-employed at the follow-up, not self-employed at registration,
    and the business started after the training: `since` on or after its last day; or,
    with no `since`, the answer came after the training from someone whose status at
    registration is known (and was not self-employed)."""
    if status != "self-employed" or at_registration == "self-employed":
        return False
    if since:
        return since >= last_day
    return at_registration is not None and (answered_on or "") >= last_day


def placement(employed: int, self_employed: int, base: int) -> float | None:
    """(working + self-employed) / base, None without a base."""
    return round((employed + self_employed) / base, 4) if base else None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    import calendar

    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


# --- certificates --------------------------------------------------------------------------

DEFAULT_NUMBER_PATTERN = "{seq:04d}/PKW/DINPERINAKER/{year}"
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off paper without doubt


def check_number_pattern(pattern: str) -> str:
    """A certificate number pattern must hold {seq} (it makes the number unique within the
    programme) and may hold {year} and {programme_id}."""
    p = str(pattern).strip()
    if "{seq" not in p:
        raise ValidationError(f"the pattern {p!r} has no {{seq}}; e.g. {DEFAULT_NUMBER_PATTERN}")
    try:
        p.format(seq=1, year=2024, programme_id=1)
    except (KeyError, IndexError, ValueError) as e:
        raise ValidationError(f"the pattern {p!r} cannot be filled ({e}); use {{seq}}, {{year}}, {{programme_id}}, "
                              f"e.g. {DEFAULT_NUMBER_PATTERN}") from None
    return p


def certificate_number(pattern: str, seq: int, year: int, programme_id: int) -> str:
    return pattern.format(seq=seq, year=year, programme_id=programme_id)


def new_code() -> str:
    """A random verification code, 'K7QM-3XHT-9PWD' (60 bits from `secrets`)."""
    chars = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def normalise_code(text: str) -> str:
    """What a person typed or a scanner read -> the stored form (case, spaces and hyphens
    forgiven); anything else is returned as typed, and will match nothing."""
    s = re.sub(r"[\s\-]+", "", str(text)).upper()
    if len(s) == 12 and all(ch in _CODE_ALPHABET for ch in s):
        return f"{s[:4]}-{s[4:8]}-{s[8:]}"
    return str(text).strip()


def mask_name(name: str | None) -> str | None:
    """'Siti Aminah' -> 'Si** Am****': enough for the holder to recognise, not to read out."""
    if not name:
        return name
    return " ".join(w[:2] + "*" * max(len(w) - 2, 0) for w in name.split())


# --- WhatsApp ---------------------------------------------------------------------------------

def wa_link(e164: str | None) -> str | None:
    """'+6281234567890' -> 'https://wa.me/6281234567890' (None without a number)."""
    if not e164:
        return None
    digits = "".join(ch for ch in e164 if ch in string.digits)
    return f"https://wa.me/{digits}" if digits else None
