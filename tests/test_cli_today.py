"""`pelatihan today` and the day words (issue 13, point 6)."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def week(cli, pekalongan_db, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-07-01")
    from pelatihan_cli.services import instructors

    instructors.add(pekalongan_db, "Siti Aminah", ["Merajut"])
    for args in (["Medono", "--skill", "Merajut", "--start", "2024-07-01", "-i", "Siti Aminah", "--venue", "Aula"],
                 ["Podosugih", "--skill", "Merajut", "--start", "2024-07-03"],
                 ["Klego", "--skill", "Merajut", "--start", "2024-07-15"]):
        r = cli("session", "plan", *args)
        assert r.exit_code == 0, r.stderr
    r = cli("participant", "enroll", "1", "3375015207900001", "--name", "Sri Wahyuni",
            "--kelurahan", "Medono")
    assert r.exit_code == 0, r.stderr
    return cli


def test_today_lists_this_week_with_what_is_missing_and_the_rosters(week):
    r = week("today", "--format", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert (data["today"], data["until"]) == ("2024-07-01", "2024-07-08")
    assert [(d["date"], [s["id"] for s in d["sessions"]]) for d in data["days"]] == [
        ("2024-07-01", [1]), ("2024-07-02", [1]), ("2024-07-03", [2]), ("2024-07-04", [2])]
    first = data["days"][0]["sessions"][0]
    assert (first["day"], first["of_days"], first["problems"]) == (1, 2, ["19 seat(s) free"])
    assert data["days"][2]["sessions"][0]["problems"] == ["no instructor", "no venue", "nobody enrolled"]
    assert data["rosters"] == ["2024-07-01", "2024-07-02", "2024-07-03", "2024-07-04"]
    table = week("today").stdout
    assert "Senin, 1 Juli 2024 (hari ini)" in table and "Klego" not in table  # the 15th is next week
    assert "pelatihan roster 2024-07-03 --format pdf --output daftar-hadir-2024-07-03.pdf" in table


@pytest.mark.parametrize("word, iso", [("today", "2024-07-01"), ("hari-ini", "2024-07-01"), ("Hari ini", "2024-07-01"),
                                       ("besok", "2024-07-02"), ("tomorrow", "2024-07-02"), ("kemarin", "2024-06-30")])
def test_day_words_in_date_arguments(week, word, iso):
    r = week("session", "list", "--date", word, "--format", "json")
    assert r.exit_code == 0, r.stderr
    expected = {"2024-07-01": [1], "2024-07-02": [1], "2024-06-30": []}[iso]
    assert [s["id"] for s in json.loads(r.stdout)] == expected
    r = week("roster", word, "--format", "json")
    assert r.exit_code == 0


def test_besok_on_a_friday_and_session_plan_start_word(week, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-07-05")  # a Friday: tomorrow is a Saturday
    r = week("session", "plan", "Pringrejo", "--skill", "Merajut", "--start", "besok")
    assert r.exit_code == 1 and "Saturday 2024-07-06 is not a working day" in r.stderr
    r = week("session", "plan", "Pringrejo", "--skill", "Merajut", "--start", "today", "-f", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["days"][0] == "2024-07-05"
