"""The **clean** stage for one participant row: the file's cells (by the columns the
map stage chose) -> a typed record, with the row's problems and warnings as data.

    cells = clean_participant_row(row, mapping, source="spreadsheet")
    cells.nik, cells.birth_date, cells.birth_place, cells.phone ...
    cells.problems   -> [CellIssue(field, value, message)]  (the row is refused)
    cells.warnings   -> [CellIssue(field, value, message)]  (the row goes on)

Pure: no database, nothing printed. Texts that other stages check against the
database or the domain rules (NIK digits, sex, phone number, kelurahan, skill) are
handed on cleaned but not judged here, except where a cell's form already shows the
value is lost (a NIK in a Number cell) — see importing.values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from pelatihan_cli.errors import ValidationError
from pelatihan_cli.importing.values import (
    address_with_rt_rw, birth_place_date, cell_date, cell_text, nik_cell, phone_cell,
)


@dataclass(frozen=True)
class CellIssue:
    field: str          # the canonical field (its column is the mapping's header)
    value: Any          # the cell as the file holds it
    message: str


@dataclass
class ParticipantCells:
    nik: str | None = None
    nik_was_number: bool = False     # a JSON number accepted as its digits (the caller warns)
    name: str | None = None
    birth_date: dt.date | None = None
    birth_place: str | None = None   # tempat lahir (certificates)
    work_status: str | None = None   # STATUS PEKERJAAN at registration, as typed (the Enroller reads it)
    sex: str | None = None
    address: str | None = None
    kelurahan: str | None = None
    phone: str | None = None
    session: str | None = None
    skill: str | None = None
    ak1_number: str | None = None
    ak1_date: dt.date | None = None
    problems: list[CellIssue] = field(default_factory=list)
    warnings: list[CellIssue] = field(default_factory=list)


def clean_participant_row(row: Mapping[str, Any], mapping: Mapping[str, str], *, source: str = "text",
                          suspect_zeros: bool = False) -> ParticipantCells:
    """Clean one row. `mapping`: field -> the file's header (the map stage's);
    `source`: importing.values.nik_source(format); `suspect_zeros`: the NIK column looks
    Number-formatted (importing.values.suspect_number_column on its first rows)."""
    out = ParticipantCells()
    col = mapping.get

    def raw(f: str) -> Any:
        c = col(f)
        return None if c is None else row.get(c)

    try:
        out.nik, out.nik_was_number = nik_cell(raw("nik"), source=source, suspect_zeros=suspect_zeros)
    except ValidationError as e:
        out.problems.append(CellIssue("nik", e.value, str(e)))
    out.name = cell_text(raw("name"))
    for f in ("birth_date", "ak1_date"):
        if col(f):
            try:
                setattr(out, f, cell_date(raw(f), field=f))
            except ValidationError as e:
                out.problems.append(CellIssue(f, e.value, str(e)))
    if col("birth_place"):
        out.birth_place = cell_text(raw("birth_place"))
    if col("birth_place_date"):
        value = raw("birth_place_date")
        try:
            place, day = birth_place_date(value, field="birth_place_date")
        except ValidationError as e:
            out.problems.append(CellIssue("birth_place_date", value, str(e)))
        else:
            out.birth_place = out.birth_place or place
            if day is not None:
                if out.birth_date is None:
                    out.birth_date = day
                elif out.birth_date != day:
                    out.problems.append(CellIssue(
                        "birth_place_date", value,
                        f"the date of birth {day.isoformat()} disagrees with the {col('birth_date')} column "
                        f"({out.birth_date.isoformat()}); correct the one that is wrong."))
    out.sex = cell_text(raw("sex"))
    out.address = cell_text(raw("address"))
    if col("rt_rw"):
        out.address = address_with_rt_rw(out.address, raw("rt_rw"))
    out.kelurahan = cell_text(raw("kelurahan"))
    phone_raw = raw("phone")
    out.phone, warning = phone_cell(phone_raw)
    if warning:
        out.warnings.append(CellIssue("phone", phone_raw, warning))
    out.session = cell_text(raw("session"))
    out.skill = cell_text(raw("skill"))
    out.ak1_number = cell_text(raw("ak1_number"))
    out.work_status = cell_text(raw("work_status"))
    return out
