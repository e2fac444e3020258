"""`pelatihan participant erase NIK`: personal data removed, report totals unchanged."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pelatihan_cli.errors import NotFound, ValidationError
from pelatihan_cli.services import audit, erasure
from tests import factories

NIK = "3375014107900001"
OTHER = "3375015508950002"


@pytest.fixture
def programme(pekalongan_db):
    db = pekalongan_db
    sid = factories.make_session(db, capacity=5)
    kid = factories.kelurahan_id(db)
    for i, (nik, name, birth, sex) in enumerate(
        [(NIK, "Siti Aminah", "1990-07-01", "P"), (OTHER, "Budi Santoso", "1995-08-15", "L")], start=1
    ):
        db.execute(
            "INSERT INTO participant (nik, name, birth_date, sex, address, kelurahan_id, phone, ak1_number, ak1_date) "
            "VALUES (?, ?, ?, ?, 'Jl. Merdeka 1', ?, '+6281234567890', 'AK1-77', '2024-07-03')",
            [nik, name, birth, sex, kid],
        )
        db.execute("INSERT INTO ak1_card (participant_id, number, number_key, issued_on) VALUES (?, ?, ?, '2024-07-03')",
                   [i, f"AK1-7{6 + i}", f"AK17{6 + i}"])
        db.execute("INSERT INTO enrollment (participant_id, session_id, year, status, seq) VALUES (?, ?, 2024, 'enrolled', ?)", [i, sid, i])
        db.execute("INSERT INTO attendance (enrollment_id, day_no, present) VALUES (?, 1, 1), (?, 2, 1)", [i, i])
    # entries as an older pelatihan logged them (personal option values in clear)
    for nik, name in ((NIK, "Siti Aminah"), (OTHER, "Budi Santoso")):
        db.execute("INSERT INTO audit_log (os_user, command, action) VALUES ('op', ?, 'participant.enroll')",
                   [f"pelatihan participant enroll {sid} --nik {audit.mask_text(nik)} --name '{name}' --phone '0812 3456 7890'"])
    audit.set_command(["participant", "ak1", NIK, "--number", "AK1-77"])
    audit.record(db, "participant.ak1", {"updated": 1})
    audit.set_command([])
    db.conn.commit()
    return db


def _person(db, pid=1):
    cur = db.execute("SELECT * FROM participant WHERE id = ?", [pid])
    return dict(zip([d[0] for d in cur.description], cur.fetchone()))


def test_erase_removes_personal_data_and_keeps_what_reports_need(programme):
    db = programme
    counts = erasure.erase(db, NIK, today=dt.date(2024, 9, 1))
    assert counts == {"participants": 1, "enrollments_kept": 1, "withdrawn": 0, "audit_entries_scrubbed": 2,
                      "withdrawn_from": [], "promoted": []}  # a done session: nothing to withdraw from
    p = _person(db)
    assert [p[k] for k in ("nik", "name", "birth_date", "address", "phone")] == [None] * 5
    assert p["ak1_number"] == "[erased]"  # the card number goes; that a card was made stays
    assert p["sex"] == "P" and p["kelurahan_id"] == factories.kelurahan_id(db)
    assert p["age_band"] == "25-34"  # 34 on 2 July 2024 (session's first day), from the birth date
    assert p["ak1_date"] == "2024-07-03"  # an AK1 card was made: the report still counts it
    # the card's number is anonymised; the card and its date stay for the counts
    assert db.execute("SELECT number, issued_on FROM ak1_card WHERE participant_id = 1").fetchall() == [
        ("(erased)", "2024-07-03")]
    assert p["erased_at"]
    assert db.execute("SELECT count(*) FROM enrollment WHERE participant_id = 1").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM attendance WHERE enrollment_id = 1").fetchone()[0] == 2
    # the other person is untouched
    assert _person(db, 2)["name"] == "Budi Santoso" and _person(db, 2)["nik"] == OTHER
    # the audit log no longer carries the erased person's name or phone; others' entries stay
    commands = [r[0] for r in db.execute("SELECT command FROM audit_log ORDER BY id")]
    assert "Siti" not in " ".join(commands) and "AK1-77" not in " ".join(commands)
    assert any("Budi Santoso" in c and "0812" in c for c in commands)
    assert db.execute("SELECT action FROM audit_log ORDER BY id DESC").fetchone()[0] == "participant.erase"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_age_band_already_set_is_kept(programme):
    programme.execute("UPDATE participant SET age_band = '35-44' WHERE id = 1")
    programme.conn.commit()
    erasure.erase(programme, NIK)
    assert _person(programme)["age_band"] == "35-44"


def test_unknown_bad_or_already_erased_nik(programme):
    with pytest.raises(ValidationError, match="not 16 digits"):
        erasure.erase(programme, "12345")
    with pytest.raises(NotFound, match="No participant with NIK 3375010101900009"):
        erasure.erase(programme, "3375010101900009")
    erasure.erase(programme, NIK)
    with pytest.raises(NotFound):
        erasure.erase(programme, NIK)


def _totals(cli):
    r = cli("kelurahan", "list", "--format", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def test_cli_erase_with_yes_keeps_totals(cli, programme):
    before = _totals(cli)
    assert any(k["participants"] for k in before)
    r = cli("participant", "erase", NIK, "--yes")
    assert r.exit_code == 0, r.stderr
    # the success line masks the NIK as the prompt did (issue 13: it printed it in full)
    assert "Erased the personal data of NIK 337501******0001;" in r.output and NIK not in r.output
    assert _totals(cli) == before
    assert _person(programme)["nik"] is None


def test_cli_erase_asks_for_confirmation(cli, programme, monkeypatch):
    from pelatihan_cli.cli import _guards

    monkeypatch.setattr(_guards, "stdin_is_terminal", lambda: True)
    r = cli("participant", "erase", NIK, input="n\n")
    assert r.exit_code == 1
    assert "Erase the personal data of Siti Aminah of Bendan Kergon (NIK 337501******0001" in r.stderr
    assert _person(programme)["nik"] == NIK
    r = cli("participant", "erase", NIK, input="y\n")
    assert r.exit_code == 0, r.stderr
    assert _person(programme)["nik"] is None


def test_cli_erase_without_yes_and_without_a_terminal_says_add_yes(cli, programme):
    # issue 13: it printed only 'Aborted.'
    r = cli("participant", "erase", NIK)
    assert r.exit_code == 1
    assert r.stderr == ("Error: erasing the personal data of NIK 337501******0001 cannot be undone; "
                        "add --yes to confirm.\n")
    assert _person(programme)["nik"] == NIK


def test_cli_erase_unknown_nik(cli, programme):
    r = cli("participant", "erase", "3375010101900009", "--yes")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: No participant with NIK 337501******0009")


def _json(cli, *args):
    r = cli(*args, "--format", "json")
    assert r.exit_code == 0, (args, r.stderr)
    return json.loads(r.stdout)


def test_report_totals_and_listings_unchanged_after_erasure(cli, programme):
    views = [
        ("kelurahan", "list"),
        ("report", "summary"),
        ("session", "list", "--date", "2024-07-02"),
        ("attendance", "show", "1"),
    ]
    before = [_json(cli, *v) for v in views]
    assert before[1] and any(row["ak1"] for row in before[1])
    r = cli("participant", "erase", NIK, "--yes")
    assert r.exit_code == 0, r.stderr
    after = [_json(cli, *v) for v in views]
    assert after[0] == before[0]  # kelurahan list: sessions and participants per kelurahan
    assert after[1] == before[1]  # report summary: enrolled, completed, AK1 made ...
    assert after[2] == before[2]  # session list: enrolled counts
    # attendance: the same days and completion; the erased person has no name or NIK any more
    assert [(a["present_days"], a["completed"]) for a in after[3]] == [(b["present_days"], b["completed"]) for b in before[3]]
    # commands that print people still work with an erased person in the session
    for args in (("participant", "list"), ("roster", "2024-07-02"), ("attendance", "show", "1")):
        r = cli(*args)
        assert r.exit_code == 0, (args, r.stderr)
        assert "Siti" not in r.stdout
    people = _json(cli, "participant", "list", "--session", "1")
    assert "Budi Santoso" in {p["name"] for p in people}
    roster = _json(cli, "roster", "2024-07-02")
    assert "Siti Aminah" not in json.dumps(roster)


def test_an_erased_person_is_labelled_not_a_blank_row(cli, programme, tmp_path):
    assert cli("participant", "erase", NIK, "--yes").exit_code == 0
    for args in (("roster", "2024-07-02"), ("attendance", "show", "1"), ("report", "certificates", "1")):
        r = cli(*args)
        assert r.exit_code == 0, (args, r.stderr)
        assert "(erased)" in r.stdout, args
    # JSON keeps null: scripts see that the name is gone
    assert [p["name"] for p in _json(cli, "roster", "2024-07-02")[0]["participants"]] == ["Budi Santoso", None]
    # the printed sheet says so in Indonesian; a --blank walk-in row stays empty
    pdf = tmp_path / "r.pdf"
    assert cli("roster", "2024-07-02", "-f", "pdf", "-o", pdf, "--blank", "1").exit_code == 0
    pypdf = pytest.importorskip("pypdf")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert text.count("(data dihapus)") == 1
