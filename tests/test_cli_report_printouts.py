"""The office's printouts (issue 14, point 2): report schedule as PDF/xlsx, and report
waitlist, attendance, contacts and no-shows as table/csv/json/pdf/xlsx with the
programme's letterhead; the contact list's privacy (full numbers and wa.me links only with
--show-nik, logged)."""

from __future__ import annotations

import json

import pytest

from pelatihan_cli.services import printouts
from tests.factories import enroll_direct, make_participant, make_session

# Siti present both days; Budi day 1 only; Citra absent day 1, not marked day 2; Dewi never
# marked; Eko and Fajar waitlisted (Eko first); Gita withdrew after attending day 1.
PEOPLE = [
    ("3375014207900001", "Siti Aminah", "enrolled", {1: 1, 2: 1}, "+6281234567801"),
    ("3375011503850002", "Budi Santoso", "enrolled", {1: 1, 2: 0}, "+6281234567802"),
    ("3375016203920003", "Citra Lestari", "enrolled", {1: 0}, "+6281234567803"),
    ("3375014405950004", "Dewi Anggraini", "enrolled", {}, None),
    ("3375011006880005", "Eko Prasetyo", "waitlisted", {}, "+6281234567805"),
    ("3375011107870006", "Fajar Nugroho", "waitlisted", {}, "+6281234567806"),
    ("3375015208860007", "Gita Permata", "withdrawn", {1: 1}, "+6281234567807"),
]
NIK = {name: nik for nik, name, *_ in PEOPLE}
LETTERHEAD = "DINAS PERINDUSTRIAN DAN TENAGA KERJA"


@pytest.fixture
def session(db, monkeypatch, tmp_path):
    """Session 1 (Tue 2-Wed 3 July 2024, Aula Kelurahan, Bendan Kergon, Merajut); today 4 July."""
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-07-04")
    monkeypatch.chdir(tmp_path)
    sid = make_session(db, capacity=5)
    iid = db.execute("INSERT INTO instructor (name, name_key) VALUES ('Rina Wati', 'rina wati')").lastrowid
    db.execute("INSERT INTO session_instructor (session_id, instructor_id) VALUES (?, ?)", [sid, iid])
    for nik, name, status, marks, phone in PEOPLE:
        pid = make_participant(db, nik, name, phone=phone)
        eid = enroll_direct(db, pid, sid, status="enrolled" if status == "withdrawn" else status)
        for day, present in marks.items():
            db.execute("INSERT INTO attendance (enrollment_id, day_no, present) VALUES (?, ?, ?)", [eid, day, present])
        if status == "withdrawn":
            db.execute("UPDATE enrollment SET status = 'withdrawn' WHERE id = ?", [eid])
    db.conn.commit()
    return sid


def _json(r):
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def _cells(path) -> list[list]:
    from openpyxl import load_workbook

    ws = load_workbook(path).worksheets[0]
    return [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]


def _reveals(db, action):
    return db.execute("SELECT changes FROM audit_log WHERE action = ?", [action]).fetchall()


# --- waitlist ---------------------------------------------------------------------------------

def test_waitlist_in_order_masked(cli, db, session):
    rows = _json(cli("report", "waitlist", session, "-f", "json"))
    assert [(r["position"], r["name"], r["nik"], r["phone"]) for r in rows] == [
        (1, "Eko Prasetyo", "337501******0005", "0812-****-7805"),
        (2, "Fajar Nugroho", "337501******0006", "0812-****-7806")]
    assert list(rows[0]) == printouts.WAITLIST_KEYS
    r = cli("report", "waitlist", session)
    assert r.exit_code == 0 and "Eko Prasetyo" in r.stdout and "Waitlist" in r.stdout
    assert NIK["Eko Prasetyo"] not in r.stdout
    assert _reveals(db, "report.waitlist.show_nik") == []


def test_waitlist_pdf_has_title_letterhead_and_names(cli, session, tmp_path):
    r = cli("report", "waitlist", session, "-f", "pdf", "-o", tmp_path / "tunggu.pdf")
    assert r.exit_code == 0, r.stderr
    assert "Wrote the waitlist of session 1 (2 person(s), 1 page(s))" in r.stdout
    text = _pdf_text(tmp_path / "tunggu.pdf")
    for part in ("DAFTAR TUNGGU", LETTERHEAD, "Eko Prasetyo", "Fajar Nugroho", "337501******0005", "Aula Kelurahan",
                 "Rina Wati", "Selasa, 2 Juli 2024"):
        assert part in text, part
    assert NIK["Eko Prasetyo"] not in text


