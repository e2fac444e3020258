"""The daily roster (daftar hadir) as an A4 portrait PDF, in Indonesian.

Per session, on its own set of pages: letterhead, title, the session block, the table
(No, Nama, NIK, L/P, Alamat, No HP, Tanda Tangan) with the signature column staggered as
on paper forms (odd numbers sign in its left half, even numbers in its right half), the
table header repeated on every page, 'Halaman x dari y' counted per session, and the
signature block of the officer. The DejaVu Sans font shipped in render/fonts is embedded,
so every Latin name, curly apostrophe or accent prints on any machine; characters the font
lacks (e.g. CJK) are printed as '?' and reported back so the operator can be warned.

fpdf2 is imported inside functions: this module is loaded only when a PDF is written.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Sequence

from pelatihan_cli.domain.dates import format_long_id, format_short_id
from pelatihan_cli.render.tables import BLANK_TO_FILL, printable, rows_with_blanks
from pelatihan_cli.resources import font_path

FONT = "DejaVu"
PAGE_H = 297.0
MARGIN_L = 15.0
MARGIN_T = 12.0
CONTENT_W = 180.0
BOTTOM = PAGE_H - 20.0  # the table and the signature block stay above this line
FOOTER_Y = PAGE_H - 13.0

TITLE = "DAFTAR HADIR PESERTA PELATIHAN"
# (header, width mm, align)
COLUMNS: Sequence[tuple[str, float, str]] = (
    ("No", 7, "C"),
    ("Nama", 40, "L"),
    ("NIK", 31, "L"),  # a full NIK at 8 pt is 28.7 mm wide: it never wraps
    ("L/P", 7, "C"),
    ("Alamat", 36, "L"),
    ("No HP", 26, "L"),  # 0812-3456-7890 is 23.6 mm
    ("Tanda Tangan", 33, "L"),
)
BODY_PT = 8
LINE_H = 3.6
ROW_MIN_H = 9.0
HEADER_ROW_H = 7.0
PAD = 1.0
SIGNATURE_BLOCK_H = 44.0
KEEP_WITH_SIGNATURE = 3  # table rows printed on the signature block's page


def render_roster_pdf(sessions: Sequence[dict], docs: dict[str, str], *, blank: int = 0,
                      per_session: dict[int, dict] | None = None) -> tuple[bytes, dict]:
    """PDF bytes of the rosters of `sessions` (dicts as services.roster.roster returns) and
    facts about it: {'pages': n, 'missing_chars': sorted characters printed as '?'}.
    `per_session`: document settings by session id (each session's programme), else `docs`."""
    logging.getLogger("fpdf").setLevel(logging.ERROR)  # missing glyphs are reported by us
    pdf = _new_pdf()
    text = PdfText(pdf)

    for session in sessions:
        _render_session(pdf, session, (per_session or {}).get(session.get("session_id"), docs), blank, text)
    data = bytes(pdf.output())
    return data, {"pages": pdf.pages_count, "missing_chars": sorted(text.missing)}


def _new_pdf():
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN_L, MARGIN_T, MARGIN_L)
    pdf.c_margin = 0  # cells are padded explicitly (PAD), so wrapping widths are exact
    pdf.add_font(FONT, "", str(font_path("DejaVuSans.ttf")))
    pdf.add_font(FONT, "B", str(font_path("DejaVuSans-Bold.ttf")))
    try:  # Arabic and other scripts that need shaping, when uharfbuzz is installed
        import uharfbuzz  # noqa: F401

        pdf.set_text_shaping(True)
    except Exception:  # noqa: BLE001 - without it glyphs are still printed, unshaped
        pass
    pdf.set_creator("pelatihan")
    pdf.set_title(TITLE.title())
    pdf.set_lang("id")
    pdf.set_font(FONT, "", BODY_PT)
    return pdf


def _font_chars(pdf) -> set[int]:
    font = pdf.fonts[FONT.lower()]
    cmap = getattr(font, "cmap", None)
    if cmap:
        return set(cmap)
    return set(font.ttfont.getBestCmap())


class PdfText:
    """Text for a PDF in the bundled font, as every document of the tool prints it: a
    character the font has no glyph for becomes '?' and is remembered in `missing`, so the
    command reports it once (names to write by hand). Call after the font is added."""

    def __init__(self, pdf):
        self.cmap = _font_chars(pdf)
        self.missing: set[str] = set()

    def __call__(self, value) -> str:
        s = printable(value)
        bad = {ch for ch in s if ord(ch) not in self.cmap and not ch.isspace()}
        if bad:
            self.missing.update(bad)
            s = "".join("?" if ch in bad else ch for ch in s)
        return s


def _session_label(s: dict) -> str:
    return f"{s['kelurahan']} · {s['skill']} · {format_long_id(dt.date.fromisoformat(s['date']))}"


