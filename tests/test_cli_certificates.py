"""Certificates: numbered once, printed (QR code decoded from the rendered page), verified
offline, revoked; birthplace and work status on the participant record."""

from __future__ import annotations

import json

import pytest

from tests.factories import enroll_direct, make_participant, make_session

NIK_A = "3375014207900001"
NIK_B = "3375011503850002"
NIK_C = "3375016203920003"


@pytest.fixture
def done_session(db, monkeypatch):
    """Session 1 (2-3 July 2024): A and B present on both days, C on day 1 only."""
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-07-10")
    sid = make_session(db)
    people = {}
    for nik, name in ((NIK_A, "Siti Aminah"), (NIK_B, "Budi Santoso"), (NIK_C, "Rina Lestari")):
        pid = make_participant(db, nik, name, birth_date="1990-07-02")
        people[nik] = enroll_direct(db, pid, sid)
    for nik, eid in people.items():
        days = (1,) if nik == NIK_C else (1, 2)
        for d in days:
            db.execute("INSERT INTO attendance (enrollment_id, day_no, present) VALUES (?, ?, 1)", [eid, d])
    db.execute("UPDATE participant SET birth_place = 'Pekalongan' WHERE nik = ?", [NIK_A])
    db.conn.commit()
    return sid


def _certs(db):
    return db.execute("SELECT p.nik, c.number, c.code, c.revoked_at FROM certificate c JOIN enrollment e "
                      "ON e.id = c.enrollment_id JOIN participant p ON p.id = e.participant_id ORDER BY c.seq").fetchall()


