"""Any city: kelurahan keyed by their Kemendagri code (issue 12)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from pelatihan_cli.domain.places import Place, labels, resolve_place
from pelatihan_cli.errors import NotFound, ValidationError

PURWOSARI_UTARA, PURWOSARI_MIJEN = "33.74.02.1004", "33.74.14.1005"


def rows(db_path, sql, params=()):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture
def semarang(cli, db_path, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2025-06-02")
    assert cli("init").exit_code == 0
    for code in (PURWOSARI_UTARA, PURWOSARI_MIJEN):
        r = cli("kelurahan", "add", "--code", code)
        assert r.exit_code == 0, r.stderr
    return cli


def test_two_purwosari_are_added_from_their_codes(semarang, db_path):
    assert rows(db_path, "SELECT code, name, kecamatan, kabupaten, provinsi FROM kelurahan ORDER BY code") == [
        (PURWOSARI_UTARA, "Purwosari", "Semarang Utara", "Kota Semarang", "Jawa Tengah"),
        (PURWOSARI_MIJEN, "Purwosari", "Mijen", "Kota Semarang", "Jawa Tengah"),
    ]


def test_an_ambiguous_name_lists_the_candidates_and_how_to_write_each(semarang, db_path):
    r = semarang("session", "plan", "Purwosari", "--skill", "Tas", "--start", "2025-07-07")
    assert r.exit_code == 1
    assert ("Kelurahan 'Purwosari' is ambiguous: 2 places have that name: "
            "Purwosari (Semarang Utara, Kota Semarang): write 'Purwosari (Semarang Utara)' or 33.74.02.1004; "
            "Purwosari (Mijen, Kota Semarang): write 'Purwosari (Mijen)' or 33.74.14.1005.") in r.stderr
    assert rows(db_path, "SELECT count(*) FROM session") == [(0,)]


def test_both_purwosari_are_planned_enrolled_and_reported_apart(semarang, db_path):
    cli = semarang
    for where, skill in (("Purwosari (Semarang Utara)", "Tas"), ("Purwosari, Kota Semarang", None),
                         (PURWOSARI_MIJEN, "Buket")):
        if skill is None:
            r = cli("session", "plan", where, "--skill", "Tas", "--start", "2025-07-14")
            assert r.exit_code == 1 and "is ambiguous" in r.stderr  # the kota holds both
            continue
        r = cli("session", "plan", where, "--skill", skill, "--start", "2025-07-07", "--new", "-f", "json")
        assert r.exit_code == 0, r.stderr
    sessions = json.loads(cli("session", "list", "-f", "json").stdout)
    # output names each apart where the name alone would be ambiguous
    assert [(s["kelurahan"], s["kecamatan"], s["skill"]) for s in sessions] == [
        ("Purwosari (Mijen)", "Mijen", "Buket"), ("Purwosari (Semarang Utara)", "Semarang Utara", "Tas")]
    r = cli("participant", "enroll", "1", "3374025207900001", "--name", "Sri Wahyuni",
            "--kelurahan", "Purwosari (semarang utara)")
    assert r.exit_code == 0, r.stderr
    r = cli("participant", "enroll", "2", "3374145207900002", "--name", "Dewi Lestari",
            "--kelurahan", PURWOSARI_MIJEN)
    assert r.exit_code == 0, r.stderr
    assert rows(db_path, "SELECT k.code, count(*) FROM participant p JOIN kelurahan k ON k.id = p.kelurahan_id "
                         "GROUP BY k.code ORDER BY k.code") == [(PURWOSARI_UTARA, 1), (PURWOSARI_MIJEN, 1)]
    people = json.loads(cli("participant", "list", "-f", "json").stdout)
    assert sorted(p["kelurahan"] for p in people) == ["Purwosari (Mijen)", "Purwosari (Semarang Utara)"]
    summary = json.loads(cli("report", "summary", "-f", "json").stdout)
    assert [(d["kelurahan"], d["kecamatan"], d["enrolled"]) for d in summary] == [
        ("Purwosari (Mijen)", "Mijen", 1), ("Purwosari (Semarang Utara)", "Semarang Utara", 1)]


def test_kelurahan_add_warns_when_the_typed_name_differs_from_the_list(cli, db_path):
    assert cli("init").exit_code == 0
    r = cli("kelurahan", "add", "Purwosarie", "--code", PURWOSARI_UTARA)
    assert r.exit_code == 0
    assert "the national list names 33.74.02.1004 'Purwosari' (Semarang Utara, Kota Semarang)" in r.stderr
    assert rows(db_path, "SELECT name, kecamatan FROM kelurahan") == [("Purwosarie", "Semarang Utara")]


def _places():
    return [
        Place(1, PURWOSARI_UTARA, "Purwosari", "Semarang Utara", "Kota Semarang"),
        Place(2, PURWOSARI_MIJEN, "Purwosari", "Mijen", "Kota Semarang"),
        Place(3, "14.03.01.2001", "Kurau (Timur)", "Kurau", "Kabupaten X"),
        Place(4, "12.07.01.1001", "Lubuk Pakam I,II", "Lubuk Pakam", "Kabupaten Deli Serdang"),
        Place(5, "33.25.01.2001", "Kauman", "Batang", "Kabupaten Batang"),
        Place(6, "33.75.03.1001", "Kauman", "Pekalongan Timur", "Kota Pekalongan"),
        Place(7, None, "Tanpa Kode", "Somewhere", None),
    ]


def _resolve(text):
    places = _places()
    return resolve_place(
        text, by_code=lambda c: next((p for p in places if p.code == c), None),
        by_name=lambda k: [p for p in places if __import__("pelatihan_cli.domain.names", fromlist=["x"]).name_key(p.name) == k],
        all_names=lambda: [p.name for p in places]).id


@pytest.mark.parametrize("typed, expected", [
    (PURWOSARI_MIJEN, 2),
    ("Purwosari (Mijen)", 2),
    ("purwosari ( semarang utara )", 1),
    ("Kurau (Timur)", 3),               # an official name with parentheses is literal first
    ("Lubuk Pakam I,II", 4),            # ... and one with a comma
    ("Kauman, Kabupaten Batang", 5),
    ("Kauman, Kab. Batang", 5),
    ("Kauman, Kota Pekalongan", 6),
    ("Kauman (Pekalongan Timur)", 6),
    ("tanpa kode", 7),
])
def test_resolve_place(typed, expected):
    assert _resolve(typed) == expected


def test_resolve_place_refusals():
    with pytest.raises(ValidationError, match="'Kauman' is ambiguous"):
        _resolve("Kauman")
    with pytest.raises(ValidationError, match="'Purwosari, Kota Semarang' is ambiguous"):
        _resolve("Purwosari, Kota Semarang")
    with pytest.raises(NotFound, match="No kelurahan with code 33.74.99.1004"):
        _resolve("33.74.99.1004")
    with pytest.raises(NotFound, match="Did you mean 'Purwosari'"):
        _resolve("Purwosary")


def test_labels_name_places_apart_only_where_needed():
    got = labels(_places())
    assert got[1] == "Purwosari (Semarang Utara)" and got[2] == "Purwosari (Mijen)"
    assert got[5] == "Kauman (Batang)" and got[3] == "Kurau (Timur)" and got[7] == "Tanpa Kode"
    twice = [Place(1, "a", "Sido", "K", "Kab A"), Place(2, "b", "Sido", "K", "Kab B"),
             Place(3, "c", "Sido", "K", "Kab B")]
    assert labels(twice) == {1: "Sido (K, Kab A)", 2: "Sido (b)", 3: "Sido (c)"}
