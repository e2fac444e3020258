"""The office's printouts as `Doc`s for render/documents.py: the schedule (Jadwal
Pelatihan), a session's waitlist (Daftar Tunggu), its rekap kehadiran, the contact list
(Daftar Kontak) and the no-shows (Daftar Peserta Tidak Hadir). They receive the rows of
services/printouts.py and the programme's document settings; they never query."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence

from pelatihan_cli.domain.dates import format_long_id, format_short_id
from pelatihan_cli.render.documents import Column, Doc, render_documents_pdf, write_documents_xlsx
from pelatihan_cli.render.tables import BLANK_TO_FILL, ERASED_NAME

#: absent, and nothing to fill in: an en dash, since a cell starting with '-' is
#: written to the xlsx with a protective apostrophe (domain/cells.formula_safe)
DASH = "\u2013"
STATUS_ID = {"enrolled": "peserta", "waitlisted": "cadangan", "withdrawn": "mengundurkan diri"}


def _dates(days: Sequence[str]) -> str:
    ds = [dt.date.fromisoformat(d) for d in days]
    if not ds:
        return DASH
    if len(ds) <= 3:
        return "; ".join(format_long_id(d) for d in ds)
    return f"{format_long_id(ds[0])} s.d. {format_long_id(ds[-1])} ({len(ds)} hari)"


def session_info(s: dict) -> list[tuple[str, str]]:
    """The information block of a session's printout."""
    return [("Sesi", f"{s['id']} · {s['skill']}"),
            ("Kelurahan", f"{s['kelurahan']}, Kecamatan {s['kecamatan']}" if s.get("kecamatan") else s["kelurahan"]),
            ("Tanggal", _dates(s["days"])),
            ("Tempat", s.get("venue") or BLANK_TO_FILL),
            ("Instruktur", ", ".join(s.get("instructors") or []) or DASH)]


def _named(rows: list[dict]) -> list[dict]:
    return [r if r.get("name") else {**r, "name": ERASED_NAME} for r in rows]


def schedule_doc(rows: list[dict], docs: dict, *, period: str, sign_on: dt.date | None = None) -> Doc:
    """Jadwal Pelatihan: one line per training day of each session."""
    shown = [{**r, "tanggal": format_long_id(dt.date.fromisoformat(r["date"])), "hari": f"{r['day_no']}/{r['of_days']}",
              "tempat": r.get("venue") or "", "instruktur": ", ".join(r["instructors"]) or DASH,
              "kel": f"{r['kelurahan']} ({r['kecamatan']})" if r.get("kecamatan") else r["kelurahan"],
              "peserta": f"{r['enrolled']}/{r['capacity']}", "no": n} for n, r in enumerate(rows, start=1)]
    sessions = len({r["session_id"] for r in rows})
    days = len({r["date"] for r in rows})
    return Doc(title="JADWAL PELATIHAN", sheet="Jadwal", docs=docs, rows=shown, landscape=True, sign_on=sign_on,
               info=[("Periode", period), ("Jumlah", f"{sessions} sesi pada {days} hari pelatihan")],
               columns=[Column("no", "No", 9, "C"), Column("tanggal", "Hari, tanggal", 38),
                        Column("hari", "Hari ke", 14, "C"), Column("session_id", "Sesi", 11, "C"),
                        Column("kel", "Kelurahan (Kecamatan)", 46), Column("skill", "Keterampilan", 36),
                        Column("tempat", "Tempat", 46), Column("instruktur", "Instruktur", 48),
                        Column("peserta", "Peserta", 18, "C")],
               note="Peserta: terdaftar/kapasitas. Tempat kosong: diisi tangan.", footer=f"Jadwal Pelatihan · {period}")


def waitlist_doc(s: dict, rows: list[dict], docs: dict, *, sign_on: dt.date | None = None) -> Doc:
    """Daftar Tunggu: the waitlist in order, with room to note who was called."""
    return Doc(title="DAFTAR TUNGGU", sheet=f"Sesi {s['id']}", docs=docs, rows=_named(rows), sign_on=sign_on,
               info=[*session_info(s), ("Kapasitas", f"{s['capacity']} kursi, {s['enrolled']} terisi")],
               columns=[Column("position", "Urut", 11, "C"), Column("name", "Nama", 50), Column("nik", "NIK", 34),
                        Column("sex", "L/P", 9, "C"), Column("phone", "No HP", 28), Column("kelurahan", "Kelurahan", 30),
                        Column("note", "Keterangan", 28)],
               note="Jika peserta tidak hadir, hubungi calon pengganti sesuai nomor urut.",
               footer=f"Daftar Tunggu · Sesi {s['id']}")


