"""Tables that fit (issue 13, point 1): at 80 and 60 columns NIK, phone and dates are
whole on one line, nothing is cut with '…', no line is wider than the terminal."""

from __future__ import annotations

import re

import pytest

from pelatihan_cli.cli import _common
from pelatihan_cli.cli._common import NO_WRAP_COLUMNS, fit_columns


@pytest.fixture
def people(cli, pekalongan_db, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-06-03")
    from pelatihan_cli.services import instructors

    instructors.add(pekalongan_db, "Siti Aminah Nurhayati", ["Desain Produk & Kemasan"])
    r = cli("session", "plan", "Pasirkratonkramat", "--skill", "Desain Produk & Kemasan", "--start", "2024-07-02",
            "-i", "Siti Aminah Nurhayati", "--venue", "Aula Kelurahan Pasirkratonkramat")
    assert r.exit_code == 0, r.stderr
    for i, name in enumerate(["Siti Khadijah Maesaroh Setyaningsih", "Budi", "Ratna Permatasari"], start=1):
        r = cli("participant", "enroll", "1", f"33750{3 if i else 0}4107900{i:03d}", "--name", name,
                "--phone", f"0812-3456-78{i:02d}")
        assert r.exit_code == 0, r.stderr
    return cli


def _at(cli, monkeypatch, columns, *args):
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.setattr(_common, "_console", None)
    r = cli(*args)
    assert r.exit_code == 0, r.stderr
    return r.stdout


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("args", [("participant", "list"), ("session", "list"), ("roster", "2024-07-02"),
                                  ("kelurahan", "list", "-K", "Pekalongan Utara")])
def test_listings_fit_and_keep_identifiers_whole(people, monkeypatch, width, args):
    out = _at(people, monkeypatch, width, *args)
    assert max(len(line) for line in out.splitlines()) <= width, out
    assert "…" not in out
    for nik in re.findall(r"3375\d\d\*{6}\d{4}", out):
        assert len(nik) == 16
    if args[0] in ("participant", "roster"):
        assert "337503******0001" in out and "0812-****-7801" in out  # whole, masked, one line


def test_wide_shows_every_column(people, monkeypatch):
    narrow = _at(people, monkeypatch, 60, "participant", "list")
    wide = _at(people, monkeypatch, 60, "participant", "list", "--wide")
    assert "AK1" not in narrow and "AK1" in wide and "Age" in wide


def test_fit_columns_drops_the_listed_columns_first_and_never_identifiers():
    natural = {"nik": 16, "name": 30, "phone": 14, "sex": 3, "ak1": 12, "status": 10}
    cols = ["nik", "name", "sex", "phone", "ak1", "status"]
    assert fit_columns(cols, natural, 200, ["ak1", "sex"]) == cols
    assert fit_columns(cols, natural, 70, ["ak1", "sex"]) == ["nik", "name", "sex", "phone", "status"]
    assert fit_columns(cols, natural, 60, ["ak1", "sex"]) == ["nik", "name", "phone", "status"]
    # too narrow even then: text columns from the right go, never NIK/phone or the name
    assert fit_columns(cols, natural, 50, ["ak1"]) == ["nik", "name", "phone"]
    assert {"nik", "phone"} <= NO_WRAP_COLUMNS
