"""`pelatihan participant import`: every reader end to end, the abort/skip/rejects/dry-run
modes (checking the database afterwards), session resolution, idempotency, duplicates
inside one file, exit codes 0/1/3 and the JSON summary."""

from __future__ import annotations

from pelatihan_cli.services.audit import mask_text  # NIKs in messages are masked (issue 13)

import datetime as dt
import json

import pytest

from factories import make_session
from pelatihan_cli.db import open_db

START = ("2030-07-02", "2030-07-03")   # sessions in the future: no 'already started' warning


#: the warning every NIK of nik() brings, once per import (grouped with its rows)
SYNTHETIC = "NIK kecamatan code 33.75.99 (Kota Pekalongan) is in no Kemendagri list 2015-2025 (synthetic or very old NIK?)"


def nik(birth: dt.date, woman: bool = False, serial: int = 1) -> str:
    """A synthetic NIK (kecamatan code 99, which no real NIK carries)."""
    return f"337599{birth.day + (40 if woman else 0):02d}{birth:%m%y}{serial:04d}"


SITI = nik(dt.date(1990, 7, 2), woman=True)
BUDI = nik(dt.date(1985, 12, 13))
ANI = nik(dt.date(2001, 1, 31), woman=True)
JOKO = nik(dt.date(1970, 3, 9))


@pytest.fixture
def programme(pekalongan_db):
    """Two tracks in Bendan Kergon (Merajut, Desain) and one in Medono (Tas)."""
    db = pekalongan_db
    ids = {
        "merajut": make_session(db, kelurahan="Bendan Kergon", skill="Merajut", days=START),
        "desain": make_session(db, kelurahan="Bendan Kergon", skill="Desain Produk & Kemasan", days=START),
        "tas": make_session(db, kelurahan="Medono", skill="Tas", days=("2030-07-04", "2030-07-05")),
    }
    return ids


def counts(db_path) -> dict:
    db = open_db(db_path)
    try:
        return {
            "participant": db.execute("SELECT count(*) FROM participant").fetchone()[0],
            "enrolled": db.execute("SELECT count(*) FROM enrollment WHERE status = 'enrolled'").fetchone()[0],
            "waitlisted": db.execute("SELECT count(*) FROM enrollment WHERE status = 'waitlisted'").fetchone()[0],
            "audit": db.execute("SELECT count(*) FROM audit_log WHERE action = 'participant.import'").fetchone()[0],
        }
    finally:
        db.conn.close()


def enrollments(db_path) -> list[tuple]:
    db = open_db(db_path)
    try:
        return db.execute(
            "SELECT p.nik, p.name, p.birth_date, p.sex, p.phone, e.session_id, e.status FROM participant p "
            "JOIN enrollment e ON e.participant_id = p.id ORDER BY e.id").fetchall()
    finally:
        db.conn.close()


def write_csv(path, lines: list[str], encoding="utf-8"):
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


# --- readers end to end -----------------------------------------------------------------

def test_semicolon_cp1252_indonesian_headers_ddmmyyyy(cli, programme, tmp_path, db_path):
    f = write_csv(tmp_path / "bendan.csv", [
        "No;No. KTP;Nama Lengkap;Tgl Lahir;JK;Alamat;Kelurahan;No HP;Pelatihan",
        f"1;{SITI};Siti Aminah;02/07/1990;P;Jl. Kurinci 3;Bendan Kergon;0812-3456-7890;Merajut",
        f"2;{BUDI};Budi Santoso;13-12-1985;L;Gg. Mawar 1;bendan kergon;;desain produk & kemasan",
        f"3;{ANI};Zoë Pérez;31/1/2001;Perempuan;;BENDAN-KERGON;+62 813 1111 2222;MERAJUT",
    ], encoding="cp1252")
    r = cli("participant", "import", f)
    assert r.exit_code == 0, r.stderr
    assert "Read 3 row(s): 3 enrolled, 0 waitlisted, 0 updated, 0 unchanged, 0 rejected." in r.stdout
    assert "Windows-1252" in r.stderr
    rows = enrollments(db_path)
    assert rows == [
        (SITI, "Siti Aminah", "1990-07-02", "P", "+6281234567890", programme["merajut"], "enrolled"),
        (BUDI, "Budi Santoso", "1985-12-13", "L", None, programme["desain"], "enrolled"),
        (ANI, "Zoë Pérez", "2001-01-31", "P", "+6281311112222", programme["merajut"], "enrolled"),
    ]
    assert counts(db_path)["audit"] == 1


