"""The national list built in (issue 12, points 2 and 3): `init --region`, `region search`,
province-scale loads and imports, --kabupaten/--kecamatan on `session list`."""

from __future__ import annotations

import csv
import gzip
import io
import json
import sqlite3

import pytest

from pelatihan_cli.errors import NotFound, ValidationError
from pelatihan_cli.regions import find_region
from pelatihan_cli.resources import data_path

PURWOSARI_UTARA, PURWOSARI_MIJEN = "33.74.02.1004", "33.74.14.1005"


def rows(db_path, sql, params=()):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def list_rows(prefix: str) -> list[list[str]]:
    """The national list's rows whose code starts with `prefix` (what `zcat ... | grep` gives)."""
    with gzip.open(data_path("wilayah_kemendagri_2025.csv.gz"), "rt", encoding="utf-8", newline="") as f:
        return [r for r in csv.reader(f) if r[0].startswith(prefix)]


def audit_actions(db_path):
    return [a for (a,) in rows(db_path, "SELECT action FROM audit_log ORDER BY id")]


@pytest.mark.parametrize("typed, code", [
    ("Kota Semarang", "33.74"), ("33.74", "33.74"), ("kota  semarang", "33.74"), ("KOTA SEMARANG", "33.74"),
    ("Jawa Tengah", "33"), ("33", "33"), ("jawa-tengah", "33"), ("Provinsi Jawa Tengah", "33"),
    ("Kab. Batang", "33.25"), ("Kabupaten Batang", "33.25"), ("kab batang", "33.25"), ("Batang", "33.25"),
    ("Jakarta Pusat", "31.71"), ("DKI Jakarta", "31"), ("Kotabaru", "63.02"),
])
def test_find_region_forgives_case_spacing_and_prefixes(typed, code):
    assert find_region(typed).code == code


def test_find_region_refusals_name_the_fix():
    with pytest.raises(ValidationError) as e:
        find_region("Semarang")
    assert str(e.value) == ("Region 'Semarang' is ambiguous: Kabupaten Semarang (33.22) or Kota Semarang (33.74); "
                            "write the full name or the code, e.g. --region 33.22.")
    with pytest.raises(ValidationError, match=r"province Bengkulu \(17\) or Kota Bengkulu \(17.71\)"):
        find_region("bengkulu")
    with pytest.raises(NotFound, match="Did you mean 'Jawa Tengah'"):
        find_region("Jawa Tengha")
    with pytest.raises(NotFound, match="No kabupaten/kota with code 33.99"):
        find_region("33.99")


def test_init_region_loads_kota_semarang_with_both_purwosari_and_is_idempotent(cli, db_path):
    expected = list_rows("33.74.")
    r = cli("init", "--region", "Kota Semarang")
    assert r.exit_code == 0, r.stderr
    assert f"Kota Semarang (33.74): {len(expected)} added, 0 already present." in r.stdout
    assert rows(db_path, "SELECT code, name, kecamatan, kabupaten, provinsi FROM kelurahan ORDER BY code") == [
        tuple(x) for x in expected]
    assert rows(db_path, "SELECT code, kecamatan FROM kelurahan WHERE name IN ('Purwosari', 'Mangunharjo') "
                         "ORDER BY code") == [(PURWOSARI_UTARA, "Semarang Utara"), ("33.74.10.1003", "Tembalang"),
                                              (PURWOSARI_MIJEN, "Mijen"), ("33.74.16.1007", "Tugu")]
    assert audit_actions(db_path) == ["kelurahan.import"]
    r = cli("init", "--region", "33.74")
    assert r.exit_code == 0, r.stderr
    assert f"0 added, {len(expected)} already present" in r.stdout
    assert audit_actions(db_path) == ["kelurahan.import"]  # nothing written, nothing logged
    # the kelurahan are usable by every typed form
    r = cli("kelurahan", "list", "--kecamatan", "Mijen", "-f", "json")
    assert PURWOSARI_MIJEN in [d["code"] for d in json.loads(r.stdout)]


def test_init_region_ambiguous_or_misspelt_is_one_error_and_creates_nothing(cli, tmp_path):
    new = tmp_path / "new.db"
    r = cli("--db", new, "init", "--region", "Semarang")
    assert r.exit_code == 1
    assert r.stderr == ("Error: Region 'Semarang' is ambiguous: Kabupaten Semarang (33.22) or Kota Semarang (33.74); "
                        "write the full name or the code, e.g. --region 33.22.\n")
    r = cli("--db", new, "init", "--region", "Kota Semarang", "--region", "Jawa Tengha")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: Unknown region 'Jawa Tengha'") and "Did you mean 'Jawa Tengah'?" in r.stderr
    assert not new.exists()


