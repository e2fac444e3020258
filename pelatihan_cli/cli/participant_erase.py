"""`pelatihan participant erase NIK [--yes]`: the right to deletion (UU 27/2022)."""

from __future__ import annotations

from typing import Annotated

import typer

from pelatihan_cli.cli._common import FormatOption, OutputFormat, done, get_db
from pelatihan_cli.cli._guards import YesOption, confirm_or_fail
from pelatihan_cli.cli.participant import app


@app.command(name="erase")
def participant_erase(
    ctx: typer.Context,
    nik: Annotated[str, typer.Argument(help="Full NIK (16 digits) of the person whose data is erased.")],
    yes: YesOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Erase a participant's name, NIK, birth date, address, phone and AK1 number; report totals stay.
    They are first withdrawn from every session that is not done (the waitlist moves up)."""
    from pelatihan_cli.domain.privacy import mask_nik
    from pelatihan_cli.services import erasure

    db = get_db(ctx)
    person = erasure.find(db, nik)
    where = f" of {person.kelurahan}" if person.kelurahan else ""
    confirm_or_fail(
        yes, f"Erase the personal data of {person.name}{where} (NIK {mask_nik(person.nik)}, "
             f"{person.enrollments} enrollment(s) kept for the reports, withdrawn from sessions not done yet)? "
             "This cannot be undone",
        what=f"erasing the personal data of NIK {mask_nik(person.nik)} cannot be undone")
    result = erasure.erase(db, nik)
    withdrawn = ""
    if result["withdrawn_from"]:
        withdrawn = f" Withdrawn from session(s) {', '.join(map(str, result['withdrawn_from']))} (reason: erased)."
    message = (f"Erased the personal data of NIK {mask_nik(person.nik)}; kept kelurahan, sex, age band and "
               f"{result['enrollments_kept']} enrollment(s) for the reports.{withdrawn}")
    for p in result["promoted"]:
        message += f"\nPromoted {p['name']} from the waitlist to seat {p['seat']} of session {p['session_id']}."
    done(result, message, fmt, columns=["nik", "enrollments_kept", "withdrawn_from", "promoted"])
