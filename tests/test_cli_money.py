"""budget set/show, report budget, receipt transport/honorarium/realisation/list, instructor
tax data: exit codes, output, files, and the rows written."""

from __future__ import annotations

import json

from tests.test_services_budget import _mark, _world

RATE_FILE = "data/budget_2024.csv"


def test_budget_set_from_the_bundled_rate_file_and_show(cli, db):
    from tests.factories import programme_id

    programme_id(db, 2024)
    r = cli("budget", "set", "-p", "2024", "--file", RATE_FILE, "-f", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["ceiling"] == 600_000_000
    assert {x["line"]: x["rate"] for x in data["lines"]}["transport"] == 50_000
    r = cli("budget", "show", "-p", "2024")
    assert r.exit_code == 0 and "Rp 600.000.000" in r.stdout and "Uang transport peserta" in r.stdout
    r = cli("budget", "set", "-p", "2024", "--transport", "50.000,50")
    assert r.exit_code == 1 and r.stderr.startswith("Error: --transport:") and "no decimals" in r.stderr


def test_report_budget_and_receipts_end_to_end(cli, db, tmp_path, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-07-10")
    pid, s1, s2, enr = _world(db)
    for e in enr[s1][:3]:
        _mark(db, e, 1)
    r = cli("report", "budget", "-p", "2024", "-f", "json")
    assert r.exit_code == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["realised"] == sum(x["realised"] for x in rep["rows"])
    r = cli("report", "budget", "-p", "2024", "--by", "kelurahan")
    assert r.exit_code == 0 and "Medono" in r.stdout and "over the ceiling" in r.stderr
    r = cli("receipt", "transport", str(s1), "--day", "1")
    assert r.exit_code == 0 and "draft" in r.stdout and "Rp 150.000" in r.stdout and "******" in r.stdout
    pdf = tmp_path / "t.pdf"
    r = cli("receipt", "transport", str(s1), "--day", "1", "-o", pdf, "--bank")
    assert r.exit_code == 0, r.stderr
    assert "Froze version 1" in r.stdout and pdf.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    text = PdfReader(str(pdf)).pages[0].extract_text()
    assert "DAFTAR PENERIMAAN UANG TRANSPORT PESERTA" in text and "Seratus lima puluh ribu rupiah" in text
    assert "Bendahara Pengeluaran" in text and "No. Rekening" in text and "3375014107" not in text
    r = cli("receipt", "transport", str(s1), "--day", "1", "-o", pdf)
    assert r.exit_code == 1 and "already exists" in r.stderr
    _mark(db, enr[s1][3], 1)
    r = cli("receipt", "transport", str(s1), "--day", "1", "-o", tmp_path / "again.xlsx")
    assert r.exit_code == 0 and "Reprinted version 1" in r.stdout and "superseded" in r.stderr
    r = cli("report", "budget", "-p", "2024")
    assert "is superseded" in r.stderr and "Rp 200.000" in r.stderr
    r = cli("receipt", "transport", str(s1), "--day", "1", "-o", tmp_path / "v2.pdf", "--reissue",
            "--reason", "absen dikoreksi", "-f", "json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["version"], out["status"], out["total"]) == (2, "reissued", 200_000)
    r = cli("receipt", "list", "-p", "2024", "-f", "json")
    assert [(v["version"], v["status"]) for v in json.loads(r.stdout)] == [(1, "replaced"), (2, "current")]
    r = cli("receipt", "honorarium", "-p", "2024", "-o", tmp_path / "h.xlsx")
    assert r.exit_code == 0, r.stderr
    r = cli("receipt", "realisation", "-p", "2024", "-o", tmp_path / "r.pdf")
    assert r.exit_code == 0 and (tmp_path / "r.pdf").exists()
    text = PdfReader(str(tmp_path / "r.pdf")).pages[0].extract_text()
    assert "REKAPITULASI REALISASI ANGGARAN" in text and "10.000.000" in text
    r = cli("receipt", "transport", str(s1), "--day", "1", "-o", tmp_path / "x.txt")
    assert r.exit_code == 2


def test_instructor_tax_data_is_masked_unless_show_nik(cli, db):
    assert cli("instructor", "add", "Ibu Satu", "--skill", "Merajut").exit_code == 0
    r = cli("instructor", "update", "Ibu Satu", "--tax-category", "pns")
    assert r.exit_code == 1 and "--golongan" in r.stderr
    r = cli("instructor", "update", "Ibu Satu", "--tax-category", "pns", "--golongan", "3",
            "--bank-account", "BRI 0123456789")
    assert r.exit_code == 0, r.stderr
    assert db.execute("SELECT tax_category, golongan, bank_account FROM instructor").fetchone() == \
        ("pns", "III", "BRI 0123456789")
    shown = json.loads(cli("instructor", "show", "Ibu Satu", "-f", "json").stdout)
    assert shown["tax_category"] == "***" and shown["bank_account"].endswith("6789") and "0123" not in shown["bank_account"]
    shown = json.loads(cli("instructor", "show", "Ibu Satu", "--show-nik", "-f", "json").stdout)
    assert (shown["tax_category"], shown["golongan"]) == ("pns", "III")
    r = cli("instructor", "update", "Ibu Satu", "--tax-category", "non-pns")
    assert r.exit_code == 0 and db.execute("SELECT golongan FROM instructor").fetchone()[0] is None


def test_document_settings_for_the_signature_blocks(cli, db):
    assert cli("config", "set", "doc_pptk_nip", "1970").exit_code == 1
    assert cli("config", "set", "doc_bendahara_name", "Sri Wahyuni").exit_code == 0
    assert cli("config", "set", "pph21_non_pns", "2,5").exit_code == 0
    assert cli("config", "set", "pph21_non_pns", "2.555").exit_code == 1


def test_auto_plan_and_session_import_warn_when_the_plan_passes_the_ceiling(cli, pekalongan_db, tmp_path, monkeypatch):
    from pelatihan_cli.resources import data_path

    monkeypatch.setenv("PELATIHAN_TODAY", "2024-06-03")
    assert cli("instructor", "import", str(data_path("instructors_2024.csv"))).exit_code == 0
    assert cli("programme", "add", "PKW 2024", "--year", "2024").exit_code == 0
    assert cli("budget", "set", "-p", "2024", "--file", str(data_path("budget_2024.csv"))).exit_code == 0
    assert cli("budget", "set", "-p", "2024", "--ceiling", "10.000.000").exit_code == 0
    r = cli("session", "auto-plan", "--from", "2024-07-01", "--to", "2024-08-27", "--requests",
            str(data_path("programme_2024.csv")), "--max-per-day", "2", "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert "over its ceiling of Rp 10.000.000" in r.stderr
    (tmp_path / "s.csv").write_text("kelurahan,skill,start\nMedono,Tas,2024-09-02\n", encoding="utf-8")
    r = cli("session", "import", tmp_path / "s.csv")
    assert r.exit_code == 0, r.stderr
    assert "over its ceiling of Rp 10.000.000" in r.stderr


def test_a_participants_bank_account_is_recorded_masked_on_the_list_and_erased(cli, db, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-07-10")
    pid, s1, s2, enr = _world(db)
    _mark(db, enr[s1][0], 1)
    nik = db.execute("SELECT p.nik FROM enrollment e JOIN participant p ON p.id = e.participant_id WHERE e.id = ?",
                     [enr[s1][0]]).fetchone()[0]
    r = cli("participant", "update", nik, "--bank-account", "BRI 0123-01-000456-50-7")
    assert r.exit_code == 0, r.stderr
    assert db.execute("SELECT bank_account FROM participant WHERE nik = ?", [nik]).fetchone()[0] == "BRI 0123-01-000456-50-7"
    r = cli("receipt", "transport", str(s1), "--day", "1", "--bank", "-f", "json")
    assert r.exit_code == 0, r.stderr
    shown = [line.get("bank_account") for line in json.loads(r.stdout)["lines"]]
    assert shown[0] and "000456" not in shown[0]  # masked unless --show-nik
    assert cli("participant", "erase", nik, "--yes").exit_code == 0
    assert db.execute("SELECT bank_account FROM participant WHERE id = (SELECT participant_id FROM enrollment "
                      "WHERE id = ?)", [enr[s1][0]]).fetchone()[0] is None


def test_receipt_of_an_unknown_session_is_the_one_sentence(cli, db):
    r = cli("receipt", "transport", "99", "--day", "1")
    assert (r.exit_code, r.stderr) == (1, "Error: No session with id 99; see `pelatihan session list`.\n")