def test_pekalongan_is_region_33_75(cli, tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    assert "27 added" in cli("--db", a, "init", "--pekalongan").stdout
    assert "Kota Pekalongan (33.75): 27 added" in cli("--db", b, "init", "--region", "kota pekalongan").stdout
    sql = "SELECT id, code, name, name_key, kecamatan, kabupaten, provinsi FROM kelurahan ORDER BY id"
    assert rows(a, sql) == rows(b, sql)
    assert len(rows(a, sql)) == 27


def test_repeated_regions_load_once_in_one_transaction(cli, db_path):
    r = cli("init", "--region", "Kota Semarang", "--region", "Kab. Demak", "--region", "33.74", "-f", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    n = len(list_rows("33.74.")) + len(list_rows("33.21."))
    assert [x["code"] for x in data["regions"]] == ["33.74", "33.21"]
    assert (data["read"], data["added"], data["present"]) == (n, n, 0)
    assert audit_actions(db_path) == ["kelurahan.import"]


def test_a_stored_place_keeps_its_spelling_and_an_uncoded_one_is_not_doubled(cli, db_path):
    assert cli("kelurahan", "add", "--code", PURWOSARI_UTARA).exit_code == 0
    assert cli("kelurahan", "rename", PURWOSARI_UTARA, "Purwosari Lama").exit_code == 0
    assert cli("kelurahan", "add", "Bandarharjo", "--kecamatan", "Semarang Utara").exit_code == 0  # no code
    r = cli("init", "--region", "Kota Semarang")
    assert r.exit_code == 0, r.stderr
    n = len(list_rows("33.74."))
    assert f"{n - 2} added, 2 already present" in r.stdout
    assert "1 kelurahan stored without a code match the list" in r.stderr
    assert "kelurahan update 'Bandarharjo (Semarang Utara)' --code 33.74.02.1001" in r.stderr
    assert rows(db_path, "SELECT name FROM kelurahan WHERE code = ?", [PURWOSARI_UTARA]) == [("Purwosari Lama",)]
    assert rows(db_path, "SELECT count(*) FROM kelurahan WHERE name = 'Bandarharjo'") == [(1,)]


# --- province scale ---------------------------------------------------------------------

def test_all_of_jawa_tengah_loads_by_init_region_and_by_import_idempotently(cli, tmp_path):
    jateng = list_rows("33.")
    assert len(jateng) == 8563
    f = tmp_path / "jateng.csv"
    with f.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow(["code", "name", "kecamatan"])
        w.writerows(r[:3] for r in jateng)
    expected = [tuple(r) for r in jateng]
    sql = "SELECT code, name, kecamatan, kabupaten, provinsi FROM kelurahan ORDER BY code"

    by_init = tmp_path / "init.db"
    r = cli("--db", by_init, "init", "--region", "Jawa Tengah")
    assert r.exit_code == 0, r.stderr
    assert "Jawa Tengah (33): 8563 added, 0 already present." in r.stdout
    assert rows(by_init, sql) == expected
    assert "0 added, 8563 already present" in cli("--db", by_init, "init", "--region", "33").stdout

    by_import = tmp_path / "import.db"
    assert cli("--db", by_import, "init").exit_code == 0
    r = cli("--db", by_import, "kelurahan", "import", f)
    assert r.exit_code == 0, r.stderr
    assert "Read 8563 row(s): 8563 added, 0 unchanged." in r.output
    assert rows(by_import, sql) == expected  # kabupaten/kota and province filled from the codes
    r = cli("--db", by_import, "kelurahan", "import", f)
    assert "8563 unchanged" in r.output
    # the two paths agree: what one loaded the other finds present
    assert "0 added, 8563 already present" in cli("--db", by_import, "init", "--region", "jawa tengah").stdout
    assert "0 added, 8563 unchanged" in cli("--db", by_init, "kelurahan", "import", f).output
    assert rows(by_import, "SELECT count(*) FROM audit_log") == [(1,)]
    # 18 kecamatan names are held by two kabupaten/kota: the listing asks which
    r = cli("--db", by_init, "kelurahan", "list", "-K", "Mijen")
    assert r.exit_code == 1 and "add --kabupaten" in r.stderr


def test_kelurahan_import_with_codes_fills_kabupaten_and_province(cli, db_path, tmp_path):
    f = tmp_path / "k.csv"
    f.write_text(f"code,name,kecamatan\n{PURWOSARI_MIJEN},Purwosari,Mijen\n", encoding="utf-8")
    r = cli("kelurahan", "import", f)
    assert r.exit_code == 0, r.stderr
    assert rows(db_path, "SELECT code, kabupaten, provinsi FROM kelurahan") == [
        (PURWOSARI_MIJEN, "Kota Semarang", "Jawa Tengah")]


# --- region search ----------------------------------------------------------------------

def test_region_search_finds_every_level_in_every_format(cli):
    r = cli("region", "search", "purwosari", "-f", "json", "--limit", "0")
    assert r.exit_code == 0, r.stderr
    found = json.loads(r.stdout)
    assert set(found[0]) == {"code", "name", "level", "kecamatan", "kabupaten", "provinsi"}
    mine = [d for d in found if d["code"] in (PURWOSARI_UTARA, PURWOSARI_MIJEN)]
    assert mine == [
        {"code": PURWOSARI_UTARA, "name": "Purwosari", "level": "kelurahan", "kecamatan": "Semarang Utara",
         "kabupaten": "Kota Semarang", "provinsi": "Jawa Tengah"},
        {"code": PURWOSARI_MIJEN, "name": "Purwosari", "level": "kelurahan", "kecamatan": "Mijen",
         "kabupaten": "Kota Semarang", "provinsi": "Jawa Tengah"}]
    assert {d["level"] for d in found} == {"kecamatan", "kelurahan", "desa"}
    r = cli("region", "search", "kota  SEMARANG", "-f", "csv")
    assert list(csv.DictReader(io.StringIO(r.stdout))) == [
        {"code": "33.74", "name": "Kota Semarang", "level": "kota", "kecamatan": "", "kabupaten": "Kota Semarang",
         "provinsi": "Jawa Tengah"}]
    r = cli("region", "search", "jawa-tengah", "-f", "json")
    assert [(d["code"], d["level"]) for d in json.loads(r.stdout)][0] == ("33", "provinsi")
    r = cli("region", "search", "33.74.02", "-f", "json", "--limit", "3")
    assert [d["code"] for d in json.loads(r.stdout)] == ["33.74.02", "33.74.02.1001", "33.74.02.1002"]
    assert f"and {len(list_rows('33.74.02.')) + 1 - 3} more" in r.stderr
    r = cli("region", "search", "purwosari")
    assert r.exit_code == 0 and "Purwosari" in r.stdout and "more" in r.stderr
    r = cli("region", "search", "qqqzz")
    assert r.exit_code == 0 and "Nothing in the national list matches 'qqqzz'" in r.stderr


# --- planning by kabupaten/kota -----------------------------------------------------------

def test_session_list_filters_by_kabupaten_and_kecamatan(cli, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2025-06-02")
    assert cli("init", "--region", "Kota Semarang", "--region", "Kabupaten Demak").exit_code == 0
    demak_mijen = next(r for r in list_rows("33.21.") if r[2] == "Mijen")[0]
    for where, start in ((PURWOSARI_MIJEN, "2025-07-07"), (demak_mijen, "2025-07-14"),
                         (PURWOSARI_UTARA, "2025-07-21")):
        r = cli("session", "plan", where, "--skill", "Tas", "--start", start, "--new")
        assert r.exit_code == 0, r.stderr

    def ids(*args):  # sessions 1, 2, 3 as planned above
        r = cli("session", "list", *args, "-f", "json")
        assert r.exit_code == 0, r.stderr
        return [s["id"] for s in json.loads(r.stdout)]

    assert ids() == [1, 2, 3]
    assert ids("--kabupaten", "Kota Semarang") == [1, 3]
    assert ids("--kabupaten", "demak") == [2]
    assert ids("-K", "Mijen", "--kabupaten", "Kota Semarang") == [1]
    assert ids("-K", "semarang utara") == [3]
    r = cli("session", "list", "-K", "Mijen")
    assert r.exit_code == 1
    assert "Kecamatan 'Mijen' exists in 2 kabupaten/kota (Kabupaten Demak, Kota Semarang); add --kabupaten" in r.stderr


def test_a_refused_new_kecamatan_is_reported_on_each_of_its_rows(cli, db_path, tmp_path):
    # the refusal is computed once per kecamatan and given to every row that names it
    assert cli("kelurahan", "add", "Medono", "--kecamatan", "Pekalongan Barat").exit_code == 0
    f = tmp_path / "k.csv"
    f.write_text("name,kecamatan\nSatu,Pekalongan Bart\nDua,Pekalongan Utara\nTiga,pekalongan bart\n",
                 encoding="utf-8")
    r = cli("kelurahan", "import", f)
    assert r.exit_code == 1
    assert r.stderr.splitlines()[1:] == [
        f"  row {n}, kecamatan {k!r}: kecamatan {k!r} is new; did you mean 'Pekalongan Barat'? Add --new to create it."
        for n, k in ((2, "Pekalongan Bart"), (4, "pekalongan bart"))]
    assert rows(db_path, "SELECT count(*) FROM kelurahan") == [(1,)]
