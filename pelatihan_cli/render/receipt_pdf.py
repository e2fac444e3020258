"""Receipt lists and the realisation report as A4 portrait PDFs, in Indonesian, with the
roster's letterhead (render/roster_pdf.py): title, the block under it, the table (header
repeated on every page; the signature column staggered as on paper forms, odd numbers
left, even right; a stamp-duty box on a line over Rp 5.000.000), the total and its words,
place and date, and three signature blocks with NIP. 'Halaman x dari y' and the list's
version in the footer. fpdf2 is imported inside functions."""

from __future__ import annotations

import logging

from pelatihan_cli.render import roster_pdf as R
from pelatihan_cli.render.receipt_layout import cell_text

BODY_PT = 8
LINE_H = 3.6
ROW_MIN_H = 9.0
METERAI_ROW_H = 18.0
HEADER_ROW_H = 8.0
PAD = 1.0
SIGN_H = 42.0


def render_document_pdf(layout: dict) -> tuple[bytes, dict]:
    """PDF bytes of one layout (render/receipt_layout.py) and {'pages', 'missing_chars'}."""
    logging.getLogger("fpdf").setLevel(logging.ERROR)
    pdf = R._new_pdf()
    pdf.set_title(layout["title"].title())
    text = R.PdfText(pdf)

    pdf.add_page()
    R._letterhead(pdf, layout["docs"], text)
    pdf.set_font(R.FONT, "B", 12)
    pdf.multi_cell(R.CONTENT_W, 6, layout["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    if layout["subtitle"]:
        pdf.set_font(R.FONT, "", 10)
        pdf.multi_cell(R.CONTENT_W, 5, text(layout["subtitle"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for label, value in layout["info"]:
        pdf.set_font(R.FONT, "", 9.5)
        pdf.set_x(R.MARGIN_L)
        pdf.cell(30, 5, label)
        pdf.cell(4, 5, ":")
        pdf.multi_cell(R.CONTENT_W - 34, 5, text(value), new_x="LMARGIN", new_y="NEXT")
    if layout.get("note"):
        pdf.set_font(R.FONT, "", 8)
        pdf.multi_cell(R.CONTENT_W, 4.5, text(layout["note"]), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    columns = layout["columns"]
    _header(pdf, columns)
    pdf.set_font(R.FONT, "", BODY_PT)
    prepared = []
    for row in layout["rows"]:
        cells = [R._wrap(pdf, text(cell_text(row, key, kind)), width - 2 * PAD) if kind != "sign" else []
                 for (_h, width, _a, key, kind) in columns]
        height = max(ROW_MIN_H, max((len(c) for c in cells), default=1) * LINE_H + 2)
        if row.get("meterai") and layout["sign"]:
            height = max(height, METERAI_ROW_H)
        prepared.append((row, cells, height))
    tail = (7 if layout.get("terbilang") else 0) + (len(layout.get("summary") or []) * 5 + 3) + SIGN_H + 8
    # the last rows stay on the page of the total and the signatures, which never stand alone
    keep_from = max(len(prepared) - R.KEEP_WITH_SIGNATURE, 0)
    kept = sum(h for _r, _c, h in prepared[keep_from:]) + HEADER_ROW_H + 3 + tail
    for i, (row, cells, height) in enumerate(prepared):
        if pdf.get_y() + height > R.BOTTOM or (i == keep_from and i > 0 and pdf.get_y() + kept > R.BOTTOM):
            _continue(pdf, layout, text, columns)
        _row(pdf, columns, cells, row, height)
    _total(pdf, layout, columns)
    if pdf.get_y() + tail > R.BOTTOM:
        _continue(pdf, layout, text, columns, table=False)
    if layout.get("terbilang"):
        pdf.set_font(R.FONT, "B", 9)
        pdf.set_x(R.MARGIN_L)
        pdf.multi_cell(R.CONTENT_W, 5, text(layout["terbilang"]), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    for label, value in layout.get("summary") or []:
        pdf.set_font(R.FONT, "", 9.5)
        pdf.set_x(R.MARGIN_L)
        pdf.cell(45, 5, label)
        pdf.cell(60, 5, f": {value}", new_x="LMARGIN", new_y="NEXT")
    if layout.get("funding"):
        pdf.set_font(R.FONT, "", 8)
        pdf.cell(R.CONTENT_W, 5, text(layout["funding"]), new_x="LMARGIN", new_y="NEXT")
    _signatures(pdf, layout["signatures"], text)
    _footers(pdf, layout, text)
    return bytes(pdf.output()), {"pages": pdf.pages_count, "missing_chars": sorted(text.missing)}


def _header(pdf, columns) -> None:
    pdf.set_font(R.FONT, "B", BODY_PT)
    pdf.set_fill_color(225, 225, 225)
    pdf.set_line_width(0.2)
    x, y = R.MARGIN_L, pdf.get_y()
    for header, width, _a, _k, _kind in columns:
        pdf.rect(x, y, width, HEADER_ROW_H, style="DF")
        lines = R._wrap(pdf, header, width - 2 * PAD)
        top = y + (HEADER_ROW_H - len(lines) * LINE_H) / 2
        for i, line in enumerate(lines):
            pdf.set_xy(x + PAD, top + i * LINE_H)
            pdf.cell(width - 2 * PAD, LINE_H, line, align="C")
        x += width
    pdf.set_xy(R.MARGIN_L, y + HEADER_ROW_H)


def _row(pdf, columns, cells, row, height) -> None:
    pdf.set_font(R.FONT, "", BODY_PT)
    x, y = R.MARGIN_L, pdf.get_y()
    for (header, width, align, key, kind), lines in zip(columns, cells):
        pdf.rect(x, y, width, height)
        if kind == "sign":
            _sign(pdf, x, y, width, height, row)
        top = y + (height - len(lines) * LINE_H) / 2
        for k, line in enumerate(lines):
            pdf.set_xy(x + PAD, top + k * LINE_H)
            pdf.cell(width - 2 * PAD, LINE_H, line, align=align)
        x += width
    pdf.set_xy(R.MARGIN_L, y + height)


def _sign(pdf, x, y, width, height, row) -> None:
    """Odd numbers sign in the left half, even in the right; a meterai box in the other half."""
    no = row["no"]
    half = width / 2
    R.signature_line(pdf, x, y, width, height, no)
    if row.get("meterai"):
        bx = x + half if no % 2 else x
        w = min(half - 3, 16)
        pdf.rect(bx + (half - w) / 2, y + 1.5, w, height - 3)
        pdf.set_font(R.FONT, "", 6)
        pdf.set_xy(bx + (half - w) / 2, y + height / 2 - 3)
        pdf.cell(w, 3, "Meterai", align="C")
        pdf.set_xy(bx + (half - w) / 2, y + height / 2)
        pdf.cell(w, 3, "10.000", align="C")
        pdf.set_font(R.FONT, "", BODY_PT)


def _total(pdf, layout, columns) -> None:
    pdf.set_font(R.FONT, "B", BODY_PT)
    x, y = R.MARGIN_L, pdf.get_y()
    label_w = 0.0
    i = 0
    while i < len(columns) and columns[i][4] != "money":
        label_w += columns[i][1]
        i += 1
    pdf.rect(x, y, label_w, HEADER_ROW_H)
    pdf.set_xy(x + PAD, y + (HEADER_ROW_H - LINE_H) / 2)
    pdf.cell(label_w - 2 * PAD, LINE_H, layout["total_label"], align="C")
    x += label_w
    for header, width, align, key, kind in columns[i:]:
        pdf.rect(x, y, width, HEADER_ROW_H)
        value = layout["total"].get(key) if kind == "money" else None
        if value is not None:
            pdf.set_xy(x + PAD, y + (HEADER_ROW_H - LINE_H) / 2)
            pdf.cell(width - 2 * PAD, LINE_H, cell_text({"v": value}, "v", "money"), align="R")
        x += width
    pdf.set_xy(R.MARGIN_L, y + HEADER_ROW_H + 3)


def _continue(pdf, layout, text, columns, *, table: bool = True) -> None:
    pdf.add_page()
    pdf.set_y(R.MARGIN_T)
    pdf.set_font(R.FONT, "B", 9.5)
    pdf.cell(R.CONTENT_W, 5, f"{layout['title']} (lanjutan)", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(R.FONT, "", 9)
    pdf.cell(R.CONTENT_W, 5, text(layout["footer"]), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if table:
        _header(pdf, columns)


def _signatures(pdf, sig: dict, text) -> None:
    y = pdf.get_y() + 4
    w = R.CONTENT_W / 3
    pdf.set_font(R.FONT, "", 9)
    pdf.set_xy(R.MARGIN_L + 2 * w, y)
    pdf.cell(w, 4.5, text(sig["place_date"]), align="C")
    y += 5
    for i, b in enumerate(sig["blocks"]):
        bx = R.MARGIN_L + i * w
        pdf.set_font(R.FONT, "", 9)
        pdf.set_xy(bx, y)
        pdf.cell(w, 4.5, b["top"], align="C", new_x="LEFT", new_y="NEXT")
        pdf.multi_cell(w, 4.5, text(b["title"]), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_xy(bx, y + 28)
        pdf.set_font(R.FONT, "B" if b["named"] else "", 9)
        pdf.cell(w, 4.5, text(b["name"]), align="C", new_x="LEFT", new_y="NEXT")
        if b["named"]:
            width = min(pdf.get_string_width(text(b["name"])), w - 4)
            pdf.line(bx + (w - width) / 2, pdf.get_y() - 0.5, bx + (w + width) / 2, pdf.get_y() - 0.5)
        pdf.set_font(R.FONT, "", 9)
        pdf.cell(w, 4.5, text(b["nip"]), align="C", new_x="LEFT", new_y="NEXT")


def _footers(pdf, layout, text) -> None:
    total = pdf.pages_count
    for page in range(1, total + 1):
        pdf.page = page
        pdf.set_font(R.FONT, "", 7.4)
        pdf.set_font(R.FONT, "", 7.5)
        pdf.set_xy(R.MARGIN_L, R.FOOTER_Y)
        pdf.cell(R.CONTENT_W - 30, 4, text(layout["footer"]))
        pdf.set_xy(R.MARGIN_L + R.CONTENT_W - 30, R.FOOTER_Y)
        pdf.cell(30, 4, f"Halaman {page} dari {total}", align="R")
    pdf.page = total
