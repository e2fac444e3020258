"""Certificates (sertifikat) as an A4 landscape PDF: one page per person, in Indonesian.

Letterhead (as the roster's), SERTIFIKAT and its number, the name, place and date of
birth, the kelurahan, what was completed (programme title, skill, dates), the funding
line, the QR code of the verification code with the code written under it, and the
signature block of the programme's officer. fpdf2 and segno are imported inside functions.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Sequence

from pelatihan_cli.domain.dates import format_short_id
from pelatihan_cli.render.roster_pdf import PdfText
from pelatihan_cli.resources import font_path

FONT = "DejaVu"
PAGE_W, PAGE_H = 297.0, 210.0
MARGIN = 15.0
CONTENT_W = PAGE_W - 2 * MARGIN
QR_MM = 32.0


def qr_png(code: str) -> bytes:
    """The QR code of `code` as PNG bytes (segno, error correction M, 4-module quiet zone)."""
    import segno

    buf = io.BytesIO()
    segno.make(code, error="m", micro=False).save(buf, kind="png", scale=10, border=4)
    return buf.getvalue()


def render_certificates_pdf(certs: Sequence[dict]) -> tuple[bytes, dict]:
    """PDF bytes, and {'pages': n, 'missing_chars': [...]}. Each dict as
    services.certificates.for_print gives it (with 'documents')."""
    from fpdf import FPDF

    from pelatihan_cli.services.certificates import training_dates_id

    logging.getLogger("fpdf").setLevel(logging.ERROR)
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font(FONT, "", str(font_path("DejaVuSans.ttf")))
    pdf.add_font(FONT, "B", str(font_path("DejaVuSans-Bold.ttf")))
    pdf.set_creator("pelatihan")
    pdf.set_title("Sertifikat")
    pdf.set_lang("id")
    text = PdfText(pdf)

    for c in certs:
        docs = c.get("documents") or {}
        pdf.add_page()
        # a double frame
        pdf.set_line_width(1.2)
        pdf.rect(8, 8, PAGE_W - 16, PAGE_H - 16)
        pdf.set_line_width(0.3)
        pdf.rect(10.5, 10.5, PAGE_W - 21, PAGE_H - 21)
        # letterhead
        pdf.set_y(MARGIN + 1)
        for key, style, size in (("letterhead_1", "B", 12), ("letterhead_2", "B", 14), ("letterhead_3", "", 9)):
            line = docs.get(key) or ""
            if line:
                pdf.set_font(FONT, style, size)
                pdf.cell(CONTENT_W, size * 0.45, text(line), align="C", new_x="LMARGIN", new_y="NEXT")
        y = pdf.get_y() + 1.5
        pdf.set_line_width(0.8)
        pdf.line(MARGIN + 10, y, PAGE_W - MARGIN - 10, y)
        pdf.set_line_width(0.2)
        pdf.line(MARGIN + 10, y + 1.2, PAGE_W - MARGIN - 10, y + 1.2)
        pdf.set_y(y + 9)
        # title and number
        pdf.set_font(FONT, "B", 28)
        pdf.cell(CONTENT_W, 12, "SERTIFIKAT", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 11)
        pdf.cell(CONTENT_W, 6, text(f"Nomor: {c['number']}"), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        pdf.set_font(FONT, "", 11)
        pdf.cell(CONTENT_W, 6, "diberikan kepada:", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "B", 22)
        pdf.cell(CONTENT_W, 11, text(c["name"]), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        born = format_short_id(dt.date.fromisoformat(c["birth_date"])) if c.get("birth_date") else ""
        place = (c.get("birth_place") or "").strip()
        lines = [
            ("Tempat, tanggal lahir", f"{place}, {born}" if place and born else (born or place or "-")),
            ("Kelurahan", f"{c['kelurahan']}, Kecamatan {c['kecamatan']}"),
        ]
        label_w, value_w = 48, 110
        x0 = (PAGE_W - label_w - 4 - value_w) / 2
        pdf.set_font(FONT, "", 11)
        for label, value in lines:
            y = pdf.get_y()
            pdf.set_xy(x0, y)
            pdf.cell(label_w, 6.5, label)
            pdf.set_xy(x0 + label_w, y)
            pdf.cell(4, 6.5, ":")
            pdf.set_xy(x0 + label_w + 4, y)
            pdf.cell(value_w, 6.5, text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(5)
        dates = training_dates_id(c["start_date"], c["end_date"])
        title = docs.get("programme_title") or c.get("programme") or ""
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(CONTENT_W, 6, "telah mengikuti dan menyelesaikan", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        pdf.set_font(FONT, "B", 13)
        pdf.multi_cell(CONTENT_W, 7, text(title), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(CONTENT_W, 6, text(f"bidang keterampilan {c['skill']}, selama {c['days']} hari, "
                                          f"pada tanggal {dates} di Kelurahan {c['kelurahan']}."),
                       align="C", new_x="LMARGIN", new_y="NEXT")
        # bottom: QR code and the code (left), signature block (right)
        bottom = PAGE_H - MARGIN - 4
        qy = bottom - QR_MM - 10
        pdf.image(io.BytesIO(qr_png(c["code"])), x=MARGIN + 8, y=qy, w=QR_MM, h=QR_MM)
        pdf.set_font(FONT, "", 8)
        pdf.set_xy(MARGIN + 2, qy + QR_MM + 0.5)
        pdf.cell(QR_MM + 12, 4, "Kode verifikasi:", align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, "B", 8.5)
        pdf.cell(QR_MM + 12, 4, text(c["code"]), align="C", new_x="LEFT", new_y="NEXT")
        funding = docs.get("funding") or ""
        if funding:
            pdf.set_xy(MARGIN + QR_MM + 16, bottom - 5)
            pdf.set_font(FONT, "", 8)
            pdf.cell(80, 4, text(funding))
        bw = 95
        bx = PAGE_W - MARGIN - bw - 5
        by = bottom - 44
        pdf.set_font(FONT, "", 10.5)
        pdf.set_xy(bx, by)
        city = docs.get("city") or ""
        day = format_short_id(dt.date.fromisoformat(c["end_date"]))
        pdf.cell(bw, 5, text(f"{city}, {day}" if city else day), align="C", new_x="LEFT", new_y="NEXT")
        pdf.multi_cell(bw, 5, text(docs.get("officer_title") or ""), align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_xy(bx, by + 32)
        name = docs.get("officer_name") or ""
        if name:
            pdf.set_font(FONT, "B", 10.5)
            pdf.cell(bw, 5, text(name), align="C", new_x="LEFT", new_y="NEXT")
            width = min(pdf.get_string_width(text(name)), bw)
            pdf.line(bx + (bw - width) / 2, pdf.get_y() - 0.6, bx + (bw + width) / 2, pdf.get_y() - 0.6)
        else:
            pdf.cell(bw, 5, "(.........................................)", align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, "", 10.5)
        nip = docs.get("officer_nip") or ""
        pdf.cell(bw, 5, text(f"NIP. {nip}" if nip else "NIP. ......................................"), align="C")
    if not certs:
        pdf.add_page()
    return bytes(pdf.output()), {"pages": pdf.pages_count, "missing_chars": sorted(text.missing)}