def test_pdf_without_output_gets_a_default_name_and_an_existing_file_needs_force(cli, session, tmp_path):
    r = cli("report", "waitlist", session, "-f", "pdf")
    assert r.exit_code == 0, r.stderr
    made = tmp_path / "waitlist-1.pdf"
    before = made.read_bytes()
    r = cli("report", "waitlist", session, "-f", "pdf")
    assert r.exit_code == 1 and "waitlist-1.pdf already exists" in r.stderr and "--force" in r.stderr
    assert made.read_bytes() == before
    assert cli("report", "waitlist", session, "-f", "pdf", "--force").exit_code == 0
    # the format follows the file name; a contradiction is refused
    assert cli("report", "waitlist", session, "-o", tmp_path / "w.xlsx").exit_code == 0
    assert _cells(tmp_path / "w.xlsx")
    r = cli("report", "waitlist", session, "-f", "pdf", "-o", tmp_path / "w2.xlsx")
    assert r.exit_code == 2 and "w2.pdf" in r.stderr
    r = cli("report", "waitlist", session, "-f", "table", "-o", tmp_path / "w.txt")
    assert r.exit_code == 2


# --- rekap kehadiran --------------------------------------------------------------------------

def test_attendance_per_day_with_totals(cli, db, session):
    rows = _json(cli("report", "attendance", session, "--format", "json"))
    assert list(rows[0]) == printouts.attendance_keys(2)
    got = [(r["name"], r["day_1"], r["day_2"], r["present_days"], r["completed"], r["status"]) for r in rows]
    assert got == [
        ("Budi Santoso", True, False, 1, False, "enrolled"),
        ("Citra Lestari", False, None, 0, False, "enrolled"),
        ("Dewi Anggraini", None, None, 0, False, "enrolled"),
        ("Gita Permata", True, None, 1, False, "withdrawn"),   # came on day 1, then withdrew: paid for day 1
        ("Siti Aminah", True, True, 2, True, "enrolled"),
    ]
    assert all(r["nik"].startswith("337501******") for r in rows)
    # the totals per day are the counted attendance of the budget and the receipts
    from pelatihan_cli.services.budget import present_by_day

    data = printouts.attendance(db, session)
    assert data["totals"] == [3, 1]
    assert present_by_day(db, 1)[session] == {1: 3, 2: 1}
    r = cli("report", "attendance", session)
    assert r.exit_code == 0
    assert "day 1: 3, day 2: 1" in r.stdout and "1 of 5 completed" in r.stdout and "✓" in r.stdout


def test_attendance_pdf_and_xlsx(cli, session, tmp_path):
    assert cli("report", "attendance", session, "-f", "pdf", "-o", tmp_path / "r.pdf").exit_code == 0
    text = _pdf_text(tmp_path / "r.pdf")
    for part in ("REKAP KEHADIRAN PESERTA", LETTERHEAD, "Siti Aminah", "Gita Permata", "mengundurkan diri",
                 "Jumlah hadir", "✓"):
        assert part in text, part
    assert cli("report", "attendance", session, "-f", "xlsx", "-o", tmp_path / "r.xlsx").exit_code == 0
    cells = _cells(tmp_path / "r.xlsx")
    assert ["PEMERINTAH KOTA PEKALONGAN"] in cells and ["REKAP KEHADIRAN PESERTA"] in cells
    header = next(row for row in cells if row and row[0] == "No")
    assert header == ["No", "Nama", "NIK", "Hari 1 02/07", "Hari 2 03/07", "Jumlah hari", "Keterangan"]
    assert [1, "Budi Santoso", "337501******0002", "✓", "\u2013", 1] in cells
    assert [3, "Dewi Anggraini", "337501******0004", 0] in cells
    assert ["Jumlah hadir", 3, 1, 4] in cells


# --- contacts ---------------------------------------------------------------------------------

def test_contacts_are_masked_without_show_nik(cli, db, session, tmp_path):
    rows = _json(cli("report", "contacts", session, "-f", "json"))
    assert list(rows[0]) == printouts.CONTACT_KEYS
    assert [(r["name"], r["status"]) for r in rows] == [
        ("Budi Santoso", "enrolled"), ("Citra Lestari", "enrolled"), ("Dewi Anggraini", "enrolled"),
        ("Siti Aminah", "enrolled"), ("Eko Prasetyo", "waitlisted"), ("Fajar Nugroho", "waitlisted")]
    assert all(r["wa_link"] is None for r in rows)
    assert rows[0]["phone"] == "0812-****-7802" and rows[2]["phone"] is None
    out = cli("report", "contacts", session, "-f", "csv").stdout
    assert "wa.me" not in out and "81234567802" not in out and NIK["Budi Santoso"] not in out
    assert cli("report", "contacts", session, "-f", "pdf", "-o", tmp_path / "k.pdf").exit_code == 0
    text = _pdf_text(tmp_path / "k.pdf")
    assert "DAFTAR KONTAK PESERTA" in text and LETTERHEAD in text and "Budi Santoso" in text
    assert "wa.me" not in text and "81234567802" not in text and "0812-****-7802" in text
    assert cli("report", "contacts", session, "-f", "xlsx", "-o", tmp_path / "k.xlsx").exit_code == 0
    flat = repr(_cells(tmp_path / "k.xlsx"))
    assert "wa.me" not in flat and "81234567802" not in flat and "Budi Santoso" in flat
    assert _reveals(db, "report.contacts.show_nik") == []