def test_utf8_bom_csv_with_session_column(cli, programme, tmp_path, db_path):
    f = tmp_path / "bom.csv"
    f.write_bytes(b"\xef\xbb\xbf" + f"nik,nama,sesi\n{SITI},Siti,{programme['tas']}\n".encode())
    r = cli("participant", "import", f, "--format", "json")
    # Siti lives in Bendan Kergon by default? No: domicile defaults to the session's kelurahan
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["enrolled"] == 1
    assert enrollments(db_path)[0][5] == programme["tas"]


def test_xlsx_date_cells_and_numeric_nik(cli, programme, tmp_path, db_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["NIK", "Nama", "Tanggal Lahir", "Kelurahan", "Keterampilan"])
    ws.append([int(SITI), "Siti", dt.datetime(1990, 7, 2), "Bendan Kergon", "Merajut"])
    ws.append([BUDI, "Budi", "13/12/1985", "Medono", "Tas"])
    f = tmp_path / "p.xlsx"
    wb.save(f)
    r = cli("participant", "import", f)
    # a NIK in a Number cell is never stored, even when its 16 digits survived (issue 10)
    assert r.exit_code == 1
    assert mask_text(f"  row 2, NIK '{SITI}': NIK was typed into a Number cell: Excel keeps only 15 digits, so its "
                     f"last digits cannot be trusted ({SITI}). Format the column as Text and retype the NIK.") in r.stderr
    assert counts(db_path)["participant"] == 0
    ws["A2"].value = SITI   # retyped as text
    wb.save(f)
    r = cli("participant", "import", f)
    assert r.exit_code == 0, r.stderr
    rows = enrollments(db_path)
    assert [(n, b, s) for n, _, b, _, _, s, _ in rows] == [
        (SITI, "1990-07-02", programme["merajut"]), (BUDI, "1985-12-13", programme["tas"])]


