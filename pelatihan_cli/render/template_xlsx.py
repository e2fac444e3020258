"""The registration template of a kelurahan office, as an xlsx workbook (Indonesian):

- "Petunjuk": who fills it, one row per person, NIK as text with 16 digits, dates
  dd-mm-yyyy, what happens to wrong rows, whom to send it to;
- "Peserta": a title block (the kelurahan and its code), the header row the import reads,
  then ROWS prepared rows: NIK, RT/RW and phone cells formatted as Text (so Excel never
  turns a NIK into a number and zeroes its 16th digit), a 16-character validation on NIK,
  drop-downs for L/P, the kelurahan's tracks and the work status, birth dates shown
  dd-mm-yyyy, the KELURAHAN cells filled in;
- "Daftar" (hidden): the lists the drop-downs read (a list written inline in a
  validation is limited to 255 characters and breaks on a comma in a track's name).

The import (services/participant_import) finds the header under the title block, skips
the instruction sheet (importing.locate.is_instruction_sheet) and the hidden one, and
takes the prepared rows that hold neither NIK nor name for empty rows, so a filled
template imports with no warning.

openpyxl is imported inside the function: this module is loaded only when a template is
written. It receives data (services/template.ParticipantTemplate), never queries.
"""

from __future__ import annotations

from pathlib import Path

from pelatihan_cli.render.tables import xlsx_cell

#: prepared rows under the header (formats, validations, the kelurahan filled in)
ROWS = 200
#: sheet names (the import recognises PETUNJUK as instructions)
GUIDE_SHEET, DATA_SHEET, LIST_SHEET = "Petunjuk", "Peserta", "Daftar"
#: the header's row on the data sheet: a title block above it, one blank row between
HEADER_ROW = 4
#: text cells: Excel must not read them as numbers (NIK, phone) or dates (RT/RW '01/02')
TEXT_FIELDS = {"nik", "phone", "rt_rw"}
WIDTHS = {"nik": 20, "name": 30, "birth_place": 16, "birth_date": 14, "sex": 10, "address": 34, "rt_rw": 9,
          "kelurahan": 22, "phone": 16, "skill": 28, "work_status": 22}
DATE_FORMAT = "DD-MM-YYYY"


def instructions(t) -> list[str]:
    """The lines of the instruction sheet (a blank string is an empty line)."""
    kel = t.kelurahan or "(isi nama kelurahan pada kolom KELURAHAN)"
    code = f" (kode {t.kelurahan_code})" if t.kelurahan_code else ""
    if t.tracks:
        tracks = ", ".join(t.tracks)
        track_line = (f"PELATIHAN: pilih dari daftar ({tracks})." if len(t.tracks) > 1 else
                      f"PELATIHAN: {tracks} (satu-satunya pelatihan; boleh dikosongkan).")
    else:
        track_line = "PELATIHAN: tulis nama pelatihan yang dipilih (daftar pelatihan belum tersedia)."
    office = t.office or "dinas penyelenggara pelatihan"
    return [
        "PETUNJUK PENGISIAN DAFTAR CALON PESERTA PELATIHAN",
        "",
        f"Program: {t.programme or '-'}",
        f"Kelurahan: {kel}{code}" + (f", Kecamatan {t.kecamatan}" if t.kecamatan else ""),
        "",
        f"1. Yang mengisi: petugas kelurahan {kel}. Isi lembar \"{DATA_SHEET}\" mulai baris {HEADER_ROW + 1}; "
        f"jangan mengubah judul kolom (baris {HEADER_ROW}), menambah atau menghapus kolom.",
        "2. Satu baris untuk satu orang. Jangan menggabungkan sel (merge) dan jangan menyembunyikan baris: "
        "baris yang disembunyikan tidak didaftarkan. Baris yang tidak dipakai biarkan kosong.",
        "3. NIK: 16 digit sesuai KTP/KK, diketik sebagai teks (kolom NIK sudah berformat Teks). Jangan menempel "
        "NIK dari kolom berformat Angka: Excel mengubah digit terakhirnya menjadi 0.",
        "4. TANGGAL LAHIR: dd-mm-yyyy, misalnya 02-07-1990, sesuai KTP (tanggal lahir dan jenis kelamin "
        "dicocokkan dengan NIK).",
        "5. JENIS KELAMIN (L/P): pilih L (laki-laki) atau P (perempuan).",
        f"6. {track_line}",
        "7. NO. HP/WA: nomor yang aktif, diketik sebagai teks, misalnya 081234567890.",
        f"8. STATUS PEKERJAAN: pilih dari daftar ({', '.join(t.work_statuses)}).",
        f"9. KELURAHAN sudah terisi ({kel}); ubah hanya untuk warga yang berdomisili di kelurahan lain."
        if t.kelurahan else "9. KELURAHAN: nama kelurahan domisili peserta.",
        "",
        "Baris yang salah (NIK tidak 16 digit, tanggal lahir atau jenis kelamin tidak cocok dengan NIK, "
        "pelatihan yang tidak ada dalam daftar, NIK yang tercatat atas nama orang lain) tidak didaftarkan: "
        "dinas mengembalikannya kepada kelurahan dengan nomor baris, kolom dan alasannya, untuk diperbaiki "
        "dan dikirim ulang. Baris yang benar tidak perlu dikirim ulang.",
        "",
        f"Kirim berkas ini dalam format .xlsx (jangan diubah ke PDF atau foto) kepada {office}.",
    ]


