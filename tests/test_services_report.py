"""services.reports: summary totals per kelurahan and the certificates list."""

from __future__ import annotations

import datetime as dt

import pytest

from factories import enroll_direct, make_participant, make_session
from pelatihan_cli.errors import NotFound
from pelatihan_cli.services import attendance, reports

TODAY = dt.date(2024, 12, 31)
PROG = 1  # the 2024 programme that factories.make_session creates first


@pytest.fixture
def programme(db):
    s1 = make_session(db, capacity=4)  # Bendan Kergon, Pekalongan Barat, 2 days
    s2 = make_session(db, kelurahan="Kergon", skill="Membatik", capacity=2, days=("2024-07-04",))
    make_session(db, kelurahan="Kergon", skill="Sablon", capacity=30, status="cancelled")
    make_session(db, kelurahan="Krapyak", kecamatan="Pekalongan Utara", capacity=10)
    db.execute("INSERT INTO kelurahan (name, name_key, kecamatan) VALUES ('Degayu', 'degayu', 'Pekalongan Utara')")
    n = 0

    def person(sid, status="enrolled", ak1=None):
        nonlocal n
        n += 1
        nik = f"33750141079{n:05d}"
        enroll_direct(db, make_participant(db, nik, f"P{n:02d}", ak1_number=ak1), sid, status=status)
        return nik

    a, b, c = person(s1, ak1="AK1-1"), person(s1), person(s1, ak1="AK1-2")
    person(s1, "waitlisted")
    person(s1, "withdrawn", ak1="AK1-3")
    d = person(s2)
    attendance.mark(db, s1, 1, all_enrolled=True, today=TODAY)
    attendance.mark(db, s1, 2, [a, c], today=TODAY)
    attendance.mark(db, s1, 2, [b], absent=True, today=TODAY)
    attendance.mark(db, s2, 1, [d], today=TODAY)
    return s1, s2


def test_summary_per_kelurahan(db, programme):
    data = reports.summary(db, PROG)
    rows = {r["kelurahan"]: r for r in data["rows"]}
    assert [r["kelurahan"] for r in data["rows"]] == ["Bendan Kergon", "Kergon", "Degayu", "Krapyak"]
    assert {k: rows["Bendan Kergon"][k] for k in reports.SUMMARY_KEYS} == {
        "programme": "Pelatihan Kewirausahaan 2024", "kelurahan": "Bendan Kergon", "kecamatan": "Pekalongan Barat",
        "kabupaten": None, "sessions": 1, "capacity": 4,
        "enrolled": 3, "waitlisted": 1, "completed": 2, "ak1": 2}
    assert rows["Bendan Kergon"]["present"] == {1: 3, 2: 2}
    # the cancelled Sablon session counts nowhere
    assert (rows["Kergon"]["sessions"], rows["Kergon"]["capacity"], rows["Kergon"]["completed"]) == (1, 2, 1)
    assert rows["Degayu"]["sessions"] == 0 and rows["Degayu"]["present"] == {}
    assert data["max_days"] == 2


def test_summary_kecamatan_filter(db, programme):
    rows = reports.summary(db, PROG, "pekalongan utara")["rows"]
    assert [r["kelurahan"] for r in rows] == ["Degayu", "Krapyak"]
    with pytest.raises(NotFound, match="Unknown kecamatan 'Pekalongan Tengah'"):
        reports.summary(db, PROG, "Pekalongan Tengah")


def test_certificates(db, programme):
    s1, s2 = programme
    rows = reports.certificates(db)
    assert [(r["session_id"], r["name"]) for r in rows] == [(s1, "P01"), (s1, "P03"), (s2, "P06")]
    assert rows[0] == {"session_id": s1, "programme": "Pelatihan Kewirausahaan 2024", "nik": "337501******0001", "name": "P01", "sex": "P",
                       "kelurahan": "Bendan Kergon", "kecamatan": "Pekalongan Barat", "skill": "Merajut",
                       "start_date": "2024-07-02", "end_date": "2024-07-03", "days": 2}
    assert [r["name"] for r in reports.certificates(db, s2, show_nik=True)] == ["P06"]
    assert reports.certificates(db, s2, show_nik=True)[0]["nik"] == "3375014107900006"
    with pytest.raises(NotFound):
        reports.certificates(db, 99)


def test_summary_matches_kecamatan_like_kelurahan_list_does(db):
    from pelatihan_cli.services import kelurahan, reports

    kelurahan.load_pekalongan(db)
    make_session(db)  # the 2024 programme
    rows = reports.summary(db, 1, "pekalongan-BARAT")["rows"]
    assert {r["kecamatan"] for r in rows} == {"Pekalongan Barat"} and len(rows) == 7
