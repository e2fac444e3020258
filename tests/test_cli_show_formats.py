"""`show --format csv|json` carries the main fields: one CSV row with the scalar fields,
nested lists joined with '; ' (the JSON has them whole)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from factories import enroll_direct, make_participant
from pelatihan_cli.db import open_db

NIK = "3375014107900001"


@pytest.fixture
def setup(cli, db_path, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-06-03")
    assert cli("init", "--pekalongan").exit_code == 0
    assert cli("instructor", "add", "Siti Aminah", "--skill", "Merajut", "--phone", "081234567890").exit_code == 0
    r = cli("session", "plan", "Medono", "--skill", "Merajut", "--start", "2024-07-02", "-i", "Siti Aminah")
    assert r.exit_code == 0, r.output
    db = open_db(db_path)
    try:
        enroll_direct(db, make_participant(db, NIK, "Ani Lestari", kelurahan="Medono"), 1)
    finally:
        db.conn.close()
    return cli


def one_row(text):
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1, text
    return rows[0]


def test_session_show_csv_and_json(setup):
    row = one_row(setup("session", "show", "1", "-f", "csv").stdout)
    assert (row["id"], row["kelurahan"], row["skill"], row["capacity"], row["venue"] is not None) == \
        ("1", "Medono", "Merajut", "20", True)
    assert row["days"] == "2024-07-02; 2024-07-03" and row["instructors"] == "Siti Aminah"
    assert row["enrolled"] == "1" and row["status"] == "planned"
    data = json.loads(setup("session", "show", "1", "-f", "json").stdout)
    assert data["days"] == ["2024-07-02", "2024-07-03"] and data["instructors"] == ["Siti Aminah"]


def test_participant_show_csv_and_json(setup):
    row = one_row(setup("participant", "show", NIK, "-f", "csv").stdout)
    assert (row["nik"], row["name"], row["sex"], row["kelurahan"], row["birth_date"]) == \
        ("337501******0001", "Ani Lestari", "P", "Medono", "1990-**-**")
    assert row["phone"] and row["address"] == "Jl. Merdeka 1"
    assert row["enrollments"].startswith("session 1 Medono Merajut 2024-07-02: enrolled")
    data = json.loads(setup("participant", "show", NIK, "-f", "json").stdout)
    assert data["name"] == "Ani Lestari" and data["enrollments"][0]["session_id"] == 1


def test_instructor_show_csv_and_json(setup):
    row = one_row(setup("instructor", "show", "Siti Aminah", "-f", "csv").stdout)
    assert row["name"] == "Siti Aminah" and row["skills"] == "Merajut"
    assert row["phone"].startswith("0812") and "*" in row["phone"]  # masked without --show-nik
    assert row["booked_days"] == ("2024-07-02 session 1 (Medono, Merajut); "
                                  "2024-07-03 session 1 (Medono, Merajut)")
    assert "tax_category" in row and "bank_account" in row
    data = json.loads(setup("instructor", "show", "Siti Aminah", "-f", "json").stdout)
    assert len(data["booked_days"]) == 2


def test_programme_show_csv_and_json(setup):
    row = one_row(setup("programme", "show", "2024", "-f", "csv").stdout)
    assert (row["id"], row["year"], row["sessions"]) == ("1", "2024", "1")
    assert row["start_date"] and row["title_line"]
    assert row["doc_letterhead_1"]  # the document settings as doc_* columns
    data = json.loads(setup("programme", "show", "2024", "-f", "json").stdout)
    assert data["year"] == 2024 and "documents" in data
