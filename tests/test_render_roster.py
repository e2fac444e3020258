"""render.roster_pdf / roster_xlsx: content, staggered signatures, page breaks, any name."""

from __future__ import annotations

import io
import re

import pytest

pypdf = pytest.importorskip("pypdf")

from pelatihan_cli.render.roster_pdf import COLUMNS, MARGIN_L, render_roster_pdf  # noqa: E402
from pelatihan_cli.render.roster_xlsx import write_roster_xlsx  # noqa: E402
from pelatihan_cli.render.tables import printable, rows_with_blanks, safe_sheet_title  # noqa: E402

MM = 72 / 25.4
DOCS = {
    "programme_title": "Pelatihan Kewirausahaan 2024", "letterhead_1": "PEMERINTAH KOTA PEKALONGAN",
    "letterhead_2": "DINAS PERINDUSTRIAN DAN TENAGA KERJA", "letterhead_3": "Jl. Contoh 1",
    "city": "Pekalongan", "officer_title": "Kepala Dinas", "officer_name": "Drs. Budi Santoso",
    "officer_nip": "19700101 199803 1 002", "funding": "Sumber dana: DBHCHT 2024",
}


def session(n=40, *, sid=3, kelurahan="Bendan Kergon", names=None):
    names = names or [f"Peserta {i:02d}" for i in range(1, n + 1)]
    return {
        "session_id": sid, "kelurahan": kelurahan, "kecamatan": "Pekalongan Barat", "skill": "Merajut",
        "date": "2024-07-02", "day": 1, "of_days": 2, "venue": "Aula Kelurahan", "instructors": ["Sri Wahyuni"],
        "participants": [
            {"no": i, "nik": f"337501******{i:04d}", "name": name, "sex": "LP"[i % 2],
             "address": "Jl. Merdeka 1", "phone": "0812-****-7890"}
            for i, name in enumerate(names, start=1)
        ],
    }


