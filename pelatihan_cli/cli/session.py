"""`pelatihan session`: plan, list, show, move, update, cancel, import and auto-plan sessions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, Optional

import typer

from pelatihan_cli.cli import _complete
from pelatihan_cli.cli._common import (
    FormatOption, NewOption, OutputFormat, ProgrammeOption, done, emit, get_db, info, programme_for, result, say, to_json,
    warn, day_words, WideOption,
)
from pelatihan_cli.cli._guards import YesOption, confirm_or_fail

app = typer.Typer(help="Plan sessions (one skill track in one kelurahan over N working days) and list them.",
                  no_args_is_help=True)

COLUMNS = ["id", "programme", "kelurahan", "kecamatan", "skill", "days", "capacity", "enrolled", "waitlisted", "venue",
           "instructors", "status"]
TABLE_COLUMNS = ["id", "kelurahan", "skill", "dates", "seats", "waitlisted", "instructors", "status"]

StartOption = Annotated[str, typer.Option("--start", callback=day_words, help="First training day, e.g. 2024-07-02.")]
DaysOption = Annotated[int, typer.Option("--days", help="Number of training days (working days).")]
CapacityOption = Annotated[int, typer.Option("--capacity", help="Places in the session.")]
WeekendsOption = Annotated[bool, typer.Option("--weekends", help="Let Saturdays and Sundays count as training days.")]


def _summary(s: dict) -> str:
    days = ", ".join(s["days"])
    who = f", instructor(s): {', '.join(s['instructors'])}" if s["instructors"] else ""
    return f"session {s['id']}: {s['kelurahan']}, {s['skill']}, {days}, capacity {s['capacity']}{who}"


def _emit_sessions(rows: list[dict], fmt: OutputFormat, title: str, empty: str, wide: bool = False) -> None:
    if fmt is OutputFormat.table:
        # a table for people: compact dates and seats, so it reads in 80 columns
        from pelatihan_cli.domain.dates import format_days_compact

        rows = [{**r, "dates": format_days_compact(r["days"]), "seats": f"{r['enrolled']}/{r['capacity']}"}
                for r in rows]
    emit(rows, fmt, columns=COLUMNS, table_columns=TABLE_COLUMNS, title=title, empty_message=empty,
         headers={"waitlisted": "Wait"}, drop=["waitlisted", "instructors", "status"], wide=wide)


@app.command(name="plan")
def session_plan(
    ctx: typer.Context,
    kelurahan: Annotated[str, typer.Argument(help="Kelurahan name (or code).", autocompletion=_complete.kelurahan)],
    skill: Annotated[str, typer.Option("--skill", "-S", help="The skill taught, e.g. Merajut.",
                                       autocompletion=_complete.skill)],
    start: StartOption,
    days: DaysOption = 2,
    capacity: CapacityOption = 20,
    venue: Annotated[Optional[str], typer.Option("--venue", help="Where it takes place.")] = None,
    instructor: Annotated[Optional[List[str]], typer.Option("--instructor", "-i", help="Instructor; repeat for several.",
                                                            autocompletion=_complete.instructor)] = None,
    weekends: WeekendsOption = False,
    any_skill: Annotated[bool, typer.Option("--any-skill", help="Allow instructors who do not teach the skill.")] = False,
    programme: Annotated[Optional[str], typer.Option(
        "--programme", "-p", help="Programme (name, year or id); default: the one whose window covers the days, "
                                  "created for the year when there is none.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Plan more than 5 years ahead.")] = False,
    new: NewOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Plan a session on the first N working days from --start; prints the new session's id.

    Examples:

      pelatihan session plan "Bendan Kergon" --skill Merajut --start 2025-07-07 -i "Siti Aminah"
    """
    from pelatihan_cli.services import sessions

    r = sessions.plan_checked(get_db(ctx), kelurahan, skill, start, days=days, capacity=capacity, venue=venue,
                              instructors=instructor or [], weekends=weekends, any_skill=any_skill,
                              programme=programme, allow_new=new, force=force)
    s = r["session"]
    if fmt is OutputFormat.json:
        result(to_json(s))
    elif fmt is OutputFormat.csv:
        emit([s], fmt, columns=COLUMNS)
    else:
        result(s["id"])  # `id=$(pelatihan session plan ...)` captures only the id
        say("Planned " + _summary(s) + ".")
    for w in r["warnings"]:
        warn(w)