def attendance_doc(s: dict, rows: list[dict], totals: list[int], docs: dict, *,
                   sign_on: dt.date | None = None) -> Doc:
    """Rekap Kehadiran: present per day (✓ present, – absent, empty not marked) and the
    people present per day, for meals and allowances."""
    days = len(s["days"])
    shown = []
    for r in _named(rows):
        out = {**r, "jumlah": r["present_days"],
               "ket": STATUS_ID["withdrawn"] if r.get("status") == "withdrawn" else ""}
        for d in range(1, days + 1):
            v = r.get(f"day_{d}")
            out[f"day_{d}"] = "✓" if v is True else (DASH if v is False else "")
        shown.append(out)
    if rows:
        shown.append({"no": "", "name": "Jumlah hadir", "nik": "", "jumlah": sum(totals),
                      **{f"day_{d}": totals[d - 1] for d in range(1, days + 1)}})
    day_cols = [Column(f"day_{d}", f"Hari {d} {dt.date.fromisoformat(s['days'][d - 1]).strftime('%d/%m')}",
                       max(14.0, 44.0 / days), "C") for d in range(1, days + 1)]
    completed = sum(1 for r in rows if r.get("completed"))
    return Doc(title="REKAP KEHADIRAN PESERTA", sheet=f"Sesi {s['id']}", docs=docs, rows=shown, sign_on=sign_on,
               landscape=days > 4, info=session_info(s),
               columns=[Column("no", "No", 9, "C"), Column("name", "Nama", 48), Column("nik", "NIK", 32), *day_cols,
                        Column("jumlah", "Jumlah hari", 20, "C"), Column("ket", "Keterangan", 32)],
               note=f"✓ hadir; {DASH} tidak hadir; kosong: belum diisi. {completed} dari {len(rows)} orang hadir "
                    f"setiap hari (tamat).",
               footer=f"Rekap Kehadiran · Sesi {s['id']}")


def contacts_doc(s: dict | None, rows: list[dict], docs: dict, *, programme: str = "",
                 sign_on: dt.date | None = None, shown_in_full: bool = False) -> Doc:
    """Daftar Kontak: name, phone and a wa.me link (only when the numbers are shown in
    full); one session, or a programme with session, kelurahan and skill columns."""
    shown = [{**r, "status_id": STATUS_ID.get(r["status"], r["status"]), "wa": r.get("wa_link") or ""}
             for r in rows]
    cols = [Column("no", "No", 9, "C"), Column("name", "Nama", 50), Column("nik", "NIK", 34),
            Column("status_id", "Status", 18, "C"), Column("phone", "No HP", 28)]
    if shown_in_full:
        cols.append(Column("wa", "WhatsApp", 52))
    if s is None:
        cols[1:1] = [Column("session_id", "Sesi", 10, "C"), Column("kelurahan", "Kelurahan", 30),
                     Column("skill", "Keterampilan", 30)]
        info = [("Program", programme), ("Jumlah", f"{len(rows)} orang")]
    else:
        info = [*session_info(s), ("Jumlah", f"{len(rows)} orang")]
    note = ("Status: peserta (terdaftar), cadangan (daftar tunggu). "
            + ("Tautan WhatsApp membuka percakapan dengan nomor itu." if shown_in_full
               else "Nomor disamarkan; nomor lengkap dan tautan WhatsApp hanya dengan --show-nik (tercatat)."))
    return Doc(title="DAFTAR KONTAK PESERTA", sheet=f"Sesi {s['id']}" if s else "Kontak", docs=docs, rows=shown,
               landscape=s is None or shown_in_full, info=info, columns=cols, links={"wa": "wa_link"},
               sign_on=sign_on, note=note, footer="Daftar Kontak" + (f" · Sesi {s['id']}" if s else ""))


def no_shows_doc(s: dict, looked: list[int], rows: list[dict], docs: dict, *,
                 sign_on: dt.date | None = None, one_day: bool = False) -> Doc:
    """Daftar Peserta Tidak Hadir: the people enrolled who were absent or not marked on one
    day, or on every training day so far."""
    def days_text(ds: list[int]) -> str:
        return ", ".join(str(d) for d in ds)

    shown = []
    for r in _named(rows):
        parts = []
        if r["absent_days"]:
            parts.append("tidak hadir" + ("" if one_day else f" hari {days_text(r['absent_days'])}"))
        if r["unmarked_days"]:
            parts.append("belum diisi" + ("" if one_day else f" hari {days_text(r['unmarked_days'])}"))
        shown.append({**r, "ket": "; ".join(parts)})
    if one_day:
        d = looked[0]
        when = f"Hari ke-{d}, {format_long_id(dt.date.fromisoformat(s['days'][d - 1]))}"
    else:
        when = f"setiap hari pelatihan sampai saat ini (hari {days_text(looked)})"
    return Doc(title="DAFTAR PESERTA TIDAK HADIR", sheet=f"Sesi {s['id']}", docs=docs, rows=shown, sign_on=sign_on,
               info=[*session_info(s), ("Tidak hadir", when),
                     ("Jumlah", f"{len(rows)} dari {s['enrolled']} peserta")],
               columns=[Column("no", "No", 9, "C"), Column("name", "Nama", 50), Column("nik", "NIK", 34),
                        Column("phone", "No HP", 28), Column("kelurahan", "Kelurahan", 30),
                        Column("ket", "Keterangan", 36)],
               footer=f"Daftar Peserta Tidak Hadir · Sesi {s['id']}")


def write_printout(path: str | Path, fmt: str, docs_: Sequence[Doc]) -> dict:
    """Write the Docs as 'pdf' or 'xlsx' to `path`; {'pages': n, 'missing_chars': [...]}
    for a PDF, {} for an xlsx."""
    if fmt == "pdf":
        data, facts = render_documents_pdf(docs_)
        Path(path).write_bytes(data)
        return facts
    write_documents_xlsx(path, docs_)
    return {}


def period_text(start: str | None, end: str | None, programme: str | None) -> str:
    """'2 Juli 2024 s.d. 27 Agustus 2024' from the first and last day shown, or the programme."""
    if start and end:
        a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        return format_short_id(a) if a == b else f"{format_short_id(a)} s.d. {format_short_id(b)}"
    return programme or DASH
