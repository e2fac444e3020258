"""`pelatihan participant`: enroll, list, show, update, withdraw, move, ak1 (here);
import (participant_import.py) and erase (participant_erase.py) register themselves."""

from __future__ import annotations

import enum
from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import (
    FormatOption, OutputFormat, ShowNikOption, done, emit, get_db, info, print_table, to_json, warn,
    WideOption,
)
from pelatihan_cli.cli._guards import YesOption, confirm_or_fail

app = typer.Typer(help="Participants: enroll, import, list, show, update, withdraw, move, AK1, erase.", no_args_is_help=True)


ENROLL_COLUMNS = ["nik", "session_id", "status", "position"]


class Status(str, enum.Enum):
    enrolled = "enrolled"
    waitlisted = "waitlisted"
    withdrawn = "withdrawn"
    cancelled = "cancelled"


def _complete_session(ctx, incomplete):
    from pelatihan_cli.cli import _complete

    return _complete.session(ctx, incomplete)


SessionArg = Annotated[str, typer.Argument(metavar="SESSION", help="Session number (see `pelatihan session list`).",
                                           show_default=False, autocompletion=_complete_session)]
NikArg = Annotated[str, typer.Argument(help="NIK, 16 digits (spaces and dots allowed).", show_default=False)]


def _digits(text: str) -> str:
    return "".join(ch for ch in str(text) if ch not in " .-")


def _looks_like_nik(text: str) -> bool:
    d = _digits(text)
    return d.isdigit() and len(d) >= 12


def _session_nik(command: str, session: str, nik: str) -> tuple[str, str]:
    """SESSION NIK, the order of every command on an enrollment; swapped arguments are a
    usage mistake named as such (never 'no session 3375...')."""
    if _looks_like_nik(session) and not _looks_like_nik(nik):
        from pelatihan_cli.domain.privacy import mask_nik

        raise typer.BadParameter(
            f"{mask_nik(_digits(session))} is a NIK, not a session: the order is SESSION NIK, e.g. "
            f"`pelatihan participant {command} {nik} {mask_nik(_digits(session))}`.", param_hint="SESSION")
    text = str(session).strip().lstrip("#")
    if not text.isdigit():
        raise typer.BadParameter(f"{session!r} is not a session number; see `pelatihan session list`.",
                                 param_hint="SESSION")
    return int(text), nik
# the person's details, as enroll takes them and update corrects them
BirthDateOpt = Annotated[Optional[str], typer.Option("--birth-date", help="Birth date; must match the NIK (default: from the NIK).")]
SexOpt = Annotated[Optional[str], typer.Option("--sex", help="L/P; must match the NIK (default: from the NIK).")]
AddressOpt = Annotated[Optional[str], typer.Option("--address", help="Street address ('' clears it on update).")]
KelurahanOpt = Annotated[Optional[str], typer.Option("--kelurahan", "-k", help="Kelurahan of domicile (default: as stored, else the session's).")]
PhoneOpt = Annotated[Optional[str], typer.Option("--phone", help="Mobile number, e.g. 0812-3456-7890 ('' clears it on update).")]
BirthPlaceOpt = Annotated[Optional[str], typer.Option(
    "--birth-place", help="Place of birth (tempat lahir), printed on certificates ('' clears it on update).")]
WorkStatusOpt = Annotated[Optional[str], typer.Option(
    "--work-status", help="Work status at registration: employed/bekerja, self-employed/wirausaha, "
                          "seeking/belum bekerja, studying/melanjutkan ('' clears it on update).")]
AllowOutside = Annotated[bool, typer.Option("--allow-outside", help="Allow a person living in another kelurahan (recorded).")]
NoWaitlist = Annotated[bool, typer.Option("--no-waitlist", help="Refuse instead of waitlisting when the session is full.")]
AcceptMismatch = Annotated[bool, typer.Option(
    "--accept-nik-mismatch", help="Keep a birth date/sex that differs from the NIK's (recorded).")]
AcceptNameChange = Annotated[bool, typer.Option(
    "--accept-name-change", help="The NIK is registered under another person's name: store this name (recorded).")]


def _emit_result(obj: dict, message: str, fmt: OutputFormat, warnings: list[str]) -> None:
    for w in warnings:
        warn(w)
    done(obj, message, fmt)


def _enroll_obj(result, show_nik: bool) -> dict:
    from pelatihan_cli.domain.privacy import mask_nik

    return {"nik": result.nik if show_nik else mask_nik(result.nik), "session_id": result.session_id,
            "status": result.status, "position": result.position}


