"""Kelurahan and desa as the operator types them: by Kemendagri code, official name,
`Name (Kecamatan)` or `Name, Kabupaten/Kota`. Pure rules, no database.

A name is not unique (Kota Semarang has two Purwosari; 16 kecamatan hold the same name
twice), and some official names contain parentheses or commas (`Kurau (Timur)`,
`Lubuk Pakam I,II`), so a typed text is matched as a literal official name first, then
as `Name (Kecamatan)` / `Name, Kabupaten`. An ambiguous text is an error listing every
candidate with its kecamatan and kabupaten/kota and how to write it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from pelatihan_cli.domain.names import did_you_mean, name_key
from pelatihan_cli.errors import NotFound, ValidationError

CODE_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
_IN_PARENS = re.compile(r"^(.*\S)\s*\(([^()]+)\)\s*$")
_AFTER_COMMA = re.compile(r"^(.*\S)\s*,\s*([^,]+)$")
_REGENCY_PREFIX = re.compile(r"^(kota|kabupaten|kab\.?)\s+", re.IGNORECASE)
# 'Kel. Medono', 'Kelurahan Medono', 'Desa Kali', 'Ds. Kali', 'Kel/Desa Medono'
_PLACE_PREFIX = re.compile(r"^(?:kel(?:urahan)?|desa|ds)(?:\s*/\s*(?:kel(?:urahan)?|desa|ds))?(?:\.\s*|\s+)",
                           re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    id: int
    code: str | None
    name: str
    kecamatan: str
    kabupaten: str | None = None
    provinsi: str | None = None

    def where(self) -> str:
        """'Semarang Utara, Kota Semarang' (kecamatan and, when known, kabupaten/kota)."""
        return ", ".join(x for x in (self.kecamatan, self.kabupaten) if x)


def regency_key(text: str | None) -> str:
    """'Kota Semarang', 'kota  semarang' -> one key; 'Kab. Batang' and 'Kabupaten Batang' too."""
    text = (text or "").strip()
    m = _REGENCY_PREFIX.match(text)
    kind = ""
    if m:
        kind = "kota" if m.group(1).lower() == "kota" else "kab"
        text = text[m.end():]
    return kind + ":" + name_key(text)


def _same_regency(typed: str, stored: str | None) -> bool:
    if not stored:
        return False
    a, b = regency_key(typed), regency_key(stored)
    if a == b:
        return True
    # 'Semarang' alone names the regency when it has no prefix typed
    return a.startswith(":") and a[1:] == b.split(":", 1)[1]


def how_to_write(place: Place, among: Sequence[Place]) -> str:
    """The shortest typed form that names `place` alone among `among` (same name)."""
    same_kec = [p for p in among if name_key(p.kecamatan) == name_key(place.kecamatan)]
    if len(same_kec) == 1:
        return f"{place.name} ({place.kecamatan})"
    same_kab = [p for p in among if place.kabupaten and p.kabupaten == place.kabupaten]
    if place.kabupaten and len(same_kab) == 1:
        return f"{place.name}, {place.kabupaten}"
    return place.code or f"{place.name} (id {place.id})"


def ambiguous(text: str, candidates: Sequence[Place], *, field: str = "kelurahan") -> ValidationError:
    parts = []
    for p in candidates:
        form = how_to_write(p, candidates)
        also = f" or {p.code}" if p.code and form != p.code else ""
        parts.append(f"{p.name} ({p.where()}): write {form!r}{also}")
    return ValidationError(
        f"Kelurahan {text!r} is ambiguous: {len(candidates)} places have that name: " + "; ".join(parts) + ".",
        field=field, value=text)


def without_place_prefix(text: str) -> str | None:
    """'Kel. Medono', 'Kelurahan Medono', 'Desa Kali', 'Ds. Kali' -> the name after the
    prefix; None when there is no prefix or nothing after it. Callers try the text as
    typed first: 'Desa Baru' (Sumatera Barat, Riau, Jambi) and 'Kelurahan' (Kabupaten
    Semarang) are official names."""
    m = _PLACE_PREFIX.match(text)
    if m is None:
        return None
    rest = text[m.end():].strip()
    return rest or None


def resolve_place(text: str, *, by_code: Callable[[str], Place | None],
                  by_name: Callable[[str], list[Place]], all_names: Callable[[], Iterable[str]],
                  field: str = "kelurahan", what: str = "kelurahan") -> Place:
    """The one place `text` names. `by_code(code)` and `by_name(name_key)` look places up
    (in the database, or in memory for a batch); `all_names()` feeds 'did you mean'.
    A text naming no place as typed is tried once more without a `Kel.` / `Kelurahan` /
    `Desa` prefix (`without_place_prefix`)."""
    typed = " ".join(str(text or "").split())
    if not typed:
        raise ValidationError(f"The {what} is empty; give its name or Kemendagri code.", field=field, value=text)
    if CODE_RE.match(typed):
        hit = by_code(typed)
        if hit is None:
            raise NotFound(f"No {what} with code {typed}. See `pelatihan kelurahan list`, or add it "
                           f"(`pelatihan kelurahan add --code {typed}`).")
        return hit
    hit = _by_name_or_qualified(typed, typed, by_name, field)
    if hit is None:
        bare = without_place_prefix(typed)
        if bare is not None:
            hit = _by_name_or_qualified(bare, typed, by_name, field)
    if hit is not None:
        return hit
    hint = did_you_mean(without_place_prefix(typed) or typed, all_names()) or " See `pelatihan kelurahan list`."
    raise NotFound(f"Unknown {what} {typed!r}.{hint}")


def _by_name_or_qualified(name: str, typed: str, by_name: Callable[[str], list[Place]], field: str) -> Place | None:
    """The place `name` names as a literal official name, then as `Name (Kecamatan)` /
    `Name, Kabupaten`; None when none; an ambiguity error (quoting `typed`) when several."""
    literal = by_name(name_key(name))
    if len(literal) == 1:
        return literal[0]
    if len(literal) > 1:
        raise ambiguous(typed, literal, field=field)
    for pattern, test in ((_IN_PARENS, _kecamatan_or_regency), (_AFTER_COMMA, _kecamatan_or_regency)):
        m = pattern.match(name)
        if not m:
            continue
        narrowed = [p for p in by_name(name_key(m.group(1))) if test(m.group(2), p)]
        if len(narrowed) == 1:
            return narrowed[0]
        if len(narrowed) > 1:
            raise ambiguous(typed, narrowed, field=field)
    return None


def _kecamatan_or_regency(qualifier: str, p: Place) -> bool:
    return name_key(qualifier) == name_key(p.kecamatan) or _same_regency(qualifier, p.kabupaten)


def labels(places: Iterable[Place]) -> dict[int, str]:
    """{id: label}: the name where it is unique, else 'Name (Kecamatan)', else
    'Name (Kecamatan, Kabupaten)' — what output shows so that two Purwosari differ."""
    places = list(places)
    by_name: dict[str, list[Place]] = {}
    for p in places:
        by_name.setdefault(name_key(p.name), []).append(p)
    out: dict[int, str] = {}
    for group in by_name.values():
        if len(group) == 1:
            out[group[0].id] = group[0].name
            continue
        for p in group:
            same_kec = [q for q in group if name_key(q.kecamatan) == name_key(p.kecamatan)]
            same_both = [q for q in same_kec if q.kabupaten == p.kabupaten]
            if len(same_kec) == 1:
                out[p.id] = f"{p.name} ({p.kecamatan})"
            elif p.kabupaten and len(same_both) == 1:
                out[p.id] = f"{p.name} ({p.kecamatan}, {p.kabupaten})"
            else:
                out[p.id] = f"{p.name} ({p.code or f'id {p.id}'})"
    return out
