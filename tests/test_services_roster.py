"""services.roster: who is on the day's roster, in what order, masked or not."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from factories import enroll_direct, make_participant, make_session
from pelatihan_cli.errors import NotFound
from pelatihan_cli.services import roster

JULY2 = dt.date(2024, 7, 2)


@pytest.fixture
def day_db(db):
    s1 = make_session(db)  # Bendan Kergon, Merajut, 2-3 July
    s2 = make_session(db, kelurahan="Kergon", skill="Membatik", days=("2024-07-01", "2024-07-02"), venue="Balai RW")
    make_session(db, kelurahan="Sapuro", kecamatan="Pekalongan Barat", days=("2024-07-02",), status="cancelled")
    make_session(db, kelurahan="Krapyak", kecamatan="Pekalongan Utara", days=("2024-07-09", "2024-07-10"))
    db.execute("INSERT INTO instructor (name, name_key) VALUES ('Sri Wahyuni', 'sriwahyuni'), ('Ahmad', 'ahmad')")
    db.execute("INSERT INTO session_instructor VALUES (?, 1), (?, 2)", [s1, s1])
    db.conn.commit()
    people = [
        ("3375014107900003", "zainal Abidin", "L", "enrolled"),
        ("3375014107900001", "Nur’aini", "P", "enrolled"),
        ("3375014107900002", "Ahmad Fauzi", "L", "enrolled"),
        ("3375014107900004", "Budi Waitlist", "L", "waitlisted"),
        ("3375014107900005", "Citra Withdrawn", "P", "withdrawn"),
    ]
    for nik, name, sex, status in people:
        enroll_direct(db, make_participant(db, nik, name, sex=sex), s1, status=status)
    enroll_direct(db, make_participant(db, "3375014107900006", "Dewi", phone=None, address=None), s2)
    return db, s1, s2


def test_sessions_of_the_day_in_order_with_enrolled_people_sorted_and_masked(day_db):
    db, s1, s2 = day_db
    sessions = roster.roster(db, JULY2)
    assert [s["session_id"] for s in sessions] == [s1, s2]  # cancelled Sapuro left out
    first = sessions[0]
    assert {k: v for k, v in first.items() if k != "participants"} == {
        "session_id": s1, "programme": "Pelatihan Kewirausahaan 2024", "kelurahan": "Bendan Kergon", "kecamatan": "Pekalongan Barat", "skill": "Merajut",
        "date": "2024-07-02", "day": 1, "of_days": 2, "venue": "Aula Kelurahan",
        "instructors": ["Ahmad", "Sri Wahyuni"],
    }
    assert [p["name"] for p in first["participants"]] == ["Ahmad Fauzi", "Nur’aini", "zainal Abidin"]
    assert [p["no"] for p in first["participants"]] == [1, 2, 3]
    assert first["participants"][0] == {
        "no": 1, "nik": "337501******0002", "name": "Ahmad Fauzi", "sex": "L",
        "address": "Jl. Merdeka 1", "phone": "0812-****-7890",
    }
    assert sessions[1]["participants"][0]["phone"] is None
    assert sessions[1]["day"] == 2 and sessions[1]["of_days"] == 2


def test_show_nik_shows_everything_and_is_audited(day_db):
    db, s1, _ = day_db
    sessions = roster.roster(db, JULY2, session_id=s1, show_nik=True)
    p = sessions[0]["participants"][0]
    assert (p["nik"], p["phone"]) == ("3375014107900002", "0812-3456-7890")
    action, changes = db.execute("SELECT action, changes FROM audit_log").fetchone()
    assert action == "roster.show_nik"
    assert json.loads(changes) == {"participants": 3, "sessions": 1}


def test_masked_roster_writes_no_audit_row(day_db):
    db, _, _ = day_db
    roster.roster(db, JULY2)
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0


def test_filters_by_kelurahan_and_session(day_db):
    db, s1, s2 = day_db
    assert [s["session_id"] for s in roster.roster(db, JULY2, kelurahan="KERGON")] == [s2]
    assert roster.roster(db, dt.date(2024, 7, 3), session_id=s2) == []
    with pytest.raises(NotFound, match="No session with id 999"):
        roster.roster(db, JULY2, session_id=999)
    with pytest.raises(NotFound, match="Unknown kelurahan 'Atlantis'"):
        roster.roster(db, JULY2, kelurahan="Atlantis")


def test_empty_day_names_the_nearest_training_days(day_db):
    db, _, s2 = day_db
    data = roster.day_roster(db, dt.date(2024, 7, 5))
    assert data["sessions"] == []
    assert (data["before"], data["after"]) == ("2024-07-03", "2024-07-09")
    data = roster.day_roster(db, dt.date(2024, 6, 1), session_id=s2)
    assert (data["before"], data["after"]) == (None, "2024-07-01")
    assert data["documents"]["city"] == "Pekalongan"


def test_display_phone():
    from pelatihan_cli.domain.privacy import phone_for_display

    assert phone_for_display("+6281234567890", reveal=True) == "0812-3456-7890"
    assert phone_for_display(None, reveal=True) is None
    assert phone_for_display("+6281234567890") == "0812-****-7890"