def _render_session(pdf, s: dict, docs: dict, blank: int, text) -> None:
    first_page = pdf.pages_count + 1
    pdf.add_page()
    _letterhead(pdf, docs, text)
    _title(pdf, docs, text)
    _session_block(pdf, s, text)
    rows = rows_with_blanks(s["participants"], blank)
    cells = [
        [str(row["no"])] + [text(row.get(key) or "") for key in ("name", "nik", "sex", "address", "phone")]
        for row in rows
    ]
    pdf.set_font(FONT, "", BODY_PT)
    wrapped = [[_wrap(pdf, value, width - 2 * PAD) for (_h, width, _a), value in zip(COLUMNS, c)] for c in cells]
    heights = [max(ROW_MIN_H, max(len(lines) for lines in w) * LINE_H + 2) for w in wrapped]
    # the last rows stay on the page of the signature block, which never stands alone
    keep_from = max(len(rows) - KEEP_WITH_SIGNATURE, 0)
    tail = sum(heights[keep_from:]) + 6 + SIGNATURE_BLOCK_H
    _table_header(pdf)
    for i, (row, row_lines, height) in enumerate(zip(rows, wrapped, heights)):
        too_low = pdf.get_y() + height > BOTTOM
        if i == keep_from and i > 0 and pdf.get_y() + tail > BOTTOM:
            too_low = True
        if too_low:
            _continuation_page(pdf, s, text)
        _table_row(pdf, row_lines, row["no"], height)
    if pdf.get_y() + 6 + SIGNATURE_BLOCK_H > BOTTOM:
        _continuation_page(pdf, s, text, table=False)
    _signature_block(pdf, s, docs, len(s["participants"]), text)
    _footers(pdf, s, first_page, pdf.pages_count, text)


