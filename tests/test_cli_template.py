"""`pelatihan template participants` (issue 10, point 3): the registration template of a
kelurahan office, and the round trip: filled the way a clerk fills it, it imports with no
warning at all and the expected rows."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from factories import make_session
from pelatihan_cli.db import open_db
from pelatihan_cli.importing.headers import PARTICIPANT_ALIASES, map_headers
from pelatihan_cli.render.template_xlsx import HEADER_ROW, ROWS
from pelatihan_cli.services.template import PARTICIPANT_HEADERS

FIRST = HEADER_ROW + 1


def nik(birth: dt.date, woman: bool, serial: int) -> str:
    """A NIK of kecamatan Pekalongan Barat (33.75.01) that agrees with the birth date and sex."""
    return f"337501{birth.day + (40 if woman else 0):02d}{birth:%m%y}{serial:04d}"


@pytest.fixture
def medono(pekalongan_db):
    db = pekalongan_db
    ids = {
        "tas": make_session(db, kelurahan="Medono", skill="Tas", days=("2030-07-02", "2030-07-03")),
        "merajut": make_session(db, kelurahan="Medono", skill="Merajut", days=("2030-07-09", "2030-07-10")),
        # not in Medono's list: a cancelled session, and another kelurahan's track
        "sablon": make_session(db, kelurahan="Medono", skill="Sablon", days=("2030-07-16", "2030-07-17"),
                               status="cancelled"),
        "batik": make_session(db, kelurahan="Bendan Kergon", skill="Batik", days=("2030-07-02", "2030-07-03")),
    }
    return ids


def headers_of(ws) -> list[str]:
    return [c.value for c in ws[HEADER_ROW]]


def validation_for(ws, cell: str):
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, (cell, found)
    return found[0]


def test_every_template_header_maps_to_its_field():
    hm = map_headers([h for h, _f in PARTICIPANT_HEADERS], PARTICIPANT_ALIASES)
    assert [(c.header, c.field) for c in hm.columns] == list(PARTICIPANT_HEADERS)
    assert hm.unknown == []


def test_template_sheets_formats_and_lists(cli, medono, tmp_path):
    out = tmp_path / "medono.xlsx"
    r = cli("template", "participants", "-k", "Medono", "-o", out)
    assert r.exit_code == 0, r.stderr
    # the sentence of a write command: on stderr when stdout is not a terminal (say())
    assert r.stderr == f"Wrote {out}: the registration template for kelurahan Medono (33.75.01.1002); " \
                       "tracks: Tas, Merajut.\n"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Petunjuk", "Peserta", "Daftar"]
    assert wb["Daftar"].sheet_state == "hidden"
    guide = "\n".join(str(c.value) for c in wb["Petunjuk"]["A"] if c.value)
    for phrase in ("Yang mengisi: petugas kelurahan Medono", "Satu baris untuk satu orang", "16 digit",
                   "sebagai teks", "dd-mm-yyyy", "tidak didaftarkan", "DINAS PERINDUSTRIAN DAN TENAGA KERJA",
                   "Tas, Merajut"):
        assert phrase in guide, phrase
    ws = wb["Peserta"]
    assert headers_of(ws) == [h for h, _f in PARTICIPANT_HEADERS]
    assert "MEDONO (33.75.01.1002)" in ws["A2"].value
    # the programme's name once, 'PELATIHAN' not twice when the name starts with it
    assert ws["A1"].value == "DAFTAR CALON PESERTA PELATIHAN KEWIRAUSAHAAN 2030"
    col = {h: openpyxl.utils.get_column_letter(i) for i, h in enumerate(headers_of(ws), start=1)}
    last = FIRST + ROWS - 1
    for h in ("NIK", "NO. HP/WA", "RT/RW"):
        assert ws[f"{col[h]}{FIRST}"].number_format == "@"
        assert ws[f"{col[h]}{last}"].number_format == "@"
    assert ws[f"{col['TANGGAL LAHIR']}{FIRST}"].number_format == "DD-MM-YYYY"
    assert {ws[f"{col['KELURAHAN']}{r}"].value for r in range(FIRST, last + 1)} == {"Medono"}
    v = validation_for(ws, f"{col['NIK']}{FIRST}")
    assert (v.type, v.operator, v.formula1) == ("textLength", "equal", "16")
    assert validation_for(ws, f"{col['JENIS KELAMIN (L/P)']}{FIRST}").formula1 == '"L,P"'
    track = validation_for(ws, f"{col['PELATIHAN']}{FIRST}")
    assert track.type == "list"
    assert track.formula1 == "'Daftar'!$A$2:$A$3"
    assert [wb["Daftar"][f"A{r}"].value for r in (2, 3)] == ["Tas", "Merajut"]   # not Sablon, not Batik


def fill(path, rows):
    """What a clerk does: type the cells of the prepared rows, then save."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Peserta"]
    col = {h: i for i, h in enumerate(headers_of(ws), start=1)}
    for r, values in enumerate(rows, start=FIRST):
        for h, v in values.items():
            ws.cell(r, col[h], v)
    wb.save(path)


