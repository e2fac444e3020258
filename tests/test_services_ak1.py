"""AK1 cards belong to the person: successive cards, a number unique across people,
the same rules for `participant ak1`, enrollment and import; a programme counts each
person once for a card issued in its window or up to 90 days after."""

from __future__ import annotations

import datetime as dt

import pytest

from pelatihan_cli.errors import Conflict, NotFound, ValidationError
from pelatihan_cli.services import ak1, erasure, participants
from pelatihan_cli.services.enrollment import EnrollOptions, PersonInput, enroll
from pelatihan_cli.services.participant_import import import_participants
from tests.factories import make_session, programme_id

SRI = "3375014107900001"
BUDI = "3375010207900002"
TODAY = dt.date(2024, 9, 1)


@pytest.fixture
def two(db):
    sid = make_session(db)
    enroll(db, sid, PersonInput(nik=SRI, name="Sri Suryani"), EnrollOptions(), today=dt.date(2024, 6, 1))
    enroll(db, sid, PersonInput(nik=BUDI, name="Budi Santoso"), EnrollOptions(), today=dt.date(2024, 6, 1))
    return sid


def cards(db, nik):
    return db.execute("SELECT c.number, c.issued_on FROM ak1_card c JOIN participant p ON p.id = c.participant_id "
                      "WHERE p.nik = ? ORDER BY c.id", [nik]).fetchall()


def test_successive_cards_and_the_same_number_again(db, two):
    assert ak1.record(db, SRI, "AK1/2023/0001", "2023-02-01", today=TODAY)["status"] == "added"
    assert ak1.record(db, SRI, "AK1/2024/0002", "2024-07-03", today=TODAY)["status"] == "added"   # renewed
    r = ak1.record(db, SRI, "ak1 2024 0002", "2024-07-03", today=TODAY)   # case, spaces, slashes ignored
    assert r["status"] == "unchanged" and r["issued_on"] == "2024-07-03"
    assert cards(db, SRI) == [("AK1/2023/0001", "2023-02-01"), ("AK1/2024/0002", "2024-07-03")]
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'participant.ak1'").fetchone() == (2,)
    # the latest card is the one listed
    row = [r for r in participants.list_participants(db) if r["name"] == "Sri Suryani"][0]
    assert row["ak1_number"] == "AK1/2024/0002"
    shown = participants.show(db, SRI)
    assert [c["number"] for c in shown["ak1_cards"]] == ["AK1/2023/0001", "AK1/2024/0002"]
    assert shown["ak1_number"] == "AK1/2024/0002"


def test_a_number_held_by_another_person_is_refused_naming_them(db, two):
    ak1.record(db, SRI, "AK1-0001", "2024-07-03", today=TODAY)
    with pytest.raises(Conflict, match=r"AK1 number 'ak1.0001' is already recorded for Sri S\. \(337501\*\*\*\*\*\*0001\)"):
        ak1.record(db, BUDI, "ak1.0001", "2024-07-03", today=TODAY)
    assert cards(db, BUDI) == []


@pytest.mark.parametrize("date,fragment", [("2999-01-01", "in the future"), ("1899-12-31", "before 1900")])
def test_issue_date_is_checked(db, two, date, fragment):
    with pytest.raises(ValidationError, match=fragment):
        ak1.record(db, SRI, "X1", date, today=TODAY)


def test_replace_and_remove_correct_a_card(db, two):
    ak1.record(db, SRI, "AK1-0001", "2024-07-03", today=TODAY)
    r = ak1.record(db, SRI, "AK1-0010", replace="ak1 0001", today=TODAY)
    assert r["status"] == "replaced" and r["removed"] == "AK1-0001"
    assert cards(db, SRI) == [("AK1-0010", "2024-09-01")]
    with pytest.raises(NotFound, match="holds no AK1 card 'AK1-9'"):
        ak1.record(db, SRI, remove="AK1-9", today=TODAY)
    assert ak1.record(db, SRI, remove="AK1-0010", today=TODAY)["status"] == "removed"
    assert cards(db, SRI) == []


def test_a_legacy_duplicate_is_shown_with_the_fix(db, two):
    sri = participants.find(db, SRI)[0]
    db.execute("INSERT INTO ak1_card (participant_id, number, number_key, issued_on, legacy_duplicate) "
               "VALUES (?, 'AK1-7', 'AK17', '2024-07-03', 1)", [sri])
    (card,) = participants.show(db, SRI)["ak1_cards"]
    assert card["legacy_duplicate"] and "--replace AK1-7" in card["hint"] and "--remove AK1-7" in card["hint"]


