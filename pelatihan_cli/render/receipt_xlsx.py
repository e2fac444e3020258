"""Receipt lists and the realisation report as an xlsx sheet, in Indonesian, laid out as the
PDF (render/receipt_layout.py) and set up to print on A4 portrait. Amounts are numbers
with a '#.##0' format, so a treasurer's spreadsheet can sum them; the total is the stored
sum (never a formula). openpyxl is imported inside the function."""

from __future__ import annotations

from pathlib import Path

from pelatihan_cli.render.tables import printable, xlsx_cell


def write_document_xlsx(path: str | Path, layout: dict) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "Daftar"
    columns = layout["columns"]
    # the signature column spans two cells: odd numbers sign left, even right
    widths = []
    for _h, width, _a, _k, kind in columns:
        widths += [width / 2.2, width / 2.2] if kind == "sign" else [width / 2.0]
    last = len(widths)

    def line(value, *, font=None, align=center):
        ws.append([xlsx_cell(value)])
        r = ws.max_row
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last)
        cell = ws.cell(row=r, column=1)
        cell.alignment = align
        if font:
            cell.font = font

    docs = layout["docs"]
    for key, size in (("letterhead_1", 12), ("letterhead_2", 14), ("letterhead_3", 9)):
        if docs.get(key):
            line(docs[key], font=Font(bold=size > 10, size=size))
    ws.append([])
    line(layout["title"], font=Font(bold=True, size=12))
    if layout["subtitle"]:
        line(layout["subtitle"])
    ws.append([])
    for label, value in layout["info"]:
        ws.append([label, None, xlsx_cell(f": {printable(value)}")])
    if layout.get("note"):
        ws.append([xlsx_cell(layout["note"])])
    ws.append([])
    header = []
    for h, _w, _a, _k, kind in columns:
        header += [h, None] if kind == "sign" else [h]
    ws.append(header)
    hr = ws.max_row
    col = 1
    for _h, _w, _a, _k, kind in columns:
        if kind == "sign":
            ws.merge_cells(start_row=hr, start_column=col, end_row=hr, end_column=col + 1)
            col += 2
        else:
            col += 1
    for c in range(1, last + 1):
        cell = ws.cell(row=hr, column=c)
        cell.font, cell.alignment, cell.border = Font(bold=True), center, box
        cell.fill = PatternFill("solid", fgColor="E1E1E1")
    for row in layout["rows"]:
        values = []
        for _h, _w, _a, key, kind in columns:
            if kind == "sign":
                mark = f"{row['no']}." + (" (meterai)" if row.get("meterai") else "")
                values += [mark, None] if row["no"] % 2 else [None, mark]
            elif kind == "money":
                values.append(row.get(key))
            else:
                v = row.get(key)
                values.append(xlsx_cell(str(v).replace(".", ",") if key == "percent" and v else v))
        ws.append(values)
        r = ws.max_row
        ws.row_dimensions[r].height = 36 if row.get("meterai") else 28
        col = 1
        for _h, _w, align, _k, kind in columns:
            for c in ([col, col + 1] if kind == "sign" else [col]):
                cell = ws.cell(row=r, column=c)
                cell.border = box
                cell.alignment = Alignment(vertical="center", wrap_text=True,
                                           horizontal={"R": "right", "C": "center"}.get(align, "left"))
                if kind == "money":
                    cell.number_format = "#,##0"
            col += 2 if kind == "sign" else 1
    total_row = []
    for i, (_h, _w, _a, key, kind) in enumerate(columns):
        first = layout["total_label"] if i == 0 else None
        value = layout["total"].get(key) if kind == "money" else first
        total_row += [None, None] if kind == "sign" else [value]
    ws.append(total_row)
    r = ws.max_row
    for c in range(1, last + 1):
        cell = ws.cell(row=r, column=c)
        cell.font, cell.border = Font(bold=True), box
        if isinstance(cell.value, int):
            cell.number_format = "#,##0"
    r += 2
    if layout.get("terbilang"):
        ws.cell(row=r, column=1, value=xlsx_cell(layout["terbilang"])).font = Font(bold=True, italic=True)
        r += 1
    for label, value in layout.get("summary") or []:
        ws.cell(row=r, column=1, value=label)
        ws.cell(row=r, column=3, value=xlsx_cell(f": {value}"))
        r += 1
    if layout.get("funding"):
        ws.cell(row=r, column=1, value=xlsx_cell(layout["funding"]))
        r += 1
    sig = layout["signatures"]
    r += 1
    third = max(last // 3, 1)
    starts = [1, 1 + third, 1 + 2 * third]
    ws.cell(row=r, column=starts[2], value=xlsx_cell(sig["place_date"]))
    for start, b in zip(starts, sig["blocks"]):
        ws.cell(row=r + 1, column=start, value=b["top"])
        ws.cell(row=r + 2, column=start, value=xlsx_cell(b["title"]))
        name = ws.cell(row=r + 7, column=start, value=xlsx_cell(b["name"]))
        name.font = Font(bold=True, underline="single" if b["named"] else None)
        ws.cell(row=r + 8, column=start, value=xlsx_cell(b["nip"]))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(width, 4)
    ws.print_title_rows = f"{hr}:{hr}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "Halaman &P dari &N"
    ws.oddFooter.left.text = printable(layout["footer"]).replace("&", "&&")
    wb.save(str(path))
