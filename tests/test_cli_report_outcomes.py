"""`pelatihan report summary` and `report certificates` end to end."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from factories import enroll_direct, make_participant, make_session
from pelatihan_cli.services import attendance


@pytest.fixture
def done(db):
    s1 = make_session(db, capacity=4)
    s2 = make_session(db, kelurahan="Krapyak", kecamatan="Pekalongan Utara", capacity=2)
    for i, sid in enumerate((s1, s1, s2), start=1):
        enroll_direct(db, make_participant(db, f"337501410790000{i}", f"Nama {i}"), sid)
    for day in (1, 2):
        attendance.mark(db, s1, day, all_enrolled=True, today=dt.date(2024, 8, 1))
    return s1, s2


def test_summary_json_keys_and_table_totals(cli, done):
    r = cli("report", "summary", "--format", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert list(data[0]) == ["programme", "kelurahan", "kecamatan", "kabupaten", "sessions", "capacity", "enrolled", "waitlisted",
                             "completed", "ak1"]
    assert [(d["kelurahan"], d["enrolled"], d["completed"]) for d in data] == [
        ("Bendan Kergon", 2, 2), ("Krapyak", 1, 0)]
    r = cli("report", "summary")
    lines = r.stdout.splitlines()
    total = next(line for line in lines if "City total" in line).split()
    assert total[2:6] == ["2", "6", "3", "0"]  # sessions, capacity, enrolled, waitlisted
    assert total[-4:] == ["2", "2", "2", "0"]  # day 1, day 2, done, AK1
    assert any("Pekalongan Barat total" in line and "█" in line for line in lines)
    assert any("░" in line for line in lines)


def test_certificates_needs_a_session_or_all(cli, done, tmp_path):
    assert cli("report", "certificates").exit_code == 2
    assert cli("report", "certificates", "1", "--all").exit_code == 2
    r = cli("report", "certificates", "--all", "--format", "csv")
    assert r.stdout.splitlines()[0] == "session_id,programme,nik,name,sex,kelurahan,kecamatan,skill,start_date,end_date,days"
    assert len(r.stdout.splitlines()) == 3
    r = cli("report", "certificates", "2", "--format", "json")
    assert json.loads(r.stdout) == []
    openpyxl = pytest.importorskip("openpyxl")
    r = cli("report", "certificates", "--all", "-f", "xlsx", "-o", tmp_path / "c.xlsx")
    assert r.exit_code == 0 and "Wrote 2 completed participant(s)" in r.stdout
    ws = openpyxl.load_workbook(tmp_path / "c.xlsx").active
    assert [c.value for c in ws[1]][:3] == ["Sesi", "Program", "NIK"]
    assert ws.cell(row=2, column=4).value == "Nama 1"
    # an existing file: refused without --force (xlsx and csv/json alike), overwritten with it
    for args in (["-f", "xlsx", "-o", tmp_path / "c.xlsx"], ["-f", "csv", "-o", tmp_path / "c.xlsx"]):
        r = cli("report", "certificates", "--all", *args)
        assert (r.exit_code, r.stderr) == (1, f"Error: {tmp_path / 'c.xlsx'} already exists; choose another file "
                                              "name, or add --force to overwrite it.\n"), args
    r = cli("report", "certificates", "--all", "-f", "csv", "-o", tmp_path / "c.xlsx", "--force")
    assert r.exit_code == 0 and (tmp_path / "c.xlsx").read_text().startswith("session_id,")


def test_summary_table_fits_80_columns_and_a_kecamatan_has_no_city_total(cli, done, monkeypatch):
    from pelatihan_cli.cli import _common

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(_common, "_console", None)  # a console made at 80 columns
    r = cli("report", "summary")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in r.stdout  # no column cut: D1, D2, Done and AK1 all shown
    header = next(line for line in lines if "Kelurahan" in line).split()
    assert header[-4:] == ["D1", "D2", "Done", "AK1"]
    r = cli("report", "summary", "--kecamatan", "pekalongan utara")
    assert r.exit_code == 0, r.stderr
    assert "Pekalongan Utara total" in r.stdout and "City total" not in r.stdout
    assert "Bendan Kergon" not in r.stdout
