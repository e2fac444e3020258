"""CLI tests for init and the kelurahan registry: exit codes, output, then the rows."""

from __future__ import annotations

import csv
import io
import json

from pelatihan_cli.db import open_db
from pelatihan_cli.resources import data_path

EXPECTED = list(csv.DictReader(data_path("kelurahan_pekalongan.csv").open(encoding="utf-8")))


def rows(db_path):
    db = open_db(db_path)
    try:
        return [dict(r) for r in db["kelurahan"].rows]
    finally:
        db.conn.close()


def test_init_pekalongan_gives_exactly_the_27_kelurahan(cli, tmp_path):
    x = tmp_path / "x.db"
    r = cli("--db", x, "init", "--pekalongan")
    assert r.exit_code == 0, r.stderr
    assert "27 added" in r.stdout
    r = cli("--db", x, "kelurahan", "list", "--format", "json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert len(data) == 27
    assert [{k: d[k] for k in ("code", "name", "kecamatan")} for d in data] == EXPECTED
    assert all(d["sessions"] == 0 and d["participants"] == 0 for d in data)
    assert set(data[0]) == {"code", "name", "kecamatan", "kabupaten", "provinsi", "sessions", "participants"}
    assert {(d["kabupaten"], d["provinsi"]) for d in data} == {("Kota Pekalongan", "Jawa Tengah")}


def test_init_pekalongan_is_idempotent(cli, db_path):
    assert cli("init", "--pekalongan").exit_code == 0
    before = rows(db_path)
    r = cli("init", "--pekalongan")
    assert r.exit_code == 0
    assert "0 added, 27 already present" in r.stdout
    assert rows(db_path) == before


def test_add_and_list_csv_and_filter(cli, db_path):
    r = cli("kelurahan", "add", "Bendan Kergon", "--kecamatan", "Pekalongan Barat", "--code", "33.75.01.1006")
    assert r.exit_code == 0, r.stderr
    cli("kelurahan", "add", "Krapyak", "--kecamatan", "Pekalongan Utara")
    r = cli("kelurahan", "list", "--format", "csv", "--kecamatan", "pekalongan barat")
    assert r.exit_code == 0
    assert list(csv.DictReader(io.StringIO(r.stdout))) == [
        {"code": "33.75.01.1006", "name": "Bendan Kergon", "kecamatan": "Pekalongan Barat",
         "kabupaten": "Kota Pekalongan", "provinsi": "Jawa Tengah", "sessions": "0", "participants": "0"}
    ]
    assert [r["name"] for r in rows(db_path)] == ["Bendan Kergon", "Krapyak"]


def test_duplicate_name_is_refused_whatever_the_spelling(cli, db_path):
    cli("kelurahan", "add", "Bendan Kergon", "--kecamatan", "Pekalongan Barat")
    for spelling in ("bendan kergon", "BENDAN-KERGON", "Bendan  Kergon"):
        r = cli("kelurahan", "add", spelling, "--kecamatan", "Pekalongan Barat")
        assert r.exit_code == 1
        assert "Bendan Kergon (Pekalongan Barat) already exists without a code" in r.stderr
    assert len(rows(db_path)) == 1


def test_duplicate_code_is_refused(cli, db_path):
    cli("kelurahan", "add", "Medono", "-K", "Pekalongan Barat", "--code", "33.75.01.1002")
    r = cli("kelurahan", "add", "Podosugih", "-K", "Pekalongan Barat", "--code", "33.75.01.1002")
    assert r.exit_code == 1
    assert "code 33.75.01.1002 already belongs to Medono (Pekalongan Barat)" in r.stderr
    assert len(rows(db_path)) == 1


def test_bad_code_names_the_format(cli, db_path):
    r = cli("kelurahan", "add", "Medono", "-K", "Pekalongan Barat", "--code", "3375011002")
    assert r.exit_code == 1
    assert "'3375011002' is not a Kemendagri code" in r.stderr
    assert "NN.NN.NN.NNNN" in r.stderr
    assert rows(db_path) == []


def test_unknown_name_offers_the_closest(cli, pekalongan_db):
    r = cli("kelurahan", "remove", "Bendan Kergo", "--yes")
    assert r.exit_code == 1
    assert r.stderr == "Error: Unknown kelurahan 'Bendan Kergo'. Did you mean 'Bendan Kergon'?\n"


def test_rename_matches_loosely_and_refuses_existing(cli, pekalongan_db, db_path):
    r = cli("kelurahan", "rename", "kali-baros", "Kalibaros")
    assert r.exit_code == 0, r.stderr
    names = {r["name"] for r in rows(db_path)}
    assert "Kalibaros" in names and "Kali Baros" not in names
    # a name may repeat (two places of one name, each with its code): renaming is a correction
    r = cli("kelurahan", "rename", "Kalibaros", "medono")
    assert r.exit_code == 0, r.stderr
    r = cli("kelurahan", "remove", "Medono", "--yes")
    assert r.exit_code == 1 and "is ambiguous: 2 places have that name" in r.stderr
    assert "write 'Medono (Pekalongan Barat)' or 33.75.01.1002" in r.stderr
    assert "write 'medono (Pekalongan Timur)' or 33.75.02.1012" in r.stderr


def test_remove_refused_while_sessions_refer_to_it(cli, pekalongan_db, db_path):
    from tests.factories import make_session

    make_session(pekalongan_db, kelurahan="Pringrejo")
    r = cli("kelurahan", "remove", "PRINGREJO", "--yes")
    assert r.exit_code == 1
    assert "has 1 session(s)" in r.stderr
    assert any(r["name"] == "Pringrejo" for r in rows(db_path))
    r = cli("kelurahan", "remove", "Medono", "--yes")
    assert r.exit_code == 0
    assert len(rows(db_path)) == 26


def test_import_is_all_or_nothing_and_lists_every_bad_row(cli, tmp_path, db_path):
    f = tmp_path / "k.csv"
    f.write_text(
        "code,name,kecamatan\n"
        "33.75.01.1002,Medono,Pekalongan Barat\n"
        "33.75.01.x,Podosugih,Pekalongan Barat\n"
        "33.75.01.1004,medono,Pekalongan Barat\n"
        ",Tirto,\n",
        encoding="utf-8",
    )
    r = cli("kelurahan", "import", f)
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: 2 bad row(s), nothing imported.")
    assert "row 3, code '33.75.01.x'" in r.stderr
    assert "row 5, kecamatan" in r.stderr
    assert rows(db_path) == []


def test_import_json_twice_changes_nothing(cli, tmp_path, db_path):
    f = tmp_path / "k.json"
    f.write_text(json.dumps([{"code": "33.75.01.1002", "name": "Medono", "kecamatan": "Pekalongan Barat"}]))
    assert cli("kelurahan", "import", f).exit_code == 0
    r = cli("kelurahan", "import", f)
    assert r.exit_code == 0
    assert "0 added, 1 unchanged" in r.output
    assert len(rows(db_path)) == 1


def test_csv_output_is_formula_safe(cli, db_path):
    cli("kelurahan", "add", "=HYPERLINK(\"x\")", "-K", "@Kec")
    r = cli("kelurahan", "list", "--format", "csv")
    assert r.exit_code == 0
    line = r.stdout.splitlines()[1]
    assert "'=HYPERLINK" in line and "'@Kec" in line


def test_kecamatan_filter_matches_loosely_and_an_unknown_one_lists_the_known(cli, pekalongan_db):
    r = cli("kelurahan", "list", "--kecamatan", "PEKALONGAN-utara", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert len(json.loads(r.stdout)) == 7
    r = cli("kelurahan", "list", "--kecamatan", "Wiradesa")
    assert r.exit_code == 1
    assert r.stderr == ("Error: Unknown kecamatan 'Wiradesa'. Known: Pekalongan Barat, Pekalongan Selatan, "
                        "Pekalongan Timur, Pekalongan Utara.\n")


def test_import_reads_semicolon_csv_from_excel_and_xlsx(cli, tmp_path, db_path):
    from openpyxl import Workbook

    f = tmp_path / "k.csv"
    f.write_bytes("Code;Name;Kecamatan\n33.75.01.1002;Médono;Pekalongan Barat\n".encode("cp1252"))
    r = cli("kelurahan", "import", f)
    assert r.exit_code == 0, r.stderr
    x = tmp_path / "k.xlsx"
    wb = Workbook()
    wb.active.append(["code", "name", "kecamatan"])
    wb.active.append(["33.75.03.1002", "Krapyak", "Pekalongan Utara"])
    wb.save(x)
    r = cli("kelurahan", "import", x)
    assert r.exit_code == 0, r.stderr
    assert [(k["name"], k["code"]) for k in rows(db_path)] == [("Médono", "33.75.01.1002"), ("Krapyak", "33.75.03.1002")]
