"""Participant lists made the way kelurahan clerks make them (issue 10), for the reader and
import tests: a title block over a two-row header, a row of column numbers, a skill cell
merged over the whole list, a hidden row (a withdrawn person), a hidden old phone column,
numbered empty rows, a totals row and a signature block, a 'Rekap' sheet first, NIKs typed
into Number cells, the 1904 date system, one sheet per kelurahan, Excel's "Unicode Text".

    python tests/make_clerk_files.py DIR     # writes every file into DIR

The xlsx, csv and txt files are built here with openpyxl at test time (the `clerk_files`
fixture in conftest.py). The .xls and .ods copies of medono_2025.xlsx are made by
LibreOffice (`soffice --headless --convert-to xls|ods`) and committed under
tests/data/clerk/, because CI has no LibreOffice: rerun this script with --office to
remake them.

Every person's NIK agrees with their birth date and sex (kecamatan code 99: synthetic).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).parent / "data" / "clerk"


def nik(birth: dt.date, woman: bool = False, serial: int = 1) -> str:
    """A synthetic NIK (kecamatan code 99) that agrees with the birth date and sex."""
    return f"337599{birth.day + (40 if woman else 0):02d}{birth:%m%y}{serial:04d}"


#: (name, birth date, woman, address, phone, old phone)
MEDONO = [
    ("Siti Aminah", dt.date(1990, 7, 2), True, "Jl. Medono Gg. 3 RT 02/RW 05", "081234567801", "0285111111"),
    ("Budi Santoso", dt.date(1985, 12, 13), False, "Jl. Urip Sumoharjo 12", "081234567802", "0285222222"),
    ("Dewi Lestari", dt.date(1999, 3, 21), True, "Medono RT 01/RW 02", "081234567803", "0285333333"),  # hidden
    ("Rina Rahayu", dt.date(2001, 1, 31), True, "Jl. Kurinci 4", "081234567804", "0285444444"),
    ("Agus Pratama", dt.date(1979, 10, 5), False, "Jl. Sriwijaya 9", "081234567805", "0285555555"),
]
#: sheet row of each MEDONO person in medono_2025.xlsx (the third one's row is hidden)
MEDONO_ROWS = [8, 9, 10, 11, 12]
MEDONO_HIDDEN_ROW = 10


def medono_nik(i: int) -> str:
    name, birth, woman, *_ = MEDONO[i]
    return nik(birth, woman, serial=i + 1)


def _thin(ws, cells):
    from openpyxl.styles import Border, Side

    side = Side(style="thin")
    for row in ws[cells]:
        for c in row:
            c.border = Border(left=side, right=side, top=side, bottom=side)


def medono_2025(path: Path) -> Path:
    """'Rekap' first; then 'Peserta': title block (rows 1-3), two-row header (5-6) with a
    merged IDENTITAS group over NIK | NAMA, column numbers (7), five people (8-12; row 10
    hidden), the skill 'Tas' merged over J8:J12, a hidden old phone column H, numbered
    empty rows 13-14, JUMLAH (15) and the signature block (17-23)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    rekap = wb.active
    rekap.title = "Rekap"
    rekap.append(["REKAP CALON PESERTA PELATIHAN 2025"])
    rekap.append([])
    rekap.append(["Kelurahan", "Laki-laki", "Perempuan", "Jumlah"])
    rekap.append(["Medono", "=COUNTIF(Peserta!E8:E12,\"L\")", "=COUNTIF(Peserta!E8:E12,\"P\")", 5])

    ws = wb.create_sheet("Peserta")
    ws["A1"] = "DAFTAR CALON PESERTA PELATIHAN KETERAMPILAN"
    ws["A2"] = "KELURAHAN MEDONO TAHUN 2025"
    ws["A3"] = "KECAMATAN PEKALONGAN BARAT"
    for r in (1, 2, 3):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=10)
        ws.cell(r, 1).font = Font(bold=True)
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
    heads = {1: "NO", 4: "TANGGAL LAHIR", 5: "L/P", 6: "ALAMAT", 7: "KELURAHAN", 8: "NO HP LAMA", 9: "NO HP",
             10: "PELATIHAN"}
    for col, text in heads.items():
        ws.cell(5, col, text)
        ws.merge_cells(start_row=5, start_column=col, end_row=6, end_column=col)
    ws.cell(5, 2, "IDENTITAS")
    ws.merge_cells("B5:C5")
    ws.cell(6, 2, "NIK")
    ws.cell(6, 3, "NAMA")
    for col in range(1, 11):
        ws.cell(7, col, f"({col})")
    for i, (name, birth, woman, address, phone, old) in enumerate(MEDONO):
        r = MEDONO_ROWS[i]
        ws.cell(r, 1, i + 1 if i != 2 else None)   # the withdrawn person's number was cleared
        c = ws.cell(r, 2, medono_nik(i))
        c.number_format = "@"
        ws.cell(r, 3, name)
        d = ws.cell(r, 4, birth)
        d.number_format = "DD-MM-YYYY"
        ws.cell(r, 5, "P" if woman else "L")
        ws.cell(r, 6, address)
        ws.cell(r, 7, "Medono")
        ws.cell(r, 8, old)
        ws.cell(r, 9, phone)
    if True:
        ws.cell(MEDONO_ROWS[0], 10, "Tas")
        ws.merge_cells(start_row=MEDONO_ROWS[0], start_column=10, end_row=MEDONO_ROWS[-1], end_column=10)
    ws.row_dimensions[MEDONO_HIDDEN_ROW].hidden = True
    ws.column_dimensions["H"].hidden = True
    ws.cell(13, 1, 6)
    ws.cell(14, 1, 7)
    ws["A15"] = "JUMLAH"
    ws.merge_cells("A15:C15")
    ws["D15"] = "4 orang"
    _thin(ws, "A5:J15")
    ws["I17"] = "Pekalongan, 15 Juli 2025"
    ws["I18"] = "Mengetahui,"
    ws["I19"] = "Lurah Medono"
    ws["I22"] = "SUGENG RIYADI, S.Sos"
    ws["I23"] = "NIP. 19700101 199003 1 005"
    wb.save(path)
    return path


