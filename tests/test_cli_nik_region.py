"""Where a NIK was issued, against every Kemendagri list 2015-2025 (issue 12, point 4): the
bundled list itself, `participant enroll` refusing or warning, `participant import` grouping
the warning, and `participant update --new-nik` still correcting a NIK stored before."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from factories import make_participant, make_session
from pelatihan_cli.db import open_db
from pelatihan_cli.domain.nik import PROVINCES, parse_nik, region_warning
from pelatihan_cli.region_codes import nik_regions
from pelatihan_cli.resources import data_path

KECAMATAN_99 = ("NIK kecamatan code 33.75.99 (Kota Pekalongan) is in no Kemendagri list 2015-2025 "
                "(synthetic or very old NIK?)")


# --- the bundled list ---------------------------------------------------------------------

def test_the_list_holds_every_edition():
    r = nik_regions()
    assert r.provinces == PROVINCES  # the domain's default is the list's, old and new provinces
    assert len(r.names) == 8457
    assert r.names["9101"] == "KAB. MERAUKE"  # moved to Papua Selatan (93) in 2022: still a place of issue
    assert r.names["65"] == "Kalimantan Utara" and "6501" in r.names
    assert [c for c in r.names if c.startswith("3375") and len(c) == 6] == ["337501", "337502", "337503", "337504"]
    assert "6405" not in r.names  # Bulungan's code before Kalimantan Utara (2012): older than the list
    assert nik_regions() is r  # read once


@pytest.mark.parametrize("nik,warning", [
    ("3375010207900001", None),
    ("9101010207900001", None),
    ("9301010207900001", None),  # 93.01 Merauke since 2022
    ("6501010207900001", None),
    ("3375990207900001", KECAMATAN_99),
    ("6405010207900001", "NIK kabupaten/kota code 64.05 (Kalimantan Timur) is in no Kemendagri list 2015-2025 "
                         "(synthetic or very old NIK?)"),
])
def test_real_list_accepts_and_warns(nik, warning):
    r = nik_regions()
    assert parse_nik(nik, regions=r).value == nik
    assert region_warning(nik, r) == warning


def test_source_and_license_ship_beside_the_data():
    assert data_path("wilayah_codes_2015_2025.csv.gz").exists()
    assert "MIT License" in data_path("wilayah_LICENSE.txt").read_text(encoding="utf-8")
    readme = data_path("README_wilayah.md").read_text(encoding="utf-8")
    assert "cahyadsn/wilayah" in readme and "wilayah_LICENSE.txt" in readme


def test_the_list_is_read_only_when_a_nik_is_checked():
    code = ("from pelatihan_cli.services import enrollment, participants\n"
            "from pelatihan_cli.region_codes import nik_regions\n"
            "print(nik_regions.cache_info().currsize)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "0\n"


# --- participant enroll -------------------------------------------------------------------

@pytest.fixture
def sid(db):
    return make_session(db, capacity=5, days=("2030-07-01", "2030-07-02"))


def enroll(cli, sid, nik, *extra):
    return cli("participant", "enroll", sid, nik, "--name", "Siti Aminah", *extra)


def participants(db_path) -> list[str]:
    db = open_db(db_path)
    try:
        return [n for (n,) in db.execute("SELECT nik FROM participant ORDER BY id")]
    finally:
        db.conn.close()


def test_enroll_refuses_a_regency_number_no_regency_can_have(cli, sid, db_path):
    r = enroll(cli, sid, "3399014207900001")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr == (
        "Error: NIK '339901******0001' has 99 as its kabupaten/kota number (digits 3-4), which no regency can have: "
        "kabupaten are numbered 01-69 and kota 71-79. Check it against the KTP or KK.\n")
    assert participants(db_path) == []


def test_enroll_refuses_a_province_of_no_edition(cli, sid, db_path):
    r = enroll(cli, sid, "9901014207900001")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr == (
        "Error: NIK '990101******0001' has 99 as its province code (digits 1-2), which is the code of no province "
        "in any Kemendagri list 2015-2025; the province codes are 11-19, 21, 31-36, 51-53, 61-65, 71-76, 81-82, "
        "91-96. Check it against the KTP or KK.\n")
    assert participants(db_path) == []


def test_enroll_a_moved_papua_regency_without_warning(cli, sid, db_path):
    r = enroll(cli, sid, "9101014207900001")
    assert r.exit_code == 0, r.stderr
    assert "Warning" not in r.stderr and "Error" not in r.stderr
    assert participants(db_path) == ["9101014207900001"]


def test_enroll_a_kecamatan_of_no_edition_warns_and_enrolls(cli, sid, db_path):
    r = enroll(cli, sid, "3375994207900001", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == f"Warning: {KECAMATAN_99}\n"
    assert json.loads(r.stdout)["status"] == "enrolled"
    assert participants(db_path) == ["3375994207900001"]


# --- participant import: one grouped line -------------------------------------------------

def test_import_groups_the_warning_of_one_code(cli, sid, tmp_path, db_path):
    f = tmp_path / "p.csv"
    rows = [f"33759942079000{i:02d},Peserta {i}" for i in range(1, 5)] + ["3375014207900009,Peserta 9"]
    f.write_text("nik,nama\n" + "\n".join(rows) + "\n", encoding="utf-8")
    r = cli("participant", "import", f, "--session", sid)
    assert r.exit_code == 0, r.stderr
    nik_lines = [line for line in r.stderr.splitlines() if "NIK" in line]
    assert nik_lines == [f"Warning: {KECAMATAN_99} (rows 2–5)"]
    assert len(participants(db_path)) == 5


def test_import_refuses_the_row_with_an_impossible_regency(cli, sid, tmp_path, db_path):
    f = tmp_path / "p.csv"
    f.write_text("nik,nama\n3375014207900001,Siti\n3399014207900002,Ani\n", encoding="utf-8")
    r = cli("participant", "import", f, "--session", sid, "--format", "json")
    assert r.exit_code == 1
    errors = json.loads(r.stdout)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(3, "nik")]
    assert "has 99 as its kabupaten/kota number (digits 3-4)" in errors[0]["message"]
    assert participants(db_path) == []  # abort (the default): nothing written


# --- a NIK stored before the rule stays correctable ---------------------------------------

def test_update_new_nik_corrects_a_stored_nik_the_rule_now_refuses(cli, db, db_path):
    make_participant(db, "3399014207900001", "Siti Aminah")
    db.conn.commit()
    r = cli("participant", "update", "3399014207900001", "--new-nik", "3375014207900001")
    assert r.exit_code == 0, r.stderr
    assert participants(db_path) == ["3375014207900001"]
