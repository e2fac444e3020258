"""The office's printouts (schedule, waitlist, rekap kehadiran, contact list, no-shows,
follow-up call sheet, outcomes) as PDF or xlsx, in Indonesian, with the roster's
letterhead and signature block.

A printout is a list of `Doc`s (one per session, or one for the programme): a title, the
programme's title line, an information block, a table and the signature block. The PDF
puts each Doc on its own pages (header row repeated, 'Halaman x dari y'); the xlsx gives
each Doc a sheet. fpdf2 and openpyxl are imported inside the functions.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from pelatihan_cli.domain.dates import format_short_id
from pelatihan_cli.render.tables import printable, safe_sheet_title, xlsx_cell
from pelatihan_cli.render.roster_pdf import PdfText
from pelatihan_cli.resources import font_path

FONT = "DejaVu"


@dataclass
class Column:
    key: str
    header: str
    width: float            # mm in the PDF; the xlsx width is about width / 2
    align: str = "L"


@dataclass
class Doc:
    title: str
    columns: list[Column]
    rows: list[dict]
    docs: dict                                   # document settings (letterhead, officer, title line)
    info: list[tuple[str, str]] = field(default_factory=list)
    sheet: str = "Data"
    landscape: bool = False
    note: str | None = None                      # a line under the table (counts, legend)
    sign_on: dt.date | None = None               # the date of the signature block (default: none written)
    footer: str = ""
    links: dict[str, str] = field(default_factory=dict)   # column key -> key of the URL in each row


def _letterhead(pdf, docs: dict, width: float, margin: float, text) -> None:
    pdf.set_y(12)
    for key, style, size in (("letterhead_1", "B", 12), ("letterhead_2", "B", 14), ("letterhead_3", "", 9)):
        line = docs.get(key) or ""
        if line:
            pdf.set_font(FONT, style, size)
            pdf.cell(width, size * 0.45, text(line), align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 1.5
    pdf.set_line_width(0.8)
    pdf.line(margin, y, margin + width, y)
    pdf.set_line_width(0.2)
    pdf.line(margin, y + 1.2, margin + width, y + 1.2)
    pdf.set_y(y + 5)


def render_documents_pdf(docs_: Sequence[Doc]) -> tuple[bytes, dict]:
    """PDF bytes and {'pages': n, 'missing_chars': [...]}."""
    from fpdf import FPDF

    from pelatihan_cli.render.roster_pdf import _wrap

    logging.getLogger("fpdf").setLevel(logging.ERROR)
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.c_margin = 0
    pdf.add_font(FONT, "", str(font_path("DejaVuSans.ttf")))
    pdf.add_font(FONT, "B", str(font_path("DejaVuSans-Bold.ttf")))
    pdf.set_creator("pelatihan")
    pdf.set_lang("id")
    text = PdfText(pdf)

    for d in docs_:
        orientation = "L" if d.landscape else "P"
        page_w, page_h = (297.0, 210.0) if d.landscape else (210.0, 297.0)
        margin = 15.0
        width = page_w - 2 * margin
        bottom = page_h - 20
        pdf.set_margins(margin, 12, margin)
        total_w = sum(c.width for c in d.columns)
        scale = width / total_w if total_w > width else 1.0
        cols = [(c, c.width * scale) for c in d.columns]
        first = pdf.pages_count + 1
        pdf.add_page(orientation=orientation)
        _letterhead(pdf, d.docs, width, margin, text)
        pdf.set_font(FONT, "B", 13)
        pdf.multi_cell(width, 6, text(d.title), align="C", new_x="LMARGIN", new_y="NEXT")
        if d.docs.get("programme_title"):
            pdf.set_font(FONT, "", 10)
            pdf.multi_cell(width, 5, text(d.docs["programme_title"]), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        for label, value in d.info:
            y = pdf.get_y()
            pdf.set_font(FONT, "", 9.5)
            pdf.set_xy(margin, y)
            pdf.cell(30, 5, text(label))
            pdf.set_xy(margin + 30, y)
            pdf.cell(4, 5, ":")
            pdf.set_xy(margin + 34, y)
            pdf.multi_cell(width - 34, 5, text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

        def header() -> None:
            pdf.set_font(FONT, "B", 8)
            pdf.set_fill_color(225, 225, 225)
            pdf.set_x(margin)
            for c, w in cols:
                pdf.cell(w, 7, text(c.header), border=1, align="C", fill=True)
            pdf.ln(7)

        header()
        pdf.set_font(FONT, "", 8)
        for row in d.rows:
            cells = [_wrap(pdf, text(row.get(c.key) if row.get(c.key) is not None else ""), w - 2) for c, w in cols]
            height = max(6.0, max((len(x) for x in cells), default=1) * 3.6 + 2)
            if pdf.get_y() + height > bottom:
                pdf.add_page(orientation=orientation)
                pdf.set_y(12)
                pdf.set_font(FONT, "B", 9)
                pdf.cell(width, 5, text(f"{d.title} (lanjutan)"), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
                header()
                pdf.set_font(FONT, "", 8)
            x, y = margin, pdf.get_y()
            for (c, w), lines in zip(cols, cells):
                pdf.rect(x, y, w, height)
                top = y + (height - len(lines) * 3.6) / 2
                link = d.links.get(c.key)
                for k, line in enumerate(lines):
                    pdf.set_xy(x + 1, top + k * 3.6)
                    pdf.cell(w - 2, 3.6, line, align=c.align, link=row.get(link) or "" if link else "")
                x += w
            pdf.set_xy(margin, y + height)
        if not d.rows:
            pdf.set_font(FONT, "", 9)
            pdf.cell(width, 7, "(tidak ada)", border=1, align="C", new_x="LMARGIN", new_y="NEXT")
        if d.note:
            pdf.ln(2)
            pdf.set_font(FONT, "", 8.5)
            pdf.multi_cell(width, 4.5, text(d.note), new_x="LMARGIN", new_y="NEXT")
        # signature block
        if pdf.get_y() + 50 > bottom:
            pdf.add_page(orientation=orientation)
            pdf.set_y(20)
        y = pdf.get_y() + 6
        bw = 80
        bx = margin + width - bw
        funding = d.docs.get("funding") or ""
        if funding:
            pdf.set_font(FONT, "", 8)
            pdf.set_xy(margin, y + 5)
            pdf.cell(80, 5, text(funding))
        pdf.set_font(FONT, "", 9.5)
        pdf.set_xy(bx, y)
        city = d.docs.get("city") or ""
        day = format_short_id(d.sign_on) if d.sign_on else "...................."
        pdf.cell(bw, 5, text(f"{city}, {day}" if city else day), align="C", new_x="LEFT", new_y="NEXT")
        pdf.multi_cell(bw, 5, text(d.docs.get("officer_title") or ""), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_xy(bx, y + 32)
        name = d.docs.get("officer_name") or ""
        pdf.set_font(FONT, "B" if name else "", 9.5)
        pdf.cell(bw, 5, text(name or "(.........................................)"), align="C", new_x="LEFT",
                 new_y="NEXT")
        pdf.set_font(FONT, "", 9.5)
        nip = d.docs.get("officer_nip") or ""
        pdf.cell(bw, 5, text(f"NIP. {nip}" if nip else "NIP. ......................................"), align="C")
        last = pdf.pages_count
        for n, page in enumerate(range(first, last + 1), start=1):
            pdf.page = page
            pdf.set_font(FONT, "", 7.4)
            pdf.set_font(FONT, "", 7.5)
            pdf.set_xy(margin, page_h - 13)
            pdf.cell(width - 30, 4, text(d.footer or d.title))
            pdf.set_xy(margin + width - 30, page_h - 13)
            pdf.cell(30, 4, f"Halaman {n} dari {last - first + 1}", align="R")
        pdf.page = last
    if not docs_:
        pdf.add_page()
    return bytes(pdf.output()), {"pages": pdf.pages_count, "missing_chars": sorted(text.missing)}


def write_documents_xlsx(path: str | Path, docs_: Sequence[Doc], *, chart: dict | None = None) -> None:
    """One sheet per Doc: letterhead, title, information block, the table (formula-safe
    cells, links clickable), the signature block; set up for A4. `chart`: an openpyxl bar
    chart on the first sheet: {'title', 'categories_key', 'series': [(key, label)...],
    'rows': how many table rows it covers (from the first)}."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for i, d in enumerate(docs_):
        ws = wb.create_sheet(safe_sheet_title(d.sheet, used))
        n = max(len(d.columns), 4)

        def line(value, font=None):
            ws.append([xlsx_cell(value)])
            r = ws.max_row
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
            cell = ws.cell(row=r, column=1)
            cell.alignment = Alignment(horizontal="center")
            if font:
                cell.font = font

        for key, size in (("letterhead_1", 12), ("letterhead_2", 14), ("letterhead_3", 9)):
            if d.docs.get(key):
                line(d.docs[key], Font(bold=size > 10, size=size))
        ws.append([])
        line(d.title, Font(bold=True, size=13))
        if d.docs.get("programme_title"):
            line(d.docs["programme_title"])
        ws.append([])
        for label, value in d.info:
            ws.append([xlsx_cell(label), xlsx_cell(f": {printable(value)}")])
        if d.info:
            ws.append([])
        ws.append([c.header for c in d.columns])
        header_row = ws.max_row
        for k in range(1, len(d.columns) + 1):
            cell = ws.cell(row=header_row, column=k)
            cell.font = Font(bold=True)
            cell.border = box
            cell.fill = PatternFill("solid", fgColor="E1E1E1")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in d.rows:
            ws.append([xlsx_cell(row.get(c.key)) for c in d.columns])
            r = ws.max_row
            for k, c in enumerate(d.columns, start=1):
                cell = ws.cell(row=r, column=k)
                cell.border = box
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                url = row.get(d.links.get(c.key, "")) if c.key in d.links else None
                if url:
                    cell.hyperlink = url
                    cell.font = Font(color="0563C1", underline="single")
        last_table_row = ws.max_row
        if d.note:
            ws.cell(row=ws.max_row + 2, column=1, value=xlsx_cell(d.note))
        r = ws.max_row + 2
        col = max(len(d.columns) - 2, 1)
        city = d.docs.get("city") or ""
        day = format_short_id(d.sign_on) if d.sign_on else "...................."
        ws.cell(row=r, column=col, value=xlsx_cell(f"{city}, {day}" if city else day))
        ws.cell(row=r + 1, column=col, value=xlsx_cell(d.docs.get("officer_title") or ""))
        if d.docs.get("funding"):
            ws.cell(row=r, column=1, value=xlsx_cell(d.docs["funding"]))
        name = ws.cell(row=r + 5, column=col,
                       value=xlsx_cell(d.docs.get("officer_name") or "(.........................................)"))
        name.font = Font(bold=True)
        nip = d.docs.get("officer_nip") or ""
        ws.cell(row=r + 6, column=col, value=xlsx_cell(f"NIP. {nip}" if nip else "NIP. ......................"))
        for k, c in enumerate(d.columns, start=1):
            ws.column_dimensions[get_column_letter(k)].width = max(5, round(c.width / 2))
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if d.landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.oddFooter.center.text = "Halaman &P dari &N"
        if i == 0 and chart and d.rows:
            from openpyxl.chart import BarChart, Reference

            keys = [c.key for c in d.columns]
            count = min(chart.get("rows", len(d.rows)), len(d.rows))
            bar = BarChart()
            bar.type = "col"
            bar.title = chart["title"]
            bar.y_axis.title = chart.get("y_title", "")
            bar.height, bar.width = 9, 18
            cat = keys.index(chart["categories_key"]) + 1
            for key, _label in chart["series"]:
                k = keys.index(key) + 1
                bar.add_data(Reference(ws, min_col=k, min_row=header_row, max_row=header_row + count),
                             titles_from_data=True)
            bar.set_categories(Reference(ws, min_col=cat, min_row=header_row + 1, max_row=header_row + count))
            ws.add_chart(bar, f"{get_column_letter(len(d.columns) + 2)}{header_row}")
        _ = last_table_row
    if not wb.sheetnames:
        wb.create_sheet("Kosong")
    wb.save(str(path))