#: Bendan Kergon, in the 1904 date system: (name, birth, woman, skill)
BENDAN = [
    ("Ani Wulandari", dt.date(2001, 1, 31), True, "Merajut"),
    ("Joko Susilo", dt.date(1970, 3, 9), False, "Desain Produk & Kemasan"),
    ("Nur Hidayah", dt.date(1995, 8, 17), True, "Merajut"),
]


def bendan_nik(i: int) -> str:
    _name, birth, woman, _skill = BENDAN[i]
    return nik(birth, woman, serial=10 + i)


def excel_number(digits: str) -> int:
    """What a Number cell holds after a clerk typed these 16 digits into it: Excel keeps 15
    significant digits and writes the 16th as 0 (3375990107900011 -> 3375990107900010)."""
    return int(digits[:15] + "0")


def bendan_1904(path: Path, numeric_nik_row: int | None = None) -> Path:
    """A Mac-made workbook (1904 date system) with date cells; with `numeric_nik_row`
    (0-based person), that person's NIK is typed into a Number cell, as Excel keeps it: 15
    significant digits, the 16th a 0 (excel_number)."""
    from openpyxl import Workbook
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["No", "NIK", "Nama Lengkap", "Tgl Lahir", "JK", "Kelurahan", "Keterampilan"])
    for i, (name, birth, woman, skill) in enumerate(BENDAN):
        value = excel_number(bendan_nik(i)) if i == numeric_nik_row else bendan_nik(i)
        ws.append([i + 1, value, name, birth, "P" if woman else "L", "Bendan Kergon", skill])
        ws.cell(ws.max_row, 4).number_format = "DD/MM/YYYY"
    wb.save(path)
    return path


#: one sheet per kelurahan, no kelurahan column: {sheet: [(name, birth, woman, skill)]}
SHEETS = {
    "Medono": [("Siti Aminah", dt.date(1990, 7, 2), True, "Tas"),
               ("Budi Santoso", dt.date(1985, 12, 13), False, "Tas")],
    "Bendan Kergon": [("Ani Wulandari", dt.date(2001, 1, 31), True, "Merajut"),
                      ("Joko Susilo", dt.date(1970, 3, 9), False, "Desain Produk & Kemasan")],
}


def sheets_nik(sheet: str, i: int) -> str:
    _name, birth, woman, _skill = SHEETS[sheet][i]
    return nik(birth, woman, serial=20 + i + (10 if sheet == "Medono" else 0))