def _letterhead(pdf, docs: dict, text) -> None:
    pdf.set_y(MARGIN_T)
    for key, style, size in (("letterhead_1", "B", 12), ("letterhead_2", "B", 14), ("letterhead_3", "", 9)):
        line = docs.get(key) or ""
        if not line:
            continue
        pdf.set_font(FONT, style, size)
        pdf.cell(CONTENT_W, size * 0.45, text(line), align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 1.5
    pdf.set_line_width(0.8)
    pdf.line(MARGIN_L, y, MARGIN_L + CONTENT_W, y)
    pdf.set_line_width(0.2)
    pdf.line(MARGIN_L, y + 1.2, MARGIN_L + CONTENT_W, y + 1.2)
    pdf.set_y(y + 5)


def signature_line(pdf, x: float, y: float, width: float, height: float, no: int) -> None:
    """A signature cell's number and dotted line: odd numbers sign in the left half, even
    in the right (the daftar hadir habit, so that neighbours do not sign on one line).
    Shared by the roster and the receipt lists."""
    half = width / 2
    sx = x if no % 2 else x + half
    pdf.set_xy(sx + PAD, y + 1)
    pdf.cell(half - 2 * PAD, LINE_H, f"{no}.")
    pdf.set_dash_pattern(dash=0.4, gap=0.6)
    pdf.line(sx + 2, y + height - 1.8, sx + half - 2, y + height - 1.8)
    pdf.set_dash_pattern()


def _title(pdf, docs: dict, text) -> None:
    pdf.set_font(FONT, "B", 13)
    pdf.cell(CONTENT_W, 6, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    title = docs.get("programme_title") or ""
    if title:
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(CONTENT_W, 5, text(title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _session_block(pdf, s: dict, text) -> None:
    day = dt.date.fromisoformat(s["date"])
    instructors = ", ".join(s.get("instructors") or []) or "-"
    lines = [
        ("Kelurahan", f"{s['kelurahan']}"),
        ("Kecamatan", f"{s['kecamatan']}"),
        ("Keterampilan", s["skill"]),
        ("Tempat", s.get("venue") or BLANK_TO_FILL),
        ("Instruktur", instructors),
        ("Hari, tanggal", f"{format_long_id(day)} (Hari ke-{s['day']} dari {s['of_days']})"),
    ]
    label_w = 28
    for label, value in lines:
        pdf.set_font(FONT, "", 9.5)
        pdf.set_x(MARGIN_L)
        pdf.cell(label_w, 5, label)
        pdf.cell(4, 5, ":")
        pdf.multi_cell(CONTENT_W - label_w - 4, 5, text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _continuation_page(pdf, s: dict, text, *, table: bool = True) -> None:
    pdf.add_page()
    pdf.set_y(MARGIN_T)
    pdf.set_font(FONT, "B", 9.5)
    pdf.cell(CONTENT_W, 5, f"{TITLE} (lanjutan)", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.cell(CONTENT_W, 5, text(f"{_session_label(s)} · Hari ke-{s['day']} dari {s['of_days']}"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if table:
        _table_header(pdf)


def _table_header(pdf) -> None:
    pdf.set_font(FONT, "B", BODY_PT)
    pdf.set_fill_color(225, 225, 225)
    pdf.set_line_width(0.2)
    pdf.set_x(MARGIN_L)
    for header, width, _align in COLUMNS:
        pdf.cell(width, HEADER_ROW_H, header, border=1, align="C", fill=True)
    pdf.ln(HEADER_ROW_H)


def _wrap(pdf, text: str, width: float) -> list[str]:
    """Greedy word wrap by the current font's widths (much cheaper than fpdf2's
    multi_cell for 40 x 6 short cells); a word wider than the cell is cut."""
    if not text or pdf.get_string_width(text) <= width:
        return [text] if text else []
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if pdf.get_string_width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while pdf.get_string_width(word) > width:
            cut = len(word) - 1
            while cut > 1 and pdf.get_string_width(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _table_row(pdf, cell_lines: list[list[str]], no: int, height: float) -> None:
    pdf.set_font(FONT, "", BODY_PT)
    x, y = MARGIN_L, pdf.get_y()
    for (header, width, align), lines in zip(COLUMNS, cell_lines):
        pdf.rect(x, y, width, height)
        top = y + (height - len(lines) * LINE_H) / 2
        for k, line in enumerate(lines):
            pdf.set_xy(x + PAD, top + k * LINE_H)
            pdf.cell(width - 2 * PAD, LINE_H, line, align=align)
        x += width
    # the signature column: odd numbers sign in the left half, even in the right half
    sig_w = COLUMNS[-1][1]
    pdf.rect(x, y, sig_w, height)
    signature_line(pdf, x, y, sig_w, height, no)
    pdf.set_xy(MARGIN_L, y + height)


def _signature_block(pdf, s: dict, docs: dict, enrolled: int, text) -> None:
    y = pdf.get_y() + 6
    day = dt.date.fromisoformat(s["date"])
    # left: counts to fill in
    pdf.set_font(FONT, "", 9)
    pdf.set_xy(MARGIN_L, y + 5)
    for label, value, height in (("Jumlah peserta terdaftar", f"{enrolled} orang", 5),
                                 ("Jumlah peserta hadir", "........ orang", 7)):
        pdf.cell(42, height, label)
        pdf.cell(38, height, f": {value}", new_x="LMARGIN", new_y="NEXT")
    funding = docs.get("funding") or ""
    if funding:
        pdf.set_font(FONT, "", 8)
        pdf.cell(80, 6, text(funding), new_x="LMARGIN", new_y="NEXT")
    # right: city and date, officer title, name, NIP
    bx, bw = MARGIN_L + CONTENT_W - 80, 80
    pdf.set_font(FONT, "", 9.5)
    pdf.set_xy(bx, y)
    city = docs.get("city") or ""
    pdf.cell(bw, 5, text(f"{city}, {format_short_id(day)}" if city else format_short_id(day)), align="C",
             new_x="LEFT", new_y="NEXT")
    pdf.multi_cell(bw, 5, text(docs.get("officer_title") or ""), align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_xy(bx, y + 32)
    name = docs.get("officer_name") or ""
    if name:
        pdf.set_font(FONT, "B", 9.5)
        pdf.cell(bw, 5, text(name), align="C", new_x="LEFT", new_y="NEXT")
        width = min(pdf.get_string_width(text(name)), bw)
        pdf.line(bx + (bw - width) / 2, pdf.get_y() - 0.6, bx + (bw + width) / 2, pdf.get_y() - 0.6)
    else:
        pdf.cell(bw, 5, "(.........................................)", align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "", 9.5)
    nip = docs.get("officer_nip") or ""
    pdf.cell(bw, 5, text(f"NIP. {nip}" if nip else "NIP. ......................................"), align="C",
             new_x="LEFT", new_y="NEXT")


def _footers(pdf, s: dict, first: int, last: int, text) -> None:
    """'Halaman x dari y' counted within the session, written once its pages are known."""
    total = last - first + 1
    label = text(_session_label(s))
    for number, page in enumerate(range(first, last + 1), start=1):
        pdf.page = page
        # set two sizes so that this page's content stream gets its own font operator
        pdf.set_font(FONT, "", 7.4)
        pdf.set_font(FONT, "", 7.5)
        pdf.set_xy(MARGIN_L, FOOTER_Y)
        pdf.cell(CONTENT_W - 30, 4, f"Daftar hadir · {label}")
        pdf.set_xy(MARGIN_L + CONTENT_W - 30, FOOTER_Y)
        pdf.cell(30, 4, f"Halaman {number} dari {total}", align="R")
    pdf.page = last