SITI = dt.date(1990, 7, 2)
BUDI = dt.date(1985, 12, 13)


def test_round_trip_a_filled_template_imports_with_no_warning(cli, medono, tmp_path, db_path):
    out = tmp_path / "daftar.xlsx"
    assert cli("template", "participants", "-k", "Medono", "-o", out).exit_code == 0
    fill(out, [
        {"NIK": nik(SITI, True, 1), "NAMA LENGKAP": "Siti Aminah", "TEMPAT LAHIR": "Pekalongan",
         "TANGGAL LAHIR": dt.datetime(1990, 7, 2), "JENIS KELAMIN (L/P)": "P", "ALAMAT": "Jl. Medono Gg. 3",
         "RT/RW": "002/005", "NO. HP/WA": "081234567801", "PELATIHAN": "Tas", "STATUS PEKERJAAN": "Belum bekerja"},
        {"NIK": nik(BUDI, False, 2), "NAMA LENGKAP": "Budi Santoso", "TEMPAT LAHIR": "Batang",
         "TANGGAL LAHIR": "13-12-1985", "JENIS KELAMIN (L/P)": "L", "ALAMAT": "Jl. Urip Sumoharjo 12",
         "RT/RW": "001/002", "NO. HP/WA": "081234567802", "PELATIHAN": "Merajut", "STATUS PEKERJAAN": "Wirausaha"},
    ])
    r = cli("participant", "import", out, "-f", "json")
    assert r.exit_code == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["warnings"] == [] and s["errors"] == []
    assert (s["read"], s["enrolled"], s["rejected"]) == (2, 2, 0)
    assert "Warning" not in r.stderr
    db = open_db(db_path)
    try:
        got = db.execute(
            "SELECT p.nik, p.name, p.birth_date, p.sex, p.phone, p.birth_place, p.work_status, k.name, e.session_id "
            "FROM participant p JOIN enrollment e ON e.participant_id = p.id JOIN kelurahan k ON k.id = p.kelurahan_id "
            "ORDER BY p.nik").fetchall()
        address = db.execute("SELECT address FROM participant WHERE name = 'Siti Aminah'").fetchone()[0]
    finally:
        db.conn.close()
    assert got == sorted([
        (nik(SITI, True, 1), "Siti Aminah", "1990-07-02", "P", "+6281234567801", "Pekalongan", "seeking", "Medono",
         medono["tas"]),
        (nik(BUDI, False, 2), "Budi Santoso", "1985-12-13", "L", "+6281234567802", "Batang", "self-employed",
         "Medono", medono["merajut"]),
    ])
    assert address == "Jl. Medono Gg. 3, RT 002/RW 005"   # RT/RW (a text cell: never a date) joins the address


def test_existing_file_is_refused_without_force(cli, medono, tmp_path):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"keep me")
    r = cli("template", "participants", "-k", "Medono", "-o", out)
    assert r.exit_code == 1
    assert r.stderr == f"Error: {out} already exists; choose another file name, or add --force to overwrite it.\n"
    assert out.read_bytes() == b"keep me"
    r = cli("template", "participants", "-k", "Medono", "-o", out, "--force", "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout) == {
        "file": str(out), "kelurahan": "Medono", "kelurahan_code": "33.75.01.1002", "kecamatan": "Pekalongan Barat",
        "programme": json.loads(r.stdout)["programme"], "tracks": ["Tas", "Merajut"]}
    assert openpyxl.load_workbook(out).sheetnames[1] == "Peserta"


def test_without_kelurahan_every_track_and_an_empty_kelurahan_column(cli, medono, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("template", "participants", "-f", "csv")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0] == "file,kelurahan,kelurahan_code,kecamatan,programme,tracks"
    assert r.stdout.splitlines()[1].startswith("daftar_peserta.xlsx,,,,")
    ws = openpyxl.load_workbook(tmp_path / "daftar_peserta.xlsx")["Peserta"]
    assert ws.cell(FIRST, 8).value is None
    lists = openpyxl.load_workbook(tmp_path / "daftar_peserta.xlsx")["Daftar"]
    assert sorted(c.value for c in lists["A"][1:] if c.value) == ["Batik", "Merajut", "Tas"]


def test_unknown_kelurahan_and_no_tracks(cli, pekalongan_db, tmp_path):
    r = cli("template", "participants", "-k", "Medonoo", "-o", tmp_path / "x.xlsx")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: ") and len(r.stderr.splitlines()) == 1
    assert not (tmp_path / "x.xlsx").exists()
    r = cli("template", "participants", "-k", "Medono", "-o", tmp_path / "y.xlsx")
    assert r.exit_code == 0
    assert "Warning: there is no programme yet" in r.stderr


def test_output_must_be_xlsx(cli, medono, tmp_path):
    r = cli("template", "participants", "-o", tmp_path / "x.csv")
    assert r.exit_code == 2
    assert "--output" in r.stderr and ".xlsx" in r.stderr