def test_enrollment_writes_cards_under_the_same_rules(db, two):
    sid = make_session(db, kelurahan="Medono", days=("2024-08-05", "2024-08-06"))
    ak1.record(db, SRI, "AK1-0001", "2024-07-03", today=TODAY)
    other = "3375015508950003"
    with pytest.raises(ValidationError, match="already recorded for Sri S."):
        enroll(db, sid, PersonInput(nik=other, name="Rina", kelurahan="Medono", ak1_number="AK1 0001"),
               EnrollOptions(), today=dt.date(2024, 7, 1))
    assert db.execute("SELECT count(*) FROM participant WHERE nik = ?", [other]).fetchone() == (0,)
    r = enroll(db, sid, PersonInput(nik=other, name="Rina", kelurahan="Medono", ak1_number="AK1-0002",
                                    ak1_date="2024-06-30"), EnrollOptions(), today=dt.date(2024, 7, 1))
    assert r.status == "enrolled" and cards(db, other) == [("AK1-0002", "2024-06-30")]
    # already enrolled: a new card is an update; the same card again changes nothing
    r = enroll(db, sid, PersonInput(nik=other, name="Rina", kelurahan="Medono", ak1_number="AK1-0003",
                                    ak1_date="2024-07-01"), EnrollOptions(), today=dt.date(2024, 7, 1))
    assert r.status == "updated" and len(cards(db, other)) == 2
    r = enroll(db, sid, PersonInput(nik=other, name="Rina", kelurahan="Medono", ak1_number="ak1 0003"),
               EnrollOptions(), today=dt.date(2024, 7, 1))
    assert r.status == "unchanged"
    # legacy columns are no longer written
    assert db.execute("SELECT ak1_number, ak1_date FROM participant WHERE nik = ?", [other]).fetchone() == (None, None)


def test_import_refuses_the_row_whose_number_another_person_holds(db, two, tmp_path):
    make_session(db, kelurahan="Medono", days=("2024-08-05", "2024-08-06"))
    ak1.record(db, SRI, "AK1-0001", "2024-07-03", today=TODAY)
    (tmp_path / "p.csv").write_text(
        "nik,nama,kelurahan,session,no_ak1,tanggal_ak1\n"
        "3375015508950003,Rina,Medono,2,AK1-0001,2024-07-01\n"
        "3375015508950004,Dewi,Medono,2,AK1-0004,2024-07-01\n"
        "3375015508950005,Nur,Medono,2,AK1-0004,2024-07-01\n")
    s = import_participants(db, tmp_path / "p.csv", on_error="skip", today=dt.date(2024, 7, 1))
    assert s.enrolled == 1 and s.rejected == 2
    assert [(e["row"], e["column"]) for e in s.errors] == [(2, "no_ak1"), (4, "no_ak1")]
    assert "already recorded for Sri S." in s.errors[0]["message"]
    assert "already recorded for Dewi" in s.errors[1]["message"]
    assert cards(db, "3375015508950004") == [("AK1-0004", "2024-07-01")]


def test_count_ak1_counts_each_person_once_in_window_or_90_days_after(db):
    prog = programme_id(db, 2024, start="2024-01-01", end="2024-12-31")
    sid = make_session(db, programme=prog)
    people = [("3375014107900001", "A", ["2024-03-01", "2024-08-01"]),   # two cards: counted once
              ("3375014107900002", "B", ["2025-03-31"]),                 # 90 days after the end: counted
              ("3375014107900003", "C", ["2025-04-01"]),                 # 91 days after: not counted
              ("3375014107900004", "D", ["2023-12-31"]),                 # before the window
              ("3375014107900005", "E", [])]
    for i, (nik, name, days) in enumerate(people, start=1):
        db.execute("INSERT INTO participant (id, nik, name, sex, birth_date) VALUES (?, ?, ?, 'P', '1990-07-01')",
                   [i, nik, name])
        db.execute("INSERT INTO enrollment (participant_id, session_id, year, status, seq) "
                   "VALUES (?, ?, 2024, 'enrolled', ?)", [i, sid, i])
        for j, day in enumerate(days):
            db.execute("INSERT INTO ak1_card (participant_id, number, number_key, issued_on) VALUES (?, ?, ?, ?)",
                       [i, f"N{i}-{j}", f"N{i}{j}", day])
    db.conn.commit()
    kid = db.execute("SELECT kelurahan_id FROM session WHERE id = ?", [sid]).fetchone()[0]
    assert ak1.count_ak1(db, prog) == {"total": 2, "by_kelurahan": {kid: 2}}
    db.execute("UPDATE enrollment SET status = 'withdrawn' WHERE participant_id = 1")
    assert ak1.count_ak1(db, prog)["total"] == 1


def test_erasure_anonymises_card_numbers_and_keeps_the_cards(db, two):
    ak1.record(db, SRI, "AK1-0001", "2024-07-03", today=TODAY)
    erasure.erase(db, SRI, today=TODAY)
    assert db.execute("SELECT number, issued_on FROM ak1_card").fetchall() == [("(erased)", "2024-07-03")]
    # the number is free again for its real holder
    assert ak1.record(db, BUDI, "AK1-0001", "2024-07-03", today=TODAY)["status"] == "added"
