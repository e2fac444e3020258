"""Settings of the printed documents (rosters): letterhead, city, the signing officer.
Registered here so `pelatihan config list/set` knows them; the defaults fit Kota
Pekalongan. They are global defaults that a programme may override
(`pelatihan programme update P --set doc_city=...`); the title and the funding line are
the programme's own (`programme update --title/--funding`), printed with its year."""

from __future__ import annotations

import re

from sqlite_utils import Database

from pelatihan_cli.errors import ValidationError
from pelatihan_cli.services import settings

KEYS = {
    # key: (default, help)
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
    # the signature blocks of the receipt lists and the realisation report (issue 15)
    "doc_pa_title": ("Pengguna Anggaran", "Receipt lists: title of who approves payment (Pengguna Anggaran or "
                     "Kuasa Pengguna Anggaran)."),
    "doc_pa_name": ("", "Receipt lists: name of the PA/KPA; empty uses doc_officer_name."),
    "doc_pa_nip": ("", "Receipt lists: NIP of the PA/KPA; empty uses doc_officer_nip."),
    "doc_pptk_name": ("", "Receipt lists: name of the PPTK (Pejabat Pelaksana Teknis Kegiatan); empty prints a dotted line."),
    "doc_pptk_nip": ("", "Receipt lists: NIP of the PPTK."),
    "doc_bendahara_name": ("", "Receipt lists: name of the bendahara pengeluaran; empty prints a dotted line."),
    "doc_bendahara_nip": ("", "Receipt lists: NIP of the bendahara pengeluaran."),
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
    settings.register(_key, _default, _help, _nip if _key.endswith("_nip") else _line)


def document_settings(db: Database) -> dict[str, str]:
    """All document settings as {key without the 'doc_' prefix: value}, e.g. 'city'."""
    stored = dict(db.execute("SELECT key, value FROM setting WHERE key LIKE 'doc\\_%' ESCAPE '\\'").fetchall())
    return {key[4:]: stored.get(key, default) for key, (default, _help) in KEYS.items()}


# per-programme texts that used to be global settings: `config set` points to the programme
PER_PROGRAMME = {"doc_programme_title": "--title", "doc_funding": "--funding"}


def parse_assignment(text: str) -> tuple[str, str]:
    """'doc_city=Semarang' -> ('doc_city', 'Semarang'); 'city=...' is accepted too."""
    key, sep, value = str(text).partition("=")
    key = key.strip()
    if not sep or not key:
        raise ValidationError(f"--set {text!r} is not KEY=VALUE; e.g. --set doc_city=Semarang.",
                              field="--set", value=text)
    if not key.startswith("doc_"):
        key = "doc_" + key
    return key, value.strip()


def check_overridable(key: str) -> None:
    if key in PER_PROGRAMME:
        raise ValidationError(f"{key} is the programme's own: use {PER_PROGRAMME[key]} instead of --set.",
                              field="--set", value=key)
    if key not in KEYS:
        raise ValidationError(f"{key} is not a document setting a programme can override; choose one of "
                              f"{', '.join(KEYS)}.", field="--set", value=key)