def test_issue_numbers_every_completer_once(cli, db, done_session):
    r = cli("certificate", "issue", "1", "--format", "json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["issued"], out["already"]) == (2, 0)
    # by name: Budi before Siti; C did not complete
    assert [(n, num) for n, num, _c, _r in _certs(db)] == [
        (NIK_B, "0001/PKW/DINPERINAKER/2024"), (NIK_A, "0002/PKW/DINPERINAKER/2024")]
    again = json.loads(cli("certificate", "issue", "1", "--format", "json").stdout)
    assert (again["issued"], again["already"]) == (0, 2)
    # C completes later: the next number; the earlier ones do not move
    eid = db.execute("SELECT e.id FROM enrollment e JOIN participant p ON p.id = e.participant_id WHERE p.nik = ?",
                     [NIK_C]).fetchone()[0]
    db.execute("INSERT INTO attendance (enrollment_id, day_no, present) VALUES (?, 2, 1)", [eid])
    db.conn.commit()
    assert cli("config", "set", "certificate_number_pattern", "SRT-{year}-{seq:03d}").exit_code == 0
    assert cli("certificate", "issue", "--programme", "2024").exit_code == 0
    assert [num for _n, num, _c, _r in _certs(db)] == [
        "0001/PKW/DINPERINAKER/2024", "0002/PKW/DINPERINAKER/2024", "SRT-2024-003"]


def test_issuing_none_says_why(cli, db, monkeypatch):
    """'Issued 0 certificate(s)' alone left the operator guessing: nobody enrolled, or the
    attendance not yet marked (a certificate needs every day present)."""
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-07-10")
    sid = make_session(db)
    r = cli("certificate", "issue", str(sid))
    assert r.exit_code == 0 and "Issued 0 certificate(s)" in r.stdout
    assert "Warning: Nobody to certify: nobody is enrolled." in r.stderr
    enroll_direct(db, make_participant(db, NIK_A, "Siti Aminah", birth_date="1990-07-02"), sid)
    db.conn.commit()
    r = cli("certificate", "issue", str(sid), "--format", "json")
    assert json.loads(r.stdout)["hint"] == (
        "Nobody has completed yet: a certificate goes to who was present on every training day, and attendance "
        "is marked for 0 of 2 session day(s) (`pelatihan attendance mark`).")
    assert _certs(db) == []


def test_a_number_never_changes_nor_is_deleted(db, done_session):
    import sqlite3

    from pelatihan_cli.services import certificates

    certificates.issue(db, session_id=done_session)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE certificate SET number = 'X' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("DELETE FROM certificate")


def test_pattern_without_seq_is_refused(cli):
    r = cli("config", "set", "certificate_number_pattern", "PKW/{year}")
    assert r.exit_code == 1 and "{seq}" in r.stderr


def _qr_codes(pdf_path, page=0):
    pdfium = pytest.importorskip("pypdfium2")
    zxingcpp = pytest.importorskip("zxingcpp")
    doc = pdfium.PdfDocument(str(pdf_path))
    image = doc[page].render(scale=3).to_pil()
    return [b.text for b in zxingcpp.read_barcodes(image)]


def test_printed_qr_code_verifies_and_a_tampered_code_is_refused(cli, db, done_session, tmp_path):
    assert cli("certificate", "issue", "1").exit_code == 0
    pdf = tmp_path / "s.pdf"
    r = cli("certificate", "print", "1", "-o", pdf, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["pages"] == 2
    (code,) = _qr_codes(pdf, page=1)  # page 2: Siti Aminah
    assert code == [c for n, _num, c, _r in _certs(db) if n == NIK_A][0]
    r = cli("certificate", "verify", code, "--format", "json")
    assert r.exit_code == 0
    v = json.loads(r.stdout)
    assert (v["status"], v["number"], v["name"]) == ("valid", "0002/PKW/DINPERINAKER/2024", "Si** Am****")
    assert cli("certificate", "verify", code.lower().replace("-", " ")).exit_code == 0  # typed by hand
    last = "2" if code[-1] != "2" else "3"
    tampered = code[:-1] + last
    r = cli("certificate", "verify", tampered)
    assert r.exit_code == 1 and r.stdout.startswith("UNKNOWN")
    # the page prints the full place and date of birth, and the print was logged as a reveal
    from pypdf import PdfReader

    page = PdfReader(str(pdf)).pages[1].extract_text()
    assert "Pekalongan, 2 Juli 1990" in page and "0002/PKW/DINPERINAKER/2024" in page
    assert "SERTIFIKAT" in page and "2 s.d. 3 Juli 2024" in page
    page0 = PdfReader(str(pdf)).pages[0].extract_text()
    assert "Budi Santoso" in page0 and ": 2 Juli 1990" in page0  # no birthplace: the date only
    assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'certificate.print'").fetchone()[0] == 1
    # an existing file is kept unless --force
    r = cli("certificate", "print", "1", "-o", pdf)
    assert r.exit_code == 1 and r.stderr == f"Error: {pdf} already exists; choose another file name, or add --force to overwrite it.\n"


def test_revoke_then_verify_says_revoked_and_print_skips_it(cli, db, done_session, tmp_path):
    assert cli("certificate", "issue", "1").exit_code == 0
    code = _certs(db)[0][2]
    r = cli("certificate", "revoke", "0001/PKW/DINPERINAKER/2024", "--reason", "data salah")
    assert r.exit_code == 0, r.stderr
    r = cli("certificate", "verify", code)
    assert r.exit_code == 1 and r.stdout.startswith("REVOKED") and "data salah" in r.stdout
    assert cli("certificate", "revoke", "0001/PKW/DINPERINAKER/2024", "--reason", "x").exit_code == 1
    r = cli("certificate", "print", "1", "-o", tmp_path / "x.pdf", "--format", "json")
    assert json.loads(r.stdout)["numbers"] == ["0002/PKW/DINPERINAKER/2024"]
    r = cli("certificate", "list", "1", "--format", "json")
    assert [c["status"] for c in json.loads(r.stdout)] == ["revoked", "valid"]
    assert json.loads(r.stdout)[0]["nik"] == "337501******0002"


def test_birth_place_and_work_status_on_enroll_and_update(cli, db, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-06-01")
    make_session(db)
    r = cli("participant", "enroll", "1", NIK_A, "--name", "Siti Aminah", "--birth-place", " Batang ",
            "--work-status", "Wirausaha")
    assert r.exit_code == 0, r.stderr
    assert db.execute("SELECT birth_place, work_status FROM participant").fetchone() == ("Batang", "self-employed")
    assert cli("participant", "update", NIK_A, "--work-status", "belum bekerja").exit_code == 0
    assert db.execute("SELECT work_status FROM participant").fetchone()[0] == "seeking"
    r = cli("participant", "update", NIK_A, "--work-status", "pensiun")
    assert r.exit_code == 1 and "not a work status" in r.stderr


def test_import_stores_birth_place_and_work_status(cli, db, tmp_path, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-06-01")
    make_session(db)
    f = tmp_path / "p.csv"
    f.write_text("NIK,Nama,Tempat/Tgl Lahir,Status Pekerjaan,Sesi\n"
                 f"{NIK_A},Siti Aminah,\"Pekalongan, 02-07-1990\",Bekerja,1\n"
                 f"{NIK_B},Budi Santoso,,Melanjutkan kuliah,1\n")
    r = cli("participant", "import", f)
    assert r.exit_code == 0, r.stderr
    rows = db.execute("SELECT nik, birth_place, work_status FROM participant ORDER BY nik").fetchall()
    assert rows == [(NIK_B, None, "studying"), (NIK_A, "Pekalongan", "employed")]


def test_a_session_with_valid_certificates_cannot_be_cancelled_even_with_force(cli, tmp_path, monkeypatch):
    """A certificate in someone's hands would still verify for a cancelled training."""
    import shutil
    import sqlite3
    from pathlib import Path

    db = tmp_path / "v1.db"
    shutil.copy(Path(__file__).parent / "data" / "v1_pekalongan_2024.db", db)
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-07-03")
    assert cli("--db", db, "certificate", "issue", "1").exit_code == 0
    r = cli("--db", db, "session", "cancel", "1", "--yes", "--force")
    assert r.exit_code == 1 and "20 certificate(s) issued and not revoked" in r.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT status FROM session WHERE id = 1").fetchone() == ("planned",)
    assert conn.execute("SELECT count(*) FROM enrollment WHERE session_id = 1 AND cancelled = 1").fetchone() == (0,)
    conn.close()
