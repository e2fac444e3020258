"""`pelatihan participant`: enroll, list, show, update, withdraw, move, ak1 (here);
import (participant_import.py) and erase (participant_erase.py) register themselves."""

from __future__ import annotations

import enum
from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import (
    FormatOption, OutputFormat, ShowNikOption, emit, get_db, info, print_table, to_json, warn,
)

app = typer.Typer(help="Participants: enroll, import, list, show, update, withdraw, move, AK1, erase.", no_args_is_help=True)


ENROLL_COLUMNS = ["nik", "session_id", "status", "position"]


class Status(str, enum.Enum):
    enrolled = "enrolled"
    waitlisted = "waitlisted"
    withdrawn = "withdrawn"


SessionArg = Annotated[int, typer.Argument(help="Session number (see `pelatihan session list`).", show_default=False)]
NikArg = Annotated[str, typer.Argument(help="NIK, 16 digits (spaces and dots allowed).", show_default=False)]
# the person's details, as enroll takes them and update corrects them
BirthDateOpt = Annotated[Optional[str], typer.Option("--birth-date", help="Birth date; must match the NIK (default: from the NIK).")]
SexOpt = Annotated[Optional[str], typer.Option("--sex", help="L/P; must match the NIK (default: from the NIK).")]
AddressOpt = Annotated[Optional[str], typer.Option("--address", help="Street address ('' clears it on update).")]
KelurahanOpt = Annotated[Optional[str], typer.Option("--kelurahan", help="Kelurahan of domicile (default: as stored, else the session's).")]
PhoneOpt = Annotated[Optional[str], typer.Option("--phone", help="Mobile number, e.g. 0812-3456-7890 ('' clears it on update).")]
AllowOutside = Annotated[bool, typer.Option("--allow-outside", help="Allow a person living in another kelurahan (recorded).")]
NoWaitlist = Annotated[bool, typer.Option("--no-waitlist", help="Refuse instead of waitlisting when the session is full.")]
AcceptMismatch = Annotated[bool, typer.Option(
    "--accept-nik-mismatch", help="Keep a birth date/sex that differs from the NIK's (recorded).")]


def _emit_result(obj: dict, message: str, fmt: OutputFormat, warnings: list[str]) -> None:
    for w in warnings:
        warn(w)
    if fmt is OutputFormat.json:
        info(to_json(obj))
    elif fmt is OutputFormat.csv:
        emit([obj], fmt, columns=list(obj))
    else:
        info(message)


def _enroll_obj(result, show_nik: bool) -> dict:
    from pelatihan_cli.domain.privacy import mask_nik

    return {"nik": result.nik if show_nik else mask_nik(result.nik), "session_id": result.session_id,
            "status": result.status, "position": result.position}


