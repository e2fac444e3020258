"""What a receipt list or the realisation report prints, as a layout both the PDF and the
xlsx writers draw: title, the block under it, columns, rows, the total and its words, the
place and date, and the signature blocks (PA/KPA, PPTK, bendahara pengeluaran), in
Indonesian. Pure: it receives the services' dicts and never queries."""

from __future__ import annotations

import datetime as dt

from pelatihan_cli.domain.dates import format_long_id, format_short_id
from pelatihan_cli.domain.money import group
from pelatihan_cli.render.tables import BLANK_TO_FILL

DOTS_NAME = "(.........................................)"
DOTS_NIP = "NIP. ......................................"

# column: (header, width mm on A4 portrait, align, key, kind); kind money/int/text/sign
TRANSPORT_COLUMNS = [("No", 8, "C", "no", "int"), ("Nama", 55, "L", "name", "text"), ("NIK", 32, "L", "nik", "text"),
                     ("Jumlah (Rp)", 28, "R", "net", "money"), ("Tanda Tangan", 57, "L", None, "sign")]
HONORARIUM_COLUMNS = [("No", 8, "C", "no", "int"), ("Nama", 40, "L", "name", "text"), ("JP", 10, "C", "jp", "int"),
                      ("Tarif/JP (Rp)", 20, "R", "rate", "money"), ("Bruto (Rp)", 24, "R", "gross", "money"),
                      ("PPh 21 (Rp)", 20, "R", "tax", "money"), ("Diterima (Rp)", 24, "R", "net", "money"),
                      ("Tanda Tangan", 34, "L", None, "sign")]
REALISATION_COLUMNS = [("No", 7, "C", "no", "int"), ("Uraian", 45, "L", "label", "text"),
                       ("Satuan", 17, "L", "unit", "text"), ("Tarif (Rp)", 22, "R", "rate", "money"),
                       ("Rencana (Rp)", 27, "R", "planned", "money"), ("Realisasi (Rp)", 27, "R", "realised", "money"),
                       ("Sisa (Rp)", 24, "R", "remaining", "money"), ("%", 11, "R", "percent", "text")]


def cell_text(row: dict, key: str | None, kind: str) -> str:
    value = row.get(key) if key else None
    if value is None:
        return ""
    if kind == "money":
        return group(value)
    if kind == "text" and key == "percent":
        return str(value).replace(".", ",")
    return str(value)


def _with_bank(columns: list, name_width_cut: float, bank_width: float) -> list:
    out = []
    for col in columns:
        header, width, align, key, kind = col
        if key == "name":
            out.append((header, width - name_width_cut, align, key, kind))
        elif kind == "sign":
            out.append(("No. Rekening", bank_width, "L", "bank_account", "text"))
            out.append((header, width - (bank_width - name_width_cut), align, key, kind))
        else:
            out.append(col)
    return out


def signatures(docs: dict, place_date: str) -> dict:
    pa_name = docs.get("pa_name") or docs.get("officer_name") or ""
    pa_nip = docs.get("pa_nip") or docs.get("officer_nip") or ""

    def block(top, title, name, nip):
        return {"top": top, "title": title, "name": name or DOTS_NAME, "named": bool(name),
                "nip": f"NIP. {nip}" if nip else DOTS_NIP}

    return {"place_date": place_date, "blocks": [
        block("Setuju dibayar,", docs.get("pa_title") or "Pengguna Anggaran", pa_name, pa_nip),
        block("Mengetahui,", "Pejabat Pelaksana Teknis Kegiatan", docs.get("pptk_name"), docs.get("pptk_nip")),
        block("Lunas dibayar,", "Bendahara Pengeluaran", docs.get("bendahara_name"), docs.get("bendahara_nip")),
    ]}


def _place_date(docs: dict, iso: str | None) -> str:
    day = format_short_id(dt.date.fromisoformat(iso)) if iso else "...................... 20...."
    city = docs.get("city") or ""
    return f"{city}, {day}" if city else day


