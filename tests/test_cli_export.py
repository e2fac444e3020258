"""`pelatihan export`: the whole programme in one JSON or xlsx file, masked by default."""

from __future__ import annotations

import json

import pytest

from tests import factories

NIK = "3375014107900001"
NAME = "=HYPERLINK(\"http://x\",\"klik\")"


@pytest.fixture
def programme(pekalongan_db):
    db = pekalongan_db
    sid = factories.make_session(db, capacity=5)
    kid = factories.kelurahan_id(db)
    db.execute(
        "INSERT INTO participant (nik, name, birth_date, sex, address, kelurahan_id, phone, ak1_number) "
        "VALUES (?, ?, '1990-07-01', 'P', '@Jl. Merdeka 1', ?, '+6281234567890', '-12')",
        [NIK, NAME, kid],
    )
    db.execute("INSERT INTO ak1_card (participant_id, number, number_key, issued_on) VALUES (1, '-12', '12', '2024-07-03')")
    db.execute("INSERT INTO enrollment (participant_id, session_id, year, status, seq) VALUES (1, ?, 2024, 'enrolled', 1)", [sid])
    db.execute("INSERT INTO attendance (enrollment_id, day_no, present) VALUES (1, 1, 1), (1, 2, 0)")
    db.execute("INSERT INTO instructor (name, name_key, phone) VALUES ('Bu Ani', 'bu ani', '+6285712345678')")
    db.execute("INSERT INTO instructor_skill VALUES (1, 1)")
    db.execute("INSERT INTO session_instructor VALUES (?, 1)", [sid])
    db.conn.commit()
    return db


def test_json_export_has_every_table_masked(cli, programme, tmp_path):
    out = tmp_path / "programme.json"
    r = cli("export", "--output", out)
    assert r.exit_code == 0, r.stderr
    assert "masked" in r.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"meta", "kelurahan", "skills", "instructors", "holidays", "programmes", "sessions", "participants",
                         "enrollments", "attendance"}
    assert data["meta"]["personal_data_masked"] is True
    assert len(data["kelurahan"]) == 27
    (p,) = data["participants"]
    assert p["nik"] == "337501******0001"
    assert p["birth_date"] == "1990-**-**"
    assert p["phone"] == "+6281*****7890"
    assert p["name"] == NAME  # JSON keeps text verbatim
    assert p["kelurahan"] == "Bendan Kergon"
    (s,) = data["sessions"]
    assert s["dates"] == ["2024-07-02", "2024-07-03"] and s["instructors"] == ["Bu Ani"]
    assert s["kelurahan"] == "Bendan Kergon" and s["skill"] == "Merajut"
    assert data["instructors"][0]["skills"] == ["Merajut"]
    assert data["enrollments"][0]["participant_id"] == p["id"]
    assert [(a["day_no"], a["date"], a["present"]) for a in data["attendance"]] == [
        (1, "2024-07-02", True), (2, "2024-07-03", False)]
    assert NIK not in out.read_text(encoding="utf-8")


def test_show_nik_exports_in_full_and_is_logged(cli, programme, tmp_path):
    out = tmp_path / "full.json"
    r = cli("export", "-o", out, "--show-nik")
    assert r.exit_code == 0, r.stderr
    p = json.loads(out.read_text())["participants"][0]
    assert (p["nik"], p["birth_date"], p["phone"]) == (NIK, "1990-07-01", "+6281234567890")
    actions = [r[0] for r in programme.execute("SELECT action FROM audit_log ORDER BY id")]
    assert "privacy.show_nik" in actions and actions[-1] == "ops.export"
    changes = json.loads(programme.execute("SELECT changes FROM audit_log ORDER BY id DESC").fetchone()[0])
    assert changes["show_nik"] is True and changes["participants"] == 1


def test_xlsx_export_is_formula_safe(cli, programme, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "programme.xlsx"
    r = cli("export", "--format", "xlsx", "--output", out)
    assert r.exit_code == 0, r.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["about", "kelurahan", "skills", "instructors", "holidays", "programmes", "sessions",
                             "participants", "enrollments", "attendance"]
    ws = wb["participants"]
    header = [c.value for c in ws[1]]
    row = dict(zip(header, [c.value for c in ws[2]]))
    assert row["nik"] == "337501******0001"
    assert row["name"] == "'" + NAME
    assert row["address"] == "'@Jl. Merdeka 1"
    assert row["ak1_number"] == "'-12"
    assert row["phone"] == "'+6281*****7890"
    for sheet in wb.worksheets:  # no cell anywhere is a formula
        for r_ in sheet.iter_rows():
            for cell in r_:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    assert dict(zip([c.value for c in wb["sessions"][1]], [c.value for c in wb["sessions"][2]]))["dates"] == "2024-07-02; 2024-07-03"


def test_export_refuses_to_overwrite_without_force(cli, programme, tmp_path):
    out = tmp_path / "x.json"
    out.write_text("keep me")
    r = cli("export", "-o", out)
    assert r.exit_code == 1 and "already exists" in r.stderr and "--force" in r.stderr
    assert out.read_text() == "keep me"
    assert cli("export", "-o", out, "--force").exit_code == 0
    assert json.loads(out.read_text())["meta"]["personal_data_masked"] is True


def test_export_errors(cli, programme, tmp_path):
    r = cli("export", "-o", tmp_path / "missing" / "x.json")
    assert r.exit_code == 1 and "does not exist" in r.stderr
    r = cli("export", "-o", tmp_path / "x.csv", "--format", "csv")
    assert r.exit_code == 2  # usage: only json or xlsx
    r = cli("export")
    assert r.exit_code == 2  # --output is required
