"""`pelatihan skill`: the skills instructors teach and sessions train; corrections
(rename, merge, remove) are commands of their own, each audited."""

from __future__ import annotations

from typing import Annotated

import typer

from pelatihan_cli.cli._common import FormatOption, OutputFormat, YesOption, done, emit, get_db

app = typer.Typer(help="List, rename, merge and remove skills (kept once each, matched ignoring case and spaces).",
                  no_args_is_help=True)


def _done(obj: dict, message: str, fmt: OutputFormat) -> None:
    done(obj, message, fmt)


@app.command(name="list")
def skill_list(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """List skills with how many instructors teach them and how many sessions are planned."""
    from pelatihan_cli.services import skills

    emit(skills.list_skills(get_db(ctx)), fmt, columns=["name", "instructors", "sessions"], title="Skills",
         empty_message="No skills yet. They are added with `pelatihan instructor add NAME --skill S` "
                       "or `pelatihan session plan`.")


@app.command(name="rename")
def skill_rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The skill's current name.", show_default=False)],
    new: Annotated[str, typer.Argument(help="The corrected name.", show_default=False)],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Correct a skill's name; its sessions and instructors keep it."""
    from pelatihan_cli.services import skills

    r = skills.rename(get_db(ctx), old, new)
    msg = f"Renamed skill {r['old_name']} to {r['skill']}." if r["changed"] else \
        f"Skill {r['skill']} already has this name; nothing changed."
    _done(r, msg, fmt)


@app.command(name="merge")
def skill_merge(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="FROM", help="The skill to merge away (e.g. a typo).",
                                          show_default=False)],
    into: Annotated[str, typer.Argument(metavar="INTO", help="The skill that stays.", show_default=False)],
    yes: YesOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Move every session and instructor of FROM to INTO, then remove FROM."""
    from pelatihan_cli.cli._guards import confirm_or_fail
    from pelatihan_cli.services import skills

    db = get_db(ctx)
    src, dst = skills.resolve(db, source), skills.resolve(db, into)
    confirm_or_fail(yes, f"Merge skill {src.name!r} into {dst.name!r} (this removes {src.name!r})?",
                    what=f"merging skill {src.name!r} into {dst.name!r} removes {src.name!r}")
    r = skills.merge(db, source, into)
    already = f" ({r['instructors_already']} already taught {r['skill']})" if r["instructors_already"] else ""
    _done(r, f"Merged skill {r['merged']} into {r['skill']}: {r['sessions']} session(s), "
             f"{r['instructors']} instructor(s) moved{already}.", fmt)


@app.command(name="remove")
def skill_remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Skill name.", show_default=False)],
    yes: YesOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Remove a skill that no session or instructor uses."""
    from pelatihan_cli.cli._guards import confirm_or_fail
    from pelatihan_cli.services import skills

    db = get_db(ctx)
    skill = skills.removable(db, name)
    confirm_or_fail(yes, f"Remove skill {skill.name!r}?", what=f"removing skill {skill.name!r} cannot be undone")
    r = skills.remove(db, name)
    _done(r, f"Removed skill {r['skill']}.", fmt)
