"""`pelatihan roster DATE` end to end, and the document settings it prints."""

from __future__ import annotations

from pathlib import Path

import json

import pytest

from factories import enroll_direct, make_participant, make_session
from pelatihan_cli.db import open_db


@pytest.fixture
def july(db):
    s1 = make_session(db)
    for i, name in enumerate(["Zoë", "Ani", "Nur’aini"], start=1):
        enroll_direct(db, make_participant(db, f"337501410790000{i}", name), s1)
    enroll_direct(db, make_participant(db, "3375014107900009", "Wati Waitlist"), s1, status="waitlisted")
    return s1


def test_json_has_the_documented_keys_and_order(cli, july):
    r = cli("roster", "2024-07-02", "--format", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert list(data[0]) == ["session_id", "programme", "kelurahan", "kecamatan", "skill", "date", "day", "of_days", "venue",
                             "instructors", "participants"]
    assert [p["name"] for p in data[0]["participants"]] == ["Ani", "Nur’aini", "Zoë"]
    assert list(data[0]["participants"][0]) == ["no", "nik", "name", "sex", "address", "phone"]
    assert data[0]["participants"][0]["nik"] == "337501******0002"


def test_table_shows_session_and_masked_people(cli, july):
    r = cli("roster", "02/07/2024", "--blank", "2")
    assert r.exit_code == 0, r.stderr
    assert "Session 1: Merajut, Bendan Kergon (Pekalongan Barat)" in r.stdout
    assert "Selasa, 2 Juli 2024, day 1 of 2" in r.stdout
    assert "337501******0002" in r.stdout and "0812-****-7890" in r.stdout
    assert "Wati" not in r.stdout
    assert "│  5 │" in r.stdout  # 3 people + 2 blank rows


def test_empty_day_says_so_and_exits_0(cli, july):
    r = cli("roster", "2024-07-05")
    assert r.exit_code == 0
    assert r.stdout.strip() == ("No training day of any session on Jumat, 5 Juli 2024 (2024-07-05). Nearest training "
                                "days: Rabu, 3 Juli 2024 (2024-07-03) before; none after.")
    r = cli("roster", "2024-07-05", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    assert "Nearest training days" in r.stderr
    r = cli("roster", "2024-07-05", "--format", "pdf")
    assert r.exit_code == 0 and "No file was written." in r.stdout


def test_pdf_written_to_output_and_show_nik_logged(cli, july, tmp_path, db_path):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "roster.pdf"
    r = cli("roster", "2024-07-02", "--format", "pdf", "--output", out, "--show-nik")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == f"Wrote the roster of 1 session(s) (3 participant(s), 1 page(s)) to {out}."
    text = pypdf.PdfReader(out).pages[0].extract_text()
    assert "3375014107900002" in text and "Nur’aini" in text and "0812-3456-7890" in text
    db = open_db(db_path)
    rows = db.execute("SELECT action, changes FROM audit_log WHERE action = 'roster.show_nik'").fetchall()
    assert rows == [("roster.show_nik", '{"participants": 3, "sessions": 1}')]


def test_pdf_default_name_in_current_directory(cli, july, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("roster", "2024-07-03", "--format", "pdf")
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "roster-2024-07-03.pdf").read_bytes().startswith(b"%PDF")


def test_xlsx_and_csv(cli, july, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    r = cli("roster", "2024-07-02", "--format", "xlsx", "-o", tmp_path / "r.xlsx")
    assert r.exit_code == 0, r.stderr
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["1 Bendan Kergon Merajut"]
    r = cli("roster", "2024-07-02", "--format", "csv")
    lines = r.stdout.splitlines()
    assert lines[0] == "session_id,programme,date,day,of_days,kelurahan,kecamatan,skill,venue,instructors,no,nik,name,sex,address,phone"
    assert lines[1].startswith("1,Pelatihan Kewirausahaan 2024,2024-07-02,1,2,Bendan Kergon,Pekalongan Barat,Merajut,Aula Kelurahan,,1,337501******0002,Ani,")
    assert len(lines) == 4


def test_errors(cli, july):
    r = cli("roster", "2024-02-30")
    assert r.exit_code == 1 and "is not a real date" in r.stderr
    r = cli("roster", "2024-07-02", "--session", "42")
    assert r.exit_code == 1 and r.stderr == "Error: No session with id 42; see `pelatihan session list`.\n"
    r = cli("roster", "2024-07-02", "--output", "x.txt")
    assert r.exit_code == 2
    # a PDF under an .xlsx name (or any other) would not open: refused, nothing written
    for fmt, name in (("pdf", "daftar.xlsx"), ("xlsx", "daftar.pdf"), ("pdf", "daftar.txt")):
        r = cli("roster", "2024-07-02", "--format", fmt, "-o", name)
        assert r.exit_code == 1 and f"give a file name ending in .{fmt}" in r.stderr and not Path(name).exists()
    r = cli("roster", "2024-07-02", "--blank", "-1")
    assert r.exit_code == 2


def test_document_settings_are_listed_checked_and_printed(cli, july, tmp_path):
    r = cli("config", "list", "--format", "json")
    keys = {row["key"]: row for row in json.loads(r.stdout)}
    assert keys["doc_letterhead_2"]["value"] == "DINAS PERINDUSTRIAN DAN TENAGA KERJA"
    assert "doc_funding" not in keys and "doc_programme_title" not in keys  # the programme's own
    r = cli("config", "set", "doc_funding", "Sumber dana: APBD 2025")
    assert r.exit_code == 1 and "programme update PROGRAMME --funding" in r.stderr
    r = cli("config", "set", "doc_officer_nip", "1970-01")
    assert r.exit_code == 1 and "a NIP has 18 digits" in r.stderr
    assert cli("config", "set", "doc_officer_nip", "19700101 199803 1 002").exit_code == 0
    assert cli("config", "set", "doc_officer_name", "  Drs.  Budi Santoso ").exit_code == 0
    pypdf = pytest.importorskip("pypdf")
    cli("roster", "2024-07-02", "-f", "pdf", "-o", tmp_path / "r.pdf")
    text = pypdf.PdfReader(tmp_path / "r.pdf").pages[0].extract_text()
    assert "Drs. Budi Santoso" in text and "NIP. 19700101 199803 1 002" in text
