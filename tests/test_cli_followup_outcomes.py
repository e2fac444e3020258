"""Follow-up (tracer study) and the outcome report: statuses read from Indonesian answers,
import intake rules, who is due, wirausaha baru, rates; erasure and merge keep the counts."""

from __future__ import annotations

import json

import pytest

from pelatihan_cli.domain.outcomes import is_new_entrepreneur, parse_income_band, parse_work_status, wa_link
from pelatihan_cli.errors import ValidationError
from tests.factories import enroll_direct, make_participant, make_session

NIKS = ["3375014207900001", "3375011503850002", "3375016203920003", "3375014405950004"]


@pytest.mark.parametrize("typed, status", [
    ("Bekerja (karyawan/buruh)", "employed"), ("wirausaha / usaha sendiri", "self-employed"),
    ("Belum bekerja / mencari kerja", "seeking"), ("BELUM BEKERJA", "seeking"), ("tidak bekerja", "seeking"),
    ("Melanjutkan sekolah / kuliah", "studying"), ("self-employed", "self-employed"), ("employed", "employed"),
    ("Wiraswasta", "self-employed"),
])
def test_statuses_are_read_from_indonesian_answers(typed, status):
    assert parse_work_status(typed) == status


@pytest.mark.parametrize("typed", ["pensiun", "bekerja dan wirausaha", "kuliah sambil bekerja"])
def test_an_answer_naming_none_or_two_statuses_is_refused(typed):
    with pytest.raises(ValidationError):
        parse_work_status(typed)


def test_income_bands_and_links():
    assert parse_income_band("1-2 umk", [1, 2], 2_400_000) == "1-2 UMK"
    assert parse_income_band("Rp 3.000.000", [1, 2], 2_400_000) == "1-2 UMK"
    assert parse_income_band("1,5 juta", [1, 2], 2_400_000) == "< 1 UMK"
    assert parse_income_band("6000000", [1, 2], 2_400_000) == "> 2 UMK"
    with pytest.raises(ValidationError):
        parse_income_band("banyak", [1, 2], 2_400_000)
    assert wa_link("+6281234567890") == "https://wa.me/6281234567890"


def test_new_entrepreneur_rule():
    last = "2024-07-03"
    assert is_new_entrepreneur("self-employed", "2024-08-01", "2024-10-01", None, last)
    assert not is_new_entrepreneur("self-employed", "2019-01-01", "2024-10-01", "seeking", last)  # older business
    assert not is_new_entrepreneur("self-employed", "2024-08-01", "2024-10-01", "self-employed", last)
    assert is_new_entrepreneur("self-employed", None, "2024-10-01", "seeking", last)
    assert not is_new_entrepreneur("self-employed", None, "2024-10-01", None, last)  # nothing says it is new
    assert not is_new_entrepreneur("employed", "2024-08-01", "2024-10-01", "seeking", last)


@pytest.fixture
def trained(db, monkeypatch):
    """Session 1 (2-3 July 2024), four completers; today 15 October 2024."""
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-10-15")
    sid = make_session(db)
    for i, nik in enumerate(NIKS):
        pid = make_participant(db, nik, f"Peserta {i + 1}", sex="P" if i % 2 == 0 else "L")
        eid = enroll_direct(db, pid, sid)
        for d in (1, 2):
            db.execute("INSERT INTO attendance (enrollment_id, day_no, present) VALUES (?, ?, 1)", [eid, d])
    db.execute("UPDATE participant SET work_status = 'seeking' WHERE nik = ?", [NIKS[1]])
    db.conn.commit()
    return sid


SURVEY = ("Cap waktu,NIK,Status pekerjaan saat ini,Nama usaha,Sejak kapan,Penghasilan\n"
          f"15/10/2024 09:00:00,{NIKS[0]},Wirausaha,Kue,01/08/2024,Rp 1.000.000\n"
          f"2024/10/14 10:00:00 AM GMT+7,{NIKS[1]},Wirausaha / usaha sendiri,,,\n"
          f"2024/10/14 11:00:00 AM GMT+7,{NIKS[2]},Bekerja,Toko,,1-2 UMK\n")


