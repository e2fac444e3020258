"""Header matching (the **map** stage): the column names operators use, in Indonesian or
English, as clerks type them.

A header is compared ignoring case, spaces and line breaks, underscores, dots, hyphens,
slashes, commas, stars and colons, so `No. KTP`, `no_ktp` and `NO KTP` are one header, and so
are `L/P` and `l_p`, and `NAMA*` is `nama`. When the whole header is not known, a
bracketed part is dropped (`NIK (16 digit)`, `No. HP (aktif)`, `JENIS KELAMIN (L/P)`);
then a combined header `A/B` is read when every part names the same field
(`KELURAHAN/DESA`, `No. HP/WA`). A header whose parts name two different fields
(`NIK/NAMA`) or only partly a known field (`NIK/NO. KK`) is not used: the first is
ambiguous, the second might be another number, and neither is guessed.

    hm = map_headers(src.columns, PARTICIPANT_ALIASES)
    hm.mapping["nik"]  -> the file's own header for the NIK column (e.g. 'NIK (16 digit)')
    hm.columns         -> [ColumnMatch(header, field or None, reason)] for the preview
    mapping, unknown = match_headers(src.columns, PARTICIPANT_ALIASES)   # the short form

This module is shared by every importer (participants, attendance): give it your own
alias table {canonical field: [aliases...]}.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field as dc_field
from typing import Iterable, Mapping, Sequence

_IGNORED_CHARS = re.compile(r"[\s_.,\-/\\*:]+")
# 'NIK (16 digit)', 'No. HP [aktif]': a bracketed part anywhere in the header
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_PARTS = re.compile(r"\s*/\s*")
# invisible characters a header cell may carry (zero-width, BOM, soft hyphen, direction marks)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"), None)

#: canonical field -> accepted headers (the first is the one the README documents).
#: `birth_place_date` is the combined `TEMPAT/TGL LAHIR` (place, date); `rt_rw` is added
#: to the address.
PARTICIPANT_ALIASES: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "no_ktp", "no_nik", "nomor_nik", "nomor_ktp", "ktp", "nik_ktp", "nik_peserta",
            "no_induk_kependudukan", "nomor_induk_kependudukan"),
    "name": ("nama", "nama_lengkap", "name", "full_name", "nama_peserta", "nama_lengkap_peserta",
             "nama_sesuai_ktp", "nama_calon_peserta"),
    "birth_date": ("tanggal_lahir", "tgl_lahir", "birth_date", "date_of_birth", "dob", "tgl_lhr", "tanggal_lhr"),
    "birth_place_date": ("tempat_tgl_lahir", "tempat_tanggal_lahir", "ttl", "tempat_lahir_tanggal_lahir",
                         "tempat_lahir_tgl_lahir", "tempat_tgl_lhr", "tmp_tgl_lahir", "tmpt_tgl_lahir"),
    "birth_place": ("tempat_lahir", "birth_place", "place_of_birth", "tmp_lahir", "tmpt_lahir"),
    "sex": ("jenis_kelamin", "jk", "l_p", "sex", "gender", "kelamin", "jns_kelamin"),
    "address": ("alamat", "address", "alamat_lengkap", "alamat_rumah", "alamat_sesuai_ktp", "alamat_ktp"),
    "rt_rw": ("rt_rw", "rt_rw_alamat"),
    "kelurahan": ("kelurahan", "kel", "desa_kelurahan", "kelurahan_desa", "kel_desa", "desa_kel", "desa",
                  "nama_kelurahan", "kelurahan_domisili"),
    "phone": ("no_hp", "hp", "telepon", "no_telp", "phone", "nomor_hp", "telp", "whatsapp", "no_wa", "wa",
              "no_hp_wa", "hp_wa", "nomor_hp_wa", "no_telp_hp", "no_telp_wa", "no_whatsapp", "nomor_wa",
              "nomor_telepon", "no_telepon", "telp_hp", "no_handphone", "handphone", "ponsel"),
    "session": ("sesi", "session", "session_id", "id_sesi"),
    "skill": ("pelatihan", "keterampilan", "ketrampilan", "skill", "jenis_pelatihan", "jenis_keterampilan",
              "jenis_ketrampilan", "pilihan_pelatihan", "bidang_pelatihan", "pelatihan_yang_dipilih",
              "kejuruan", "bidang_keterampilan", "bidang_ketrampilan", "pilihan_keterampilan",
              "pilihan_ketrampilan", "keterampilan_yang_dipilih", "sub_kejuruan"),
    "ak1_number": ("no_ak1", "ak1", "nomor_ak1", "ak1_number", "no_kartu_ak1", "kartu_kuning"),
    "ak1_date": ("tanggal_ak1", "tgl_ak1", "ak1_date"),
    # at registration, for the tracer study ('pekerjaan' alone is an occupation, not a status)
    "work_status": ("status_pekerjaan", "work_status", "status_kerja", "status_bekerja"),
}

#: headers that are known and deliberately ignored, with the reason the preview shows
IGNORED_HEADERS: dict[str, str] = {
    "no": "running number", "no_urut": "running number", "nomor": "running number",
    "nomor_urut": "running number", "#": "running number",
    "error": "error column of a rejects file", "warnings": "warnings column of a rejects file",
}


@dataclass(frozen=True)
class ColumnMatch:
    """What the map stage did with one column: the field it fills, or None and why not."""

    header: str
    field: str | None
    reason: str | None = None   # None when the column is used

    def as_dict(self) -> dict:
        return {"header": self.header, "field": self.field, "reason": self.reason}


@dataclass
class HeaderMap:
    columns: list[ColumnMatch]                       # every column, in file order
    mapping: dict[str, str] = dc_field(default_factory=dict)   # field -> header
    #: columns not used that are not known-ignored (unknown, duplicate, ambiguous)
    unknown: list[str] = dc_field(default_factory=list)
    #: columns whose header names two fields (their cells are not used)
    ambiguous: list[ColumnMatch] = dc_field(default_factory=list)

    def reasons(self) -> list[str]:
        """"'Ket' (not a known header)" for each column not used (known-ignored ones left out)."""
        unknown = set(self.unknown)
        return [f"{c.header!r} ({c.reason})" for c in self.columns if c.field is None and c.header in unknown]


def header_key(text: str) -> str:
    """'No. KTP' -> 'noktp'; 'L/P' -> 'lp'; 'Tgl_Lahir' -> 'tgllahir'; 'NAMA*' -> 'nama'."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_INVISIBLE).casefold().strip()
    return _IGNORED_CHARS.sub("", text)