def per_kelurahan(path: Path) -> Path:
    """'Rekap' first, then one sheet per kelurahan, each with a title row and its own
    header spelling, and no kelurahan column (the sheet's name is the kelurahan)."""
    from openpyxl import Workbook

    wb = Workbook()
    rekap = wb.active
    rekap.title = "Rekap"
    rekap.append(["Kelurahan", "Jumlah"])
    for sheet, people in SHEETS.items():
        rekap.append([sheet, len(people)])
    headers = {"Medono": ["NO", "NIK", "NAMA", "TGL LAHIR", "PELATIHAN"],
               "Bendan Kergon": ["No.", "No KTP", "Nama Lengkap", "Tanggal Lahir", "Keterampilan"]}
    for sheet, people in SHEETS.items():
        ws = wb.create_sheet(sheet)
        ws.append([f"DAFTAR PESERTA KELURAHAN {sheet.upper()}"])
        ws.append(headers[sheet])
        for i, (name, birth, woman, skill) in enumerate(people):
            ws.append([i + 1, sheets_nik(sheet, i), name, birth.strftime("%d-%m-%Y"), skill])
        ws.append(["", "JUMLAH", len(people)])
    wb.save(path)
    return path


def unicode_text(path: Path) -> Path:
    """Excel's "Unicode Text" (.txt): UTF-16 LE with a BOM, tab-separated, CRLF, with
    the title line Excel keeps from the sheet."""
    lines = ["DAFTAR CALON PESERTA KELURAHAN MEDONO\t\t\t\t", "\t\t\t\t",
             "NO\tNIK\tNAMA\tTANGGAL LAHIR\tKELURAHAN\tPELATIHAN"]
    for i in (0, 1):
        name, birth, _woman, *_ = MEDONO[i]
        lines.append(f"{i + 1}\t{medono_nik(i)}\t{name}\t{birth:%d/%m/%Y}\tMedono\tTas")
    path.write_bytes("\r\n".join(lines).encode("utf-16"))   # 'utf-16' writes the BOM (little-endian here)
    return path


def titled_csv(path: Path) -> Path:
    """What Excel on Windows saves as 'CSV' from a titled sheet: Windows-1252, ';', the
    title line, the header, the rows, a numbered empty row and the totals row."""
    lines = ["DAFTAR CALON PESERTA PELATIHAN;;;;;", ";;;;;", "NO;NIK;NAMA;TGL LAHIR;KELURAHAN;PELATIHAN"]
    for i in (0, 1):
        name, birth, _woman, *_ = MEDONO[i]
        lines.append(f"{i + 1};{medono_nik(i)};{name};{birth:%d/%m/%Y};Medono;Tas")
    lines += ["3;;;;;", ";JUMLAH;2;;;", ";;;;;", ";;;Pekalongan, 15 Juli 2025;;", ";;;Lurah Medono;;"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def build(out: Path) -> dict[str, Path]:
    """Every openpyxl/text file into `out`; returns {name: path}."""
    out.mkdir(parents=True, exist_ok=True)
    return {
        "medono": medono_2025(out / "medono_2025.xlsx"),
        "bendan_1904": bendan_1904(out / "bendan_1904.xlsx"),
        "bendan_number_nik": bendan_1904(out / "bendan_number_nik.xlsx", numeric_nik_row=1),
        "per_kelurahan": per_kelurahan(out / "per_kelurahan.xlsx"),
        "unicode_text": unicode_text(out / "medono_unicode.txt"),
        "titled_csv": titled_csv(out / "medono_excel.csv"),
    }


def office_copies(out: Path = DATA) -> list[Path]:
    """The .xls and .ods copies of medono_2025.xlsx, made by LibreOffice into `out`."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc")
    out.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory() as tmp:
        src = medono_2025(Path(tmp) / "medono_2025.xlsx")
        for fmt in ("xls", "ods"):
            subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                            "--convert-to", fmt, "--outdir", str(out), str(src)],
                           check=True, capture_output=True, timeout=180)
            made.append(out / f"medono_2025.{fmt}")
    return made


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--office" in args:
        args.remove("--office")
        for p in office_copies():
            print(p)
    if args:
        for p in build(Path(args[0])).values():
            print(p)
