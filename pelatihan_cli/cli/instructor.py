"""`pelatihan instructor`: instructors, their skills and booked days."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, Optional

import typer

from pelatihan_cli.cli._common import FormatOption, OutputFormat, ShowNikOption, emit, get_db, info, to_json

app = typer.Typer(help="Add, list, show, import and remove instructors.", no_args_is_help=True)

COLUMNS = ["name", "phone", "skills", "sessions", "booked_days"]


@app.command(name="add")
def instructor_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Instructor's name, e.g. 'Siti Aminah'.")],
    skill: Annotated[List[str], typer.Option("--skill", "-s", help="A skill they teach; repeat for several.")],
    phone: Annotated[Optional[str], typer.Option("--phone", help="Mobile number, e.g. 0812-3456-7890.")] = None,
) -> None:
    """Add an instructor who teaches one or more skills."""
    from pelatihan_cli.services import instructors

    r = instructors.add(get_db(ctx), name, skill, phone)
    info(f"Added instructor {r['name']} ({', '.join(r['skills'])}).")


@app.command(name="list")
def instructor_list(
    ctx: typer.Context,
    skill: Annotated[Optional[str], typer.Option("--skill", "-s", help="Only instructors who teach this skill.")] = None,
    show_nik: ShowNikOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List instructors with their skills, planned sessions and booked days (phones masked)."""
    from pelatihan_cli.services import instructors

    rows = instructors.list_instructors(get_db(ctx), skill, show_phone=show_nik)
    emit(rows, fmt, columns=COLUMNS, title="Instructors",
         empty_message="No instructors yet. Add them with `pelatihan instructor add` or `pelatihan instructor import`.")


@app.command(name="show")
def instructor_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Instructor's name.")],
    show_nik: ShowNikOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show an instructor's skills and booked days."""
    from pelatihan_cli.services import instructors

    data = instructors.show(get_db(ctx), name, show_phone=show_nik)
    if fmt is OutputFormat.json:
        info(to_json(data))
        return
    if fmt is OutputFormat.table:
        info(f"{data['name']}  phone: {data['phone'] or '-'}  skills: {', '.join(data['skills']) or '-'}")
    emit(data["booked_days"], fmt, columns=["date", "session", "kelurahan", "skill"], title="Booked days",
         empty_message="No booked days.")


@app.command(name="remove")
def instructor_remove(ctx: typer.Context, name: Annotated[str, typer.Argument(help="Instructor's name.")]) -> None:
    """Remove an instructor (refused while they are booked on a planned session)."""
    from pelatihan_cli.services import instructors

    r = instructors.remove(get_db(ctx), name)
    info(f"Removed instructor {r['name']}.")


@app.command(name="import")
def instructor_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV, JSON or xlsx with columns name, skills (separated by ';'), phone.")],
) -> None:
    """Import instructors, all or nothing; known instructors gain the skills listed."""
    from pelatihan_cli.services import instructors

    c = instructors.import_file(get_db(ctx), file)
    new = f"; {c['new_skills']} new skill(s)" if c["new_skills"] else ""
    info(f"Read {c['read']} row(s): {c['added']} added, {c['updated']} updated, {c['unchanged']} unchanged{new}.")