def test_contacts_with_show_nik_give_numbers_and_links_and_are_logged(cli, db, session, tmp_path):
    rows = _json(cli("report", "contacts", session, "-f", "json", "--show-nik"))
    budi = rows[0]
    assert (budi["nik"], budi["phone"], budi["wa_link"]) == (
        NIK["Budi Santoso"], "0812-3456-7802", "https://wa.me/6281234567802")
    assert rows[2]["wa_link"] is None  # Dewi has no phone
    ((changes,),) = _reveals(db, "report.contacts.show_nik")
    assert json.loads(changes) == {"session": session, "participants": 6}
    r = cli("report", "contacts", session, "--show-nik", "-f", "xlsx", "-o", tmp_path / "k.xlsx")
    assert r.exit_code == 0, r.stderr
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "k.xlsx").worksheets[0]
    links = [c.hyperlink.target for row in ws.iter_rows() for c in row if c.hyperlink]
    assert "https://wa.me/6281234567802" in links
    assert len(_reveals(db, "report.contacts.show_nik")) == 2
    r = cli("report", "contacts", session, "--show-nik", "-f", "pdf", "-o", tmp_path / "k.pdf")
    assert r.exit_code == 0 and "https://wa.me/6281234567802" in _pdf_text(tmp_path / "k.pdf")


def test_contacts_of_a_programme(cli, db, session):
    other = make_session(db, kelurahan="Medono", days=("2024-07-09", "2024-07-10"))
    enroll_direct(db, make_participant(db, "3375015509910008", "Hana Putri", kelurahan="Medono"), other)
    rows = _json(cli("report", "contacts", "--programme", "2024", "-f", "json"))
    assert [(r["session_id"], r["no"], r["name"]) for r in rows][-2:] == [(1, 6, "Fajar Nugroho"), (other, 7, "Hana Putri")]
    r = cli("report", "contacts", session, "--programme", "2024")
    assert r.exit_code == 2


# --- no-shows ---------------------------------------------------------------------------------

def test_no_shows_on_one_day_and_on_every_day(cli, db, session, tmp_path):
    rows = _json(cli("report", "no-shows", session, "--day", "1", "-f", "json"))
    assert list(rows[0]) == printouts.NO_SHOW_KEYS
    assert [(r["name"], r["absent_days"], r["unmarked_days"]) for r in rows] == [
        ("Citra Lestari", [1], []), ("Dewi Anggraini", [], [1])]
    rows = _json(cli("report", "no-shows", session, "--day", "2", "-f", "json"))
    assert [r["name"] for r in rows] == ["Budi Santoso", "Citra Lestari", "Dewi Anggraini"]
    rows = _json(cli("report", "no-shows", session, "-f", "json"))  # on no day at all
    assert [(r["name"], r["absent_days"], r["unmarked_days"]) for r in rows] == [
        ("Citra Lestari", [1], [2]), ("Dewi Anggraini", [], [1, 2])]
    assert rows[0]["nik"] == "337501******0003"
    r = cli("report", "no-shows", session, "--day", "3")
    assert r.exit_code == 1 and "1 to 2" in r.stderr
    assert cli("report", "no-shows", session, "--day", "1", "-f", "pdf").exit_code == 0
    text = _pdf_text(tmp_path / "no-shows-1-day-1.pdf")
    for part in ("DAFTAR PESERTA TIDAK HADIR", LETTERHEAD, "Citra Lestari", "Dewi Anggraini", "belum diisi",
                 "Hari ke-1, Selasa, 2 Juli 2024"):
        assert part in text, part
    assert "Siti Aminah" not in text
    assert cli("report", "no-shows", session, "-f", "xlsx", "-o", tmp_path / "n.xlsx").exit_code == 0
    cells = _cells(tmp_path / "n.xlsx")
    assert [1, "Citra Lestari", "337501******0003", "0812-****-7803", "Bendan Kergon",
            "tidak hadir hari 1; belum diisi hari 2"] in cells


