"""The national list of desa and kelurahan (Kepmendagri No. 300.2.2-2138 Tahun 2025 as
amended by No. 300.2.2-2430 Tahun 2025), shipped compressed in the package as
data/wilayah_kemendagri_2025.csv.gz (source: github.com/cahyadsn/wilayah, MIT license,
data/wilayah_LICENSE.txt). Read on first use and kept in memory for the process.
"""

from __future__ import annotations

import csv
import gzip
import io
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
        villages = [Village(*row) for row in reader]
    return NationalList(villages)
