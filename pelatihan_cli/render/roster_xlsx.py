"""The daily roster as an xlsx workbook: one sheet per session, in Indonesian, set up to
print on A4 portrait (fit to the page width, the table header repeated on every page).
Cells that a spreadsheet would run as a formula are written with a leading quote.

openpyxl is imported inside the function: this module is loaded only when a workbook is
written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence

from pelatihan_cli.domain.dates import format_long_id, format_short_id
from pelatihan_cli.render.tables import BLANK_TO_FILL, printable, rows_with_blanks, safe_sheet_title, xlsx_cell

TITLE = "DAFTAR HADIR PESERTA PELATIHAN"
HEADERS = ["No", "Nama", "NIK", "L/P", "Alamat", "No HP", "Tanda Tangan", ""]
WIDTHS = [5, 30, 20, 5, 34, 16, 12, 12]  # Tanda Tangan spans two columns: odd left, even right
KEYS = ["no", "name", "nik", "sex", "address", "phone"]


def write_roster_xlsx(path: str | Path, sessions: Sequence[dict], docs: dict[str, str], *, blank: int = 0,
                      per_session: dict[int, dict] | None = None) -> None:
    """One sheet per session; `per_session`: document settings by session id, else `docs`."""
    default_docs = docs
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="center")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fill = PatternFill("solid", fgColor="E1E1E1")

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for s in sessions:
        docs = (per_session or {}).get(s.get("session_id"), default_docs)
        day = dt.date.fromisoformat(s["date"])
        ws = wb.create_sheet(safe_sheet_title(f"{s['session_id']} {s['kelurahan']} {s['skill']}", used))
        last_col = len(HEADERS)

        def line(text, *, font=None, align=center):
            ws.append([xlsx_cell(text)])
            r = ws.max_row
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last_col)
            cell = ws.cell(row=r, column=1)
            cell.alignment = align
            if font:
                cell.font = font

        for key, size in (("letterhead_1", 12), ("letterhead_2", 14), ("letterhead_3", 9)):
            if docs.get(key):
                line(docs[key], font=Font(bold=size > 10, size=size))
        ws.append([])
        line(TITLE, font=Font(bold=True, size=13))
        if docs.get("programme_title"):
            line(docs["programme_title"])
        ws.append([])
        block = [
            ("Kelurahan", s["kelurahan"]),
            ("Kecamatan", s["kecamatan"]),
            ("Keterampilan", s["skill"]),
            ("Tempat", s.get("venue") or BLANK_TO_FILL),
            ("Instruktur", ", ".join(s.get("instructors") or []) or "-"),
            ("Hari, tanggal", f"{format_long_id(day)} (Hari ke-{s['day']} dari {s['of_days']})"),
        ]
        for label, value in block:
            ws.append([label, xlsx_cell(f": {printable(value)}")])
            ws.merge_cells(start_row=ws.max_row, start_column=2, end_row=ws.max_row, end_column=last_col)
        ws.append([])

        ws.append(HEADERS)
        header_row = ws.max_row
        ws.merge_cells(start_row=header_row, start_column=7, end_row=header_row, end_column=8)
        for c in range(1, last_col + 1):
            cell = ws.cell(row=header_row, column=c)
            cell.font, cell.alignment, cell.border, cell.fill = bold, center, box, fill

        for row in rows_with_blanks(s["participants"], blank):
            no = row["no"]
            values = [xlsx_cell(row.get(k)) for k in KEYS]
            sig = [f"{no}.", None] if no % 2 else [None, f"{no}."]
            ws.append(values + sig)
            r = ws.max_row
            ws.row_dimensions[r].height = 30
            for c in range(1, last_col + 1):
                cell = ws.cell(row=r, column=c)
                cell.border = box
                cell.alignment = center if c in (1, 4) else wrap
            for c in (7, 8):
                ws.cell(row=r, column=c).alignment = Alignment(vertical="top")

        # the signature block, by explicit row numbers: appending an empty row does not
        # move ws.max_row, so the officer's name and NIP would land on the funding line
        city = docs.get("city") or ""
        sign_col = 5
        r = ws.max_row + 2
        ws.cell(row=r, column=1, value=f"Jumlah peserta terdaftar: {len(s['participants'])} orang")
        ws.cell(row=r, column=sign_col, value=xlsx_cell(f"{city}, {format_short_id(day)}" if city else format_short_id(day)))
        ws.cell(row=r + 1, column=1, value="Jumlah peserta hadir: ........ orang")
        ws.cell(row=r + 1, column=sign_col, value=xlsx_cell(docs.get("officer_title") or ""))
        if docs.get("funding"):
            ws.cell(row=r + 2, column=1, value=xlsx_cell(docs["funding"]))
        name_row = r + 6  # four rows left free to sign in
        name = ws.cell(row=name_row, column=sign_col,
                       value=xlsx_cell(docs.get("officer_name") or "(.........................................)"))
        name.font = Font(bold=True, underline="single" if docs.get("officer_name") else None)
        nip = docs.get("officer_nip") or ""
        ws.cell(row=name_row + 1, column=sign_col,
                value=xlsx_cell(f"NIP. {nip}" if nip else "NIP. ......................................"))

        for i, width in enumerate(WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.oddFooter.center.text = "Halaman &P dari &N"
        ws.oddFooter.left.text = printable(f"Daftar hadir {s['kelurahan']} - {s['skill']} - {s['date']}").replace("&", "&&")
    if not wb.sheetnames:
        wb.create_sheet("Kosong")
    wb.save(str(path))
