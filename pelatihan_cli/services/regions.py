"""Regions of the national list: load every desa/kelurahan of a province or kabupaten/kota
into the database (`pelatihan init --region`), and search the list for codes.

The list is the official one (pelatihan_cli/regions.py), so its rows skip the checks a
typed row gets (a kecamatan close to a stored one is real there). Loading is keyed by
code and idempotent: a code already stored stays as it is (renamed or not), and a
place stored without a code under the same name and kecamatan counts as present (a
warning says how to give it its code) rather than being added a second time."""

from __future__ import annotations

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain.names import name_key
from pelatihan_cli.regions import Region, find_region, national_list, search, villages_in
from pelatihan_cli.services import audit

__all__ = ["find_region", "load", "search_list", "Region"]


def resolve_all(texts: list[str]) -> list[Region]:
    """The regions the texts name, in order, each once; every text is checked before
    anything is written."""
    regions: list[Region] = []
    for text in texts:
        r = find_region(text)
        if r not in regions:
            regions.append(r)
    return regions


def load(db: Database, texts: list[str]) -> dict:
    """Add every desa/kelurahan of the regions `texts` name (one transaction, one audit
    entry when something is added). Returns {regions: [{code, name, level, villages}],
    read, added, present, warnings}."""
    regions = resolve_all(texts)
    nl = national_list()
    villages = {}
    per_region = []
    for r in regions:
        vs = villages_in(r, nl)
        per_region.append({"code": r.code, "name": r.name, "level": r.level, "villages": len(vs)})
        for v in vs:
            villages.setdefault(v.code, v)
    added: list[tuple] = []
    present = 0
    uncoded_hits: list[tuple[str, str, str]] = []
    with write_transaction(db):
        stored = {c for (c,) in db.execute("SELECT code FROM kelurahan WHERE code IS NOT NULL")}
        uncoded = {(r[0], name_key(r[1])) for r in db.execute(
            "SELECT name_key, kecamatan FROM kelurahan WHERE code IS NULL")}
        for code in sorted(villages):
            v = villages[code]
            if code in stored:
                present += 1
                continue
            key = name_key(v.name)
            if uncoded and (key, name_key(v.kecamatan)) in uncoded:
                present += 1
                uncoded_hits.append((v.name, v.kecamatan, code))
                continue
            added.append((code, v.name, key, v.kecamatan, v.kabupaten, v.provinsi))
        if added:
            db.conn.executemany(
                "INSERT INTO kelurahan (code, name, name_key, kecamatan, kabupaten, provinsi) "
                "VALUES (?, ?, ?, ?, ?, ?)", added)
            audit.record(db, "kelurahan.import", {"kelurahan": len(added), "regions": [r.code for r in regions]})
    warnings = []
    if uncoded_hits:
        name, kec, code = uncoded_hits[0]
        warnings.append(
            f"{len(uncoded_hits)} kelurahan stored without a code match the list by name and kecamatan and "
            f"were kept as they are (e.g. {name} ({kec})); give each its code, e.g. "
            f"`pelatihan kelurahan update '{name} ({kec})' --code {code}`.")
    return {"regions": per_region, "read": len(villages), "added": len(added), "present": present,
            "warnings": warnings}


def search_list(text: str, limit: int | None = 50) -> dict:
    """{rows: the first `limit` matches (all with limit None or 0), total}."""
    rows = search(text)
    shown = rows[:limit] if limit else rows
    return {"rows": shown, "total": len(rows)}