def write_participant_template(path: str | Path, t) -> None:
    """Write the template `t` (services/template.ParticipantTemplate) to `path`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    guide.column_dimensions["A"].width = 110
    for i, line in enumerate(instructions(t), start=1):
        cell = guide.cell(i, 1, xlsx_cell(line) if line else None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            cell.font = Font(bold=True, size=13)

    ws = wb.create_sheet(DATA_SHEET)
    fields = [f for _h, f in t.headers]
    col = {f: i for i, f in enumerate(fields, start=1)}
    last = len(fields)
    title = _title(t.programme)
    place = (f"KELURAHAN {t.kelurahan.upper()}" + (f" ({t.kelurahan_code})" if t.kelurahan_code else "")
             + (f", KECAMATAN {t.kecamatan.upper()}" if t.kecamatan else "")) if t.kelurahan else \
        "KELURAHAN: ...................."
    for r, text in ((1, title), (2, place)):
        ws.cell(r, 1, xlsx_cell(text)).font = Font(bold=True, size=12 if r == 1 else 11)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last)

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    for i, (header, f) in enumerate(t.headers, start=1):
        c = ws.cell(HEADER_ROW, i, header)
        c.font = Font(bold=True)
        c.fill = head_fill
        c.border = box
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(f, 16)
    first, end = HEADER_ROW + 1, HEADER_ROW + ROWS
    kel_value = xlsx_cell(t.kelurahan) if t.kelurahan else None
    for r in range(first, end + 1):
        for f, i in col.items():
            c = ws.cell(r, i)
            c.border = box
            if f in TEXT_FIELDS:
                c.number_format = "@"
            elif f == "birth_date":
                c.number_format = DATE_FORMAT
        if kel_value is not None:
            ws.cell(r, col["kelurahan"], kel_value)
    ws.freeze_panes = ws.cell(first, 1)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    def span(f: str) -> str:
        letter = get_column_letter(col[f])
        return f"{letter}{first}:{letter}{end}"

    lists = wb.create_sheet(LIST_SHEET)
    lists.sheet_state = "hidden"

    def list_range(column: int, title: str, values: list[str]) -> str:
        letter = get_column_letter(column)
        lists.cell(1, column, title)
        for k, v in enumerate(values, start=2):
            lists.cell(k, column, xlsx_cell(v))
        return f"'{LIST_SHEET}'!${letter}$2:${letter}${len(values) + 1}"

    nik = DataValidation(type="textLength", operator="equal", formula1="16", allow_blank=True,
                         showErrorMessage=True, errorTitle="NIK",
                         error="NIK harus 16 digit, diketik sebagai teks.",
                         showInputMessage=True, promptTitle="NIK", prompt="16 digit sesuai KTP/KK.")
    nik.add(span("nik"))
    sex = DataValidation(type="list", formula1='"L,P"', allow_blank=True, showErrorMessage=True,
                         errorTitle="Jenis kelamin", error="Pilih L atau P.")
    sex.add(span("sex"))
    validations = [nik, sex]
    if t.tracks:
        track = DataValidation(type="list", formula1=list_range(1, "PELATIHAN", t.tracks), allow_blank=True,
                               showErrorMessage=True, errorTitle="Pelatihan",
                               error="Pilih pelatihan dari daftar.")
        track.add(span("skill"))
        validations.append(track)
    if t.work_statuses:
        status = DataValidation(type="list", formula1=list_range(2, "STATUS PEKERJAAN", t.work_statuses),
                                allow_blank=True, showErrorMessage=True, errorTitle="Status pekerjaan",
                                error="Pilih status pekerjaan dari daftar.")
        status.add(span("work_status"))
        validations.append(status)
    for v in validations:
        ws.add_data_validation(v)
    wb.active = 0
    wb.save(str(path))


def _title(programme: str | None) -> str:
    """'DAFTAR CALON PESERTA PELATIHAN KEWIRAUSAHAAN ... 2025': the programme's title once,
    without saying PELATIHAN twice when the title starts with it."""
    if not programme:
        return "DAFTAR CALON PESERTA PELATIHAN"
    name = programme.upper()
    return f"DAFTAR CALON PESERTA {name}" if name.split()[0] == "PELATIHAN" else f"DAFTAR CALON PESERTA PELATIHAN {name}"