def test_no_shows_before_the_first_day_are_refused(cli, db, session, monkeypatch):
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-07-02")
    r = cli("report", "no-shows", session, "--day", "2")
    assert r.exit_code == 1 and "still to come" in r.stderr
    monkeypatch.setenv("PELATIHAN_TODAY", "2024-07-01")
    r = cli("report", "no-shows", session)
    assert r.exit_code == 1 and "no training day has passed" in r.stderr


# --- schedule ---------------------------------------------------------------------------------

def test_schedule_pdf_and_xlsx_with_venue_and_instructors(cli, db, session, tmp_path):
    make_session(db, kelurahan="Medono", skill="Buket", days=("2024-07-03", "2024-07-04"), venue="Balai RW 3")
    r = cli("report", "schedule", "-p", "2024", "-f", "pdf", "-o", tmp_path / "j.pdf")
    assert r.exit_code == 0, r.stderr
    assert "4 session day(s)" in r.stdout
    text = _pdf_text(tmp_path / "j.pdf")
    for part in ("JADWAL PELATIHAN", LETTERHEAD, "Selasa, 2 Juli 2024", "Bendan Kergon", "Aula Kelurahan",
                 "Balai RW 3", "Rina Wati", "Merajut", "Buket"):
        assert part in text, part
    assert cli("report", "schedule", "-p", "2024", "-f", "xlsx", "-o", tmp_path / "j.xlsx").exit_code == 0
    cells = _cells(tmp_path / "j.xlsx")
    assert ["JADWAL PELATIHAN"] in cells
    assert [1, "Selasa, 2 Juli 2024", "1/2", 1, "Bendan Kergon (Pekalongan Barat)", "Merajut", "Aula Kelurahan",
            "Rina Wati", "4/5"] in cells
    assert [4, "Kamis, 4 Juli 2024", "2/2", 2, "Medono (Pekalongan Barat)", "Buket", "Balai RW 3", "\u2013", "0/20"] in cells
    # table/csv/json are as before; json can go to a file
    rows = _json(cli("report", "schedule", "-p", "2024", "-f", "json"))
    assert [r["date"] for r in rows] == ["2024-07-02", "2024-07-03", "2024-07-03", "2024-07-04"]
    assert cli("report", "schedule", "-p", "2024", "-o", tmp_path / "j.json").exit_code == 0
    assert json.loads((tmp_path / "j.json").read_text()) == rows


def test_printouts_of_a_cancelled_or_unknown_session(cli, db, session):
    r = cli("report", "waitlist", "99")
    assert r.exit_code == 1 and "No session with id 99" in r.stderr
    db.execute("UPDATE session SET status = 'cancelled' WHERE id = ?", [session])
    db.execute("UPDATE enrollment SET cancelled = 1 WHERE session_id = ?", [session])
    db.conn.commit()
    r = cli("report", "attendance", session)
    assert r.exit_code == 1 and "cancelled" in r.stderr
    # the people of a cancelled session can still be told
    assert len(_json(cli("report", "contacts", session, "-f", "json"))) == 6


@pytest.mark.parametrize("command, action", [
    (("waitlist", "1"), "report.waitlist.show_nik"), (("attendance", "1"), "report.attendance.show_nik"),
    (("no-shows", "1"), "report.no_shows.show_nik"), (("contacts", "-p", "2024"), "report.contacts.show_nik"),
])
def test_show_nik_is_logged_once_with_the_command(cli, db, session, command, action):
    r = cli("report", *command, "--show-nik", "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert any(row["nik"] in NIK.values() for row in json.loads(r.stdout))
    ((logged, changes),) = db.execute("SELECT command, changes FROM audit_log WHERE action = ?", [action]).fetchall()
    assert logged.startswith(f"pelatihan report {command[0]}") and "--show-nik" in logged
    assert json.loads(changes)["participants"] == len(json.loads(r.stdout))


def test_an_erased_person_stays_counted_without_a_name(cli, db, session, tmp_path):
    assert cli("participant", "erase", NIK["Dewi Anggraini"], "--yes").exit_code == 0  # the session is done
    rows = _json(cli("report", "attendance", session, "-f", "json"))
    assert len(rows) == 5 and rows[-1]["name"] is None and rows[-1]["nik"] is None
    r = cli("report", "no-shows", session)
    assert r.exit_code == 0 and "(erased)" in r.stdout
    assert cli("report", "attendance", session, "-f", "pdf", "-o", tmp_path / "r.pdf").exit_code == 0
    assert "(data dihapus)" in _pdf_text(tmp_path / "r.pdf")
    assert [r["name"] for r in _json(cli("report", "contacts", session, "-f", "json"))].count(None) == 0
