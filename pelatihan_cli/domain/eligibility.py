"""The programme's enrollment rules as pure functions (no database).

Each refusal names the rule and the values involved. The services gather the facts
(session, settings, the person's other enrollments, counts), call these, then write;
the schema enforces capacity and one-active-per-year again for concurrent writers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pelatihan_cli.domain.dates import age_on
from pelatihan_cli.domain.nik import Nik
from pelatihan_cli.errors import Conflict, ValidationError

ENROLLED = "enrolled"
WAITLISTED = "waitlisted"
WITHDRAWN = "withdrawn"
ACTIVE = (ENROLLED, WAITLISTED)


class Note(str):
    """A warning: its text, and the field and value it is about (so an import can report
    it with the row's column and cell)."""

    field: str | None = None
    value: object = None

    def __new__(cls, text: str, field: str | None = None, value: object = None) -> "Note":
        note = super().__new__(cls, text)
        note.field = field
        note.value = value
        return note


@dataclass(frozen=True)
class SessionFacts:
    """What the rules need to know about a session."""

    id: int
    kelurahan_id: int
    kelurahan: str
    skill: str
    first_day: dt.date
    capacity: int
    status: str = "planned"
    programme_year: int | None = None   # the year of the session's programme
    programme: str = ""                  # its name
    last_day: dt.date | None = None      # its last training day (None: unknown, as the first)

    @property
    def year(self) -> int:
        """The year of the one-training-per-person rule: the programme's year."""
        return self.programme_year if self.programme_year is not None else self.first_day.year

    @property
    def label(self) -> str:
        """'session 12 (Bendan Kergon · Merajut)'"""
        return f"session {self.id} ({self.kelurahan} · {self.skill})"


def check_session_open(session: SessionFacts, today: dt.date) -> list[str]:
    """Refuse a cancelled session; a session already started, or even done, is allowed with
    a warning (operators enter paper records afterwards). Returns the warnings."""
    if session.status == "cancelled":
        raise ValidationError(
            f"{session.label[0].upper()}{session.label[1:]} is cancelled; nobody can enroll in it. "
            "Choose another session (`pelatihan session list`).",
            field="session", value=session.id,
        )
    if is_done(session, today):
        return [Note(f"{session.label} is done (its last day was {session.last_day.isoformat()}); "
                     "recording a late enrollment from the paper records (recorded).", "session", session.id)]
    if session.first_day < today:
        return [Note(f"{session.label} started on {session.first_day.isoformat()}; "
                     "recording the enrollment afterwards.", "session", session.id)]
    return []


def is_done(session: SessionFacts, today: dt.date) -> bool:
    """Whether the session's last day has passed (an enrollment now is a late record)."""
    return session.status != "cancelled" and session.last_day is not None and session.last_day < today


def check_nik_agreement(nik: Nik, birth_date: dt.date | None, sex: str | None, *,
                        accept_mismatch: bool = False, nik_text: object = None,
                        birth_text: object = None, sex_text: object = None,
                        flag: str = "--accept-nik-mismatch") -> tuple[dt.date, str, list[str]]:
    """The birth date and sex to store: taken from the NIK when omitted; when given they
    must agree with it unless the mismatch is accepted. Returns (birth, sex, warnings).
    `flag`: the option that accepts it, as the operator types it (an import names the row)."""
    shown = nik_text if nik_text is not None else nik.value
    warnings: list[str] = []
    if birth_date is not None and birth_date != nik.birth_date:
        given = birth_text if birth_text is not None else birth_date.isoformat()
        msg = f"Birth date {given} does not match NIK {shown!r}, which encodes {nik.birth_date.isoformat()}"
        if not accept_mismatch:
            raise ValidationError(msg + "; the usual cause is a typo in one of them. Fix it, or pass "
                                  f"{flag} if the KTP really differs (it is recorded).",
                                  field="birth_date", value=given, override="accept_nik_mismatch")
        warnings.append(Note(msg + f"; accepted ({flag}, recorded).", "birth_date", given))
    if sex is not None and sex != nik.sex:
        msg = (f"Sex {sex_text if sex_text is not None else sex!s} does not match NIK {shown!r}, which encodes "
               f"{'P (day + 40)' if nik.sex == 'P' else 'L'}")
        if not accept_mismatch:
            raise ValidationError(msg + f"; the usual cause is a typo. Fix it, or pass {flag} "
                                  "if the KTP really differs (it is recorded).", field="sex",
                                  value=sex_text if sex_text is not None else sex, override="accept_nik_mismatch")
        warnings.append(Note(msg + f"; accepted ({flag}, recorded).", "sex", sex_text if sex_text is not None else sex))
    return (birth_date or nik.birth_date), (sex or nik.sex), warnings


def check_age(birth: dt.date, session: SessionFacts, age_min: int, age_max: int, *,
              field: str = "birth_date", value: object = None) -> int:
    """Age on the session's first day must be within [age_min, age_max]. Returns the age."""
    age = age_on(birth, session.first_day)
    if not age_min <= age <= age_max:
        raise ValidationError(
            f"Age rule: born {birth.isoformat()}, the person is {age} on the first day of {session.label} "
            f"({session.first_day.isoformat()}); participants must be {age_min} to {age_max} "
            "(settings age_min/age_max, see `pelatihan config list`).",
            field=field, value=value if value is not None else birth.isoformat(),
        )
    return age


def check_domicile(domicile_id: int, domicile_name: str, session: SessionFacts, *,
                   allow_outside: bool = False, value: object = None, flag: str = "--allow-outside") -> bool:
    """The domicile kelurahan must be the session's, unless allowed (recorded).
    Returns True when the enrollment is outside the domicile."""
    if domicile_id == session.kelurahan_id:
        return False
    if not allow_outside:
        raise ValidationError(
            f"Domicile rule: the person lives in {domicile_name}, but {session.label} is for residents of "
            f"{session.kelurahan}. Choose a session in {domicile_name}, or pass {flag} (it is recorded).",
            field="kelurahan", value=value if value is not None else domicile_name, override="allow_outside",
        )
    return True


def check_same_person(stored_name: str | None, name: str, *, nik_text: object, accept: bool = False,
                      flag: str = "--accept-name-change") -> bool:
    """A NIK is one person: a row whose name is not the stored person's (domain.names.
    same_person_name: titles, degrees, spelling and a shorter form allowed) is refused,
    naming both and the ways forward, unless the change is accepted (recorded).
    Returns True when an accepted change of name lets it through."""
    from pelatihan_cli.domain.names import same_person_name

    if stored_name is None or same_person_name(stored_name, name):
        return False
    if accept:
        return True
    raise ValidationError(
        f"Identity: NIK {nik_text!s} is registered to {stored_name!r}, not {name!r}. If the NIK is right and "
        f"the name was corrected, run `pelatihan participant update {nik_text!s} --name \"{name}\"` first or "
        f"pass {flag} (recorded); otherwise the NIK on this row is someone else's: check it against the KTP.",
        field="name", value=name, override="accept_name_change")


def check_one_per_year(active_other: list[tuple[int, str]], session: SessionFacts, *, who: str) -> None:
    """At most one active (enrollment or waitlisted) enrollment per person per programme year,
    across programmes. `active_other`: (session_id, label) of the person's other active
    enrollments in that year, first one first; the label names its programme."""
    if active_other:
        _, label = active_other[0]
        raise Conflict(
            f"One training per year: {who} is already in {label} in {session.year}; "
            f"cannot also join {session.label}. Withdraw them there first, or use "
            "`pelatihan participant move`."
        )


def check_rejoin(status: str | None, session: SessionFacts, *, allowed: bool, nik_text: object) -> None:
    """A person withdrawn from this session comes back only when the operator says so for
    them (`participant enroll`, `allowed`): a list that still names them (an import) would
    otherwise take back the withdrawal and its reason without a word."""
    if status == WITHDRAWN and not allowed:
        raise ValidationError(
            f"NIK {nik_text!r} was withdrawn from {session.label}; a list does not take back a withdrawal. "
            f"If they are coming back, enroll them: `pelatihan participant enroll {session.id} {nik_text}` "
            "(at the end of the queue); otherwise take the row out of the list.",
            field="nik", value=nik_text)


def seat_decision(enrolled: int, session: SessionFacts, *, no_waitlist: bool = False) -> str:
    """'enrolled' below capacity; when full 'waitlisted', or refused with no_waitlist."""
    if enrolled < session.capacity:
        return ENROLLED
    if no_waitlist:
        raise Conflict(
            f"Capacity: {session.label} is full ({enrolled} of {session.capacity} seats) and --no-waitlist "
            "was given; nothing was saved. Drop --no-waitlist to put the person on the waitlist."
        )
    return WAITLISTED
