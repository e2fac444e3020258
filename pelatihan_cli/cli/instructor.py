"""`pelatihan instructor`: instructors, their skills and booked days."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, Optional

import typer

from pelatihan_cli.cli._common import (
    FormatOption, NewOption, OutputFormat, ShowNikOption, done, emit, get_db, info, say, to_json,
)

app = typer.Typer(help="Add, update, list, show, import and remove instructors.", no_args_is_help=True)

COLUMNS = ["name", "phone", "skills", "sessions", "booked_days", "archived"]


@app.command(name="add")
def instructor_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Instructor's name, e.g. 'Siti Aminah'.")],
    skill: Annotated[List[str], typer.Option("--skill", "-S", help="A skill they teach; repeat for several.")],
    phone: Annotated[Optional[str], typer.Option("--phone", help="Mobile number, e.g. 0812-3456-7890.")] = None,
    new: NewOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Add an instructor who teaches one or more skills."""
    from pelatihan_cli.services import instructors

    r = instructors.add(get_db(ctx), name, skill, phone, allow_new=new)
    verb = "Restored archived" if r.get("restored") else "Added"
    done(r, f"{verb} instructor {r['name']} ({', '.join(r['skills'])}).", fmt)


@app.command(name="update")
def instructor_update(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Instructor's name.")],
    add_skill: Annotated[Optional[List[str]], typer.Option(
        "--add-skill", help="A skill they now teach; repeat for several.")] = None,
    remove_skill: Annotated[Optional[List[str]], typer.Option(
        "--remove-skill", help="A skill they no longer teach (refused while booked on a planned session of it).")] = None,
    phone: Annotated[Optional[str], typer.Option("--phone", help="New mobile number ('' clears it).")] = None,
    rename: Annotated[Optional[str], typer.Option("--rename", help="New name (must not be another instructor's).")] = None,
    tax_category: Annotated[Optional[str], typer.Option(
        "--tax-category", help="PPh 21 category: non-pns (default), no-npwp (no tax number) or pns.")] = None,
    golongan: Annotated[Optional[str], typer.Option("--golongan", help="A civil servant's golongan: I, II, III or IV.")] = None,
    bank_account: Annotated[Optional[str], typer.Option(
        "--bank-account", help="Bank and account number for payment by transfer ('' clears it).")] = None,
    new: NewOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Change an instructor's skills, phone, name, tax category or bank account."""
    from pelatihan_cli.services import instructors

    r = instructors.update(get_db(ctx), name, add_skills=add_skill or [], remove_skills=remove_skill or [],
                           phone=phone, rename=rename, allow_new=new, tax_category=tax_category, golongan=golongan,
                           bank_account=bank_account)
    obj = {k: r[k] for k in ("name", "old_name", "changed", "added", "removed", "skills", "new_skills")}
    if not r["changed"]:
        done(obj, f"Instructor {r['name']} already has these values; nothing changed.", fmt)
        return
    parts = []
    if "name" in r["changed"]:
        parts.append(f"renamed from {r['old_name']}")
    if r["added"]:
        parts.append(f"added {', '.join(r['added'])}")
    if r["removed"]:
        parts.append(f"removed {', '.join(r['removed'])}")
    if "phone" in r["changed"]:
        parts.append("phone changed")
    if "tax" in r["changed"]:
        parts.append("tax category changed")
    if "bank_account" in r["changed"]:
        parts.append("bank account changed")
    done(obj, f"Updated instructor {r['name']}: {'; '.join(parts)}. Skills: {', '.join(r['skills'])}.", fmt)


@app.command(name="list")
def instructor_list(
    ctx: typer.Context,
    skill: Annotated[Optional[str], typer.Option("--skill", "-S", help="Only instructors who teach this skill.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Also archived instructors (removed after teaching).")] = False,
    show_nik: ShowNikOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List instructors with their skills, planned or running sessions and booked days (phones masked)."""
    from pelatihan_cli.services import instructors

    rows = instructors.list_instructors(get_db(ctx), skill, show_phone=show_nik, include_archived=all_)
    emit(rows, fmt, columns=COLUMNS, title="Instructors",
         table_columns=COLUMNS if all_ else COLUMNS[:-1],
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
    if fmt is OutputFormat.csv:
        # one row: the instructor's fields, skills and booked days joined with '; '
        row = {k: data.get(k) for k in ("name", "phone", "skills", "tax_category", "golongan", "npwp",
                                        "bank_account", "archived")}
        row["booked_days"] = [f"{d['date']} session {d['session']} ({d['kelurahan']}, {d['skill']})"
                              for d in data["booked_days"]]
        emit([row], fmt)
        return
    if fmt is OutputFormat.table:
        info(f"{data['name']}  phone: {data['phone'] or '-'}  skills: {', '.join(data['skills']) or '-'}")
        golongan = f" golongan {data['golongan']}" if data["golongan"] else ""
        info(f"tax category: {data['tax_category']}{golongan}  bank account: {data['bank_account'] or '-'}")
        if data["archived"]:
            info(f"Archived on {data['archived']}: hidden from planning, kept on the sessions they taught.")
    emit(data["booked_days"], fmt, columns=["date", "session", "kelurahan", "skill"], title="Booked days",
         empty_message="No booked days.")


@app.command(name="remove")
def instructor_remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Instructor's name.")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Remove an instructor (refused while booked on a planned or running session); one who taught
    sessions that are done is archived instead: hidden from planning, kept on those sessions."""
    from pelatihan_cli.services import instructors

    r = instructors.remove(get_db(ctx), name)
    if fmt is OutputFormat.json:
        info(to_json(r))
    elif fmt is OutputFormat.csv:
        emit([r], fmt, columns=["name", "archived", "done_sessions"])
    elif r["archived"]:
        say(f"Archived instructor {r['name']}: kept on the {r['done_sessions']} done session(s) they taught, "
             "hidden from planning (`pelatihan instructor list --all` shows them).")
    else:
        say(f"Removed instructor {r['name']}.")


@app.command(name="import")
def instructor_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV, JSON or xlsx with columns name, skills (separated by ';'), phone.")],
    new: NewOption = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and print the counts; write nothing.")] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Import instructors, all or nothing; known instructors gain the skills listed."""
    from pelatihan_cli.services import instructors

    c = instructors.import_file(get_db(ctx), file, allow_new=new, dry_run=dry_run)
    new = f"; {c['new_skills']} new skill(s)" if c["new_skills"] else ""
    head, verb = ("Dry run, nothing written. ", "would be ") if dry_run else ("", "")
    done(c, f"{head}Read {c['read']} row(s): {c['added']} {verb}added, {c['updated']} {verb}updated, "
            f"{c['unchanged']} unchanged{new}.", fmt)
