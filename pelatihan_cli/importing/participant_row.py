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
from collections.abc import Callable, Mapping
from typing import Any

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
    return participant_row_cleaner(mapping, source=source, suspect_zeros=suspect_zeros)(row)


def participant_row_cleaner(mapping: Mapping[str, str], *, source: str = "text", suspect_zeros: bool = False,
                            ) -> Callable[[Mapping[str, Any]], ParticipantCells]:
    """`clean_participant_row` for many rows of one file: the columns are looked up once."""
    col = mapping.get
    c_nik, c_name, c_sex, c_address, c_kel, c_phone = (col(f) for f in ("nik", "name", "sex", "address",
                                                                          "kelurahan", "phone"))
    c_dates = [(f, col(f)) for f in ("birth_date", "ak1_date") if col(f)]
    c_place, c_place_date, c_rt_rw = col("birth_place"), col("birth_place_date"), col("rt_rw")
    # the other texts, cleaned as they are: (attribute, column)
    c_texts = [(f, col(f)) for f in ("session", "skill", "ak1_number", "work_status") if col(f)]
    birth_header = col("birth_date")

    def clean(row: Mapping[str, Any]) -> ParticipantCells:
        out = ParticipantCells()
        get = row.get
        try:
            out.nik, out.nik_was_number = nik_cell(get(c_nik) if c_nik else None, source=source,
                                                   suspect_zeros=suspect_zeros)
        except ValidationError as e:
            out.problems.append(CellIssue("nik", e.value, str(e)))
        if c_name:
            out.name = cell_text(get(c_name))
        for f, c in c_dates:
            try:
                setattr(out, f, cell_date(get(c), field=f))
            except ValidationError as e:
                out.problems.append(CellIssue(f, e.value, str(e)))
        if c_place:
            out.birth_place = cell_text(get(c_place))
        if c_place_date:
            value = get(c_place_date)
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
                            f"the date of birth {day.isoformat()} disagrees with the {birth_header} column "
                            f"({out.birth_date.isoformat()}); correct the one that is wrong."))
        if c_sex:
            out.sex = cell_text(get(c_sex))
        if c_address:
            out.address = cell_text(get(c_address))
        if c_rt_rw:
            out.address = address_with_rt_rw(out.address, get(c_rt_rw))
        if c_kel:
            out.kelurahan = cell_text(get(c_kel))
        phone_raw = get(c_phone) if c_phone else None
        out.phone, warning = phone_cell(phone_raw)
        if warning:
            out.warnings.append(CellIssue("phone", phone_raw, warning))
        for f, c in c_texts:
            setattr(out, f, cell_text(get(c)))
        return out

    return clean
