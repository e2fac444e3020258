"""`pelatihan report waitlist|attendance|contacts|no-shows`: the office's printouts of a
session (registered on cli/report.py's app). Each prints a table, CSV or JSON, or writes a
PDF or xlsx in Indonesian with the roster's letterhead and signature block.
`report schedule` (report_schedule.py) writes its PDF/xlsx through the same helpers."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import ProgrammeOption, ShowNikOption, get_db, print_table, programme_for
from pelatihan_cli.cli._documents import DocFormat, ForceOption
from pelatihan_cli.cli._printouts import (
    PRINTED, OutputOption, PrintFormatOption, SessionArg, complete_session, document_settings, plan_output, today,
    write_printout, write_rows,
)
from pelatihan_cli.cli.report import app


def _heading(s: dict) -> str:
    return f"Session {s['id']}: {s['skill']}, {s['kelurahan']} ({s['kecamatan']})"


@app.command(name="waitlist")
def report_waitlist(
    ctx: typer.Context,
    session: SessionArg,
    fmt: PrintFormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    show_nik: ShowNikOption = False,
) -> None:
    """A session's waitlist in order (Daftar Tunggu), to replace no-shows.

    Whom to call, first to last, when an enrolled person does not come. NIK and phone are
    masked unless --show-nik (logged).

    Examples:

      pelatihan report waitlist 7

      pelatihan report waitlist 7 -f pdf -o daftar-tunggu-7.pdf --show-nik
    """
    from pelatihan_cli.services import printouts

    fmt, output = plan_output(fmt, output, f"waitlist-{session}", force)
    db = get_db(ctx)
    data = printouts.waitlist(db, session, show_nik=show_nik)
    s, rows = data["session"], data["rows"]
    if fmt in PRINTED:
        from pelatihan_cli.render.printouts import waitlist_doc

        doc = waitlist_doc(s, rows, document_settings(db, s["programme_id"]), sign_on=today())
        write_printout(fmt, output, [doc], f"the waitlist of session {s['id']}", f"{len(rows)} person(s)")
        return
    write_rows(fmt, output, rows, printouts.WAITLIST_KEYS, "person(s)",
               table_columns=["position", "name", "nik", "sex", "phone", "kelurahan", "waitlisted_on"],
               headers={"position": "#", "nik": "NIK", "sex": "L/P", "waitlisted_on": "Since"},
               title=f"Waitlist · {_heading(s)}", empty_message=f"Nobody is waitlisted in session {s['id']}.")


@app.command(name="attendance")
def report_attendance(
    ctx: typer.Context,
    session: SessionArg,
    fmt: PrintFormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    show_nik: ShowNikOption = False,
) -> None:
    """A session's rekap kehadiran: present per day, for meals and allowances.

    Each person, present per day (✓ present, - absent, empty not marked), and the people
    present per day. Someone who withdrew after attending keeps the days they came (as in
    the receipts). NIK masked unless --show-nik (logged).

    Examples:

      pelatihan report attendance 7

      pelatihan report attendance 7 -f xlsx -o rekap-kehadiran-7.xlsx
    """
    from pelatihan_cli.services import printouts

    fmt, output = plan_output(fmt, output, f"attendance-{session}", force)
    db = get_db(ctx)
    data = printouts.attendance(db, session, show_nik=show_nik)
    s, rows, totals = data["session"], data["rows"], data["totals"]
    if fmt in PRINTED:
        from pelatihan_cli.render.printouts import attendance_doc

        doc = attendance_doc(s, rows, totals, document_settings(db, s["programme_id"]), sign_on=today())
        write_printout(fmt, output, [doc], f"the rekap kehadiran of session {s['id']}", f"{len(rows)} person(s)")
        return
    columns = printouts.attendance_keys(len(s["days"]))
    if fmt is not DocFormat.table or not rows:
        write_rows(fmt, output, rows, columns, "person(s)",
                   empty_message=f"Nobody is enrolled in session {s['id']}.")
        return
    days = range(1, len(s["days"]) + 1)
    shown = [{**r, "name": r["name"] or "(erased)", "status": "withdrawn" if r["status"] == "withdrawn" else "",
              **{f"day_{d}": "✓" if r[f"day_{d}"] is True else ("-" if r[f"day_{d}"] is False else "") for d in days}}
             for r in rows]
    # day and month only (DD/MM, as dates are written here): the days fit before the NIK has to go
    headers = {f"day_{d}": f"Day {d}\n{s['days'][d - 1][8:10]}/{s['days'][d - 1][5:7]}" for d in days}
    done = sum(r["completed"] for r in rows)
    print_table(shown, ["no", "name", "nik", *headers, "present_days", "status"],
                headers={**headers, "no": "No", "nik": "NIK", "present_days": "Days", "status": "Note"},
                title=f"Rekap kehadiran · {_heading(s)}",
                caption="Present per day: " + ", ".join(f"day {d}: {totals[d - 1]}" for d in days)
                        + f"; {done} of {len(rows)} completed", drop=["status", "nik"])


@app.command(name="contacts")
def report_contacts(
    ctx: typer.Context,
    session: Annotated[Optional[str], typer.Argument(
        metavar="SESSION", help="Session number; without it: every session of --programme.",
        show_default=False, autocompletion=complete_session)] = None,
    programme: ProgrammeOption = None,
    fmt: PrintFormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    show_nik: ShowNikOption = False,
) -> None:
    """A contact list for WhatsApp reminders (Daftar Kontak), of a session or programme.

    The people enrolled and waitlisted, with phone and a https://wa.me/62… link. A link
    holds the whole number, so full numbers and links are shown only with --show-nik
    (logged); otherwise the phone is masked and there is no link.

    Examples:

      pelatihan report contacts 7 --show-nik -f xlsx -o kontak-7.xlsx

      pelatihan report contacts --programme 2024 -f csv
    """
    from pelatihan_cli.services import printouts

    if session is not None and programme:
        raise typer.BadParameter("give a SESSION or --programme, not both.", param_hint="--programme")
    fmt, output = plan_output(fmt, output, f"contacts-{session or programme or 'programme'}", force)
    db = get_db(ctx)
    chosen = None
    if session is None:
        chosen = programme_for(db, programme, "json" if fmt is not DocFormat.table else None, required=True)
    data = printouts.contacts(db, session_id=session, programme_id=chosen.id if chosen else None, show_nik=show_nik)
    s, rows = data["session"], data["rows"]
    if fmt in PRINTED:
        from pelatihan_cli.render.printouts import contacts_doc

        doc = contacts_doc(s, rows, document_settings(db, s["programme_id"] if s else chosen.id),
                           programme=chosen.name if chosen else "", sign_on=today(), shown_in_full=show_nik)
        write_printout(fmt, output, [doc], "the contact list", f"{len(rows)} person(s)")
        return
    where = _heading(s) if s else chosen.name
    table_columns = ["no", "name", "status", "phone", *(["wa_link"] if show_nik else [])]
    if s is None:
        table_columns[1:1] = ["session_id", "kelurahan", "skill"]
    write_rows(fmt, output, rows, printouts.CONTACT_KEYS, "person(s)", table_columns=table_columns,
               headers={"no": "No", "session_id": "Session", "wa_link": "WhatsApp"}, title=f"Contacts · {where}",
               drop=["skill", "kelurahan", "status"],
               empty_message="Nobody is enrolled or waitlisted" + (f" in session {s['id']}." if s else " yet."))


@app.command(name="no-shows")
def report_no_shows(
    ctx: typer.Context,
    session: SessionArg,
    day: Annotated[Optional[int], typer.Option(
        "--day", help="Training day number (1, 2, ...); default: absent on every day so far.",
        show_default=False)] = None,
    fmt: PrintFormatOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    show_nik: ShowNikOption = False,
) -> None:
    """The people enrolled in a session who did not come (Daftar Peserta Tidak Hadir).

    Absent or not marked on --day N, or on every training day so far. NIK and phone masked
    unless --show-nik (logged).

    Examples:

      pelatihan report no-shows 7 --day 1

      pelatihan report no-shows 7 -f pdf -o tidak-hadir-7.pdf
    """
    from pelatihan_cli.services import printouts

    stem = f"no-shows-{session}" + (f"-day-{day}" if day is not None else "")
    fmt, output = plan_output(fmt, output, stem, force)
    db = get_db(ctx)
    data = printouts.no_shows(db, session, day=day, show_nik=show_nik)
    s, rows, looked = data["session"], data["rows"], data["days"]
    if fmt in PRINTED:
        from pelatihan_cli.render.printouts import no_shows_doc

        doc = no_shows_doc(s, looked, rows, document_settings(db, s["programme_id"]), sign_on=today(),
                           one_day=day is not None)
        write_printout(fmt, output, [doc], f"the no-shows of session {s['id']}", f"{len(rows)} person(s)")
        return
    when = f"day {day}" if day is not None else "every day so far (" + ", ".join(map(str, looked)) + ")"
    write_rows(fmt, output, rows, printouts.NO_SHOW_KEYS, "person(s)",
               table_columns=["no", "name", "nik", "phone", "kelurahan", "absent_days", "unmarked_days"],
               headers={"no": "No", "nik": "NIK", "absent_days": "Absent", "unmarked_days": "Not marked"},
               title=f"No-shows on {when} · {_heading(s)}", drop=["kelurahan"],
               empty_message=f"Everyone enrolled in session {s['id']} came on {when}.")
