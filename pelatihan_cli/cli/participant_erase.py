"""`pelatihan participant erase NIK [--yes]`: the right to deletion (UU 27/2022)."""

from __future__ import annotations

from typing import Annotated

import typer

from pelatihan_cli.cli._common import get_db, info
from pelatihan_cli.cli.participant import app


@app.command(name="erase")
def participant_erase(
    ctx: typer.Context,
    nik: Annotated[str, typer.Argument(help="Full NIK (16 digits) of the person whose data is erased.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a participant's name, NIK, birth date, address, phone and AK1 number; report totals stay."""
    from pelatihan_cli.domain.privacy import mask_nik
    from pelatihan_cli.services import erasure

    db = get_db(ctx)
    if not yes:
        person = erasure.find(db, nik)
        where = f" of {person.kelurahan}" if person.kelurahan else ""
        typer.confirm(
            f"Erase the personal data of {person.name}{where} (NIK {mask_nik(person.nik)}, "
            f"{person.enrollments} enrollment(s) kept for the reports)? This cannot be undone",
            abort=True,
        )
    result = erasure.erase(db, nik)
    info(
        f"Erased the personal data of NIK {nik}; kept kelurahan, sex, age band and "
        f"{result['enrollments_kept']} enrollment(s) for the reports."
    )
