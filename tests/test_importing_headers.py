"""The map stage (importing/headers.py): every header clerks type, in the spellings they
type it (case, dots, extra spaces, line breaks inside the cell, stars, bracketed notes),
combined headers, and the reason given for each column that is not used."""

from __future__ import annotations

import pytest

from pelatihan_cli.importing.headers import (
    PARTICIPANT_ALIASES, ColumnMatch, header_field, header_key, map_headers, match_headers,
)
from pelatihan_cli.services.attendance import ALIASES as ATTENDANCE_ALIASES

# (header as typed, field)
HEADERS = [
    # the headers
    ("NIK (16 digit)", "nik"), ("NAMA PESERTA", "name"), ("NO. HP/WA", "phone"), ("HP/WA", "phone"),
    ("NO WA", "phone"), ("KELURAHAN/DESA", "kelurahan"), ("ALAMAT LENGKAP", "address"), ("RT/RW", "rt_rw"),
    ("JENIS KELAMIN (L/P)", "sex"), ("TEMPAT/TGL LAHIR", "birth_place_date"),
    ("TEMPAT, TANGGAL LAHIR", "birth_place_date"), ("TTL", "birth_place_date"), ("KETRAMPILAN", "skill"),
    ("KETERAMPILAN", "skill"), ("JENIS KETERAMPILAN", "skill"), ("PILIHAN PELATIHAN", "skill"),
    ("BIDANG PELATIHAN", "skill"), ("PELATIHAN YANG DIPILIH", "skill"), ("KEJURUAN", "skill"),
    # bracketed and starred suffixes
    ("NAMA*", "name"), ("NIK *", "nik"), ("No. HP (aktif)", "phone"), ("Tanggal Lahir (dd-mm-yyyy)", "birth_date"),
    ("NAMA (sesuai KTP)", "name"), ("NIK [16 digit]", "nik"), ("(L/P)", "sex"), ("L/P", "sex"),
    ("Kelurahan (domisili)", "kelurahan"), ("NO. HP/WA (aktif)*", "phone"),
    # real variants: case, dots, extra spaces, line breaks inside the cell, colons
    ("nik", "nik"), ("N I K", "nik"), ("No.KTP", "nik"), ("NO. KTP", "nik"), ("Nama  Peserta", "name"),
    ("NAMA\nPESERTA", "name"), ("TEMPAT/\nTGL LAHIR", "birth_place_date"), ("Tempat / Tgl. Lahir", "birth_place_date"),
    ("TEMPAT, TGL. LAHIR", "birth_place_date"), ("Tempat Tanggal Lahir", "birth_place_date"),
    ("TGL.\nLAHIR", "birth_date"), ("Tgl Lahir", "birth_date"), ("JENIS\r\nKELAMIN", "sex"), ("jk", "sex"),
    ("No. Telp/HP", "phone"), ("NO.HP / WA", "phone"), ("No. WhatsApp", "phone"), ("Whatsapp", "phone"),
    ("Kel/Desa", "kelurahan"), ("DESA/KELURAHAN", "kelurahan"), ("Desa", "kelurahan"), ("Kel.", "kelurahan"),
    ("Alamat Lengkap:", "address"), ("RT / RW", "rt_rw"), ("Tempat Lahir", "birth_place"),
    ("Jenis Ketrampilan", "skill"), ("Pelatihan yang  dipilih", "skill"), ("Kejuruan*", "skill"),
    ("\u200bNIK", "nik"), ("NAMA\u00a0PESERTA", "name"), ("\ufeffNIK", "nik"),
    ("No. AK1", "ak1_number"), ("Sesi", "session"),
]


@pytest.mark.parametrize("header,field", HEADERS)
def test_every_header_maps_to_its_field(header, field):
    assert match_headers([header], PARTICIPANT_ALIASES) == ({field: header}, [])
    assert header_field(header, PARTICIPANT_ALIASES) == field
    for typed in (header.upper(), header.lower(), f"  {header} "):
        assert header_field(typed, PARTICIPANT_ALIASES) == field, typed


def test_no_alias_names_two_fields():
    seen: dict[str, str] = {}
    for f, names in PARTICIPANT_ALIASES.items():
        for n in (f, *names):
            assert seen.setdefault(header_key(n), f) == f, n


@pytest.mark.parametrize("header,reason", [
    ("NIK/NAMA", "ambiguous: it names nik and name; give the column one of them"),
    ("NAMA / NO HP", "ambiguous: it names name and phone; give the column one of them"),
    # a NIK header with another number in it is not taken for the NIK column (the KK number differs)
    ("NIK/NO. KK", "only partly a nik header ('NO. KK' is not); rename it if it holds the nik"),
    ("No. KK", "not a known header"),
    ("Keterangan", "not a known header"),
    ("Agama", "not a known header"),
    ("", "empty header"),
])
def test_columns_not_used_say_why(header, reason):
    hm = map_headers([header], PARTICIPANT_ALIASES)
    assert hm.mapping == {}
    assert hm.columns == [ColumnMatch(header, None, reason)]
    assert hm.unknown == [header]
    assert hm.reasons() == [f"{header!r} ({reason})"]
    assert hm.ambiguous == ([ColumnMatch(header, None, reason)] if reason.startswith("ambiguous") else [])


def test_preview_list_for_a_clerk_header():
    cols = ["NO.", "NIK (16 digit)", "NAMA PESERTA", "TEMPAT/TGL LAHIR", "JENIS KELAMIN (L/P)", "ALAMAT LENGKAP",
            "RT/RW", "KELURAHAN/DESA", "NO. HP/WA", "HP", "KETRAMPILAN", "KET", "TTD"]
    hm = map_headers(cols, PARTICIPANT_ALIASES)
    assert [(c.header, c.field, c.reason) for c in hm.columns] == [
        ("NO.", None, "running number"),
        ("NIK (16 digit)", "nik", None),
        ("NAMA PESERTA", "name", None),
        ("TEMPAT/TGL LAHIR", "birth_place_date", None),
        ("JENIS KELAMIN (L/P)", "sex", None),
        ("ALAMAT LENGKAP", "address", None),
        ("RT/RW", "rt_rw", None),
        ("KELURAHAN/DESA", "kelurahan", None),
        ("NO. HP/WA", "phone", None),
        ("HP", None, "a second phone column; 'NO. HP/WA' is used"),
        ("KETRAMPILAN", "skill", None),
        ("KET", None, "not a known header"),
        ("TTD", None, "not a known header"),
    ]
    assert hm.unknown == ["HP", "KET", "TTD"]   # the running number is known and not reported
    assert hm.columns[0].as_dict() == {"header": "NO.", "field": None, "reason": "running number"}


def test_a_list_of_ignored_headers_still_works():
    assert match_headers(["No", "x", "nik"], {"nik": ("nik",)}, ignore=("x",)) == ({"nik": "nik"}, ["No"])


def test_other_importers_get_the_same_spelling_rules():
    mapping, unknown = match_headers(["NIK (16 digit)", "HARI KE*", "Hadir (Y/T)", "Sesi"], ATTENDANCE_ALIASES)
    assert mapping == {"nik": "NIK (16 digit)", "day": "HARI KE*", "hadir": "Hadir (Y/T)", "session": "Sesi"}
    assert unknown == []
