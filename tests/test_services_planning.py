"""Planning services: skills, instructors, holidays and sessions (plan, list, move,
cancel, import)."""

from __future__ import annotations

import json

import pytest

from pelatihan_cli.errors import Conflict, NotFound, RowErrors, ValidationError
from pelatihan_cli.services import holidays, instructors, sessions, settings, skills
from tests import factories

KEYS = ["id", "programme", "kelurahan", "kecamatan", "skill", "days", "capacity", "enrolled", "waitlisted", "venue",
        "instructors", "status"]


@pytest.fixture(autouse=True)
def _before_the_2024_programme(monkeypatch):
    """Today is before the sessions these tests plan in 2024, so they are still 'planned'
    (moved, resized); a test of another phase sets PELATIHAN_TODAY itself."""
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-06-03")


@pytest.fixture
def pdb(pekalongan_db):
    # today is pinned in 2024 and some tests plan in 2030: a wider planning horizon
    settings.set_value(pekalongan_db, "plan_horizon_years", "10")
    instructors.add(pekalongan_db, "Siti Aminah", ["Merajut", "Kerajinan"], "0812-3456-7890")
    instructors.add(pekalongan_db, "Dewi Lestari", ["Desain Produk & Kemasan"])
    return pekalongan_db


def count(db, table, where="1"):
    return db.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]


# --- skills and instructors ------------------------------------------------------------

def test_skills_are_kept_once_ignoring_case_and_spaces(pdb):
    instructors.add(pdb, "Lina", ["merajut", " MERAJUT ", "Desain  produk & kemasan"])
    assert [s["name"] for s in skills.list_skills(pdb)] == ["Desain Produk & Kemasan", "Kerajinan", "Merajut"]
    assert skills.list_skills(pdb)[2] == {"name": "Merajut", "instructors": 2, "sessions": 0}


def test_instructor_add_refuses_duplicates_and_empty_skills(pdb):
    with pytest.raises(Conflict, match="already exists"):
        instructors.add(pdb, "siti  aminah", ["Tas"])
    with pytest.raises(ValidationError, match="at least one skill"):
        instructors.add(pdb, "Rina", [" "])
    with pytest.raises(ValidationError, match="Phone"):
        instructors.add(pdb, "Rina", ["Tas"], "12")
    assert count(pdb, "instructor") == 2


def test_instructor_list_masks_phone_and_filters_by_skill(pdb):
    rows = instructors.list_instructors(pdb, "merajut")
    assert rows == [{"name": "Siti Aminah", "phone": "0812-****-7890", "skills": ["Kerajinan", "Merajut"],
                     "sessions": 0, "booked_days": 0, "archived": None}]
    assert instructors.list_instructors(pdb, "merajut", show_phone=True)[0]["phone"] == "0812-3456-7890"
    with pytest.raises(NotFound, match="Unknown skill 'Merajot'. Did you mean 'Merajut'"):
        instructors.list_instructors(pdb, "Merajot")


def test_instructor_remove_refused_while_booked_then_allowed_after_cancel(pdb):
    s = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-07-02", instructors=["Siti Aminah"])
    with pytest.raises(Conflict, match=rf"booked on 1 planned or running session\(s\) \({s['id']}\)"):
        instructors.remove(pdb, "Siti Aminah")
    sessions.cancel(pdb, s["id"])
    instructors.remove(pdb, "siti aminah")
    assert count(pdb, "instructor") == 1
    assert sessions.get_session(pdb, s["id"])["status"] == "cancelled"


def test_instructor_show_lists_booked_days(pdb):
    s = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-07-05", instructors=["Siti Aminah"])
    data = instructors.show(pdb, "SITI AMINAH")
    assert data["skills"] == ["Kerajinan", "Merajut"]
    assert [(b["date"], b["session"]) for b in data["booked_days"]] == [("2024-07-05", s["id"]), ("2024-07-08", s["id"])]


def test_instructor_import_is_all_or_nothing_and_idempotent(pdb, tmp_path):
    good = tmp_path / "ins.csv"
    good.write_text("name,skills,phone\nRina,Buket; Hantaran,\nSiti Aminah,Merajut;Tas,\n")
    c = instructors.import_file(pdb, good)
    assert (c["added"], c["updated"], c["unchanged"]) == (1, 1, 0)
    assert instructors.show(pdb, "Siti Aminah")["skills"] == ["Kerajinan", "Merajut", "Tas"]
    c = instructors.import_file(pdb, good)
    assert (c["added"], c["updated"], c["unchanged"]) == (0, 0, 2)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,skills,phone\nNew One,Tas,\n,Tas,\nRina,,\nnew one,Tas,\n")
    with pytest.raises(RowErrors) as e:
        instructors.import_file(pdb, bad)
    assert [(x["row"], x["column"]) for x in e.value.errors] == [(3, "name"), (4, "skill"), (5, "name")]
    assert count(pdb, "instructor", "name = 'New One'") == 0