def test_json_and_jsonl(cli, programme, tmp_path, db_path):
    j = tmp_path / "p.json"
    j.write_text(json.dumps([{"nik": SITI, "name": "Siti", "birth_date": "1990-07-02", "kelurahan": "Bendan Kergon",
                              "skill": "Merajut"}, {"nik": BUDI, "name": "Budi", "session": programme["tas"]}]))
    r = cli("participant", "import", j, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["enrolled"] == 2
    jl = tmp_path / "p.jsonl"
    jl.write_text(json.dumps({"nik": ANI, "nama": "Ani", "sesi": str(programme["merajut"])}) + "\n\n"
                  + json.dumps({"nik": JOKO, "nama": "Joko", "sesi": programme["merajut"], "hobi": "x"}) + "\n")
    r = cli("participant", "import", jl, "--format", "json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["enrolled"] == 2 and any("'hobi'" in w["message"] for w in out["warnings"])
    assert not any("JSON numbers" in w["message"] for w in out["warnings"])
    jl.write_text(json.dumps({"nik": int(ANI), "nama": "Ani", "sesi": programme["merajut"]}) + "\n")
    out = json.loads(cli("participant", "import", jl, "--format", "json").stdout)
    assert out["unchanged"] == 1
    assert [(w["row"], w["message"]) for w in out["warnings"]] == [
        (1, SYNTHETIC), (None, "1 NIK value(s) are JSON numbers, not strings; they were read as their digits, but "
                               "JavaScript and spreadsheets keep only 15 significant digits, so check them and "
                               'write NIKs as strings ("3375...").')]
    assert counts(db_path)["enrolled"] == 4


def test_stdin(cli, programme, db_path):
    data = f"nik\tnama\tkelurahan\tpelatihan\n{SITI}\tSiti\tBendan Kergon\tMerajut\n"
    r = cli("participant", "import", "-", "--input-format", "tsv", input=data)
    assert r.exit_code == 0, r.stderr
    assert counts(db_path)["enrolled"] == 1
    r = cli("participant", "import", "-", input=data)
    assert r.exit_code == 1 and "needs --input-format" in r.stderr


def test_missing_nik_column_is_an_error_before_any_row(cli, programme, tmp_path, db_path):
    f = write_csv(tmp_path / "p.csv", ["ktp_no,nama", f"{SITI},Siti"])
    r = cli("participant", "import", f)
    assert r.exit_code == 1
    assert "has no NIK column (accepted headers: nik, no_ktp, no_nik" in r.stderr and "'ktp_no'" in r.stderr
    # the header is looked for in the first 20 rows: the advice is a header row, not 'rename the first row'
    assert ("no row among its first 20 has a NIK header beside a name header, so the first row was read as the "
            "header: 'ktp_no', 'nama'. Give the list one header row with NIK and NAMA") in r.stderr
    assert counts(db_path)["participant"] == 0
    f = tmp_path / "p.json"
    f.write_text(json.dumps([{"no_kk": SITI, "nama": "Siti"}]), encoding="utf-8")
    r = cli("participant", "import", f)
    assert r.exit_code == 1 and r.stderr.startswith(
        f"Error: {f} has no NIK key (accepted: nik, no_ktp,") and "its keys are 'no_kk', 'nama'." in r.stderr


# --- modes -----------------------------------------------------------------------------

BAD_FILE = [
    "nik,nama,tanggal_lahir,kelurahan,pelatihan",
    f"{SITI},Siti,02/07/1990,Bendan Kergon,Merajut",
    "12345,Budi,13/12/1985,Bendan Kergon,Merajut",
    f"{ANI},Ani,07/31/2001,Bendan Kergon,Merajut",
    f"{SITI},=Siti dua,02/07/1990,Bendan Kergon,Merajut",
    f"{JOKO},Joko,09/03/1970,Bendan Kergonn,Merajut",
    f"{BUDI},Budi,13/12/1985,Bendan Kergon,Menjahit",
]


def test_abort_lists_every_bad_row_and_writes_nothing(cli, programme, tmp_path, db_path):
    f = write_csv(tmp_path / "bad.csv", BAD_FILE)
    r = cli("participant", "import", f, "--format", "json")
    assert r.exit_code == 1
    out = json.loads(r.stdout)
    assert list(out) == ["programme", "read", "enrolled", "waitlisted", "updated", "unchanged", "rejected", "sessions",
                         "skills", "warnings", "errors", "columns", "skipped"]
    assert (out["read"], out["enrolled"], out["rejected"]) == (6, 0, 5)
    by_row = {e["row"]: e for e in out["errors"]}
    assert sorted(by_row) == [3, 4, 5, 6, 7]
    assert by_row[3]["column"] == "nik" and by_row[3]["value"] == "12345" and "16 digits" in by_row[3]["message"]
    assert by_row[4]["column"] == "tanggal_lahir" and by_row[4]["value"] == "07/31/2001"
    assert by_row[5]["message"] == f"NIK '{SITI}' is a duplicate of row 2."
    assert by_row[6]["column"] == "kelurahan" and "Did you mean 'Bendan Kergon'" in by_row[6]["message"]
    assert by_row[7]["column"] == "pelatihan" and by_row[7]["message"] == (
        "skill 'Menjahit' names none of the tracks of Bendan Kergon (Desain Produk & Kemasan, Merajut); "
        "write one of them in the cell.")
    assert "5 bad row(s) of 6; nothing was imported" in r.stderr and "  row 3, nik '12345':" in r.stderr
    assert counts(db_path) == {"participant": 0, "enrolled": 0, "waitlisted": 0, "audit": 0}


def test_skip_writes_good_rows_and_rejects_file(cli, programme, tmp_path, db_path):
    f = write_csv(tmp_path / "bad.csv", BAD_FILE)
    rej = tmp_path / "rejects.csv"
    r = cli("participant", "import", f, "--on-error", "skip", "--rejects", rej)
    assert r.exit_code == 3
    assert "Read 6 row(s): 1 enrolled, 0 waitlisted, 0 updated, 0 unchanged, 5 rejected." in r.stdout
    assert f"5 row(s) of 6 rejected, written to {rej}; the other rows were imported." in r.stderr
    assert counts(db_path) == {"participant": 1, "enrolled": 1, "waitlisted": 0, "audit": 1}
    lines = rej.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "nik,nama,tanggal_lahir,kelurahan,pelatihan,error,warnings"
    assert len(lines) == 6 and lines[1].startswith("12345,Budi,")
    assert lines[3].startswith(f"{SITI},'=Siti dua,") and "duplicate of row 2" in lines[3]   # formula-safe
    # the fixed rejects file imports cleanly (the error column is ignored)
    fixed = rej.read_text(encoding="utf-8-sig").replace("12345", BUDI).replace("07/31/2001", "31/01/2001")
    fixed = fixed.replace("Bendan Kergonn", "Bendan Kergon")
    fixed = "\n".join(l for l in fixed.splitlines() if "=Siti" not in l and "Menjahit" not in l)
    (tmp_path / "fixed.csv").write_text(fixed, encoding="utf-8")
    r = cli("participant", "import", tmp_path / "fixed.csv")
    assert r.exit_code == 0, r.stderr
    assert "3 enrolled" in r.stdout and "not used" not in r.stderr


def test_an_existing_rejects_file_needs_force(cli, programme, tmp_path, db_path):
    f = write_csv(tmp_path / "bad.csv", BAD_FILE)
    rej = tmp_path / "rejects.csv"
    rej.write_text("kept\n")
    r = cli("participant", "import", f, "--on-error", "skip", "--rejects", rej)
    assert (r.exit_code, r.stderr) == (
        1, f"Error: {rej} already exists; choose another file name, or add --force to overwrite it.\n")
    assert rej.read_text() == "kept\n"
    assert counts(db_path) == {"participant": 0, "enrolled": 0, "waitlisted": 0, "audit": 0}  # nothing read
    r = cli("participant", "import", f, "--on-error", "skip", "--rejects", rej, "--force")
    assert r.exit_code == 3 and rej.read_text(encoding="utf-8-sig").startswith("nik,nama,")


def test_rejects_in_the_input_format_family(cli, programme, tmp_path):
    j = tmp_path / "p.json"
    j.write_text(json.dumps([{"nik": "1", "nama": "X", "sesi": programme["tas"]},
                             {"nik": SITI, "nama": "Siti", "sesi": programme["merajut"]}]))
    rej = tmp_path / "rej.jsonl"
    r = cli("participant", "import", j, "--on-error", "skip", "--rejects", rej)
    assert r.exit_code == 3
    assert [json.loads(l)["nik"] for l in rej.read_text().splitlines()] == ["1"]
    assert "16 digits" in json.loads(rej.read_text())["error"]


def test_dry_run_counts_but_writes_nothing(cli, programme, tmp_path, db_path):
    f = write_csv(tmp_path / "ok.csv", ["nik,nama,sesi", f"{SITI},Siti,{programme['merajut']}",
                                        f"{ANI},Ani,{programme['merajut']}"])
    r = cli("participant", "import", f, "--dry-run")
    assert r.exit_code == 0
    assert r.stdout.startswith("Dry run, nothing written. Read 2 row(s): 2 enrolled")
    assert counts(db_path) == {"participant": 0, "enrolled": 0, "waitlisted": 0, "audit": 0}
    bad = write_csv(tmp_path / "bad.csv", BAD_FILE)
    r = cli("participant", "import", bad, "--dry-run", "--on-error", "skip", "--format", "json")
    assert r.exit_code == 3 and json.loads(r.stdout)["enrolled"] == 1
    assert counts(db_path)["participant"] == 0


# --- idempotency and updates ----------------------------------------------------------------

def test_second_import_is_unchanged_and_writes_nothing(cli, programme, tmp_path, db_path):
    f = write_csv(tmp_path / "ok.csv", [
        "nik,nama,no_hp,kelurahan,pelatihan",
        f"{SITI},Siti,081234567890,Bendan Kergon,Merajut",
        f"{BUDI},Budi,,Medono,Tas",
    ])
    assert cli("participant", "import", f).exit_code == 0
    before = counts(db_path)
    r = cli("participant", "import", f, "--format", "json")
    assert r.exit_code == 0
    out = json.loads(r.stdout)
    assert (out["enrolled"], out["unchanged"], out["updated"]) == (0, 2, 0)
    assert counts(db_path) == before   # not even an audit row
    f2 = write_csv(tmp_path / "ok2.csv", [
        "nik,nama,no_hp,kelurahan,pelatihan",
        f"{SITI},Siti Aminah,081234567890,Bendan Kergon,Merajut",
        f"{BUDI},Budi,0813 1111 2222,Medono,Tas",
    ])
    out = json.loads(cli("participant", "import", f2, "--format", "json").stdout)
    assert (out["updated"], out["unchanged"]) == (2, 0)
    rows = enrollments(db_path)
    assert [(r[1], r[4]) for r in rows] == [("Siti Aminah", "+6281234567890"), ("Budi", "+6281311112222")]


# --- session resolution ----------------------------------------------------------------------

def test_session_option_overrides_the_file(cli, programme, tmp_path, db_path):
    f = write_csv(tmp_path / "p.csv", ["nik,nama,sesi", f"{SITI},Siti,{programme['desain']}"])
    r = cli("participant", "import", f, "--session", programme["merajut"])
    assert r.exit_code == 0, r.stderr
    assert enrollments(db_path)[0][5] == programme["merajut"]
    f = write_csv(tmp_path / "q.csv", ["nik,nama", f"{BUDI},Budi"])
    r = cli("participant", "import", f, "--session", 999)
    assert r.exit_code == 1 and r.stderr == "Error: No session with id 999; see `pelatihan session list`.\n"


def test_kelurahan_only_takes_first_free_seat_then_waitlists(cli, pekalongan_db, tmp_path, db_path):
    first = make_session(pekalongan_db, kelurahan="Medono", skill="Tas", days=START, capacity=1)
    second = make_session(pekalongan_db, kelurahan="Medono", skill="Hantaran", days=("2030-07-08", "2030-07-09"),
                          capacity=1)
    f = write_csv(tmp_path / "p.csv", ["nik,nama,kelurahan", f"{SITI},Siti,Medono", f"{BUDI},Budi,medono",
                                       f"{ANI},Ani,Medono"])
    r = cli("participant", "import", f, "--format", "json")   # two tracks, no skill: refused naming them
    assert r.exit_code == 1
    assert [(e["row"], e["column"]) for e in json.loads(r.stdout)["errors"]] == [(2, "skill"), (3, "skill"), (4, "skill")]
    assert "Kelurahan Medono has 2 tracks (Hantaran, Tas) and this row names none" in r.stderr
    assert "--first-free-seat" in r.stderr and counts(db_path)["participant"] == 0
    r = cli("participant", "import", f, "--format", "json", "--first-free-seat")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["enrolled"], out["waitlisted"]) == (2, 1)
    assert [(r[0], r[5], r[6]) for r in enrollments(db_path)] == [
        (SITI, first, "enrolled"), (BUDI, second, "enrolled"), (ANI, first, "waitlisted")]


def test_row_without_any_session_hint(cli, programme, tmp_path, db_path):
    f = write_csv(tmp_path / "p.csv", ["nik,nama", f"{SITI},Siti"])
    r = cli("participant", "import", f)
    assert r.exit_code == 1 and "no session for this row" in r.stderr


def test_second_import_of_first_free_seat_rows_is_unchanged(cli, pekalongan_db, tmp_path, db_path):
    """A person placed by 'first with a free seat' stays in that session on a second
    import (unchanged), not offered the other session's free seat and refused there."""
    first = make_session(pekalongan_db, kelurahan="Medono", skill="Tas", days=START, capacity=1)
    second = make_session(pekalongan_db, kelurahan="Medono", skill="Hantaran", days=("2030-07-08", "2030-07-09"),
                          capacity=2)
    f = write_csv(tmp_path / "p.csv", ["nik,nama,kelurahan", f"{SITI},Siti,Medono", f"{BUDI},Budi,Medono"])
    assert cli("participant", "import", f, "--first-free-seat").exit_code == 0
    placed = [(r[0], r[5]) for r in enrollments(db_path)]
    assert placed == [(SITI, first), (BUDI, second)]
    before = counts(db_path)
    r = cli("participant", "import", f, "--format", "json", "--first-free-seat")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["enrolled"], out["waitlisted"], out["unchanged"], out["rejected"]) == (0, 0, 2, 0)
    assert counts(db_path) == before
    # Siti leaves Tas for another kelurahan's session: the file's row now names the kelurahan
    # column (it chose the session) in the refusal, not an empty column
    other = make_session(pekalongan_db, kelurahan="Bendan Kergon", skill="Merajut", days=START)
    assert cli("participant", "move", SITI, "--to", other, "--allow-outside").exit_code == 0
    r = cli("participant", "import", f, "--format", "json", "--first-free-seat")
    assert r.exit_code == 1
    err = json.loads(r.stdout)["errors"]
    assert [(e["row"], e["column"], e["value"]) for e in err] == [(2, "kelurahan", "Medono")]
    assert err[0]["message"].startswith("One training per year:")


