"""`pelatihan skill`: the skills instructors teach and sessions train."""

from __future__ import annotations

import typer

from pelatihan_cli.cli._common import FormatOption, OutputFormat, emit, get_db

app = typer.Typer(help="List skills (kept once each, matched ignoring case and spaces).", no_args_is_help=True)


@app.callback()
def _skill_group() -> None:
    # keeps `skill list` a sub-command: a Typer app with one command and no callback
    # would run that command as `pelatihan skill`
    pass


@app.command(name="list")
def skill_list(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """List skills with how many instructors teach them and how many sessions are planned."""
    from pelatihan_cli.services import skills

    emit(skills.list_skills(get_db(ctx)), fmt, columns=["name", "instructors", "sessions"], title="Skills",
         empty_message="No skills yet. They are added with `pelatihan instructor add NAME --skill S` "
                       "or `pelatihan session plan`.")
