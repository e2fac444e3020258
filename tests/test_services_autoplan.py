"""`session auto-plan` on the bundled 2024 programme, and its refusals."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from pelatihan_cli.db import open_db
from pelatihan_cli.errors import Conflict, RowErrors
from pelatihan_cli.resources import data_path
from pelatihan_cli.services import autoplan, instructors, kelurahan, schedule, sessions

PROGRAMME = data_path("programme_2024.csv")


@pytest.fixture
def demo_db(pekalongan_db):
    instructors.import_file(pekalongan_db, data_path("instructors_2024.csv"))
    return pekalongan_db


def count(db, table, where="1"):
    return db.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]


def plan_demo(db, **kw):
    return autoplan.auto_plan(db, "2024-07-01", "2024-08-27", PROGRAMME, max_per_day=2, **kw)


def test_bundled_programme_plans_every_kelurahan_once_without_double_booking(demo_db):
    r = plan_demo(demo_db)
    assert (r["requests"], r["events"], len(r["sessions"])) == (54, 27, 54)
    rows = schedule.schedule(demo_db, "2024-07-01", "2024-08-31")
    # every kelurahan appears on exactly one two-day event, inside 1 July - 27 August
    days_by_kel: dict[str, set[str]] = {}
    for row in rows:
        days_by_kel.setdefault(row["kelurahan"], set()).add(row["date"])
        assert "2024-07-01" <= row["date"] <= "2024-08-27"
        assert len(row["skills"]) == 2 and len(row["instructors"]) == 2
    assert len(days_by_kel) == 27 == len(kelurahan.list_kelurahan(demo_db))
    assert all(len(d) == 2 for d in days_by_kel.values())
    # no instructor on two sessions the same day (from the sessions' days, not instructor_day)
    teaching = demo_db.execute(
        """SELECT i.name, d.date, count(*) FROM session_instructor si JOIN instructor i ON i.id = si.instructor_id
           JOIN session_day d ON d.session_id = si.session_id JOIN session s ON s.id = si.session_id
           WHERE s.status = 'planned' GROUP BY i.id, d.date HAVING count(*) > 1""").fetchall()
    assert teaching == []
    # at most two kelurahan events on any day
    per_day = Counter(row["date"] for row in rows)
    assert max(per_day.values()) <= 2
    # every track's instructor teaches its skill
    wrong = demo_db.execute(
        """SELECT s.id FROM session s JOIN session_instructor si ON si.session_id = s.id
           WHERE NOT EXISTS (SELECT 1 FROM instructor_skill x
                             WHERE x.instructor_id = si.instructor_id AND x.skill_id = s.skill_id)""").fetchall()
    assert wrong == []
    # Bendan Kergon and Pringrejo have the tracks of the 2024 programme
    by_kel = {row["kelurahan"]: sorted(row["skills"]) for row in rows}
    assert by_kel["Bendan Kergon"] == ["Desain Produk & Kemasan", "Merajut"]
    assert by_kel["Pringrejo"] == ["Buket", "Roti & Masakan"]
    assert count(demo_db, "audit_log", "action = 'session.auto_plan'") == 1


def test_instructor_load_is_spread(demo_db, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-06-03")  # before the programme: every session still planned
    plan_demo(demo_db)
    loads = [r["sessions"] for r in instructors.list_instructors(demo_db)]
    assert sum(loads) == 54
    assert max(loads) - min(loads) <= 2


def test_second_run_plans_nothing(demo_db):
    plan_demo(demo_db)
    r = plan_demo(demo_db)
    assert (r["already_planned"], r["events"], r["sessions"]) == (54, 0, [])
    assert count(demo_db, "session") == 54


def test_dry_run_writes_nothing_and_shows_the_same_plan(demo_db):
    before = count(demo_db, "audit_log")
    dry = plan_demo(demo_db, dry_run=True)
    assert count(demo_db, "session") == 0 and count(demo_db, "audit_log") == before
    assert all(s["id"] is None for s in dry["sessions"])
    real = plan_demo(demo_db)
    strip = lambda rows: sorted((s["kelurahan"], s["skill"], tuple(s["days"]), tuple(s["instructors"])) for s in rows)  # noqa: E731
    assert strip(dry["sessions"]) == strip(real["sessions"])


def test_same_input_gives_the_same_plan(demo_db, tmp_path):
    first = plan_demo(demo_db)["sessions"]
    other = open_db(tmp_path / "other.db", create=True)
    kelurahan.load_pekalongan(other)
    instructors.import_file(other, data_path("instructors_2024.csv"))
    second = plan_demo(other)["sessions"]
    assert first == second
    other.conn.close()


def test_window_too_small_says_needed_and_available_and_writes_nothing(demo_db):
    with pytest.raises(Conflict) as e:
        autoplan.auto_plan(demo_db, "2024-07-01", "2024-08-27", PROGRAMME)  # --max-per-day 1
    msg = str(e.value)
    assert "27 kelurahan event(s) × 2 day(s) need 54 event-days" in msg
    assert "42 working day(s) × --max-per-day 1" in msg and "give 42" in msg
    assert "raise --max-per-day" in msg
    assert count(demo_db, "session") == 0


def test_existing_sessions_are_respected(demo_db):
    # Bendan Kergon's knitting track planned by hand: auto-plan adds its other track on the same days
    s = sessions.plan(demo_db, "Bendan Kergon", "Merajut", "2024-08-20", instructors=["Lina Marlina"])
    r = plan_demo(demo_db)
    assert r["already_planned"] == 1 and len(r["sessions"]) == 53
    bk = sessions.list_sessions(demo_db, kelurahan="Bendan Kergon")
    assert [x["days"] for x in bk] == [s["days"], s["days"]]
    assert count(demo_db, "instructor_day", "1") == 54 * 2


def test_bad_requests_are_reported_by_row(demo_db, tmp_path):
    f = tmp_path / "req.csv"
    f.write_text("kelurahan,skill,capacity\nMedono,Tas,20\nNowhere,Tas,\nMedono,tas,\nKauman,Sulam,\nKlego,Buket,0\n")
    with pytest.raises(RowErrors) as e:
        autoplan.auto_plan(demo_db, "2024-07-01", "2024-08-27", f)
    assert [(x["row"], x["column"]) for x in e.value.errors] == [
        (3, "kelurahan"), (4, "skill"), (5, "skill"), (6, "capacity")]
    assert "no instructor teaches 'Sulam'" in e.value.errors[2]["message"]
    assert count(demo_db, "session") == 0


def test_request_capacity_is_used(demo_db, tmp_path):
    f = tmp_path / "req.csv"
    f.write_text("kelurahan,skill,capacity\nMedono,Tas,25\nMedono,Buket,\n")
    r = autoplan.auto_plan(demo_db, "2024-07-01", "2024-07-31", f, capacity=15)
    assert sorted((s["skill"], s["capacity"]) for s in r["sessions"]) == [("Buket", 15), ("Tas", 25)]
    assert r["sessions"][0]["days"] == ["2024-07-01", "2024-07-02"]


def test_local_holidays_and_weekends(demo_db, tmp_path):
    from pelatihan_cli.services import holidays

    holidays.add(demo_db, "2024-07-01", "Hari Jadi")
    f = tmp_path / "req.csv"
    f.write_text("kelurahan,skill\nMedono,Tas\nKlego,Buket\n")
    r = autoplan.auto_plan(demo_db, "2024-07-05", "2024-07-31", f, weekends=True, dry_run=True)
    days = [s["days"] for s in r["sessions"]]
    assert days[0] == ["2024-07-05", "2024-07-06"]  # a Saturday counts with --weekends
    assert all("2024-07-07" not in d and "2024-07-01" not in d for d in days)  # national and local holidays
    assert dt.date(2024, 7, 7).isoformat() not in r["sessions"][0]["days"]  # Islamic New Year


def test_no_instructors_at_all_is_one_error_not_one_per_row(pekalongan_db):
    from pelatihan_cli.errors import ValidationError

    with pytest.raises(ValidationError, match=r"^There are no instructors yet.*pelatihan instructor import FILE"):
        plan_demo(pekalongan_db)
    assert count(pekalongan_db, "session") == 0


def test_venue_from_the_template_or_the_request(demo_db, tmp_path):
    f = tmp_path / "req.csv"
    f.write_text("kelurahan,skill,venue\nMedono,Tas,\nKlego,Buket,Balai RW 3 Klego\n")
    r = autoplan.auto_plan(demo_db, "2024-07-01", "2024-07-31", f, venue="Aula Kelurahan {kelurahan}")
    venues = {s["kelurahan"]: s["venue"] for s in r["sessions"]}
    assert venues == {"Medono": "Aula Kelurahan Medono", "Klego": "Balai RW 3 Klego"}
    rows = demo_db.execute("SELECT venue FROM session ORDER BY venue").fetchall()
    assert rows == [("Aula Kelurahan Medono",), ("Balai RW 3 Klego",)]


def test_archived_instructors_plan_nothing_and_a_skill_typo_gets_did_you_mean(demo_db, tmp_path, monkeypatch):
    # Lina Marlina taught a 2023 session, then was removed: archived, kept on that session
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-06-03")
    old = sessions.plan(demo_db, "Medono", "Merajut", "2023-07-03", instructors=["Lina Marlina"])
    instructors.remove(demo_db, "Lina Marlina")
    assert demo_db.execute("SELECT archived_at IS NOT NULL FROM instructor WHERE name = 'Lina Marlina'").fetchone() == (1,)
    r = plan_demo(demo_db)
    assert "Lina Marlina" not in {n for s in r["sessions"] for n in s["instructors"]}
    assert sessions.get_session(demo_db, old["id"])["instructors"] == ["Lina Marlina"]
    f = tmp_path / "req.csv"
    f.write_text("kelurahan,skill\nMedono,Merajutt\n", encoding="utf-8")
    with pytest.raises(RowErrors) as e:
        autoplan.auto_plan(demo_db, "2025-07-01", "2025-08-27", f)
    assert "no instructor teaches 'Merajutt'. Did you mean 'Merajut'?" in e.value.errors[0]["message"]