def _version_note(doc: dict) -> str:
    if not doc.get("version"):
        return "KONSEP - belum dibekukan"
    note = f"Versi {doc['version']}"
    if doc.get("reissue_reason"):
        note += f" (menggantikan versi {doc['version'] - 1}: {doc['reissue_reason']})"
    return note


def receipt_layout(doc: dict) -> dict:
    """Layout of a services.receipts transport/honorarium dict."""
    docs = doc["documents"]
    s = doc.get("session")
    info: list[tuple[str, str]] = []
    if s:
        info += [("Kelurahan", f"{s['kelurahan']} (Kec. {s['kecamatan']})"), ("Keterampilan", s["skill"]),
                 ("Tempat", s.get("venue") or BLANK_TO_FILL)]
    else:
        info += [("Kegiatan", docs.get("programme") or "")]
    if doc["kind"] == "transport":
        day = dt.date.fromisoformat(doc["date"]) if doc.get("date") else None
        info.append(("Hari, tanggal", f"{format_long_id(day) if day else BLANK_TO_FILL} "
                                      f"(Hari ke-{doc['day']} dari {s['of_days']})"))
        info.append(("Uang transport", f"Rp {group(doc['lines'][0]['rate'])} per orang per hari hadir"
                     if doc["lines"] else "-"))
        columns = _with_bank(TRANSPORT_COLUMNS, 15, 30) if doc.get("bank") else TRANSPORT_COLUMNS
        footer = f"Transport · {s['kelurahan']} · {s['skill']} · hari ke-{doc['day']}"
    else:
        if s:
            info.append(("Instruktur", ", ".join(s.get("instructors") or []) or "-"))
        columns = _with_bank(HONORARIUM_COLUMNS, 12, 28) if doc.get("bank") else HONORARIUM_COLUMNS
        footer = "Honorarium · " + (f"{s['kelurahan']} · {s['skill']}" if s else (docs.get("programme") or ""))
    total = {"net": doc["total"], "gross": doc["total_gross"], "tax": doc["total_tax"]}
    return {
        "title": doc["title"], "subtitle": docs.get("programme_title") or "", "info": info, "columns": columns,
        "rows": doc["lines"], "total": total, "total_label": "JUMLAH",
        "terbilang": f"Terbilang: {doc['terbilang'][0].upper()}{doc['terbilang'][1:]}",
        "funding": docs.get("funding") or "", "note": _version_note(doc),
        "footer": f"{footer} · {_version_note(doc).split(' (')[0]}",
        "signatures": signatures(docs, _place_date(docs, doc.get("date"))), "docs": docs, "sign": True,
    }


def realisation_layout(report: dict, docs: dict, today_iso: str) -> dict:
    """Layout of the Rekapitulasi Realisasi Anggaran (services.budget.report, by line)."""
    rows = [{**r, "no": i} for i, r in enumerate(report["rows"], start=1)]
    ceiling = report["ceiling"]
    summary = [("Pagu anggaran", f"Rp {group(ceiling)}" if ceiling is not None else "-"),
               ("Rencana biaya", f"Rp {group(report['planned'])}"),
               ("Realisasi", f"Rp {group(report['realised'])}"),
               ("Sisa pagu", f"Rp {group(report['remaining'])}" if report["remaining"] is not None else "-"),
               ("Persentase realisasi", f"{report['percent'].replace('.', ',')}%" if report["percent"] else "-")]
    total = {"planned": report["planned"], "realised": report["realised"],
             "remaining": report["planned"] - report["realised"]}
    return {
        "title": "REKAPITULASI REALISASI ANGGARAN", "subtitle": docs.get("programme_title") or "",
        "info": [("Kegiatan", report["programme"]), ("Keadaan per", format_long_id(dt.date.fromisoformat(today_iso)))],
        "columns": REALISATION_COLUMNS, "rows": rows, "total": total, "total_label": "JUMLAH",
        "summary": summary, "terbilang": None, "funding": docs.get("funding") or "", "note": "",
        "footer": f"Rekapitulasi realisasi · {report['programme']}",
        "signatures": signatures(docs, _place_date(docs, today_iso)), "docs": docs, "sign": False,
    }
