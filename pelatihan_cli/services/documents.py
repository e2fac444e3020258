"""Settings of the printed documents (rosters): letterhead, programme title, the
signing officer. Registered here so `pelatihan config list/set` knows them; the
defaults fit the bundled 2024 Kota Pekalongan programme."""

from __future__ import annotations

import re

from sqlite_utils import Database

from pelatihan_cli.errors import ValidationError
from pelatihan_cli.services import settings

KEYS = {
    # key: (default, help)
    "doc_programme_title": (
        "Pelatihan Kewirausahaan Masyarakat Kota Pekalongan Tahun 2024",
        "Programme title printed under the roster's heading.",
    ),
    "doc_letterhead_1": ("PEMERINTAH KOTA PEKALONGAN", "Letterhead, first line (the government)."),
    "doc_letterhead_2": ("DINAS PERINDUSTRIAN DAN TENAGA KERJA", "Letterhead, second line (the office, printed largest)."),
    "doc_letterhead_3": ("Kota Pekalongan, Jawa Tengah", "Letterhead, third line: the office's address and telephone."),
    "doc_city": ("Pekalongan", "City written before the date in the signature block ('Pekalongan, 2 Juli 2024')."),
    "doc_officer_title": (
        "Kepala Dinas Perindustrian dan Tenaga Kerja",
        "Title of the officer who signs the roster.",
    ),
    "doc_officer_name": ("", "Name of the signing officer; empty prints a dotted line to write it by hand."),
    "doc_officer_nip": ("", "NIP of the signing officer (18 digits, spaces allowed); empty prints a dotted line."),
    "doc_funding": ("Sumber dana: DBHCHT 2024", "Funding line printed on the roster; empty leaves it out."),
}

_NIP_RE = re.compile(r"^\d{18}$")


def _nip(value: str) -> str:
    clean = " ".join(value.split())
    if clean and not _NIP_RE.match(clean.replace(" ", "")):
        raise ValidationError(
            f"a NIP has 18 digits (e.g. 19700101 199803 1 002), got {value!r}"
        )
    return clean


def _line(value: str) -> str:
    return " ".join(value.split())


for _key, (_default, _help) in KEYS.items():
    settings.register(_key, _default, _help, _nip if _key == "doc_officer_nip" else _line)


def document_settings(db: Database) -> dict[str, str]:
    """All document settings as {key without the 'doc_' prefix: value}, e.g. 'city'."""
    stored = dict(db.execute("SELECT key, value FROM setting WHERE key LIKE 'doc\\_%' ESCAPE '\\'").fetchall())
    return {key[4:]: stored.get(key, default) for key, (default, _help) in KEYS.items()}
