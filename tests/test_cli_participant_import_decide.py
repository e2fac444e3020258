"""`participant import`, issue 10 point 1 (resolve, decide, report): nothing wrong is
stored unless the operator said yes to that row. Skill tracks, identity, per-row
overrides, warnings never dropped, where rows went, --kelurahan. Each case checks the
exit code, the stderr lines and the rows in the database afterwards."""

from __future__ import annotations

from pelatihan_cli.services.audit import mask_text  # NIKs in messages are masked (issue 13)

import datetime as dt
import json

import pytest

from factories import make_participant, make_session
from pelatihan_cli.db import open_db
from test_cli_participant_import import ANI, BUDI, JOKO, SITI, START, counts, enrollments, nik, write_csv


@pytest.fixture
def programme(pekalongan_db):
    """Bendan Kergon: Merajut, Desain Produk & Kemasan; Medono: Tas."""
    db = pekalongan_db
    return {
        "merajut": make_session(db, kelurahan="Bendan Kergon", skill="Merajut", days=START),
        "desain": make_session(db, kelurahan="Bendan Kergon", skill="Desain Produk & Kemasan", days=START),
        "tas": make_session(db, kelurahan="Medono", skill="Tas", days=("2030-07-04", "2030-07-05")),
    }


def row_lines(stderr: str) -> list[str]:
    """The bad-row lines under the Error line (warnings are printed before it)."""
    return [line for line in stderr.splitlines() if line.startswith("  row ")]


def people(db_path) -> list[tuple]:
    db = open_db(db_path)
    try:
        return db.execute("SELECT nik, name, nik_mismatch_accepted FROM participant ORDER BY id").fetchall()
    finally:
        db.conn.close()


def audit_changes(db_path) -> dict:
    db = open_db(db_path)
    try:
        return json.loads(db.execute("SELECT changes FROM audit_log WHERE action = 'participant.import' "
                                     "ORDER BY id DESC").fetchone()[0])
    finally:
        db.conn.close()


# --- skill tracks ----------------------------------------------------------------------------

def test_skill_values_name_their_track_and_the_summary_lists_them(cli, programme, tmp_path, db_path):
    f = write_csv(tmp_path / "p.csv", [
        "nik,nama,kelurahan,pelatihan",
        f"{SITI},Siti,Bendan Kergon,Rajut",
        f"{BUDI},Budi,Bendan Kergon,Desain Kemasan",
        f"{ANI},Ani,Bendan Kergon,desain produk dan kemasan",
        f"{JOKO},Joko,Bendan Kergon,rajut",
    ])
    r = cli("participant", "import", f, "--format", "json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["skills"] == [
        {"value": "Rajut", "track": "Merajut", "rows": 1},
        {"value": "Desain Kemasan", "track": "Desain Produk & Kemasan", "rows": 1},
        {"value": "desain produk dan kemasan", "track": "Desain Produk & Kemasan", "rows": 1},
        {"value": "rajut", "track": "Merajut", "rows": 1},
    ]
    assert out["sessions"] == [
        {"session_id": programme["merajut"], "kelurahan": "Bendan Kergon", "skill": "Merajut", "enrolled": 2,
         "waitlisted": 0},
        {"session_id": programme["desain"], "kelurahan": "Bendan Kergon", "skill": "Desain Produk & Kemasan",
         "enrolled": 2, "waitlisted": 0}]
    assert [(r[0], r[5]) for r in enrollments(db_path)] == [
        (SITI, programme["merajut"]), (BUDI, programme["desain"]), (ANI, programme["desain"]),
        (JOKO, programme["merajut"])]


def test_a_skill_naming_no_track_or_several_is_a_row_error_never_a_guess(cli, pekalongan_db, tmp_path, db_path):
    db = pekalongan_db
    make_session(db, kelurahan="Medono", skill="Roti & Masakan", days=START)
    make_session(db, kelurahan="Medono", skill="Roti & Kue", days=("2030-07-08", "2030-07-09"))
    f = write_csv(tmp_path / "p.csv", ["nik,nama,kelurahan,keterampilan",
                                       f"{SITI},Siti,Medono,Roti", f"{BUDI},Budi,Medono,Rotii",
                                       f"{ANI},Ani,Medono,roti dan kue"])
    r = cli("participant", "import", f)
    assert r.exit_code == 1
    assert row_lines(r.stderr) == [
        "  row 2, keterampilan 'Roti': skill 'Roti' could be Roti & Kue or Roti & Masakan of Medono; write the "
        "track in full.",
        "  row 3, keterampilan 'Rotii': skill 'Rotii' names none of the tracks of Medono (Roti & Kue, Roti & "
        "Masakan); write one of them in the cell.",
    ]
    assert counts(db_path)["participant"] == 0