def test_bundled_instructors_cover_every_programme_skill(pekalongan_db):
    from pelatihan_cli.resources import data_path
    import csv

    instructors.import_file(pekalongan_db, data_path("instructors_2024.csv"))
    wanted = {r["skill"] for r in csv.DictReader(data_path("programme_2024.csv").open(encoding="utf-8"))}
    rows = {s["name"]: s["instructors"] for s in skills.list_skills(pekalongan_db)}
    assert wanted <= set(rows)
    assert all(rows[s] >= 2 for s in wanted)


# --- holidays ------------------------------------------------------------------------

def test_holiday_add_list_remove(pdb):
    r = holidays.add(pdb, "2024-07-15", "Hari Jadi")
    assert r["sessions"] == [] and r["national"] is None
    with pytest.raises(Conflict, match="already a local holiday"):
        holidays.add(pdb, "15/07/2024", "Again")
    rows = holidays.list_holidays(pdb, 2024)
    assert {"date": __import__("datetime").date(2024, 7, 15), "name": "Hari Jadi", "kind": "local"} in rows
    assert any(r["kind"] == "national" and r["name"] == "Christmas Joint Holiday" for r in rows)
    assert len(holidays.list_holidays(pdb)) == 1
    with pytest.raises(NotFound, match="national holiday .*cannot be removed"):
        holidays.remove(pdb, "2024-12-25")
    holidays.remove(pdb, "2024-07-15")
    assert count(pdb, "holiday") == 0
    assert count(pdb, "audit_log", "action LIKE 'holiday.%'") == 2


def test_holiday_add_reports_sessions_already_on_that_day(pdb):
    s = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-07-02")
    assert holidays.add(pdb, "2024-07-03", "Banjir")["sessions"] == [s["id"]]


def test_local_holiday_is_skipped_by_new_sessions(pdb):
    holidays.add(pdb, "2024-07-03", "Hari Jadi")
    s = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-07-02")
    assert s["days"] == ["2024-07-02", "2024-07-04"]


# --- session plan ----------------------------------------------------------------------

