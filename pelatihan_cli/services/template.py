"""`template participants`: what the registration template of a kelurahan office holds.

The template is the other end of `participant import`: its headers are the ones the map
stage reads (importing.headers.PARTICIPANT_ALIASES; a test checks that each one maps),
its KELURAHAN cells are written the way the resolve stage reads them back (the name, or
'Name (Kecamatan)' where the name is not unique), and its PELATIHAN drop-down lists the
tracks the import routes to: the skills of the kelurahan's planned (not cancelled)
sessions in the programme (services/import_routing.Router reads the same sessions).

This module only reads; render/template_xlsx.py writes the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

#: the header row of the template's "Peserta" sheet: (header, field it maps to)
PARTICIPANT_HEADERS: tuple[tuple[str, str], ...] = (
    ("NIK", "nik"),
    ("NAMA LENGKAP", "name"),
    ("TEMPAT LAHIR", "birth_place"),
    ("TANGGAL LAHIR", "birth_date"),
    ("JENIS KELAMIN (L/P)", "sex"),
    ("ALAMAT", "address"),
    ("RT/RW", "rt_rw"),
    ("KELURAHAN", "kelurahan"),
    ("NO. HP/WA", "phone"),
    ("PELATIHAN", "skill"),
    ("STATUS PEKERJAAN", "work_status"),
)


@dataclass
class ParticipantTemplate:
    """Everything the renderer needs; no database handle."""

    #: the kelurahan as the KELURAHAN cells hold it (None: a template for any kelurahan)
    kelurahan: str | None = None
    kelurahan_code: str | None = None
    kecamatan: str | None = None
    programme: str | None = None
    #: the tracks of the PELATIHAN drop-down, in the order of their first session
    tracks: list[str] = field(default_factory=list)
    headers: tuple[tuple[str, str], ...] = PARTICIPANT_HEADERS
    #: the work statuses of the STATUS PEKERJAAN drop-down (as documents print them)
    work_statuses: list[str] = field(default_factory=list)
    #: where the filled list goes (the letterhead's office and address settings)
    office: str | None = None
    #: operator-facing remarks (e.g. no planned session yet): the CLI shows them as warnings
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"kelurahan": self.kelurahan, "kelurahan_code": self.kelurahan_code, "kecamatan": self.kecamatan,
                "programme": self.programme, "tracks": list(self.tracks)}


def participant_template(db: Database, *, kelurahan: str | None = None, programme: str | None = None,
                         prog=None) -> ParticipantTemplate:
    """The template for `kelurahan` (a name, 'Name (Kecamatan)' or code; None: any) in
    `programme` (name, year or id; default: the default programme). `prog` is the
    programme already chosen by the caller (it wins over `programme`)."""
    from pelatihan_cli.domain.outcomes import STATUS_ID
    from pelatihan_cli.services import kelurahan as kel_service
    from pelatihan_cli.services import programmes

    from pelatihan_cli.services.documents import document_settings

    t = ParticipantTemplate(work_statuses=list(STATUS_ID.values()))
    docs = document_settings(db)
    t.office = ", ".join(x for x in (docs.get("letterhead_2"), docs.get("letterhead_3")) if x) or None
    place = None
    if kelurahan is not None and str(kelurahan).strip():
        place = kel_service.resolve(db, kelurahan, field="kelurahan")
        t.kelurahan = kel_service.display_names(db).get(place.id, place.name)
        t.kelurahan_code, t.kecamatan = place.code, place.kecamatan
    if prog is None:
        prog = programmes.choose(db, programme)
    t.programme = prog.name if prog else None
    if prog is None:
        t.warnings.append("there is no programme yet, so the PELATIHAN column has no list; plan the sessions "
                          "first (`pelatihan session plan`) and make the template again.")
        return t
    sql = ("SELECT k.name, min(s.start_date) AS first FROM session s JOIN skill k ON k.id = s.skill_id "
           "WHERE s.status = 'planned' AND s.programme_id = ?")
    params: list = [prog.id]
    if place is not None:
        sql += " AND s.kelurahan_id = ?"
        params.append(place.id)
    sql += " GROUP BY k.id ORDER BY first, k.name"
    t.tracks = [r[0] for r in db.execute(sql, params)]
    if not t.tracks:
        where = f"{t.kelurahan} has" if t.kelurahan else "there is"
        t.warnings.append(f"{where} no planned session in programme {prog.name!r}, so the PELATIHAN column has no "
                          "list; plan the sessions first (`pelatihan session plan`) and make the template again.")
    return t