@app.command(name="enroll")
def participant_enroll(
    ctx: typer.Context,
    session_id: SessionArg,
    nik: Annotated[Optional[str], typer.Argument(help="NIK, 16 digits as on the KTP/KK.", show_default=False)] = None,
    name: Annotated[str, typer.Option("--name", help="Full name as on the KTP.", show_default=False)] = ...,
    nik_option: Annotated[Optional[str], typer.Option(
        "--nik", hidden=True, help="Deprecated: give the NIK after the session.")] = None,
    birth_date: BirthDateOpt = None,
    sex: SexOpt = None,
    address: AddressOpt = None,
    kelurahan: KelurahanOpt = None,
    phone: PhoneOpt = None,
    birth_place: BirthPlaceOpt = None,
    work_status: WorkStatusOpt = None,
    allow_outside: AllowOutside = False,
    no_waitlist: NoWaitlist = False,
    accept_nik_mismatch: AcceptMismatch = False,
    accept_name_change: AcceptNameChange = False,
    show_nik: ShowNikOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Register (or update) a person and enroll them in a session, or waitlist them when it is full.
    A NIK registered under another person's name is refused (see --accept-name-change).

    Examples:

      pelatihan participant enroll 12 3375014107900001 --name "Siti Aminah" --phone 0812-3456-7890
    """
    from pelatihan_cli.services import enrollment as svc

    if nik_option is not None:
        if nik is not None:
            raise typer.BadParameter("give the NIK once, after the session (--nik is the old form).",
                                     param_hint="--nik")
        warn("'participant enroll SESSION --nik NIK' is deprecated; write 'participant enroll SESSION NIK'.")
        nik = nik_option
    if nik is None:
        raise typer.BadParameter("give the NIK after the session: participant enroll SESSION NIK --name NAME.",
                                 param_hint="NIK")
    session_id, nik = _session_nik("enroll", session_id, nik)
    person = svc.PersonInput(nik=nik, name=name, birth_date=birth_date, sex=sex, address=address,
                             kelurahan=kelurahan, phone=phone, birth_place=birth_place, work_status=work_status)
    opts = svc.EnrollOptions(allow_outside=allow_outside, no_waitlist=no_waitlist,
                             accept_nik_mismatch=accept_nik_mismatch, accept_name_change=accept_name_change)
    result = svc.enroll(get_db(ctx), session_id, person, opts)
    _emit_result(_enroll_obj(result, show_nik), result.message() + ".", fmt, result.warnings)


ForceOption = Annotated[bool, typer.Option(
    "--force", help="Also when the person attended a day there (their attendance stays recorded and counted; "
                    "asks first, --yes for scripts).")]


def _promoted(promoted, session_id: int) -> list[dict]:
    from pelatihan_cli.domain.privacy import mask_nik

    return [{"session_id": session_id, "nik": mask_nik(p.nik), "name": p.name, "seat": p.seat} for p in promoted]


@app.command(name="withdraw")
def participant_withdraw(
    ctx: typer.Context,
    session_id: SessionArg,
    nik: NikArg,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why (kept with the enrollment).")] = None,
    force: ForceOption = False,
    yes: YesOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Withdraw a person from a session; the first person on the waitlist takes the seat.
    Refused when they attended a day there, unless --force."""
    from pelatihan_cli.domain.privacy import mask_nik
    from pelatihan_cli.services import enrollment as svc

    session_id, nik = _session_nik("withdraw", session_id, nik)
    if force:
        confirm_or_fail(yes, f"Withdraw NIK {mask_nik(nik)} from session {session_id} even if they attended?",
                        what="--force withdraws someone who attended")
    r = svc.withdraw(get_db(ctx), session_id, nik, reason, force=force)
    obj = {"nik": mask_nik(r.nik), "session_id": r.session_id, "previous_status": r.previous_status,
           "status": "withdrawn", "attended": f"{r.attended}/{r.days}" if r.days else None,
           "completed": r.completed, "promoted": _promoted(r.promoted, r.session_id)}
    _emit_result(obj, r.message(), fmt, [])


@app.command(name="move")
def participant_move(
    ctx: typer.Context,
    session_id: SessionArg,
    nik: Annotated[Optional[str], typer.Argument(help="NIK, 16 digits (spaces and dots allowed).",
                                                 show_default=False)] = None,
    to: Annotated[int, typer.Option("--to", help="Session to move to.", show_default=False)] = ...,
    from_session: Annotated[Optional[int], typer.Option(
        "--from", hidden=True, help="Deprecated: the session to move from is the first argument.")] = None,
    allow_outside: AllowOutside = False,
    no_waitlist: NoWaitlist = False,
    force: ForceOption = False,
    yes: YesOption = False,
    show_nik: ShowNikOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Move a person's enrollment from SESSION to the session --to under the same rules (age,
    domicile, capacity). Refused when they attended a day of the old session, unless --force.

    Examples:

      pelatihan participant move 12 3375010207900002 --to 15
    """
    from pelatihan_cli.domain.privacy import mask_nik
    from pelatihan_cli.services import enrollment as svc

    if nik is None:
        if not _looks_like_nik(session_id):
            raise typer.BadParameter("give the session and the NIK: participant move SESSION NIK --to SESSION2.",
                                     param_hint="NIK")
        warn("'participant move NIK --to SESSION' is deprecated; write 'participant move SESSION NIK --to SESSION2'.")
        nik = session_id
    else:
        session_id, nik = _session_nik("move", session_id, nik)
        if from_session is not None and str(from_session) != str(session_id).strip():
            raise typer.BadParameter(f"--from {from_session} and SESSION {session_id} differ; give SESSION only.",
                                     param_hint="--from")
        from_session = session_id
    if force:
        confirm_or_fail(yes, f"Move NIK {mask_nik(nik)} to session {to} even if they attended their session?",
                        what="--force moves someone who attended")
    opts = svc.EnrollOptions(allow_outside=allow_outside, no_waitlist=no_waitlist)
    moved = svc.move(get_db(ctx), nik, to, opts, from_session=from_session, force=force)
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
    birth_place: BirthPlaceOpt = None,
    work_status: WorkStatusOpt = None,
    bank_account: Annotated[Optional[str], typer.Option(
        "--bank-account", help="Bank and account number, for offices that pay allowances by transfer "
                               "(printed on receipt lists with --bank; '' clears it).")] = None,
    accept_nik_mismatch: AcceptMismatch = False,
    allow_outside: AllowOutside = False,
    new_nik: Annotated[Optional[str], typer.Option(
        "--new-nik", help="Corrected NIK (checked; refused if registered: see `participant merge`).")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Correct a participant's record; every value is checked as at enrollment."""
    from pelatihan_cli.services import participants as svc

    result = svc.update(get_db(ctx), nik, name=name, phone=phone, address=address, birth_date=birth_date,
                        sex=sex, kelurahan=kelurahan, accept_nik_mismatch=accept_nik_mismatch,
                        allow_outside=allow_outside, new_nik=new_nik, birth_place=birth_place,
                        work_status=work_status, bank_account=bank_account)
    _emit_result({"name": result.name, "changed": result.changed}, result.message(), fmt, result.warnings)


@app.command(name="merge")
def participant_merge(
    ctx: typer.Context,
    keep: Annotated[str, typer.Argument(metavar="KEEP_NIK", help="NIK of the record that stays.", show_default=False)],
    other: Annotated[str, typer.Argument(metavar="OTHER_NIK", help="NIK of the duplicate record.", show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (for scripts).")] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Merge two records of one person: OTHER's enrollments, attendance and AK1 cards move to KEEP."""
    from pelatihan_cli.cli._guards import confirm_or_fail
    from pelatihan_cli.services import merge as svc

    db = get_db(ctx)
    p = svc.preview(db, keep, other)
    diffs = "; ".join(f"{d['field']} {d['keep']!r} (kept) vs {d['other']!r}" for d in p["differences"])
    what = f"merging {other} into {keep} removes the record of {other}" + (f" ({diffs})" if diffs else "")
    confirm_or_fail(yes, what[0].upper() + what[1:] + ". Merge?", what=what)
    r = svc.merge(db, keep, other)
    _emit_result(r, f"Merged {r['merged']} into {r['keep']} ({r['name']}): {r['enrollments']} enrollment(s), "
                    f"{r['attendance']} attendance mark(s), {r['ak1_cards']} AK1 card(s) moved.", fmt, [])


@app.command(name="ak1")
def participant_ak1(
    ctx: typer.Context,
    nik: NikArg,
    number: Annotated[Optional[str], typer.Option("--number", help="AK1 (kartu pencari kerja) number as printed.")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Date the card was issued (default: today).")] = None,
    replace: Annotated[Optional[str], typer.Option(
        "--replace", help="Number of a card to correct: replaced by --number.")] = None,
    remove: Annotated[Optional[str], typer.Option("--remove", help="Number of a card to remove (a mistake).")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Record a person's AK1 card (a renewal is a new number), or correct one with --replace/--remove."""
    from pelatihan_cli.services import ak1

    r = ak1.record(get_db(ctx), nik, number, date, replace=replace, remove=remove)
    obj = {k: r[k] for k in ("status", "number", "issued_on", "removed")}
    messages = {
        "added": f"Recorded AK1 {r['number']} of {r['issued_on']} for {r['name']}.",
        "replaced": f"Replaced AK1 {r['removed']} by {r['number']} of {r['issued_on']} for {r['name']}.",
        "removed": f"Removed AK1 {r['removed']} of {r['name']}.",
        "updated": f"Recorded the issue date {r['issued_on']} of AK1 {r['number']} for {r['name']}.",
        "unchanged": f"{r['name']} already holds AK1 {r['number']}; nothing changed.",
    }
    _emit_result(obj, messages[r["status"]], fmt, [])


@app.command(name="list")
def participant_list(
    ctx: typer.Context,
    session: Annotated[Optional[int], typer.Option("--session", "-s", help="Only this session.")] = None,
    kelurahan: Annotated[Optional[str], typer.Option("--kelurahan", "-k", help="Only people living in this kelurahan.")] = None,
    status: Annotated[Optional[Status], typer.Option("--status", help="Only this enrollment status.")] = None,
    search: Annotated[Optional[str], typer.Option("--search", help="Part of a name or NIK.")] = None,
    programme: Annotated[Optional[str], typer.Option(
        "--programme", "-p", help="Only enrollments in this programme (name, year or id); default: everyone.")] = None,
    show_nik: ShowNikOption = False,
    wide: WideOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List participants with their enrollments (NIK, phone and birth date masked).

    Examples:

      pelatihan participant list --session 12

      pelatihan participant list --programme 2025 --status waitlisted --format csv
    """
    from pelatihan_cli.services import participants as svc

    db = get_db(ctx)
    chosen = None
    if programme:
        from pelatihan_cli.services.programmes import resolve

        chosen = resolve(db, programme)
    rows = svc.list_participants(db, session_id=session, kelurahan=kelurahan,
                                 status=status.value if status else None, search=search, show_nik=show_nik,
                                 programme_id=chosen.id if chosen else None)
    # the table leaves out the birth date (masked, and the age says what matters)
    emit(rows, fmt, columns=svc.LIST_COLUMNS, title=f"Participants · {chosen.name}" if chosen else "Participants",
         table_columns=[c for c in svc.LIST_COLUMNS if c not in ("birth_date", "completed", "programme")],
         headers={"nik": "NIK", "session_id": "Sesi", "ak1_number": "AK1", "position": "Pos", "attended": "Days"},
         drop=["ak1_number", "position", "attended", "sex", "age", "kelurahan", "session_id"], wide=wide,
         empty_message="No participants match. Enroll with `pelatihan participant enroll SESSION NIK --name NAME`.")


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
        # one row: the person's fields, their AK1 cards and enrollments joined with '; '
        row = {k: p[k] for k in ("nik", "name", "sex", "birth_date", "birth_place", "age_band", "address",
                                 "kelurahan", "phone", "work_status", "bank_account", "ak1_number", "ak1_date",
                                 "nik_mismatch_accepted", "created_at", "updated_at")}
        row["ak1_cards"] = [f"{c['number']} ({c['issued_on'] or 'date unknown'})" for c in p.get("ak1_cards") or []]
        row["enrollments"] = [f"session {e['session_id']} {e['kelurahan']} {e['skill']} {e['start_date']}: "
                              f"{e['status']}" + (f", attended {e['attended']}" if e.get("attended") else "")
                              + (f", {e['record']}" if e.get("record") else "") for e in p["enrollments"]]
        emit([row], fmt)
        return
    for label, key in [("NIK", "nik"), ("Name", "name"), ("Sex", "sex_label"), ("Born", "birth_date"),
                       ("Born in", "birth_place"), ("Age band", "age_band"), ("Kelurahan", "kelurahan"),
                       ("Address", "address"), ("Phone", "phone"), ("Work", "work_status"),
                       ("Bank acct", "bank_account")]:
        info(f"{label + ':':<11}{p[key] if p[key] is not None else '-'}")
    cards = p.get("ak1_cards") or []
    info(f"{'AK1:':<11}" + ("; ".join(f"{c['number']} ({c['issued_on'] or 'date unknown'})"
                                      + (" [also recorded for another person]" if c["legacy_duplicate"] else "")
                                      for c in cards) or "-"))
    for c in cards:
        if c.get("hint"):
            info(f"Note:      AK1 {c['number']}: {c['hint']}")
    if p["nik_mismatch_accepted"]:
        info("Note:      birth date/sex differ from the NIK (accepted with --accept-nik-mismatch)")
    if p["enrollments"]:
        print_table(p["enrollments"], ["session_id", "kelurahan", "skill", "start_date", "status", "position",
                                       "attended", "record", "withdraw_reason"],
                    headers={"session_id": "Session", "withdraw_reason": "Reason"}, title="Enrollments")
    else:
        info("No enrollments.")


# --- commands of the participant registry go above this line ---------------------------

from pelatihan_cli.cli import participant_erase, participant_import  # noqa: E402,F401  (registers commands)