@app.command(name="enroll")
def participant_enroll(
    ctx: typer.Context,
    session_id: SessionArg,
    nik: Annotated[str, typer.Option("--nik", help="NIK, 16 digits as on the KTP/KK.", show_default=False)],
    name: Annotated[str, typer.Option("--name", help="Full name as on the KTP.", show_default=False)],
    birth_date: BirthDateOpt = None,
    sex: SexOpt = None,
    address: AddressOpt = None,
    kelurahan: KelurahanOpt = None,
    phone: PhoneOpt = None,
    allow_outside: AllowOutside = False,
    no_waitlist: NoWaitlist = False,
    accept_nik_mismatch: AcceptMismatch = False,
    show_nik: ShowNikOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Register (or update) a person and enroll them in a session, or waitlist them when it is full."""
    from pelatihan_cli.services import enrollment as svc

    person = svc.PersonInput(nik=nik, name=name, birth_date=birth_date, sex=sex, address=address,
                             kelurahan=kelurahan, phone=phone)
    opts = svc.EnrollOptions(allow_outside=allow_outside, no_waitlist=no_waitlist,
                             accept_nik_mismatch=accept_nik_mismatch)
    result = svc.enroll(get_db(ctx), session_id, person, opts)
    _emit_result(_enroll_obj(result, show_nik), result.message() + ".", fmt, result.warnings)


@app.command(name="withdraw")
def participant_withdraw(
    ctx: typer.Context,
    session_id: SessionArg,
    nik: NikArg,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why (kept with the enrollment).")] = None,
) -> None:
    """Withdraw a person from a session; the first person on the waitlist takes the seat."""
    from pelatihan_cli.services import enrollment as svc

    info(svc.withdraw(get_db(ctx), session_id, nik, reason).message())


@app.command(name="move")
def participant_move(
    ctx: typer.Context,
    nik: NikArg,
    to: Annotated[int, typer.Option("--to", help="Session to move to.", show_default=False)],
    from_session: Annotated[Optional[int], typer.Option("--from", help="Session to move from (when there are several).")] = None,
    allow_outside: AllowOutside = False,
    no_waitlist: NoWaitlist = False,
    show_nik: ShowNikOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Move a person's enrollment to another session under the same rules (age, domicile, capacity)."""
    from pelatihan_cli.services import enrollment as svc

    opts = svc.EnrollOptions(allow_outside=allow_outside, no_waitlist=no_waitlist)
    moved = svc.move(get_db(ctx), nik, to, opts, from_session=from_session)
    obj = {**_enroll_obj(moved.enrolled, show_nik), "from_session_id": moved.from_session_id}
    obj["status"] = moved.enrolled.enrollment_status
    _emit_result(obj, moved.message(), fmt, moved.enrolled.warnings)


@app.command(name="update")
def participant_update(
    ctx: typer.Context,
    nik: NikArg,
    name: Annotated[Optional[str], typer.Option("--name", help="Corrected name.")] = None,
    phone: PhoneOpt = None,
    address: AddressOpt = None,
    birth_date: BirthDateOpt = None,
    sex: SexOpt = None,
    kelurahan: KelurahanOpt = None,
    accept_nik_mismatch: AcceptMismatch = False,
    allow_outside: AllowOutside = False,
) -> None:
    """Correct a participant's record; every value is checked as at enrollment."""
    from pelatihan_cli.services import participants as svc

    result = svc.update(get_db(ctx), nik, name=name, phone=phone, address=address, birth_date=birth_date,
                        sex=sex, kelurahan=kelurahan, accept_nik_mismatch=accept_nik_mismatch,
                        allow_outside=allow_outside)
    for w in result.warnings:
        warn(w)
    info(result.message())


@app.command(name="ak1")
def participant_ak1(
    ctx: typer.Context,
    nik: NikArg,
    number: Annotated[str, typer.Option("--number", help="AK1 (kartu pencari kerja) number.", show_default=False)],
    date: Annotated[Optional[str], typer.Option("--date", help="Date the card was made (default: today).")] = None,
) -> None:
    """Record that a participant's AK1 card was made."""
    from pelatihan_cli.services import participants as svc

    r = svc.record_ak1(get_db(ctx), nik, number, date)
    info(f"Recorded AK1 {r['ak1_number']} of {r['ak1_date']} for {r['name']}.")


@app.command(name="list")
def participant_list(
    ctx: typer.Context,
    session: Annotated[Optional[int], typer.Option("--session", help="Only this session.")] = None,
    kelurahan: Annotated[Optional[str], typer.Option("--kelurahan", help="Only people living in this kelurahan.")] = None,
    status: Annotated[Optional[Status], typer.Option("--status", help="Only this enrollment status.")] = None,
    search: Annotated[Optional[str], typer.Option("--search", help="Part of a name or NIK.")] = None,
    show_nik: ShowNikOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List participants with their enrollments (NIK, phone and birth date masked)."""
    from pelatihan_cli.services import participants as svc

    rows = svc.list_participants(get_db(ctx), session_id=session, kelurahan=kelurahan,
                                 status=status.value if status else None, search=search, show_nik=show_nik)
    # the table leaves out the birth date (masked, and the age says what matters)
    emit(rows, fmt, columns=svc.LIST_COLUMNS, title="Participants",
         table_columns=[c for c in svc.LIST_COLUMNS if c != "birth_date"],
         headers={"nik": "NIK", "session_id": "Session", "ak1_number": "AK1", "position": "Pos"},
         empty_message="No participants match. Enroll with `pelatihan participant enroll SESSION --nik N --name NAME`.")


@app.command(name="show")
def participant_show(
    ctx: typer.Context,
    nik: NikArg,
    show_nik: ShowNikOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Show one participant and their enrollments."""
    from pelatihan_cli.services import participants as svc

    p = svc.show(get_db(ctx), nik, show_nik=show_nik)
    if fmt is OutputFormat.json:
        info(to_json(p))
        return
    if fmt is OutputFormat.csv:
        emit(p["enrollments"], fmt, columns=["session_id", "kelurahan", "skill", "start_date", "status",
                                             "position", "capacity", "outside_domicile", "withdraw_reason"])
        return
    for label, key in [("NIK", "nik"), ("Name", "name"), ("Sex", "sex_label"), ("Born", "birth_date"),
                       ("Age band", "age_band"), ("Kelurahan", "kelurahan"), ("Address", "address"),
                       ("Phone", "phone"), ("AK1", "ak1_number"), ("AK1 date", "ak1_date")]:
        info(f"{label + ':':<11}{p[key] if p[key] is not None else '-'}")
    if p["nik_mismatch_accepted"]:
        info("Note:      birth date/sex differ from the NIK (accepted with --accept-nik-mismatch)")
    if p["enrollments"]:
        print_table(p["enrollments"], ["session_id", "kelurahan", "skill", "start_date", "status", "position",
                                       "withdraw_reason"], headers={"session_id": "Session"}, title="Enrollments")
    else:
        info("No enrollments.")


# --- commands of the participant registry go above this line ---------------------------

from pelatihan_cli.cli import participant_erase, participant_import  # noqa: E402,F401  (registers commands)
