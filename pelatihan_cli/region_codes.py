"""Every province, kabupaten/kota and kecamatan code of the Kemendagri lists 2015-2025, for
checking where a NIK was issued (domain.nik.RegionCodes).

Shipped compressed in the package as data/wilayah_codes_2015_2025.csv.gz (six editions:
Permendagri 56/2015, 137/2017, 72/2019, 58/2021, Kepmendagri 100.1.1-6117/2022 and
300.2.2-2138/2025; source: github.com/cahyadsn/wilayah, MIT license,
data/wilayah_LICENSE.txt). Read on the first NIK checked and kept in memory for the
process (about 8,500 rows, a few milliseconds), so commands that check no NIK never read it.
"""

from __future__ import annotations

from functools import cache

from pelatihan_cli.domain.nik import RegionCodes

FILE = "wilayah_codes_2015_2025.csv.gz"
EDITIONS = "2015-2025"


@cache
def nik_regions() -> RegionCodes:
    """The codes of every edition, digits only ('3375', '337501') -> name."""
    import csv
    import gzip

    from pelatihan_cli.resources import data_path

    names: dict[str, str] = {}
    with gzip.open(data_path(FILE), "rt", encoding="utf-8", newline="") as f:
        rows = csv.reader(f)
        if next(rows)[:2] != ["code", "name"]:
            raise RuntimeError(f"{FILE}: expected the columns code,name,... first")
        for code, name, *_rest in rows:
            names[code.replace(".", "")] = name
    return RegionCodes(names, editions=EDITIONS)
