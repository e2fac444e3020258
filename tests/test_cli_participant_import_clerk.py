"""`participant import` of files made the way clerks make them (tests/make_clerk_files.py),
end to end: exit code, stdout/stderr, then the rows in the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import make_clerk_files as clerk
from factories import make_session
from pelatihan_cli.db import open_db

DATA = Path(__file__).parent / "data" / "clerk"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return clerk.build(tmp_path_factory.mktemp("clerk"))


@pytest.fixture
def sessions(pekalongan_db):
    db = pekalongan_db
    return {
        "tas": make_session(db, kelurahan="Medono", skill="Tas", days=("2030-07-04", "2030-07-05")),
        "merajut": make_session(db, kelurahan="Bendan Kergon", skill="Merajut", days=("2030-07-02", "2030-07-03")),
        "desain": make_session(db, kelurahan="Bendan Kergon", skill="Desain Produk & Kemasan",
                               days=("2030-07-02", "2030-07-03")),
    }


def people(db_path) -> list[tuple]:
    db = open_db(db_path)
    try:
        return db.execute(
            "SELECT p.nik, p.name, p.phone, e.session_id FROM participant p JOIN enrollment e ON e.participant_id = p.id "
            "ORDER BY p.nik").fetchall()
    finally:
        db.conn.close()


def test_medono_list_with_title_hidden_row_merged_skill_and_signature(cli, sessions, files, db_path):
    r = cli("participant", "import", files["medono"])
    assert r.exit_code == 0, r.stderr
    # four people: not the hidden (withdrawn) one, not the empty numbered rows, not the footer
    assert "Read 4 row(s): 4 enrolled, 0 waitlisted, 0 updated, 0 unchanged, 0 rejected." in r.stdout
    assert "Warning: 1 hidden row(s) not imported: row 10; show them in the spreadsheet, or give " \
           "--include-hidden to import them." in r.stderr
    assert "Warning: hidden column(s) H 'NO HP LAMA' not read; --include-hidden reads them." in r.stderr
    assert "sheet 'Rekap' has no participant header; read sheet 'Peserta'" in r.stderr
    assert "Note: row(s) 1–4 above the header skipped (title)." in r.stderr
    assert "the table ends at row 15 ('JUMLAH')" in r.stderr
    expected = sorted((clerk.medono_nik(i), clerk.MEDONO[i][0], "+62" + clerk.MEDONO[i][4][1:], sessions["tas"])
                      for i in (0, 1, 3, 4))
    assert people(db_path) == expected   # the visible phone column, the merged skill's session


def test_include_hidden_takes_the_hidden_row(cli, sessions, files, db_path):
    r = cli("participant", "import", files["medono"], "--include-hidden", "--format", "json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["read"], out["enrolled"], out["rejected"]) == (5, 5, 0)
    assert clerk.medono_nik(2) in [p[0] for p in people(db_path)]


def test_all_sheets_sheet_name_is_the_kelurahan(cli, sessions, files, db_path):
    r = cli("participant", "import", files["per_kelurahan"], "--all-sheets", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["enrolled"] == 4
    got = {nik: sid for nik, _n, _p, sid in people(db_path)}
    assert got == {clerk.sheets_nik("Medono", 0): sessions["tas"], clerk.sheets_nik("Medono", 1): sessions["tas"],
                   clerk.sheets_nik("Bendan Kergon", 0): sessions["merajut"],
                   clerk.sheets_nik("Bendan Kergon", 1): sessions["desain"]}


def test_all_sheets_on_a_csv_is_one_line_error(cli, sessions, files):
    r = cli("participant", "import", files["titled_csv"], "--all-sheets")
    assert r.exit_code == 1
    assert r.stderr.strip().splitlines()[-1] == (
        "Error: --all-sheets applies only to spreadsheets (xlsx, xls, ods), not csv.")


@pytest.mark.parametrize("name", ["unicode_text", "titled_csv"])
def test_text_files_with_a_title_line(cli, sessions, files, db_path, name):
    r = cli("participant", "import", files[name])
    assert r.exit_code == 0, r.stderr
    assert "Read 2 row(s): 2 enrolled" in r.stdout
    assert [p[0] for p in people(db_path)] == sorted([clerk.medono_nik(0), clerk.medono_nik(1)])


def test_ods_and_xls_from_libreoffice(cli, sessions, db_path):
    r = cli("participant", "import", DATA / "medono_2025.ods", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["enrolled"] == 4
    r = cli("participant", "import", DATA / "medono_2025.xls", "--dry-run", "--format", "json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    # .xls: hidden rows cannot be seen, so the withdrawn person is read, and the operator is told
    assert out["read"] == 5
    assert any("cannot be seen in a .xls file" in str(w) for w in out["warnings"])