def test_followup_import_due_and_outcomes(cli, db, trained, tmp_path):
    r = cli("followup", "due", "--format", "json")
    assert r.exit_code == 0, r.stderr
    due = json.loads(r.stdout)
    assert len(due) == 4 and due[0]["phone"] == "0812-****-7890" and due[0]["wa_link"] is None
    f = tmp_path / "survey.csv"
    f.write_text(SURVEY)
    r = cli("followup", "import", f, "--dry-run", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["recorded"] == 3
    assert db.execute("SELECT count(*) FROM followup").fetchone()[0] == 0
    assert cli("followup", "import", f).exit_code == 0
    assert cli("followup", "import", f, "--format", "json").exit_code == 0  # again: nothing doubled
    assert db.execute("SELECT count(*) FROM followup").fetchone()[0] == 3
    r = cli("followup", "due", "--format", "json", "--show-nik")
    (left,) = json.loads(r.stdout)
    assert left["nik"] == NIKS[3] and left["wa_link"] == "https://wa.me/6281234567890"
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'followup.due.show_nik'").fetchone()[0] == 1
    r = cli("report", "outcomes", "--format", "json")
    assert r.exit_code == 0, r.stderr
    total = json.loads(r.stdout)[0]
    assert {k: total[k] for k in ("completers", "followed_up", "employed", "self_employed", "new_entrepreneurs",
                                  "seeking", "placement_rate_followed_up", "placement_rate_completers",
                                  "reference_rate")} == {
        "completers": 4, "followed_up": 3, "employed": 1, "self_employed": 2, "new_entrepreneurs": 2,
        "seeking": 0, "placement_rate_followed_up": 1.0, "placement_rate_completers": 0.75, "reference_rate": 0.3}
    dims = [(x["dimension"], x["group"]) for x in json.loads(r.stdout)]
    assert ("sex", "Perempuan") in dims and ("kelurahan", "Bendan Kergon") in dims and ("skill", "Merajut") in dims
    # a later answer counts; erasure keeps the counts and clears the free texts
    assert cli("followup", "record", NIKS[0], "--status", "belum bekerja", "--note", "usaha tutup").exit_code == 0
    assert cli("participant", "erase", NIKS[0], "--yes").exit_code == 0
    total = json.loads(cli("report", "outcomes", "--format", "json").stdout)[0]
    assert (total["completers"], total["followed_up"], total["seeking"], total["new_entrepreneurs"]) == (4, 3, 1, 1)
    erased = db.execute("SELECT business, note FROM followup WHERE participant_id = "
                        "(SELECT id FROM participant WHERE nik IS NULL)").fetchall()
    assert erased == [(None, None), (None, None)]
    out = tmp_path / "hasil.xlsx"
    r = cli("report", "outcomes", "-f", "xlsx", "-o", out)
    assert r.exit_code == 0, r.stderr
    from openpyxl import load_workbook

    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Per kelurahan" and len(wb["Per kelurahan"]._charts) == 1


def test_the_call_list_filled_in_by_the_officer_imports_back(cli, db, trained, tmp_path):
    """`followup due -f xlsx` is the officer's call list: the answers written in its 'Status
    sekarang' and 'Catatan' columns import with `followup import` (the header under the title
    block found, the people not reached left out and said); a list written without
    --show-nik has masked NIKs: each answered row is refused saying so, nothing recorded."""
    from openpyxl import load_workbook

    def filled(name, *flags):
        path = tmp_path / name
        assert cli("followup", "due", "-f", "xlsx", "-o", path, *flags).exit_code == 0
        wb = load_workbook(path)
        ws = wb.active
        header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "No")
        cols = {ws.cell(header, c).value: c for c in range(1, 15) if ws.cell(header, c).value}
        ws.cell(header + 1, cols["Status sekarang"], "Wirausaha / usaha sendiri")
        ws.cell(header + 1, cols["Catatan"], "jualan kue")
        ws.cell(header + 3, cols["Status sekarang"], "belum bekerja")
        wb.save(path)
        return path, header

    path, header = filled("panggilan.xlsx", "--show-nik")
    r = cli("followup", "import", path, "--format", "json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["read"], out["recorded"], out["refused"]) == (4, 2, 0)
    assert (f"2 row(s) without an answer (no status, nothing else filled) were left out: "
            f"row(s) {header + 2}, {header + 4}.") in r.stderr
    # the rows the reader left out (title, signature block) are said too
    assert f"Note: row(s) 1–{header - 1} above the header skipped (title)." in r.stderr
    assert any(n.startswith("the table ends at row") or "the table ends at row" in n for n in out["notes"])
    assert db.execute("SELECT p.nik, f.status, f.note FROM followup f JOIN participant p ON p.id = f.participant_id "
                      "ORDER BY p.nik").fetchall() == [(NIKS[0], "self-employed", "jualan kue"),
                                                       (NIKS[2], "seeking", None)]
    path, header = filled("panggilan_masked.xlsx")
    r = cli("followup", "import", path)
    assert r.exit_code == 1
    assert f"  row {header + 1}, NIK " in r.stderr and "the NIK is masked" in r.stderr and "--show-nik" in r.stderr
    assert db.execute("SELECT count(*) FROM followup").fetchone()[0] == 2


def test_followup_import_refuses_bad_rows_and_writes_rejects(cli, db, trained, tmp_path):
    f = tmp_path / "survey.csv"
    f.write_text("Timestamp,NIK,Status\n"
                 f"2024/10/14 10:00:00,{NIKS[0]},Bekerja dan wirausaha\n"
                 "2024/10/14 10:00:00,3375019999990009,Bekerja\n"
                 f"2024/10/14 10:00:00,{NIKS[1]},Bekerja\n"
                 "2024/10/14 11:00:00,,Bekerja\n")
    r = cli("followup", "import", f)
    assert r.exit_code == 1
    assert "row 2, Status" in r.stderr and "row 3, NIK" in r.stderr
    assert "row 5, NIK: NIK is empty" in r.stderr   # an answer without a NIK is refused, never skipped
    assert db.execute("SELECT count(*) FROM followup").fetchone()[0] == 0
    rejects = tmp_path / "ditolak.csv"
    r = cli("followup", "import", f, "--on-error", "skip", "--rejects", rejects)
    assert r.exit_code == 3
    assert db.execute("SELECT count(*) FROM followup").fetchone()[0] == 1
    assert rejects.read_text(encoding="utf-8-sig").count("\n") == 4  # header + 3 refused rows
    assert f"3 row(s) of 4 refused, written to {rejects}; the other rows were recorded." in r.stderr
    # every row refused: no 'other rows' to speak of
    f.write_text("NIK,Status\n3375019999990009,Bekerja\n,Bekerja\n")
    r = cli("followup", "import", f, "--on-error", "skip")
    assert r.exit_code == 3
    assert "Error: 2 row(s) of 2 refused; no row was recorded." in r.stderr


def test_merge_moves_followups(cli, db, trained):
    assert cli("followup", "record", NIKS[3], "--status", "bekerja").exit_code == 0
    pid = make_participant(db, "3375014405950005", "Peserta 4")
    db.execute("UPDATE followup SET participant_id = ?", [pid])
    db.conn.commit()
    r = cli("participant", "merge", NIKS[3], "3375014405950005", "--yes", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["followups"] == 1
    assert db.execute("SELECT p.nik FROM followup f JOIN participant p ON p.id = f.participant_id").fetchone()[0] \
        == NIKS[3]