def test_no_skill_where_the_kelurahan_has_several_tracks_needs_first_free_seat(cli, programme, tmp_path, db_path):
    f = write_csv(tmp_path / "p.csv", ["nik,nama,kelurahan", f"{SITI},Siti,Bendan Kergon", f"{BUDI},Budi,Medono"])
    r = cli("participant", "import", f)
    assert r.exit_code == 1
    assert row_lines(r.stderr)[0] == (
        "  row 2, skill: Kelurahan Bendan Kergon has 2 tracks (Desain Produk & Kemasan, Merajut) and this row names "
        "none: write the track in its skill column (pelatihan), or give --first-free-seat to place such rows in the "
        "first session with a free seat.")
    assert len(row_lines(r.stderr)) == 1 and counts(db_path)["participant"] == 0   # Medono: one track
    r = cli("participant", "import", f, "--first-free-seat", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["skills"] == [{"value": None, "track": "Merajut", "rows": 1},
                                              {"value": None, "track": "Tas", "rows": 1}]
    assert [(r[0], r[5]) for r in enrollments(db_path)] == [(SITI, programme["merajut"]), (BUDI, programme["tas"])]


def test_a_skill_cell_that_disagrees_with_session_is_a_row_error(cli, programme, tmp_path, db_path):
    f = write_csv(tmp_path / "p.csv", ["nik,nama,pelatihan", f"{SITI},Siti,Rajut", f"{BUDI},Budi,Desain"])
    r = cli("participant", "import", f, "-s", programme["merajut"])
    assert r.exit_code == 1
    assert row_lines(r.stderr) == [
        f"  row 3, pelatihan 'Desain': skill 'Desain' disagrees with --session {programme['merajut']}, session "
        f"{programme['merajut']} (Bendan Kergon · Merajut) (names Desain Produk & Kemasan); correct the skill "
        "cell, or import this row without --session."]
    assert counts(db_path)["participant"] == 0
    # the same with a session column
    g = write_csv(tmp_path / "q.csv", ["nik,nama,sesi,pelatihan", f"{SITI},Siti,{programme['tas']},Merajut"])
    r = cli("participant", "import", g)
    assert r.exit_code == 1 and "disagrees with session column 'sesi'" in r.stderr


# --- identity --------------------------------------------------------------------------------

def test_a_nik_stored_under_another_name_is_refused_then_accepted_by_row(cli, programme, tmp_path, db_path):
    make_participant(programme and open_db(db_path), SITI, "Siti Aminah", birth_date="1990-07-02")
    f = write_csv(tmp_path / "p.csv", ["nik,nama,kelurahan,pelatihan",
                                       f"{SITI},Budi Santoso,Bendan Kergon,Merajut",
                                       f"{BUDI},Budi,Bendan Kergon,Merajut"])
    r = cli("participant", "import", f)
    assert r.exit_code == 1
    line = row_lines(r.stderr)[0]
    assert line.startswith(f"  row 2, nama 'Budi Santoso': Identity: NIK {mask_text(SITI)} is registered to 'Siti Aminah', "
                           "not 'Budi Santoso'.")
    assert f'`pelatihan participant update {mask_text(SITI)} --name "Budi Santoso"`' in line
    assert "--accept-name-change-for 2" in line
    assert people(db_path) == [(SITI, "Siti Aminah", 0)]
    r = cli("participant", "import", f, "--accept-name-change-for", "2")
    assert r.exit_code == 0, r.stderr
    assert "another person's name, accepted (--accept-name-change-for 2, recorded)" in r.stderr
    assert people(db_path)[0] == (SITI, "Budi Santoso", 0)
    assert audit_changes(db_path)["accept_name_change_for"] == [{"row": 2, "nik": "337599******0001"}]


def test_participant_enroll_refuses_another_name_and_takes_accept_name_change(cli, programme, db_path):
    sid = programme["merajut"]
    assert cli("participant", "enroll", sid, SITI, "--name", "Hj. Siti Aminah").exit_code == 0
    r = cli("participant", "enroll", sid, SITI, "--name", "Siti Aminah, S.Pd.")   # the same person
    assert r.exit_code == 0, r.stderr
    r = cli("participant", "enroll", sid, SITI, "--name", "Budi Santoso")
    assert r.exit_code == 1
    assert r.stderr.startswith(f"Error: Identity: NIK {mask_text(SITI)} is registered to 'Siti Aminah, S.Pd.', not "
                               "'Budi Santoso'.") and "--accept-name-change (recorded)" in r.stderr
    r = cli("participant", "enroll", sid, SITI, "--name", "Budi Santoso", "--accept-name-change")
    assert r.exit_code == 0, r.stderr
    assert people(db_path) == [(SITI, "Budi Santoso", 0)]


def test_domicile_change_and_possible_duplicate_are_warned(cli, programme, tmp_path, db_path):
    db = open_db(db_path)
    make_participant(db, SITI, "Siti Aminah", kelurahan="Medono", birth_date="1990-07-02")
    twin = nik(dt.date(1990, 7, 2), woman=True, serial=2)
    db.conn.close()
    f = write_csv(tmp_path / "p.csv", ["nik,nama,kelurahan,pelatihan",
                                       f"{SITI},Siti Aminah,Bendan Kergon,Merajut",
                                       f"{twin},SITI AMINAH,Bendan Kergon,Merajut"])
    r = cli("participant", "import", f)
    assert r.exit_code == 0, r.stderr
    assert "Warning: NIK 337599******0001: domicile Medono -> Bendan Kergon. (row 2)" in r.stderr
    assert ("Warning: possible duplicate: 'Siti Aminah', born 1990-07-02, is registered with NIK 337599******0001; "
            "if they are one person, one NIK is wrong") in r.stderr


@pytest.mark.parametrize("chunk", [1, 2, 500])
def test_possible_duplicates_are_found_in_the_file_and_the_database_whatever_the_chunk(
        cli, programme, tmp_path, db_path, monkeypatch, chunk):
    """The look-up is made once per chunk: a twin of a stored person, a twin of an earlier
    row (in the same chunk or an earlier one) and a refused row's twin are warned alike."""
    from pelatihan_cli.services import participant_import

    monkeypatch.setattr(participant_import, "CHUNK_ROWS", chunk)
    db = open_db(db_path)
    make_participant(db, SITI, "Siti Aminah", kelurahan="Bendan Kergon", birth_date="1990-07-02")
    db.conn.close()
    born = dt.date(1985, 3, 4)
    first, second, third = (nik(born, woman=True, serial=s) for s in (1, 2, 3))
    twin_of_siti = nik(dt.date(1990, 7, 2), woman=True, serial=7)
    f = write_csv(tmp_path / "p.csv", ["nik,nama,kelurahan,pelatihan",
                                       f"{first},Dewi Lestari,Bendan Kergon,Merajut",
                                       f"{BUDI},Budi,Bendan Kergon,Merajut",
                                       f"{second},DEWI  LESTARI,Bendan Kergon,Merajut",
                                       f"{twin_of_siti},Siti Aminah,Bendan Kergon,Merajut",
                                       f"{third},Dewi Lestari,Bendan Kergon,Merajut"])
    r = cli("participant", "import", f)
    assert r.exit_code == 0, r.stderr
    dewi = "possible duplicate: 'Dewi Lestari', born 1985-03-04, is registered with NIK " + mask_text(first)
    assert f"{dewi}; " in r.stderr and "(rows 4, 6)" in r.stderr, r.stderr
    assert (f"possible duplicate: 'Siti Aminah', born 1990-07-02, is registered with NIK {mask_text(SITI)}; "
            in r.stderr and "(row 5)" in r.stderr)
    assert r.stderr.count("possible duplicate") == 2   # grouped: one line per twin
    assert len(people(db_path)) == 6


def test_corrected_list_later_cannot_rename_the_first_person(cli, programme, tmp_path, db_path):
    """The issue's bug: a first list whose NIKs lost their last digit to Excel stored Siti
    under her truncated NIK; the corrected list came later; the real owner of the
    truncated NIK then overwrote Siti's name. Now the corrected row is a possible
    duplicate (warned, naming her) and the real owner's row is refused (identity)."""
    born = dt.date(1990, 7, 2)
    real, truncated = nik(born, woman=True, serial=11), nik(born, woman=True, serial=10)
    first = write_csv(tmp_path / "first.csv", ["nik,nama,kelurahan,pelatihan",
                                               f"{truncated},Siti Aminah,Bendan Kergon,Merajut"])
    assert cli("participant", "import", first).exit_code == 0
    corrected = write_csv(tmp_path / "corrected.csv", ["nik,nama,kelurahan,pelatihan",
                                                       f"{real},Siti Aminah,Bendan Kergon,Merajut"])
    r = cli("participant", "import", corrected, "--format", "json")
    assert r.exit_code == 0, r.stderr
    dup = [w for w in json.loads(r.stdout)["warnings"] if w["message"].startswith("possible duplicate")]
    assert [(w["row"], w["column"], w["value"]) for w in dup] == [(2, "nik", real)]
    assert "registered with NIK 337599******0010" in dup[0]["message"]
    owner = write_csv(tmp_path / "owner.csv", ["nik,nama,kelurahan,pelatihan",
                                               f"{truncated},Dewi Lestari,Bendan Kergon,Desain"])
    r = cli("participant", "import", owner)
    assert r.exit_code == 1
    assert row_lines(r.stderr)[0].startswith(
        f"  row 2, nama 'Dewi Lestari': Identity: NIK {mask_text(truncated)} is registered to 'Siti Aminah', not 'Dewi Lestari'.")
    assert people(db_path) == [(truncated, "Siti Aminah", 0), (real, "Siti Aminah", 0)]


# --- overrides name their rows -----------------------------------------------------------------

def _swapped_file(tmp_path):
    """12 birth dates typed month-first (the NIK says otherwise) and one real mismatch (row 14)."""
    lines = ["nik,nama,tgl_lahir,kelurahan,pelatihan"]
    for i in range(12):
        b = dt.date(1980 + i, 12 if i + 1 != 12 else 10, i + 1)
        lines.append(f"{nik(b, serial=i + 1)},Orang {i + 1},{b.month:02d}/{b.day:02d}/{b.year},Bendan Kergon,Merajut")
    lines.append(f"{SITI},Siti,03/07/1990,Bendan Kergon,Merajut")
    return write_csv(tmp_path / "swapped.csv", lines)


def test_bare_accept_nik_mismatch_is_refused_listing_the_rows(cli, programme, tmp_path, db_path):
    f = _swapped_file(tmp_path)
    r = cli("participant", "import", f, "--accept-nik-mismatch")
    assert r.exit_code == 1 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert lines[0] == (
        "Error: --accept-nik-mismatch would cover every row of the file; an import names the rows (or NIKs) it "
        "accepts: --accept-nik-mismatch-for ROW (repeatable). It would cover --accept-nik-mismatch rows 2–14 "
        "(below): check each row, and name only those whose KTP really differs or who may train outside their "
        "kelurahan, e.g. --accept-nik-mismatch-for 2.")
    assert len(lines) == 14 and lines[13].startswith("  row 14, tgl_lahir '03/07/1990': Birth date 1990-07-03 "
                                                     f"does not match NIK '{mask_text(SITI)}'")
    assert counts(db_path)["participant"] == 0


def test_accept_nik_mismatch_for_a_row_accepts_exactly_that_row(cli, programme, tmp_path, db_path):
    f = _swapped_file(tmp_path)
    r = cli("participant", "import", f, "--accept-nik-mismatch-for", "14")
    assert r.exit_code == 1
    bad = row_lines(r.stderr)
    assert [line.split(",")[0] for line in bad] == [f"  row {n}" for n in range(2, 14)]
    assert all("--accept-nik-mismatch-for" in line for line in bad)
    assert counts(db_path)["participant"] == 0
    r = cli("participant", "import", f, "--accept-nik-mismatch-for", "14", "--on-error", "skip")
    assert r.exit_code == 3
    assert people(db_path) == [(SITI, "Siti", 1)]
    assert audit_changes(db_path)["accept_nik_mismatch_for"] == [{"row": 14, "nik": "337599******0001"}]


def test_an_override_naming_a_row_that_needs_none_is_warned(cli, programme, tmp_path, db_path):
    f = write_csv(tmp_path / "p.csv", ["nik,nama,kelurahan,pelatihan", f"{SITI},Siti,Bendan Kergon,Merajut"])
    r = cli("participant", "import", f, "--allow-outside-for", "2", "--accept-nik-mismatch-for", BUDI)
    assert r.exit_code == 0, r.stderr
    assert "Warning: --allow-outside-for 2: no row needed it there; nothing was accepted for it." in r.stderr
    assert f"Warning: --accept-nik-mismatch-for {mask_text(BUDI)}: no row needed it there" in r.stderr
    r = cli("participant", "import", f, "--allow-outside-for", "x1")
    assert r.exit_code == 1 and ("give a row number of the file (as in its error lines; SHEET:ROW with --all-sheets) "
                                 "or a 16-digit NIK") in r.stderr


# --- warnings: never dropped --------------------------------------------------------------------

def test_every_warning_is_shown_and_the_rejects_file_carries_them(cli, programme, tmp_path, db_path):
    f = _swapped_file(tmp_path)
    rows = [str(n) for n in range(2, 15)]
    args = [a for n in rows for a in ("--accept-nik-mismatch-for", n)]
    r = cli("participant", "import", f, *args)
    assert r.exit_code == 0, r.stderr
    accepted = [line for line in r.stderr.splitlines() if "accepted (--accept-nik-mismatch-for" in line]
    assert len(accepted) == 13   # no '... and 3 more'
    assert "more warning" not in r.stderr
    # a refused row's warnings go with it into the rejects file
    g = write_csv(tmp_path / "g.csv", ["nik,nama,kelurahan,sesi", f"{ANI},Ani,Medono,{programme['merajut']}"])
    rej = tmp_path / "rej.csv"
    r = cli("participant", "import", g, "--on-error", "skip", "--rejects", rej)
    assert r.exit_code == 3
    line = rej.read_text(encoding="utf-8-sig").splitlines()[1]
    assert "Domicile rule" in line and "NIK kecamatan code 33.75.99" in line


# --- where rows went, --kelurahan ---------------------------------------------------------------

def test_kelurahan_binds_the_file_and_rows_elsewhere_are_listed(cli, programme, tmp_path, db_path):
    f = write_csv(tmp_path / "p.csv", ["nik,nama,kelurahan,pelatihan,sesi",
                                       f"{SITI},Siti,,Merajut,",
                                       f"{BUDI},Budi,Medono,Merajut,",
                                       f"{ANI},Ani,,,{programme['tas']}"])
    r = cli("participant", "import", f, "-k", "Bendan Kergon")
    assert r.exit_code == 1
    assert [line.split(":")[0] for line in row_lines(r.stderr)] == [
        "  row 3, kelurahan 'Medono'", "  row 4, kelurahan"]
    r = cli("participant", "import", f, "-k", "Bendan Kergon", "--allow-outside-for", "3",
            "--allow-outside-for", "4", "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert (f"Warning: placed in session {programme['tas']} (Medono · Tas), outside the file's kelurahan "
            "Bendan Kergon (--kelurahan) (row 4)") in r.stderr
    assert r.stdout.splitlines()[1:5] == [   # then the preview (columns, skipped rows)
        "  skill 'Merajut' -> Merajut: 2 row(s)",
        "  skill (no skill) -> Tas: 1 row(s)",
        f"  session {programme['merajut']} (Bendan Kergon · Merajut): 2 enrolled, 0 waitlisted",
        f"  session {programme['tas']} (Medono · Tas): 1 enrolled, 0 waitlisted",
    ]
    assert counts(db_path)["participant"] == 0
    r = cli("participant", "import", f, "-k", "Bendan Kergon", "--allow-outside-for", "3",
            "--allow-outside-for", "4", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert [(s["session_id"], s["enrolled"]) for s in json.loads(r.stdout)["sessions"]] == [
        (programme["merajut"], 2), (programme["tas"], 1)]
    db = open_db(db_path)
    try:
        assert db.execute("SELECT p.nik, k.name, e.session_id, e.outside_domicile FROM participant p "
                          "JOIN kelurahan k ON k.id = p.kelurahan_id JOIN enrollment e ON e.participant_id = p.id "
                          "ORDER BY p.id").fetchall() == [
            (SITI, "Bendan Kergon", programme["merajut"], 0), (BUDI, "Medono", programme["merajut"], 1),
            (ANI, "Bendan Kergon", programme["tas"], 1)]
    finally:
        db.conn.close()