def pages_text(data: bytes) -> list[list[tuple[str, float, float]]]:
    """Per page: (text, x pt, y pt) of every text run."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    result = []
    for page in reader.pages:
        runs = []

        def visit(text, cm, tm, font, size, runs=runs):
            if text.strip():
                runs.append((text.strip(), tm[4], tm[5]))

        page.extract_text(visitor_text=visit)
        result.append(runs)
    return result


def test_forty_people_two_pages_header_repeated_and_numbered_per_session():
    data, facts = render_roster_pdf([session(40), session(5, sid=4, kelurahan="Kergon")], DOCS)
    pages = pages_text(data)
    assert facts == {"pages": len(pages), "missing_chars": []}
    texts = [[t for t, _x, _y in p] for p in pages]
    assert len(pages) == 3
    assert "DAFTAR HADIR PESERTA PELATIHAN" in texts[0]
    assert "DAFTAR HADIR PESERTA PELATIHAN (lanjutan)" in texts[1]
    for page in texts:  # the table header row is on every page
        assert {"No", "Nama", "NIK", "L/P", "Alamat", "No HP", "Tanda Tangan"} <= set(page)
    assert "Halaman 1 dari 2" in texts[0] and "Halaman 2 dari 2" in texts[1]
    assert "Halaman 1 dari 1" in texts[2]  # the next session starts its own page set
    assert "Selasa, 2 Juli 2024 (Hari ke-1 dari 2)" in texts[0]
    # every participant once, in order, across the break
    names = [t for p in texts for t in p if t.startswith("Peserta")]
    assert names == [f"Peserta {i:02d}" for i in range(1, 41)] + [f"Peserta {i:02d}" for i in range(1, 6)]
    # the officer's signature block closes the session, on its last page
    assert "Pekalongan, 2 Juli 2024" in texts[1] and "Drs. Budi Santoso" in texts[1]
    assert "NIP. 19700101 199803 1 002" in texts[1]
    assert "Drs. Budi Santoso" not in texts[0]


def test_signature_column_is_staggered_odd_left_even_right():
    data, _ = render_roster_pdf([session(12)], DOCS, blank=2)
    runs = pages_text(data)[0]
    sig_x = (MARGIN_L + sum(w for _h, w, _a in COLUMNS[:-1])) * MM
    mid = sig_x + COLUMNS[-1][1] / 2 * MM
    marks = {int(t[:-1]): x for t, x, _y in runs if re.fullmatch(r"\d+\.", t)}
    assert sorted(marks) == list(range(1, 15))  # 12 people + 2 blank rows, all numbered
    for no, x in marks.items():
        if no % 2:
            assert sig_x <= x < mid, no
        else:
            assert x >= mid, no


def test_blank_rows_are_numbered_after_the_participants():
    rows = rows_with_blanks([{"no": 1, "name": "A"}], 2)
    assert [r["no"] for r in rows] == [1, 2, 3]
    assert rows[2]["name"] is None


def test_any_name_renders_and_stays_extractable():
    names = ["Nur’aini", "Zoë Ångström", "محمد", "王小明", "Tab\there", "Ñandú =SUM(A1)"]
    data, facts = render_roster_pdf([session(names=names)], DOCS)
    text = " ".join(t for p in pages_text(data) for t, _x, _y in p)
    assert "Nur’aini" in text and "Zoë Ångström" in text and "Tab here" in text
    assert "Ñandú =SUM(A1)" in text
    assert facts["missing_chars"] == ["小", "明", "王"]  # DejaVu has no CJK: printed as '?'
    assert "???" in text


def test_empty_officer_name_prints_lines_to_fill_in():
    docs = dict(DOCS, officer_name="", officer_nip="", funding="")
    data, _ = render_roster_pdf([session(2)], docs)
    text = [t for t, _x, _y in pages_text(data)[0]]
    assert any(t.startswith("(....") for t in text)
    assert any(t.startswith("NIP. ....") for t in text)
    assert not any("Sumber dana" in t for t in text)


def test_xlsx_one_sheet_per_session_formula_safe_print_setup(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "r.xlsx"
    write_roster_xlsx(path, [session(names=["=HYPERLINK(\"x\")", "Budi"]), session(3, sid=4, kelurahan="Kergon")],
                      DOCS, blank=1)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["3 Bendan Kergon Merajut", "4 Kergon Merajut"]
    ws = wb.worksheets[0]
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    header = values.index(["No", "Nama", "NIK", "L/P", "Alamat", "No HP", "Tanda Tangan", None])
    body = values[header + 1: header + 4]
    assert body[0][:6] == [1, "'=HYPERLINK(\"x\")", "337501******0001", "P", "Jl. Merdeka 1", "0812-****-7890"]
    assert body[0][6:] == ["1.", None] and body[1][6:] == [None, "2."]  # staggered signatures
    assert body[2][:2] == [3, None] and body[2][6:] == ["3.", None]  # the blank row
    flat = [c for row in values for c in row if c]
    assert "DAFTAR HADIR PESERTA PELATIHAN" in flat and "NIP. 19700101 199803 1 002" in flat
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"
    assert ws.print_title_rows == f"${header + 1}:${header + 1}"
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_xlsx_signature_block_name_and_nip_below_the_signing_space(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "r.xlsx"
    write_roster_xlsx(path, [session(2)], DOCS)
    ws = openpyxl.load_workbook(path).worksheets[0]
    where = {c.value: (c.row, c.column) for row in ws.iter_rows() for c in row if c.value}
    city, title = where["Pekalongan, 2 Juli 2024"], where["Kepala Dinas"]
    name, nip = where["Drs. Budi Santoso"], where["NIP. 19700101 199803 1 002"]
    funding = where["Sumber dana: DBHCHT 2024"]
    assert city[1] == title[1] == name[1] == nip[1]  # one column, right half
    assert title[0] == city[0] + 1 and name[0] >= title[0] + 4 and nip[0] == name[0] + 1
    assert funding[0] < name[0]  # the funding line does not take the officer's place
    # without a name: the dotted line to write it by hand, and the NIP placeholder below it
    write_roster_xlsx(path, [session(2)], {**DOCS, "officer_name": "", "officer_nip": ""})
    ws = openpyxl.load_workbook(path).worksheets[0]
    where = {c.value: c.row for row in ws.iter_rows() for c in row if c.value}
    assert where["NIP. ......................................"] == where["(.........................................)"] + 1


def test_sheet_titles_are_valid_and_unique():
    used: set[str] = set()
    a = safe_sheet_title("1 Bendan/Kergon [x]: a very long kelurahan name indeed", used)
    b = safe_sheet_title("1 Bendan/Kergon [x]: a very long kelurahan name indeed", used)
    assert len(a) <= 31 and len(b) <= 31 and a != b
    assert not set("[]:*?/\\") & set(a + b)
    assert printable("a\tb\nc") == "a b c"


def test_unknown_venue_leaves_a_dotted_line_to_fill_in_by_hand():
    from pelatihan_cli.render.tables import BLANK_TO_FILL

    data, _ = render_roster_pdf([dict(session(2), venue=None)], DOCS)
    text = " ".join(t for t, _x, _y in pages_text(data)[0])
    assert BLANK_TO_FILL in text
    data, _ = render_roster_pdf([session(2)], DOCS)
    assert BLANK_TO_FILL not in " ".join(t for t, _x, _y in pages_text(data)[0])