def _key_table(aliases: Mapping[str, Iterable[str]]) -> dict[str, str]:
    by_key: dict[str, str] = {}
    for f, names in aliases.items():
        for n in (f, *names):
            by_key.setdefault(header_key(n), f)
    return by_key


def _ignored_table(ignore: Iterable[str] | Mapping[str, str]) -> dict[str, str]:
    if isinstance(ignore, Mapping):
        return {header_key(k): v for k, v in ignore.items()}
    return {header_key(k): "ignored" for k in ignore}


def _match_one(header: str, by_key: Mapping[str, str],
               ignored: Mapping[str, str]) -> tuple[str | None, str | None, bool]:
    """(field, None, False) when the header names one field; (None, reason, known) otherwise,
    `known` when it is a deliberately ignored header (a running number)."""
    text = unicodedata.normalize("NFKC", str(header)).translate(_INVISIBLE)
    key = header_key(text)
    if not key:
        return None, "empty header", False
    if key in by_key:
        return by_key[key], None, False
    if key in ignored:
        return None, ignored[key], True
    base = _BRACKETED.sub(" ", text)
    if not header_key(base):  # '(L/P)': the bracket is the whole header
        base = re.sub(r"[()\[\]]", " ", text)
    bkey = header_key(base)
    if bkey in by_key:
        return by_key[bkey], None, False
    if bkey in ignored:
        return None, ignored[bkey], True
    parts = [p for p in _PARTS.split(base.strip()) if header_key(p)]
    if len(parts) > 1:
        fields = [by_key.get(header_key(p)) for p in parts]
        known = list(dict.fromkeys(f for f in fields if f is not None))
        if len(known) > 1:
            return None, f"ambiguous: it names {' and '.join(known)}; give the column one of them", False
        if known and None in fields:
            unknown_parts = [p for p, f in zip(parts, fields) if f is None]
            return None, (f"only partly a {known[0]} header ({', '.join(map(repr, unknown_parts))} is not); "
                          f"rename it if it holds the {known[0]}"), False
        if known:
            return known[0], None, False
    return None, "not a known header", False


def header_field(header: str, aliases: Mapping[str, Iterable[str]]) -> str | None:
    """The field one header names, or None (for header-row detection: 'is this row a header?')."""
    return _match_one(header, _key_table(aliases), {})[0]


def map_headers(
    columns: Sequence[str],
    aliases: Mapping[str, Iterable[str]],
    *,
    ignore: Iterable[str] | Mapping[str, str] = IGNORED_HEADERS,
) -> HeaderMap:
    """Map canonical fields to the file's headers, with the reason for each column not
    used. A header naming a field already taken by an earlier column is not used (the
    first column wins)."""
    by_key = _key_table(aliases)
    ignored = _ignored_table(ignore)
    hm = HeaderMap(columns=[])
    for col in columns:
        f, reason, known = _match_one(col, by_key, ignored)
        if f is not None and f in hm.mapping:
            f, reason = None, f"a second {f} column; {hm.mapping[f]!r} is used"
        if f is None:
            if not known:
                hm.unknown.append(col)
            if reason and reason.startswith("ambiguous"):
                hm.ambiguous.append(ColumnMatch(col, None, reason))
        else:
            hm.mapping[f] = col
        hm.columns.append(ColumnMatch(col, f, reason))
    return hm


def match_headers(
    columns: Sequence[str],
    aliases: Mapping[str, Iterable[str]],
    *,
    ignore: Iterable[str] | Mapping[str, str] = IGNORED_HEADERS,
) -> tuple[dict[str, str], list[str]]:
    """(mapping {canonical: original header}, unknown [original headers]): `map_headers`
    without the reasons. Headers in `ignore` are neither mapped nor unknown."""
    hm = map_headers(columns, aliases, ignore=ignore)
    return hm.mapping, hm.unknown


def first_alias(aliases: Mapping[str, Iterable[str]], field: str) -> str:
    names = tuple(aliases.get(field, ()))
    return names[0] if names else field
