"""The national list of desa and kelurahan (Kepmendagri No. 300.2.2-2138 Tahun 2025 as
amended by No. 300.2.2-2430 Tahun 2025), shipped compressed in the package as
data/wilayah_kemendagri_2025.csv.gz (source: github.com/cahyadsn/wilayah, MIT license,
data/wilayah_LICENSE.txt). Read on first use and kept in memory for the process.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache

FILE = "wilayah_kemendagri_2025.csv.gz"
SOURCE = "Kepmendagri No. 300.2.2-2138 Tahun 2025 jo. No. 300.2.2-2430 Tahun 2025 (via cahyadsn/wilayah, MIT)"


@dataclass(frozen=True)
class Village:
    code: str          # PP.KK.CC.VVVV
    name: str
    kecamatan: str
    kabupaten: str     # 'Kota Semarang', 'Kabupaten Batang'
    provinsi: str

    @property
    def kabupaten_code(self) -> str:
        return self.code[:5]

    @property
    def provinsi_code(self) -> str:
        return self.code[:2]


@dataclass
class NationalList:
    villages: list[Village]
    by_code: dict[str, Village] = field(default_factory=dict)
    kabupaten: dict[str, str] = field(default_factory=dict)   # 'PP.KK' -> name
    provinsi: dict[str, str] = field(default_factory=dict)    # 'PP' -> name

    def __post_init__(self) -> None:
        for v in self.villages:
            self.by_code[v.code] = v
            self.kabupaten.setdefault(v.kabupaten_code, v.kabupaten)
            self.provinsi.setdefault(v.provinsi_code, v.provinsi)


@lru_cache(maxsize=1)
def national_list() -> NationalList:
    from pelatihan_cli.resources import data_path

    with gzip.open(data_path(FILE), "rb") as f:
        text = io.TextIOWrapper(f, encoding="utf-8", newline="")
        reader = csv.reader(text)
        next(reader)
        # one name carries a trailing space in the source (Kota Administrasi Jakarta Utara)
        villages = [Village(*map(str.strip, row)) for row in reader]
    return NationalList(villages)


# --- regions: a province or a kabupaten/kota, named or coded ----------------------------

@dataclass(frozen=True)
class Region:
    level: str   # 'provinsi' or 'kabupaten' (a kabupaten or a kota)
    code: str    # 'PP' or 'PP.KK'
    name: str    # 'Jawa Tengah', 'Kota Semarang'

    def label(self) -> str:
        return f"{self.name} ({self.code})"


_PROVINCE_CODE = re.compile(r"^\d{2}$")
_REGENCY_CODE = re.compile(r"^\d{2}\.\d{2}$")
_PROVINCE_PREFIX = re.compile(r"^(provinsi|prov\.?)\s+", re.IGNORECASE)
_KIND = re.compile(r"^(kota\s+|kabupaten\s+|kab\.\s*|kab\s+)", re.IGNORECASE)
_ADMINISTRASI = re.compile(r"^administrasi\s+", re.IGNORECASE)
# short forms people write for a province name (keys as name_key gives them)
_PROVINCE_ALIASES = {
    "dkijakarta": "31", "dki": "31", "jakarta": "31",
    "diy": "34", "diyogyakarta": "34",
    "ntb": "52", "ntt": "53", "babel": "19", "kepri": "21",
}


def regency_parts(text: str) -> tuple[str, str]:
    """('kota'|'kab'|'', name key): 'Kota Administrasi Jakarta Pusat' -> ('kota', 'jakartapusat');
    'Kab. Batang', 'Kabupaten Batang' -> ('kab', 'batang'); 'Semarang' -> ('', 'semarang')."""
    from pelatihan_cli.domain.names import name_key

    text = " ".join((text or "").split())
    kind = ""
    m = _KIND.match(text)
    if m:
        kind = "kota" if m.group(1).lower().startswith("kota") else "kab"
        text = text[m.end():]
    return kind, name_key(_ADMINISTRASI.sub("", text))


def _province_key(text: str) -> str:
    from pelatihan_cli.domain.names import name_key

    return name_key(_PROVINCE_PREFIX.sub("", " ".join((text or "").split())))


def find_region(text: str, national: NationalList | None = None) -> Region:
    """The province or kabupaten/kota `text` names: a code ('33', '33.74') or a name,
    case, spaces and hyphens ignored ('jawa-tengah', 'kota  semarang', 'Kab. Batang',
    'Kabupaten Batang', 'Jakarta Pusat'). A bare name held by several ('Semarang': Kota
    and Kabupaten) is a ValidationError listing each with its code; an unknown one is
    NotFound with 'did you mean'."""
    from pelatihan_cli.domain.names import did_you_mean
    from pelatihan_cli.errors import NotFound, ValidationError

    nl = national or national_list()
    typed = " ".join(str(text or "").split())
    if not typed:
        raise ValidationError("The region is empty; give a province or kabupaten/kota, by name or code "
                              "(e.g. 'Kota Semarang', 33.74, 'Jawa Tengah', 33).", field="--region", value=text)
    if _PROVINCE_CODE.match(typed) or _REGENCY_CODE.match(typed):
        level, names = ("provinsi", nl.provinsi) if len(typed) == 2 else ("kabupaten", nl.kabupaten)
        if typed not in names:
            what = "province" if level == "provinsi" else "kabupaten/kota"
            raise NotFound(f"No {what} with code {typed} in the national list; find codes with "
                           f"`pelatihan region search NAME`.")
        return Region(level, typed, names[typed])
    hits: list[Region] = []
    pkey = _province_key(typed)
    for code, name in nl.provinsi.items():
        if _province_key(name) == pkey or _PROVINCE_ALIASES.get(pkey) == code:
            hits.append(Region("provinsi", code, name))
    kind, key = regency_parts(typed)
    for code, name in nl.kabupaten.items():
        k2, key2 = regency_parts(name)
        if key2 == key and (not kind or kind == k2):
            hits.append(Region("kabupaten", code, name))
    if len(hits) == 1:
        return hits[0]
    if hits:
        listed = " or ".join(f"{'province ' if h.level == 'provinsi' else ''}{h.label()}" for h in hits)
        raise ValidationError(f"Region {typed!r} is ambiguous: {listed}; write the full name or the code, "
                              f"e.g. --region {hits[0].code}.", field="--region", value=typed)
    names = [*nl.provinsi.values(), *nl.kabupaten.values()]
    if kind:  # 'Kota Semarrang': suggest among the names without the prefix too
        names += [n.split(" ", 1)[1] for n in names if " " in n]
    hint = did_you_mean(typed, names) or " Find it with `pelatihan region search NAME`."
    raise NotFound(f"Unknown region {typed!r} (a province or kabupaten/kota).{hint}")


def villages_in(region: Region, national: NationalList | None = None) -> list[Village]:
    """Every desa/kelurahan of the region, by code."""
    nl = national or national_list()
    prefix = region.code + "."
    return [v for v in nl.villages if v.code.startswith(prefix)]


SEARCH_LEVELS = ("provinsi", "kabupaten", "kota", "kecamatan", "kelurahan", "desa")
_CODE_PREFIX = re.compile(r"^\d{2}(\.\d{1,2}){0,1}(\.\d{0,2})?(\.\d{0,4})?\.?$")


def search(text: str, national: NationalList | None = None) -> list[dict]:
    """Every province, kabupaten/kota, kecamatan and desa/kelurahan whose name contains
    `text` (case, spaces, hyphens and dots ignored; 'Kab.' reads as 'Kabupaten'), or
    whose code starts with it ('33.74'). Rows {code, name, level, kecamatan, kabupaten,
    provinsi}, provinces first, then kabupaten/kota, kecamatan, desa/kelurahan, each by code."""
    from pelatihan_cli.domain.names import name_key
    from pelatihan_cli.errors import ValidationError

    nl = national or national_list()
    typed = " ".join(str(text or "").split())
    if not typed:
        raise ValidationError("The search text is empty; give part of a name or a code.", value=text)
    if _CODE_PREFIX.match(typed):
        def hit(code: str, name: str) -> bool:
            return code.startswith(typed)
    else:
        key = name_key(re.sub(r"^kab\.?\s+", "kabupaten ", typed, flags=re.IGNORECASE))
        cache: dict[str, bool] = {}

        def hit(code: str, name: str) -> bool:
            found = cache.get(name)
            if found is None:
                found = cache[name] = key in name_key(name)
            return found

    out: list[tuple[int, dict]] = []
    for code, name in nl.provinsi.items():
        if hit(code, name):
            out.append((0, {"code": code, "name": name, "level": "provinsi", "kecamatan": None,
                            "kabupaten": None, "provinsi": name}))
    for code, name in nl.kabupaten.items():
        if hit(code, name):
            level = "kota" if name.lower().startswith("kota") else "kabupaten"
            out.append((1, {"code": code, "name": name, "level": level, "kecamatan": None,
                            "kabupaten": name, "provinsi": nl.provinsi[code[:2]]}))
    seen_kec: set[str] = set()
    for v in nl.villages:
        kcode = v.code[:8]
        if kcode not in seen_kec:
            seen_kec.add(kcode)
            if hit(kcode, v.kecamatan):
                out.append((2, {"code": kcode, "name": v.kecamatan, "level": "kecamatan", "kecamatan": v.kecamatan,
                                "kabupaten": v.kabupaten, "provinsi": v.provinsi}))
        if hit(v.code, v.name):
            out.append((3, {"code": v.code, "name": v.name, "level": "kelurahan" if v.code[9] == "1" else "desa",
                            "kecamatan": v.kecamatan, "kabupaten": v.kabupaten, "provinsi": v.provinsi}))
    out.sort(key=lambda x: (x[0], x[1]["code"]))
    return [row for _, row in out]