def test_sample_participants_fill_the_2024_programme(cli, pekalongan_db, db_path):
    """data/sample_participants.csv (what `make demo` imports): 1,080 synthetic people, NIK
    prefix 337599, 40 per kelurahan, every row accepted: 20 per track, nobody waitlisted."""
    from pathlib import Path

    data = Path(__file__).resolve().parent.parent / "data"
    assert cli("instructor", "import", data / "instructors_2024.csv").exit_code == 0
    r = cli("session", "auto-plan", "--from", "2024-07-01", "--to", "2024-08-27", "--requests",
            data / "programme_2024.csv", "--max-per-day", "2", "--format", "json")
    assert r.exit_code == 0, r.stderr
    r = cli("participant", "import", data / "sample_participants.csv", "--format", "json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["read"], out["enrolled"], out["waitlisted"], out["rejected"]) == (1080, 1080, 0, 0)
    # the synthetic kecamatan code 99 of every row: one grouped warning, not 1,080
    assert {w["message"] for w in out["warnings"] if "NIK" in w["message"]} == {SYNTHETIC}
    (synthetic,) = [w for w in out["warnings"] if w["message"] == SYNTHETIC]
    assert synthetic["rows"] == list(range(2, 1082)) and synthetic["column"] == "NIK"   # every row, none dropped
    r = cli("participant", "import", data / "sample_participants.csv", "--dry-run")
    assert f"Warning: {SYNTHETIC} (rows 2–1081)" in r.stderr   # the table: one line, every row
    db = open_db(db_path)
    try:
        assert db.execute("SELECT count(*) FROM participant WHERE nik NOT LIKE '337599%'").fetchone()[0] == 0
        per_session = {n for (n,) in db.execute("SELECT count(*) FROM enrollment GROUP BY session_id")}
        assert per_session == {20}
    finally:
        db.conn.close()


def test_escape_hatches_name_their_rows_and_are_recorded(cli, programme, tmp_path, db_path):
    """The refusals name the row's own --allow-outside-for / --accept-nik-mismatch-for; the
    bare flags of `participant enroll` are refused on an import, naming the rows they would
    cover; each use is recorded (enrollment, participant, the audit row's masked list)."""
    f = write_csv(tmp_path / "p.csv", ["nik,nama,kelurahan,tgl_lahir",
                                       f"{SITI},Siti,Medono,",
                                       f"{BUDI},Budi,Bendan Kergon,14/12/1985"])
    r = cli("participant", "import", f, "--session", programme["merajut"], "--format", "json")
    assert r.exit_code == 1
    errors = json.loads(r.stdout)["errors"]
    assert [(e["row"], e["column"], e["value"]) for e in errors] == [
        (2, "kelurahan", "Medono"), (3, "tgl_lahir", "14/12/1985")]
    assert "--allow-outside-for 2" in errors[0]["message"] and "--accept-nik-mismatch-for 3" in errors[1]["message"]
    assert counts(db_path)["participant"] == 0
    r = cli("participant", "import", f, "--session", programme["merajut"], "--allow-outside",
            "--accept-nik-mismatch", "--format", "json")
    assert r.exit_code == 1 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert lines[0].startswith("Error: --allow-outside and --accept-nik-mismatch would cover every row of the file")
    assert "It would cover --allow-outside row 2; --accept-nik-mismatch row 3 (below)" in lines[0]
    assert "e.g. --allow-outside-for 2 --accept-nik-mismatch-for 3." in lines[0]
    assert lines[1].startswith("  row 2, kelurahan 'Medono': Domicile rule") and lines[2].startswith("  row 3, tgl_lahir")
    assert len(lines) == 3 and counts(db_path)["participant"] == 0
    r = cli("participant", "import", f, "-s", programme["merajut"], "--allow-outside-for", "2",
            "--accept-nik-mismatch-for", BUDI, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["enrolled"] == 2
    db = open_db(db_path)
    try:
        assert db.execute("SELECT p.name, e.outside_domicile, p.nik_mismatch_accepted, p.birth_date FROM participant p "
                          "JOIN enrollment e ON e.participant_id = p.id ORDER BY p.id").fetchall() == [
            ("Siti", 1, 0, "1990-07-02"), ("Budi", 0, 1, "1985-12-14")]
        details = json.loads(db.execute("SELECT changes FROM audit_log WHERE action = 'participant.import'")
                             .fetchone()[0])
        assert (details["outside_domicile"], details["nik_mismatch_accepted"]) == (1, 1)
        assert details["allow_outside_for"] == [{"row": 2, "nik": "337599******0001"}]
        assert details["accept_nik_mismatch_for"] == [{"row": 3, "nik": "337599******0001"}]
    finally:
        db.conn.close()


def test_skip_with_every_row_bad_says_none_was_imported(cli, programme, tmp_path, db_path):
    """--on-error skip where every row is refused (a list typed in Number cells, say):
    exit 3, and the line does not speak of 'other rows' that were imported."""
    f = write_csv(tmp_path / "bad.csv", ["nik,nama", "12345,Budi", "3375,Siti"])
    r = cli("participant", "import", f, "--on-error", "skip")
    assert r.exit_code == 3
    assert "Error: 2 row(s) of 2 rejected; no row was imported." in r.stderr
    assert counts(db_path) == {"participant": 0, "enrolled": 0, "waitlisted": 0, "audit": 0}