def test_two_day_session_from_24_december_2024_runs_24th_and_27th(pdb, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-12-01")
    s = sessions.plan(pdb, "bendan kergon", "merajut", "2024-12-24", instructors=["Siti Aminah"], venue="Aula")
    assert list(s) == KEYS
    assert s["days"] == ["2024-12-24", "2024-12-27"]
    assert s["skill"] == "Merajut" and s["kelurahan"] == "Bendan Kergon" and s["kecamatan"] == "Pekalongan Barat"
    assert s["instructors"] == ["Siti Aminah"] and s["venue"] == "Aula" and s["status"] == "planned"
    assert [r[0] for r in pdb.execute("SELECT date FROM instructor_day ORDER BY date")] == ["2024-12-24", "2024-12-27"]
    assert [r[0] for r in pdb.execute("SELECT date FROM session_day ORDER BY day_no")] == ["2024-12-24", "2024-12-27"]
    assert count(pdb, "audit_log", "action = 'session.plan'") == 1


def test_friday_start_runs_friday_and_monday_and_weekends_count_when_asked(pdb):
    assert sessions.plan(pdb, "Pringrejo", "Buket", "2024-07-05")["days"] == ["2024-07-05", "2024-07-08"]
    s = sessions.plan(pdb, "Pringrejo", "Roti & Masakan", "2024-07-05", weekends=True)
    assert s["days"] == ["2024-07-05", "2024-07-06"]


def test_new_skill_text_is_kept(pdb):
    sessions.plan(pdb, "Pringrejo", "Buket", "2024-07-05")
    assert "Buket" in [s["name"] for s in skills.list_skills(pdb)]


@pytest.mark.parametrize("kwargs,error,fragment", [
    (dict(start="2024-12-25"), ValidationError,
     "Wednesday 2024-12-25 is not a working day (national holiday: Christmas Day). The next working day is "
     "Friday 2024-12-27: use --start 2024-12-27"),
    (dict(start="2024-07-06"), ValidationError, "The next working day is Monday 2024-07-08"),
    (dict(kelurahan="Bendan Kergo"), NotFound, "Unknown kelurahan 'Bendan Kergo'. Did you mean 'Bendan Kergon'?"),
    (dict(skill="  "), ValidationError, "The skill is empty"),
    (dict(days=0), ValidationError, "Days must be at least 1"),
    (dict(capacity=0), ValidationError, "Capacity must be at least 1"),
    (dict(instructors=["Dewi Lestari"]), ValidationError,
     "Instructor 'Dewi Lestari' does not teach 'Merajut' (teaches: Desain Produk & Kemasan)"),
    (dict(instructors=["Nobody"]), NotFound, "Unknown instructor 'Nobody'"),
])
def test_plan_refusals_write_nothing(pdb, kwargs, error, fragment):
    args = dict(kelurahan="Bendan Kergon", skill="Merajut", start="2024-07-02")
    args.update(kwargs)
    before = count(pdb, "audit_log")
    with pytest.raises(error) as e:
        sessions.plan(pdb, args.pop("kelurahan"), args.pop("skill"), args.pop("start"), **args)
    assert fragment in str(e.value)
    assert count(pdb, "session") == 0 and count(pdb, "instructor_day") == 0
    assert count(pdb, "audit_log") == before


def test_any_skill_allows_an_instructor_outside_their_skills(pdb):
    s = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-07-02", instructors=["Dewi Lestari"], any_skill=True)
    assert s["instructors"] == ["Dewi Lestari"]


def test_instructor_clash_is_named_and_nothing_written(pdb):
    first = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-07-02", instructors=["Siti Aminah"])
    with pytest.raises(Conflict) as e:
        sessions.plan(pdb, "Pringrejo", "Kerajinan", "2024-07-03", instructors=["Siti Aminah"])
    assert str(e.value).startswith(
        f"Instructor 'Siti Aminah' is already booked on 2024-07-03 in session {first['id']} (Bendan Kergon, Merajut)")
    assert count(pdb, "session") == 1


# --- list, show, move, cancel --------------------------------------------------------

def test_list_sessions_filters_and_counts_enrollments(pdb):
    a = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-07-02")
    b = sessions.plan(pdb, "Pringrejo", "Buket", "2024-07-10")
    kid = factories.kelurahan_id(pdb, "Pringrejo")
    for i, status in enumerate(["enrolled", "enrolled", "waitlisted", "withdrawn"], start=1):
        cur = pdb.execute("INSERT INTO participant (nik, name, sex, kelurahan_id) VALUES (?, ?, 'P', ?)",
                          [f"33750141079000{i:02d}", f"P{i}", kid])
        pdb.execute("INSERT INTO enrollment (participant_id, session_id, year, status, seq) VALUES (?, ?, 2024, ?, ?)",
                    [cur.lastrowid, b["id"], status, i])
    pdb.conn.commit()
    assert [s["id"] for s in sessions.list_sessions(pdb)] == [a["id"], b["id"]]
    got = sessions.get_session(pdb, b["id"])
    assert (got["enrolled"], got["waitlisted"]) == (2, 1)
    assert [s["id"] for s in sessions.list_sessions(pdb, date="2024-07-03")] == [a["id"]]
    assert [s["id"] for s in sessions.list_sessions(pdb, start="2024-07-04", end="2024-07-31")] == [b["id"]]
    assert [s["id"] for s in sessions.list_sessions(pdb, kelurahan="pringrejo")] == [b["id"]]
    sessions.cancel(pdb, a["id"], "rain")
    assert [s["id"] for s in sessions.list_sessions(pdb, status="cancelled")] == [a["id"]]
    with pytest.raises(ValidationError, match="planned, running, done, cancelled"):
        sessions.list_sessions(pdb, status="finished")


def test_resolve_session_messages(pdb):
    with pytest.raises(NotFound, match="No session with id 99; see `pelatihan session list`"):
        sessions.resolve_session(pdb, 99)
    with pytest.raises(ValidationError, match="is not a number"):
        sessions.get_session(pdb, "abc")


def test_move_rechecks_calendar_and_clashes(pdb):
    a = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-07-02", instructors=["Siti Aminah"])
    b = sessions.plan(pdb, "Pringrejo", "Kerajinan", "2024-07-10", instructors=["Siti Aminah"])
    with pytest.raises(Conflict, match=f"booked on 2024-07-10 in session {b['id']}"):
        sessions.move(pdb, a["id"], "2024-07-09")
    with pytest.raises(ValidationError, match="next working day is Friday 2024-12-27"):
        sessions.move(pdb, a["id"], "2024-12-26")
    moved = sessions.move(pdb, a["id"], "2024-12-24")
    assert moved["days"] == ["2024-12-24", "2024-12-27"]
    assert [r[0] for r in pdb.execute("SELECT date FROM instructor_day WHERE session_id = ? ORDER BY date", [a["id"]])] \
        == ["2024-12-24", "2024-12-27"]
    # moving onto its own old days is fine (its own bookings do not clash)
    assert sessions.move(pdb, a["id"], "2024-12-23")["days"] == ["2024-12-23", "2024-12-24"]


def test_cancel_frees_instructors_and_keeps_enrollments(pdb):
    a = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-07-02", instructors=["Siti Aminah"])
    kid = factories.kelurahan_id(pdb, "Bendan Kergon")
    cur = pdb.execute("INSERT INTO participant (nik, name, sex, kelurahan_id) VALUES ('3375014107900001', 'X', 'P', ?)", [kid])
    pdb.execute("INSERT INTO enrollment (participant_id, session_id, year, status, seq) VALUES (?, ?, 2024, 'enrolled', 1)",
                [cur.lastrowid, a["id"]])
    pdb.conn.commit()
    c = sessions.cancel(pdb, a["id"], "  venue   flooded ")
    assert c["status"] == "cancelled" and c["enrolled"] == 1
    assert sessions.show_session(pdb, a["id"])["cancel_reason"] == "venue flooded"
    assert count(pdb, "instructor_day") == 0
    assert sessions.plan(pdb, "Pringrejo", "Merajut", "2024-07-02", instructors=["Siti Aminah"])["instructors"]
    with pytest.raises(Conflict, match="already cancelled"):
        sessions.cancel(pdb, a["id"])
    with pytest.raises(Conflict, match="cancelled; reopen it first"):
        sessions.move(pdb, a["id"], "2024-07-10")


# --- import ----------------------------------------------------------------------------

IMPORT_CSV = """kelurahan,skill,start,days,capacity,venue,instructor
Bendan Kergon,Merajut,2024-07-02,2,20,Aula,Siti Aminah
Bendan Kergon,Desain Produk & Kemasan,2024-07-02,,,Aula,Dewi Lestari
Pringrejo,Buket,24/12/2024,2,25,,
"""


def test_import_plans_every_row_and_is_idempotent(pdb, tmp_path):
    f = tmp_path / "s.csv"
    f.write_text(IMPORT_CSV)
    c = sessions.import_file(pdb, f)
    assert (c["read"], c["planned"], c["unchanged"]) == (3, 3, 0)
    rows = sessions.list_sessions(pdb)
    assert rows[0]["days"] == ["2024-07-02", "2024-07-03"] and rows[1]["capacity"] == 20
    assert rows[2]["days"] == ["2024-12-24", "2024-12-27"] and rows[2]["capacity"] == 25
    c = sessions.import_file(pdb, f)
    assert (c["planned"], c["unchanged"]) == (0, 3)
    assert count(pdb, "session") == 3
    assert count(pdb, "audit_log", "action = 'session.import'") == 1


def test_import_reports_every_bad_row_and_writes_nothing(pdb, tmp_path):
    f = tmp_path / "s.csv"
    f.write_text(
        "kelurahan,skill,start,days,capacity,venue,instructor\n"
        "Bendan Kergon,Merajut,2024-07-02,2,20,,Siti Aminah\n"    # 2 ok
        "Nowhere,Merajut,2024-07-02,2,20,,\n"                     # 3 unknown kelurahan
        "Pringrejo,Kerajinan,2024-07-03,2,20,,Siti Aminah\n"      # 4 clash with row 2
        "Pringrejo,Buket,2024-07-06,2,20,,\n"                     # 5 Saturday
        "Pringrejo,Tas,2024-07-08,0,20,,\n"                       # 6 days 0
        "Pringrejo,,2024-07-08,2,20,,\n"                          # 7 empty skill
        "Pringrejo,Tas,2024-07-08,2,20,,Dewi Lestari;Siti Aminah\n"  # 8 Dewi does not teach Tas
    )
    with pytest.raises(RowErrors) as e:
        sessions.import_file(pdb, f)
    got = [(x["row"], x["column"]) for x in e.value.errors]
    assert got == [(3, "kelurahan"), (4, "instructor"), (5, "start"), (6, "days"), (7, "skill"), (8, "instructor")]
    assert "booked on 2024-07-03" in e.value.errors[1]["message"]
    assert count(pdb, "session") == 0 and count(pdb, "instructor_day") == 0 and count(pdb, "skill", "name = 'Tas'") == 0


def test_import_row_that_differs_from_a_planned_session_is_reported(pdb, tmp_path):
    f = tmp_path / "s.csv"
    f.write_text(IMPORT_CSV)
    sessions.import_file(pdb, f)
    f.write_text(IMPORT_CSV.replace("2024-07-02,2,20,Aula,Siti", "2024-07-02,2,30,Aula,Siti"))
    with pytest.raises(RowErrors, match="already exists but it has capacity 20, the row 30"):
        sessions.import_file(pdb, f)


def test_import_json_and_xlsx(pdb, tmp_path):
    j = tmp_path / "s.json"
    j.write_text(json.dumps([{"kelurahan": "Bendan Kergon", "skill": "Merajut", "start": "2024-07-02",
                              "instructor": ["Siti Aminah"]}]))
    assert sessions.import_file(pdb, j)["planned"] == 1
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Kelurahan", "Skill", "Start", "Days", "Capacity"])
    ws.append(["Pringrejo", "Buket", __import__("datetime").datetime(2024, 7, 5), 2, 20])
    ws.append([None, None, None, None, None])
    ws.append(["Pringrejo", "Roti", "2024-07-06", 2, 20])
    x = tmp_path / "s.xlsx"
    wb.save(x)
    with pytest.raises(RowErrors) as e:
        sessions.import_file(pdb, x)
    assert [r["row"] for r in e.value.errors] == [4]
    assert count(pdb, "session") == 1


def test_import_missing_column_is_named(pdb, tmp_path):
    f = tmp_path / "s.csv"
    f.write_text("kelurahan,skill\nBendan Kergon,Merajut\n")
    with pytest.raises(ValidationError, match="missing column\\(s\\) start"):
        sessions.import_file(pdb, f)


# --- update, and moves that cross a year ----------------------------------------------

def _people(db, session_id, statuses, *, first=1):
    """Participants enrolled directly in a session with the given statuses; their ids."""
    ids = []
    for i, status in enumerate(statuses, start=first):
        pid = factories.make_participant(db, f"33750141079001{i:02d}", f"P{i}")
        factories.enroll_direct(db, pid, session_id, status=status)
        ids.append(pid)
    return ids


def test_update_capacity_gives_new_seats_to_the_waitlist_in_order(pdb):
    a = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-07-02", capacity=1)
    _people(pdb, a["id"], ["enrolled", "waitlisted", "waitlisted", "waitlisted"])
    r = sessions.update(pdb, a["id"], capacity=3)
    assert [p.name for p in r["promoted"]] == ["P2", "P3"]
    assert (r["session"]["capacity"], r["session"]["enrolled"], r["session"]["waitlisted"]) == (3, 3, 1)
    assert r["changed"] == ["capacity"]
    assert count(pdb, "audit_log", "action = 'session.update'") == 1


def test_update_capacity_below_the_enrolled_count_is_refused(pdb):
    a = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-07-02", capacity=5)
    _people(pdb, a["id"], ["enrolled", "enrolled", "enrolled"])
    with pytest.raises(Conflict, match="has 3 people enrolled; its capacity cannot go down to 2. Give --capacity 3"):
        sessions.update(pdb, a["id"], capacity=2, venue="Aula")
    assert pdb.execute("SELECT capacity, venue FROM session").fetchone() == (5, None)
    assert sessions.update(pdb, a["id"], capacity=3)["session"]["capacity"] == 3
    with pytest.raises(ValidationError, match="at least 1"):
        sessions.update(pdb, a["id"], capacity=0)


def test_update_venue_and_instructors_recheck_skill_and_clashes(pdb):
    a = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-07-02", instructors=["Siti Aminah"])
    b = sessions.plan(pdb, "Pringrejo", "Merajut", "2024-07-03")
    with pytest.raises(Conflict, match=f"'Siti Aminah' is already booked on 2024-07-03 in session {a['id']}"):
        sessions.update(pdb, b["id"], instructors=["Siti Aminah"], venue="Balai")
    assert sessions.get_session(pdb, b["id"])["venue"] is None  # all or nothing
    with pytest.raises(ValidationError, match="does not teach 'Merajut'"):
        sessions.update(pdb, a["id"], instructors=["Dewi Lestari"])
    r = sessions.update(pdb, a["id"], instructors=["Dewi Lestari"], any_skill=True, venue="  Balai   RW 3 ")
    assert r["session"]["instructors"] == ["Dewi Lestari"] and r["session"]["venue"] == "Balai RW 3"
    assert pdb.execute("SELECT i.name, d.date FROM instructor_day d JOIN instructor i ON i.id = d.instructor_id "
                       "ORDER BY d.date").fetchall() == [("Dewi Lestari", "2024-07-02"), ("Dewi Lestari", "2024-07-03")]
    # Siti is free again, so session b can have her now
    assert sessions.update(pdb, b["id"], instructors=["siti aminah"])["session"]["instructors"] == ["Siti Aminah"]
    r = sessions.update(pdb, a["id"], instructors=[], venue="")
    assert (r["session"]["instructors"], r["session"]["venue"]) == ([], None)
    assert count(pdb, "instructor_day", f"session_id = {a['id']}") == 0


def test_update_refuses_a_cancelled_session_and_an_empty_change(pdb):
    a = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-07-02")
    with pytest.raises(ValidationError, match="Nothing to change"):
        sessions.update(pdb, a["id"])
    assert sessions.update(pdb, a["id"], capacity=20)["changed"] == []
    assert count(pdb, "audit_log", "action = 'session.update'") == 0
    sessions.cancel(pdb, a["id"])
    with pytest.raises(Conflict, match="cancelled"):
        sessions.update(pdb, a["id"], capacity=30)


def test_move_into_another_year_carries_the_enrollments_year(pdb):
    a = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-12-23")
    _people(pdb, a["id"], ["enrolled", "withdrawn"])
    sessions.move(pdb, a["id"], "2025-01-06")
    assert pdb.execute("SELECT DISTINCT year FROM enrollment").fetchall() == [(2025,)]


def test_move_into_a_year_where_a_participant_already_trains_is_refused(pdb):
    a = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-12-23")
    b = sessions.plan(pdb, "Pringrejo", "Buket", "2025-01-06")
    (pid,) = _people(pdb, a["id"], ["enrolled"])
    factories.enroll_direct(pdb, pid, b["id"])
    with pytest.raises(Conflict, match=r"cannot move into 2025: 1 of its participant\(s\) already have another training"):
        sessions.move(pdb, a["id"], "2025-01-07")
    assert sessions.get_session(pdb, a["id"])["days"] == ["2024-12-23", "2024-12-24"]
    assert pdb.execute("SELECT year FROM enrollment WHERE session_id = ?", [a["id"]]).fetchall() == [(2024,)]


def test_import_weekends_and_the_differing_column_is_named(pdb, tmp_path):
    f = tmp_path / "s.csv"
    f.write_text("kelurahan,skill,start\nPringrejo,Buket,2024-07-13\n")
    with pytest.raises(RowErrors):
        sessions.import_file(pdb, f)
    assert sessions.import_file(pdb, f, weekends=True)["planned"] == 1
    assert sessions.list_sessions(pdb)[0]["days"] == ["2024-07-13", "2024-07-14"]
    f.write_text("kelurahan,skill,start,capacity\nPringrejo,Buket,2024-07-13,30\n")
    with pytest.raises(RowErrors) as e:
        sessions.import_file(pdb, f, weekends=True)
    assert (e.value.errors[0]["column"], e.value.errors[0]["value"]) == ("capacity", "30")
    assert "session update 1 --capacity 30" in e.value.errors[0]["message"]


def test_import_csv_cell_with_a_line_break_keeps_the_row_numbers(pdb, tmp_path):
    f = tmp_path / "s.csv"
    f.write_bytes('kelurahan,skill,start,venue\n'
                  'Pringrejo,Buket,2024-07-02,"Aula\nlantai 2"\n'
                  'Nowhere,Buket,2024-07-02,x\n'.encode())
    with pytest.raises(RowErrors) as e:
        sessions.import_file(pdb, f)
    assert [(x["row"], x["column"]) for x in e.value.errors] == [(3, "kelurahan")]
    f.write_bytes('kelurahan,skill,start,venue\r\nPringrejo,Buket,2024-07-02,"Aula\r\nlantai 2"\r\n'.encode())
    assert sessions.import_file(pdb, f)["planned"] == 1
    assert sessions.list_sessions(pdb)[0]["venue"] == "Aula lantai 2"


# --- follow-ups: same-start warning, age rule on move, instructor update ----------------

def test_plan_with_the_same_kelurahan_skill_and_start_warns_and_still_plans(pdb):
    first = sessions.plan_checked(pdb, "Bendan Kergon", "Merajut", "2024-07-02")
    assert first["warnings"] == []
    sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-07-09")  # another start: no warning
    second = sessions.plan_checked(pdb, "bendan kergon", "MERAJUT", "2024-07-02")
    assert second["warnings"] == [f"session {first['session']['id']} (Bendan Kergon · Merajut) already starts on "
                                  "2024-07-02; planned another one."]
    third = sessions.plan_checked(pdb, "Bendan Kergon", "Merajut", "2024-07-02")
    assert third["warnings"] == [f"sessions {first['session']['id']}, {second['session']['id']} "
                                 "(Bendan Kergon · Merajut) already start on 2024-07-02; planned another one."]
    assert count(pdb, "session", "start_date = '2024-07-02'") == 3
    sessions.cancel(pdb, first["session"]["id"])
    sessions.cancel(pdb, second["session"]["id"])
    sessions.cancel(pdb, third["session"]["id"])
    assert sessions.plan_checked(pdb, "Bendan Kergon", "Merajut", "2024-07-02")["warnings"] == []  # cancelled ones don't count


def test_move_rechecks_the_age_rule_on_the_new_first_day(pdb):
    a = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2030-07-02")
    # 64 on 2030-07-02, 65 on 2031-01-06
    old = factories.make_participant(pdb, "3375014501660001", "Siti Aminah", birth_date="1966-01-05")
    factories.enroll_direct(pdb, old, a["id"])
    late = factories.make_participant(pdb, "3375010401660002", "Budi Santoso", sex="L", birth_date="1966-01-04")
    factories.enroll_direct(pdb, late, a["id"], status="waitlisted")
    gone = factories.make_participant(pdb, "3375010107600003", "Gone", sex="L", birth_date="1960-07-01")
    factories.enroll_direct(pdb, gone, a["id"], status="withdrawn")  # withdrawn people don't count
    young = factories.make_participant(pdb, "3375015508950004", "Rina", birth_date="1995-08-15")
    factories.enroll_direct(pdb, young, a["id"])
    audits = count(pdb, "audit_log")
    with pytest.raises(Conflict) as e:
        sessions.move(pdb, a["id"], "2031-01-06")
    assert str(e.value) == (
        "Move refused: on 2031-01-06, 2 participant(s) would be outside the age rule 15–64 "
        "(first: Siti Aminah, 337501******0001, 65). Withdraw or move them first "
        f"(see `pelatihan participant list --session {a['id']}`).")
    # nothing written
    assert sessions.get_session(pdb, a["id"])["days"] == ["2030-07-02", "2030-07-03"]
    assert pdb.execute("SELECT start_date FROM session WHERE id = ?", [a["id"]]).fetchone() == ("2030-07-02",)
    assert pdb.execute("SELECT DISTINCT year FROM enrollment").fetchall() == [(2030,)]
    assert count(pdb, "audit_log") == audits
    # the day before the 65th birthday is still fine; so is any day once the rule allows it
    assert sessions.move(pdb, a["id"], "2031-01-03")["days"][0] == "2031-01-03"
    settings.set_value(pdb, "age_max", "70")
    assert sessions.move(pdb, a["id"], "2031-01-06")["days"] == ["2031-01-06", "2031-01-07"]


def test_move_names_a_young_participant_with_the_age_min(pdb):
    a = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2030-07-02")
    kid = factories.make_participant(pdb, "3375014507150001", "Ayu", birth_date="2015-07-05")  # 15 on 2030-07-05
    factories.enroll_direct(pdb, kid, a["id"])
    with pytest.raises(Conflict, match=r"on 2030-07-02, 1 participant\(s\) would be outside the age rule 15–64 "
                                       r"\(first: Ayu, 337501\*\*\*\*\*\*0001, 14\)"):
        sessions.move(pdb, a["id"], "2030-07-02")
    assert sessions.move(pdb, a["id"], "2030-07-05")["days"][0] == "2030-07-05"


def test_instructor_update_skills_phone_and_name_in_one_change(pdb):
    r = instructors.update(pdb, "siti aminah", add_skills=["Tas", "merajut"], remove_skills=["kerajinan"],
                           phone="0813 4567 2910", rename="Siti Aminah Rahayu")
    assert r == {"name": "Siti Aminah Rahayu", "old_name": "Siti Aminah", "skills": ["Merajut", "Tas"],
                 "added": ["Tas"], "removed": ["Kerajinan"], "new_skills": 1,
                 "changed": ["name", "skills", "phone"]}
    assert pdb.execute("SELECT name, name_key, phone FROM instructor WHERE name LIKE 'Siti%'").fetchall() == [
        ("Siti Aminah Rahayu", "sitiaminahrahayu", "+6281345672910")]
    assert instructors.show(pdb, "Siti Aminah Rahayu")["skills"] == ["Merajut", "Tas"]
    logged = pdb.execute("SELECT changes FROM audit_log WHERE action = 'instructor.update'").fetchall()
    assert [json.loads(c) for (c,) in logged] == [{"instructor": 1, "skill_added": 1, "skill_removed": 1,
                                                  "new_skills": 1, "phone": 1, "renamed": 1}]
    # the same values again: nothing changed, nothing logged; '' clears the phone
    assert instructors.update(pdb, "Siti Aminah Rahayu", add_skills=["Tas"], rename="Siti Aminah Rahayu")["changed"] == []
    assert count(pdb, "audit_log", "action = 'instructor.update'") == 1
    assert instructors.update(pdb, "Siti Aminah Rahayu", phone="")["changed"] == ["phone"]
    assert pdb.execute("SELECT phone FROM instructor WHERE name_key = 'sitiaminahrahayu'").fetchone() == (None,)
    # a rename that only changes the spelling of the same name is allowed
    assert instructors.update(pdb, "dewi lestari", rename="DEWI Lestari")["name"] == "DEWI Lestari"


def test_instructor_update_refusals_write_nothing(pdb):
    s = sessions.plan(pdb, "Bendan Kergon", "Merajut", "2024-07-02", instructors=["Siti Aminah"])
    before = (pdb.execute("SELECT * FROM instructor ORDER BY id").fetchall(),
              pdb.execute("SELECT * FROM instructor_skill ORDER BY 1, 2").fetchall(), count(pdb, "audit_log"))
    cases = [
        (ValidationError, r"^Nothing to change: give --add-skill, --remove-skill, --phone, --rename, --tax-category, "
                          r"--golongan and/or --bank-account\.$", {}),
        (Conflict, rf"Cannot remove 'Merajut' from instructor 'Siti Aminah': they are booked on session "
                   rf"{s['id']} \(Bendan Kergon · Merajut, from 2024-07-02\)", {"remove_skills": ["merajut"]}),
        (Conflict, r"Cannot rename 'Siti Aminah' to 'dewi lestari': instructor 'Dewi Lestari' already exists",
         {"rename": "dewi lestari", "add_skills": ["Tas"]}),
        (ValidationError, r"Phone '12'", {"phone": "12", "add_skills": ["Tas"]}),
        (ValidationError, r"does not teach 'Batik' \(teaches: Kerajinan, Merajut\)", {"remove_skills": ["Batik"]}),
        (ValidationError, r"'Tas' is given to both --add-skill and --remove-skill", {"add_skills": ["Tas"],
                                                                                      "remove_skills": ["tas"]}),
        (ValidationError, r"name is empty", {"rename": "  "}),
    ]
    for exc, pattern, kwargs in cases:
        with pytest.raises(exc, match=pattern):
            instructors.update(pdb, "Siti Aminah", **kwargs)
    with pytest.raises(ValidationError, match="'Dewi Lestari' would teach no skill"):
        instructors.update(pdb, "Dewi Lestari", remove_skills=["Desain Produk & Kemasan"])
    with pytest.raises(NotFound, match="Unknown instructor 'Sita Aminah'. Did you mean 'Siti Aminah'"):
        instructors.update(pdb, "Sita Aminah", add_skills=["Tas"])
    assert (pdb.execute("SELECT * FROM instructor ORDER BY id").fetchall(),
            pdb.execute("SELECT * FROM instructor_skill ORDER BY 1, 2").fetchall(), count(pdb, "audit_log")) == before
    assert skills.list_skills(pdb) and "Tas" not in [x["name"] for x in skills.list_skills(pdb)]
    # once the session is cancelled the skill can go
    sessions.cancel(pdb, s["id"])
    assert instructors.update(pdb, "Siti Aminah", remove_skills=["Merajut"])["skills"] == ["Kerajinan"]