@app.command(name="list")
def session_list(
    ctx: typer.Context,
    date: Annotated[Optional[str], typer.Option("--date", callback=day_words, help="Only sessions training on this day (or today, besok).")] = None,
    start: Annotated[Optional[str], typer.Option("--from", callback=day_words, help="Only sessions with a training day from this day.")] = None,
    end: Annotated[Optional[str], typer.Option("--to", callback=day_words, help="Only sessions with a training day up to this day.")] = None,
    kelurahan: Annotated[Optional[str], typer.Option("--kelurahan", "-k", help="Only this kelurahan.")] = None,
    kecamatan: Annotated[Optional[str], typer.Option("--kecamatan", "-K", help="Only this kecamatan.")] = None,
    kabupaten: Annotated[Optional[str], typer.Option(
        "--kabupaten", help="Only this kabupaten/kota, e.g. 'Kota Semarang'.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="planned, running, done or cancelled.")] = None,
    programme: ProgrammeOption = None,
    all_programmes: Annotated[bool, typer.Option("--all-programmes", help="Sessions of every programme.")] = False,
    wide: WideOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List sessions by first training day: those of one programme (--programme, default the
    current one); with --date/--from/--to, every programme's unless --programme is given.

    Examples:

      pelatihan session list --programme 2024 --status done

      pelatihan session list --date 2024-07-02 --all-programmes
    """
    from pelatihan_cli.services import sessions

    db = get_db(ctx)
    by_dates = date is not None or start is not None or end is not None
    chosen = None if all_programmes or (by_dates and not programme) else programme_for(db, programme, fmt)
    rows = sessions.list_sessions(db, date=date, start=start, end=end, kelurahan=kelurahan, status=status,
                                  programme_id=chosen.id if chosen else None, kecamatan=kecamatan, kabupaten=kabupaten)
    title = f"Sessions · {chosen.name}" if chosen else "Sessions"
    _emit_sessions(rows, fmt, title, "No sessions match. Plan one with `pelatihan session plan`.", wide)


@app.command(name="show")
def session_show(
    ctx: typer.Context,
    session_id: Annotated[str, typer.Argument(help="Session id (see `session list`).")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show one session in full."""
    from pelatihan_cli.services import sessions

    s = sessions.show_session(get_db(ctx), session_id)
    if fmt is OutputFormat.json:
        info(to_json(s))
        return
    if fmt is OutputFormat.csv:
        emit([s], fmt, columns=list(s))
        return
    from pelatihan_cli.domain.dates import format_long_id
    import datetime as dt

    for key in ["id", "kelurahan", "kecamatan", "skill", "capacity", "enrolled", "waitlisted", "venue", "status"]:
        info(f"{key.capitalize() + ':':12} {'-' if s[key] is None else s[key]}")
    info(f"{'Instructors:':12} {', '.join(s['instructors']) or '-'}")
    for i, d in enumerate(s["days"], start=1):
        info(f"{'Day ' + str(i) + ':':12} {d} ({format_long_id(dt.date.fromisoformat(d))})")
    if s["cancel_reason"]:
        info(f"{'Reason:':12} {s['cancel_reason']}")


@app.command(name="move")
def session_move(
    ctx: typer.Context,
    session_id: Annotated[str, typer.Argument(help="Session id.")],
    start: StartOption,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Move a planned session to new days from --start (calendar, instructor clashes and the
    age rule for everyone enrolled or waitlisted re-checked); refused once it is done or has attendance."""
    from pelatihan_cli.services import sessions

    s = sessions.move(get_db(ctx), session_id, start)
    _emit_one(s, fmt, "Moved")


def _emit_one(s: dict, fmt: OutputFormat, verb: str, *, columns: list[str] | None = None) -> None:
    if fmt is OutputFormat.json:
        result(to_json(s))
    elif fmt is OutputFormat.csv:
        emit([s], fmt, columns=columns or COLUMNS)
    else:
        say(f"{verb} " + _summary(s) + ".")


@app.command(name="update")
def session_update(
    ctx: typer.Context,
    session_id: Annotated[str, typer.Argument(help="Session id.")],
    capacity: Annotated[Optional[int], typer.Option(
        "--capacity", help="New number of places; new seats go to the waitlist, first come first served.")] = None,
    venue: Annotated[Optional[str], typer.Option("--venue", help="New venue ('' clears it).")] = None,
    instructor: Annotated[Optional[List[str]], typer.Option(
        "--instructor", "-i", help="Replace the instructors; repeat for several, '' for none.")] = None,
    any_skill: Annotated[bool, typer.Option("--any-skill", help="Allow instructors who do not teach the skill.")] = False,
    programme: Annotated[Optional[str], typer.Option(
        "--programme", "-p", help="Move the session to this programme (only without attendance).")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Change a planned session's capacity, venue, instructors or programme (clashes re-checked).
    A done session keeps its capacity; its venue and instructors can still be corrected.

    Examples:

      pelatihan session update 12 --capacity 25

      pelatihan session update 12 --programme "PKW 2025"
    """
    from pelatihan_cli.services import sessions

    r = sessions.update(get_db(ctx), session_id, capacity=capacity, venue=venue, instructors=instructor,
                        any_skill=any_skill, programme=programme)
    if fmt is not OutputFormat.table:
        _emit_one(r["session"], fmt, "Updated")
        for w in r.get("warnings", []):
            warn(w)
        return
    if not r["changed"]:
        say(f"Session {r['session']['id']} already has these values; nothing changed.")
        return
    _emit_one(r["session"], fmt, f"Updated {' and '.join(r['changed'])} of")
    for p in r["promoted"]:
        say(f"Promoted {p.name} from the waitlist to seat {p.seat}.")
    for w in r.get("warnings", []):
        warn(w)


@app.command(name="cancel")
def session_cancel(
    ctx: typer.Context,
    session_id: Annotated[str, typer.Argument(help="Session id.")],
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why it is cancelled (kept for the record).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Cancel even a session with attendance recorded (its completions stop counting).")] = False,
    yes: YesOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Cancel a session: its instructors are freed, its enrollments kept as history (the people may
    take another training that year). Asks first; refused with attendance unless --force.

    Examples:

      pelatihan session cancel 12 --reason "venue flooded" --yes
    """
    from pelatihan_cli.services import sessions

    db = get_db(ctx)
    s = sessions.get_session(db, session_id)
    confirm_or_fail(yes, f"Cancel session {s['id']} ({s['kelurahan']}, {s['skill']}, {s['enrolled']} enrolled)?",
                    what=f"cancelling session {s['id']} frees its instructors and seats")
    s = sessions.cancel(db, session_id, reason, force=force)
    if fmt is not OutputFormat.table:
        _emit_one(s, fmt, "Cancelled", columns=[*COLUMNS, "enrollments_kept", "attendance_marks"])
        return
    say(f"Cancelled session {s['id']} ({s['kelurahan']}, {s['skill']}).")
    if s["enrollments_kept"]:
        say(f"Its {s['enrolled']} enrolled and {s['waitlisted']} waitlisted people stay on its record as "
             "cancelled (not their training of the year: they may join another session); "
             f"`pelatihan session reopen {s['id']}` restores it.")
    if s["attendance_marks"]:
        say(f"Its {s['attendance_marks']} attendance mark(s) are kept but no longer count.")


@app.command(name="reopen")
def session_reopen(
    ctx: typer.Context,
    session_id: Annotated[str, typer.Argument(help="Id of a cancelled session.")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Restore a cancelled session with its kept enrollments, when its days and instructors are still
    free and nobody kept has since joined another training that year (conflicts are listed).

    Examples:

      pelatihan session reopen 12
    """
    from pelatihan_cli.services import sessions

    s = sessions.reopen(get_db(ctx), session_id)
    if fmt is not OutputFormat.table:
        _emit_one(s, fmt, "Reopened", columns=[*COLUMNS, "enrollments_restored", "instructor_days"])
        return
    say(f"Reopened {_summary(s)}; {s['enrollments_restored']} enrollment(s) active again.")


@app.command(name="import")
def session_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV, JSON or xlsx: kelurahan, skill, start, days, capacity, venue, "
                                              "instructor (several separated by ';').")],
    any_skill: Annotated[bool, typer.Option("--any-skill", help="Allow instructors who do not teach the skill.")] = False,
    weekends: WeekendsOption = False,
    programme: Annotated[Optional[str], typer.Option(
        "--programme", "-p", help="Programme of every row (default: the one covering each row's days).")] = None,
    new: NewOption = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and print the counts; write nothing.")] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Plan sessions from a file with the rules of `plan`, all or nothing; rows already planned are unchanged."""
    from pelatihan_cli.services import sessions

    c = sessions.import_file(get_db(ctx), file, any_skill=any_skill, weekends=weekends, programme=programme,
                            allow_new=new, dry_run=dry_run)
    head, verb = ("Dry run, nothing written. ", "would be planned") if dry_run else ("", "planned")
    done({k: c[k] for k in ("read", "planned", "unchanged", "ids", "warnings", "dry_run")},
         f"{head}Read {c['read']} row(s): {c['planned']} session(s) {verb}, {c['unchanged']} unchanged.", fmt)
    for w in c["warnings"]:
        warn(w)


@app.command(name="auto-plan")
def session_auto_plan(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from", help="First day of the window, e.g. 2024-07-01.")],
    end: Annotated[str, typer.Option("--to", help="Last day of the window, e.g. 2024-08-27.")],
    requests: Annotated[Path, typer.Option("--requests", help="CSV, JSON or xlsx with kelurahan,skill[,capacity][,venue].")],
    days: DaysOption = 2,
    capacity: CapacityOption = 20,
    max_per_day: Annotated[int, typer.Option("--max-per-day", help="At most this many kelurahan events on one day.")] = 1,
    weekends: WeekendsOption = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan, write nothing.")] = False,
    venue: Annotated[Optional[str], typer.Option(
        "--venue", help="Venue of every planned session, {kelurahan} is replaced by its name, e.g. "
                        "'Aula Kelurahan {kelurahan}'; a request's own venue column wins.")] = None,
    programme: Annotated[Optional[str], typer.Option(
        "--programme", "-p", help="Programme to plan (default: the one covering the window, created for its "
                                  "year when there is none); only its sessions count as already planned.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Plan every requested kelurahan and skill that has no session yet in the programme, in the window.

    Examples:

      pelatihan session auto-plan --from 2025-07-01 --to 2025-08-29 --requests data/programme_2025.csv
    """
    from pelatihan_cli.services import autoplan

    r = autoplan.auto_plan(get_db(ctx), start, end, requests, days=days, capacity=capacity,
                           max_per_day=max_per_day, weekends=weekends, dry_run=dry_run, venue=venue,
                           programme=programme)
    title = "Auto-plan (dry run: nothing written)" if dry_run else "Auto-plan"
    _emit_sessions(r["sessions"], fmt, title, "Nothing to plan: every request already has a session in this programme.")
    if fmt is OutputFormat.table:
        verb = "Would plan" if dry_run else "Planned"
        info(f"{verb} {len(r['sessions'])} session(s) for {r['events']} kelurahan; "
             f"{r['already_planned']} of {r['requests']} request(s) already had a session in {r['programme']}.")
    for w in r["warnings"]:
        warn(w)
