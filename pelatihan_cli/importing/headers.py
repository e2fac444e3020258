"""Header matching: the column names operators use, in Indonesian or English.

Headers are compared ignoring case, spaces, underscores, dots, hyphens and slashes, so
`No. KTP`, `no_ktp` and `NO KTP` are one header, and so are `L/P` and `l_p`.

    mapping, unknown = match_headers(src.columns, PARTICIPANT_ALIASES)
    mapping["nik"]  -> the file's own header for the NIK column (e.g. 'No. KTP')

This module is shared by every importer (participants, attendance): give it your own
alias table {canonical field: [aliases...]}.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Mapping, Sequence

_IGNORED_CHARS = re.compile(r"[\s_.\-/\\]+")

#: canonical field -> accepted headers (the first is the one the README documents)
PARTICIPANT_ALIASES: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "no_ktp", "no_nik", "nomor_nik", "nomor_ktp", "ktp"),
    "name": ("nama", "nama_lengkap", "name", "full_name"),
    "birth_date": ("tanggal_lahir", "tgl_lahir", "birth_date", "date_of_birth", "dob"),
    "sex": ("jenis_kelamin", "jk", "l_p", "sex", "gender"),
    "address": ("alamat", "address"),
    "kelurahan": ("kelurahan", "kel", "desa_kelurahan"),
    "phone": ("no_hp", "hp", "telepon", "no_telp", "phone", "nomor_hp", "telp", "whatsapp", "no_wa", "wa"),
    "session": ("sesi", "session", "session_id", "id_sesi"),
    "skill": ("pelatihan", "keterampilan", "skill", "jenis_pelatihan"),
    "ak1_number": ("no_ak1", "ak1", "nomor_ak1", "ak1_number"),
    "ak1_date": ("tanggal_ak1", "tgl_ak1", "ak1_date"),
}

#: headers that are known and deliberately ignored: the running number of a list, and
#: the `error` column of a rejects file (so a fixed rejects file imports without a warning)
IGNORED_HEADERS: tuple[str, ...] = ("no", "no_urut", "nomor", "nomor_urut", "#", "error")


def header_key(text: str) -> str:
    """'No. KTP' -> 'noktp'; 'L/P' -> 'lp'; 'Tgl_Lahir' -> 'tgllahir'."""
    text = unicodedata.normalize("NFKC", str(text)).casefold().strip()
    return _IGNORED_CHARS.sub("", text)


def match_headers(
    columns: Sequence[str],
    aliases: Mapping[str, Iterable[str]],
    *,
    ignore: Iterable[str] = IGNORED_HEADERS,
) -> tuple[dict[str, str], list[str]]:
    """Map canonical fields to the file's headers.

    Returns (mapping {canonical: original header}, unknown [original headers]). A header
    matching a field already taken by an earlier column is reported as unknown (its
    cells are not used). Headers in `ignore` are neither mapped nor unknown."""
    by_key: dict[str, str] = {}
    for field, names in aliases.items():
        for n in (field, *names):
            by_key.setdefault(header_key(n), field)
    ignored = {header_key(n) for n in ignore}
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    for col in columns:
        key = header_key(col)
        field = by_key.get(key)
        if field is None:
            if key not in ignored:
                unknown.append(col)
        elif field in mapping:
            unknown.append(col)
        else:
            mapping[field] = col
    return mapping, unknown


def first_alias(aliases: Mapping[str, Iterable[str]], field: str) -> str:
    names = tuple(aliases.get(field, ()))
    return names[0] if names else field
