"""Enrollment: create or update a participant and put them in a session, under every rule.

`Enroller` is the one implementation of the rules; `participant enroll` uses it for one
person (`enroll`) and the batch importer for chunks of rows (`enroll_many`); both go
through the same `_check_person` and `_decide`, which call domain/eligibility.py. It
caches sessions, settings and kelurahan, and validates a person completely before writing
anything for them. It must run inside `write_transaction(db)`: BEGIN IMMEDIATE takes the
write lock first, so the seat counts and records it keeps in memory cannot change under
it. The schema enforces capacity (trigger 'session full') and one active enrollment per
person per year again; when it refuses a batch write, the chunk is replayed one by one.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field, replace

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.domain import eligibility as rules
from pelatihan_cli.domain import lifecycle, twins
from pelatihan_cli.domain.dates import parse_date
from pelatihan_cli.domain.eligibility import ACTIVE, ENROLLED, WAITLISTED, WITHDRAWN, Note, SessionFacts
from pelatihan_cli.domain.names import person_name_key
from pelatihan_cli.domain.privacy import mask_nik
from pelatihan_cli.domain.nik import Nik, clean_nik, parse_nik, region_warning
from pelatihan_cli.domain.person import age_band, age_on, clean_person_name, clean_text, parse_sex
from pelatihan_cli.domain.phone import parse_phone
from pelatihan_cli.errors import Conflict, NotFound, PelatihanError, ValidationError, no_session
from pelatihan_cli.region_codes import nik_regions
from pelatihan_cli.services import ak1 as ak1_cards
from pelatihan_cli.services import audit, clock, settings

AK1_MAX = 40


@dataclass
class PersonInput:
    nik: str                 # as typed (spaces/dots allowed)
    name: str
    birth_date: dt.date | None = None
    sex: str | None = None   # L/P, Laki-laki/Perempuan, M/F, male/female, any case
    address: str | None = None
    kelurahan: str | None = None   # domicile as typed; default: stored domicile, else the session's
    phone: str | None = None
    ak1_number: str | None = None
    ak1_date: dt.date | None = None
    birth_place: str | None = None   # tempat lahir, printed on certificates
    work_status: str | None = None   # at registration: employed, self-employed, seeking, studying (or Indonesian)


@dataclass
class EnrollOptions:
    allow_outside: bool = False
    no_waitlist: bool = False
    accept_nik_mismatch: bool = False
    accept_name_change: bool = False
    #: an import's row: refusals then name the row's own option (--allow-outside-for 12)
    override_for: str | None = None
    #: a person withdrawn from the session comes back (at the end of the queue); an import
    #: sets False: a list naming them again does not take back their withdrawal
    rejoin: bool = True

    def flag(self, option: str) -> str:
        """How the operator accepts this: '--allow-outside', or '--allow-outside-for 12'."""
        return option if self.override_for is None else f"{option}-for {self.override_for}"


@dataclass
class EnrollResult:
    nik: str
    session_id: int
    status: str              # 'enrolled' | 'waitlisted' | 'unchanged' | 'updated'
    position: int | None     # seat when enrolled, waitlist position when waitlisted
    capacity: int
    warnings: list[str] = field(default_factory=list)
    name: str = ""
    session_label: str = ""
    enrollment_status: str = ""   # the stored status: 'enrolled' or 'waitlisted'
    participant_created: bool = False
    outside_domicile: bool = False
    nik_mismatch_accepted: bool = False
    late_record: bool = False     # the session was done: a late enrollment from paper records
    name_change_accepted: bool = False   # the NIK's stored name was another person's name: accepted
    previous_name: str | None = None     # the stored name, when the name changed

    def message(self) -> str:
        """The one line shown to the operator."""
        if self.enrollment_status == ENROLLED:
            where = f"in {self.session_label}, seat {self.position} of {self.capacity}"
        else:
            where = f"on the waitlist of {self.session_label}, position {self.position}"
        if self.status == "enrolled":
            return f"Enrolled {self.name} in {self.session_label}, seat {self.position} of {self.capacity}"
        if self.status == "waitlisted":
            return f"Waitlisted {self.name} for {self.session_label}, position {self.position}"
        if self.status == "updated":
            return f"Updated the details of {self.name}, already {where}"
        return f"{self.name} is already {where}; nothing changed"


@dataclass(slots=True)
class _Stored:
    id: int
    name: str
    birth_date: str | None
    sex: str
    address: str | None
    kelurahan_id: int | None
    phone: str | None
    ak1_number: str | None
    ak1_date: str | None
    nik_mismatch_accepted: int
    age_band: str | None
    birth_place: str | None = None
    work_status: str | None = None


_SESSION_SQL = """
    SELECT s.id, s.kelurahan_id, k.name, sk.name, s.start_date, s.capacity, s.status,
           (SELECT min(d.date) FROM session_day d WHERE d.session_id = s.id), p.year, p.name,
           (SELECT max(d.date) FROM session_day d WHERE d.session_id = s.id)
    FROM session s JOIN kelurahan k ON k.id = s.kelurahan_id JOIN skill sk ON sk.id = s.skill_id
    JOIN programme p ON p.id = s.programme_id
"""


def session_facts(db: Database, session_id: object) -> SessionFacts:
    """The session as the rules see it (read straight from the schema)."""
    try:
        sid = int(str(session_id).strip())
    except ValueError:
        raise ValidationError(f"Session {session_id!r} is not a session number; see `pelatihan session list`.",
                              field="session", value=session_id) from None
    row = db.conn.execute(_SESSION_SQL + "WHERE s.id = ?", [sid]).fetchone()
    if row is None:
        raise NotFound(no_session(sid))
    return _session_facts(row)


def _session_facts(row: tuple) -> SessionFacts:
    first = dt.date.fromisoformat(row[7] or row[4])
    return SessionFacts(id=row[0], kelurahan_id=row[1], kelurahan=row[2], skill=row[3], first_day=first,
                        capacity=row[5], status=row[6], programme_year=row[8], programme=row[9],
                        last_day=dt.date.fromisoformat(row[10]) if row[10] else None)


def _as_date(value: object, field_name: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value, field=field_name)


def _chosen(session) -> int:
    """A batch item's session: an id, or a function choosing one when the item's turn comes."""
    return session() if callable(session) else session


def _twin_note(twin: tuple[str, str], birth_iso: str, typed: str) -> Note:
    """The possible-duplicate warning: a new NIK whose name and birth date are a stored person's."""
    return Note(f"possible duplicate: {twin[1]!r}, born {birth_iso}, is registered with NIK "
                f"{mask_nik(twin[0])}; if they are one person, one NIK is wrong (correct it with "
                "`pelatihan participant update NIK --new-nik`, or `pelatihan participant merge`).",
                "nik", typed)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(slots=True)
class _Checked:
    """A person's input after the checks that need no database (NIK, name, dates, sex,
    phone, free text, agreement with the NIK)."""

    nik: Nik
    name: str
    birth_in: dt.date | None
    sex_in: str | None
    phone: str | None
    address: str | None
    ak1_number: str | None
    ak1_date: dt.date | None
    birth: dt.date
    sex: str
    mismatch: list[str]
    region: str | None       # the NIK's regency or kecamatan code is in no Kemendagri list


@dataclass(slots=True)
class _Plan:
    """What one enrollment decided: the result, and the writes it needs."""

    result: EnrollResult
    new: dict
    changes: dict
    stored_id: int | None
    same: tuple | None       # (enrollment id, status, position) in this session
    status: str | None       # the enrollment to write; None: no enrollment write
    seq: int
    outside: bool
    card: tuple | None = None  # (number, number_key, issued_on) of an AK1 card to add


#: the participant's stored facts and enrollments, for one or many NIKs
_FACTS_PARTICIPANT_SQL = (
    "SELECT id, nik, name, birth_date, sex, address, kelurahan_id, phone, ak1_number, ak1_date, "
    "nik_mismatch_accepted, age_band, birth_place, work_status FROM participant WHERE nik IN (SELECT value FROM json_each(?))")
# an enrollment kept in a cancelled session reads as 'cancelled': history, not active
_FACTS_ENROLLMENT_SQL = """
    SELECT e.participant_id, e.id, e.session_id, CASE WHEN e.cancelled = 1 THEN 'cancelled' ELSE e.status END,
           e.year, e.seq,
           CASE WHEN e.status IN ('enrolled', 'waitlisted') THEN
               (SELECT count(*) FROM enrollment x
                WHERE x.session_id = e.session_id AND x.status = e.status AND x.seq <= e.seq) END
    FROM enrollment e WHERE e.participant_id IN (SELECT value FROM json_each(?))
    ORDER BY e.seq, e.id
"""
_PARTICIPANT_INSERT_SQL = (
    "INSERT INTO participant (id, nik, name, birth_date, sex, address, kelurahan_id, phone, ak1_number, "
    "ak1_date, nik_mismatch_accepted, age_band, birth_place, work_status, person_key) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
#: the possible-duplicate look-up: registered people by (birth date, person key), from a
#: JSON list of [birth date, key] pairs; and those stored without a key (written by another
#: tool), born on one of those days, whose key is computed from the name
_TWINS_SQL = (
    "SELECT p.id, p.birth_date, p.person_key, p.nik, p.name FROM json_each(?) j JOIN participant p "
    "ON p.birth_date = json_extract(j.value, '$[0]') AND p.person_key = json_extract(j.value, '$[1]') "
    "WHERE p.nik IS NOT NULL")
_TWINS_UNKEYED_SQL = (
    "SELECT p.id, p.birth_date, p.nik, p.name FROM participant p "
    "WHERE p.birth_date IN (SELECT json_extract(value, '$[0]') FROM json_each(?)) AND p.person_key IS NULL "
    "AND p.nik IS NOT NULL AND p.name IS NOT NULL")
_ENROLLMENT_INSERT_SQL = (
    "INSERT INTO enrollment (id, participant_id, session_id, year, status, seq, outside_domicile) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)")
_ENROLLMENT_REJOIN_SQL = (
    "UPDATE enrollment SET status = ?, seq = ?, year = ?, outside_domicile = ?, "
    "withdraw_reason = NULL, updated_at = strftime('%Y-%m-%dT%H:%M:%f', 'now') WHERE id = ?")


def registered_twin_rows(conn: sqlite3.Connection, wanted: list[tuple[str, str]]) -> tuple[list, list]:
    """The registered people born on those days with those name keys, and those stored
    without a key (written by another tool) born on those days: the two queries of the
    possible-duplicate look-up, as rows (the import's writer process runs them after the
    chunks before are written)."""
    wanted_json = json.dumps(wanted)
    return (conn.execute(_TWINS_SQL, [wanted_json]).fetchall(),
            conn.execute(_TWINS_UNKEYED_SQL, [wanted_json]).fetchall())


@dataclass
class ChunkWrites:
    """What Enroller.decide_many decided to write for a chunk, in the order it is written:
    new people, changed people, new enrollments, rejoined ones, AK1 cards; `twins` is the
    possible-duplicate look-up queue (run after the chunks before are written, before
    this one): domain.twins entries, each with the row's warnings and NIK as typed when it
    is a row to check; `next_ids` the last participant and enrollment ids after the chunk.
    With Enroller.defer_person_keys the new people's name keys (their last column) are
    None: the writer process computes them."""

    new_people: list[tuple] = field(default_factory=list)
    updates: list[tuple[int, dict]] = field(default_factory=list)
    new_enrollments: list[tuple] = field(default_factory=list)
    rejoins: list[tuple] = field(default_factory=list)
    cards: list[tuple] = field(default_factory=list)
    twins: list[tuple] = field(default_factory=list)
    next_ids: tuple[int, int] = (0, 0)

    def __bool__(self) -> bool:
        return bool(self.new_people or self.updates or self.new_enrollments or self.rejoins or self.cards)

    def statements(self, people: bool = True) -> list[tuple[str, list]]:
        """(SQL, rows) to executemany, in order: the chunk's writes as another connection
        (the import's writer process) runs them; without the new people (`people=False`:
        sent apart, to get their name keys there)."""
        out: list[tuple[str, list]] = []
        if self.new_people and people:
            out.append((_PARTICIPANT_INSERT_SQL, self.new_people))
        out += [(sql, [params]) for sql, params in (_update_sql(pid, changes) for pid, changes in self.updates)]
        if self.new_enrollments:
            out.append((_ENROLLMENT_INSERT_SQL, self.new_enrollments))
        if self.rejoins:
            out.append((_ENROLLMENT_REJOIN_SQL, self.rejoins))
        if self.cards:
            out.append((ak1_cards.insert_sql(), self.cards))
        return out


def _update_sql(pid: int, changes: dict) -> tuple[str, list]:
    """The UPDATE of a stored participant's changed facts (the name key follows the name)."""
    if "name" in changes:
        changes = {**changes, "person_key": person_name_key(changes["name"])}
    sets = ", ".join(f"{k} = ?" for k in changes)
    return (f"UPDATE participant SET {sets}, updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE id = ?",
            [*changes.values(), pid])


#: a session's [enrolled, waitlisted, last seq] from its enrollment rows `e`
_COUNTS_COLUMNS = ("count(*) FILTER (WHERE e.status = 'enrolled'), count(*) FILTER (WHERE e.status = 'waitlisted'), "
                   "coalesce(max(e.seq), 0)")

#: an item of Enroller.enroll_many: (person, session id or a function returning one, options)
BatchItem = tuple  # (PersonInput, int | Callable[[], int], EnrollOptions)


class Enroller:
    """Applies every enrollment rule and writes; caches sessions/settings/kelurahan for a batch.
    Must be used inside write_transaction(db); use one Enroller per transaction (it keeps
    per-session counts up to date from its own writes).

    Two ways in, one set of rules: `enroll` (one person: reads their facts, decides,
    writes in a savepoint) and `enroll_many` (a chunk of people: reads everybody's facts
    in two queries, decides each in order against the state kept in memory, then writes
    the chunk with executemany). Both call `_check_person` and `_decide`, which call the
    rule functions of domain/eligibility.py."""

    def __init__(self, db: Database, *, today: dt.date | None = None):
        self.db = db
        self.conn = db.conn
        self.today = today or clock.today()
        self.age_min = settings.get_int(db, "age_min")
        self.age_max = settings.get_int(db, "age_max")
        self._sessions: dict[int, SessionFacts] = {}
        self._session_counts: dict[int, list[int]] = {}
        self._kelurahan = None  # services.kelurahan.Index, loaded on first use
        self._kelurahan_names: dict[int, str] = {}
        self._kelurahan_typed: dict[str, tuple[int, str]] = {}
        # AK1 number key -> (participant id, nik, name) of its holder, or None: read per
        # chunk (_load_ak1) and kept up to date by this Enroller's own writes
        self._ak1: dict[str, tuple | None] = {}
        # decide_many: the possible-duplicate queue, in order (domain.twins entries): a row
        # to look up is (birth, name, nik, None, the row's warnings, the NIK as typed); a
        # new person of the chunk, whom later rows are compared with, (birth, name, None,
        # (nik, name))
        self._twins: list[tuple] | None = None
        #: decide_many leaves the new people's name keys to the writer process (the import's)
        self.defer_person_keys = False
        # enroll_many: the chunk's facts (NIK -> stored record, enrollments), for active_sessions
        self._known: dict[str, tuple] = {}

    # --- cached look-ups -------------------------------------------------------------

    def session(self, session_id: object) -> SessionFacts:
        s = self._sessions.get(session_id)  # type: ignore[arg-type]
        if s is None:
            s = session_facts(self.db, session_id)
            self._sessions[session_id] = s  # type: ignore[index]
            self._sessions[s.id] = s
        return s

    def load_sessions(self, ids: list[int]) -> None:
        """Read these sessions and their seats taken in two queries (a batch that will
        use them all), not two per session."""
        wanted = [i for i in ids if i not in self._sessions]
        if wanted:
            for row in self.conn.execute(_SESSION_SQL + "WHERE s.id IN (SELECT value FROM json_each(?))",
                                         [json.dumps(wanted)]):
                self._sessions[row[0]] = _session_facts(row)
        wanted = [i for i in ids if i not in self._session_counts]
        if wanted:
            for sid, *counts in self.conn.execute(
                    f"SELECT s.value, {_COUNTS_COLUMNS} FROM json_each(?) s LEFT JOIN enrollment e "
                    "ON e.session_id = s.value GROUP BY s.value", [json.dumps(wanted)]):
                self._session_counts[sid] = counts

    def _load_kelurahan(self):
        """Every kelurahan in memory (services.kelurahan.Index: the rule of `resolve`)."""
        if self._kelurahan is None:
            from pelatihan_cli.services.kelurahan import Index, display_names

            self._kelurahan = Index(self.db)
            self._kelurahan_names.update({p.id: p.name for p in self._kelurahan.places})
            self._kelurahan_names.update(display_names(self.db))
        return self._kelurahan

    def kelurahan(self, text: str) -> tuple[int, str]:
        """(id, display name) of the kelurahan `text` names: code, name, `Name (Kecamatan)`
        or `Name, Kabupaten`; an unknown or ambiguous one is refused naming the candidates."""
        hit = self._kelurahan_typed.get(text)
        if hit is not None:
            return hit
        index = self._load_kelurahan()
        try:
            place = index.resolve(text)
        except NotFound as e:
            raise ValidationError(f"{e} (domicile)", field="kelurahan", value=text) from None
        hit = (place.id, self._kelurahan_names.get(place.id, place.name))
        if len(self._kelurahan_typed) < 10_000:
            self._kelurahan_typed[text] = hit
        return hit

    def kelurahan_name(self, kid: int) -> str:
        self._load_kelurahan()
        return self._kelurahan_names.get(kid, str(kid))

    def active_sessions(self, nik: str) -> tuple[int, ...]:
        """Inside enroll_many (a resolver's question): the sessions a person of the chunk is
        enrolled or waitlisted in, from the facts read for the chunk; () for a new person."""
        facts = self._known.get(nik)
        if not facts:
            return ()
        return tuple(e[1] for e in facts[1] if e[2] in ACTIVE)

    def enrolled_count(self, session_id: int) -> int:
        """Seats taken in a session, including this Enroller's own writes (and, inside
        enroll_many, the rows decided before)."""
        return self._counts(session_id)[0]

    # --- the rules (shared by enroll and enroll_many) ----------------------------------

    def _check_person(self, person: PersonInput, s: SessionFacts, opts: EnrollOptions) -> _Checked:
        """Every check that needs no database, in the order the operator's mistakes are named."""
        regions = nik_regions()
        nik = parse_nik(person.nik, on=s.first_day, regions=regions)
        name = clean_person_name(person.name)
        birth_in = _as_date(person.birth_date, "birth_date")
        sex_in = None if _blank(person.sex) else parse_sex(person.sex)
        phone = parse_phone(person.phone)
        address = clean_text(person.address, field="address")
        ak1_number = clean_text(person.ak1_number, field="ak1_number", limit=AK1_MAX)
        ak1_date = _as_date(person.ak1_date, "ak1_date")
        if ak1_date is not None:
            ak1_cards.check_issue_date(ak1_date, self.today, value=person.ak1_date)
        birth, sex, mismatch = rules.check_nik_agreement(
            nik, birth_in, sex_in, accept_mismatch=opts.accept_nik_mismatch, nik_text=person.nik,
            birth_text=person.birth_date if isinstance(person.birth_date, str) else None,
            sex_text=person.sex, flag=opts.flag("--accept-nik-mismatch"))
        region = region_warning(nik.value, regions)
        return _Checked(nik, name, birth_in, sex_in, phone, address, ak1_number, ak1_date, birth, sex, mismatch,
                        None if region is None else Note(region, "nik"))   # the same text for every row of a code

    def _decide(self, person: PersonInput, c: _Checked, s: SessionFacts, opts: EnrollOptions,
                stored: _Stored | None, enrollments, warnings: list[str]) -> _Plan:
        """The rules that need the person's stored record, their enrollments and the seats
        taken; no SQL of its own beyond the cached look-ups. Raises when a rule refuses."""
        warnings += c.mismatch
        if c.region:
            warnings.append(c.region)
        birth, sex = c.birth, c.sex
        # identity: the NIK is one person; another person's name is refused unless accepted
        name_changed = stored is not None and rules.check_same_person(
            stored.name, c.name, nik_text=c.nik.value, accept=opts.accept_name_change,
            flag=opts.flag("--accept-name-change"))
        if stored is not None and stored.name is not None and stored.name != c.name:
            how = "accepted (--accept-name-change" if opts.override_for is None else \
                f"accepted ({opts.flag('--accept-name-change')}"
            warnings.append(Note(
                f"NIK {mask_nik(c.nik.value)}: name {stored.name!r} -> {c.name!r}"
                + (f"; another person's name, {how}, recorded)." if name_changed else "."),
                "name", person.name))
        if stored is not None:
            # omitted facts keep what is stored (including an accepted mismatch)
            if c.birth_in is None and stored.birth_date:
                birth = dt.date.fromisoformat(stored.birth_date)
            if c.sex_in is None:
                sex = stored.sex

        from_nik = c.birth_in is None and stored is None  # the birth date came from the NIK
        age = rules.check_age(
            birth, s, self.age_min, self.age_max, field="nik" if from_nik else "birth_date",
            value=person.nik if from_nik else person.birth_date)

        if not _blank(person.kelurahan):
            dom_id, dom_name = self.kelurahan(str(person.kelurahan))
        elif stored is not None and stored.kelurahan_id is not None:
            dom_id, dom_name = stored.kelurahan_id, self.kelurahan_name(stored.kelurahan_id)
        else:
            dom_id, dom_name = s.kelurahan_id, s.kelurahan
        outside = rules.check_domicile(dom_id, dom_name, s, allow_outside=opts.allow_outside,
                                       value=person.kelurahan, flag=opts.flag("--allow-outside"))
        if outside:
            warnings.append(Note(f"{c.name} lives in {dom_name}, outside {s.kelurahan}; allowed "
                                 f"({opts.flag('--allow-outside')}, recorded).", "kelurahan", person.kelurahan))
        if stored is not None and stored.kelurahan_id is not None and dom_id != stored.kelurahan_id:
            warnings.append(Note(f"NIK {mask_nik(c.nik.value)}: domicile {self.kelurahan_name(stored.kelurahan_id)} "
                                 f"-> {dom_name}.", "kelurahan", person.kelurahan))
        person_key = None
        if stored is None:
            if not self.defer_person_keys:
                person_key = person_name_key(c.name)
            if self._twins is not None:   # enroll_many: looked up for the whole chunk at its end
                self._twins.append((birth.isoformat(), c.name, c.nik.value, None, warnings, person.nik))
            else:
                twin = self._same_person(birth.isoformat(), c.name, c.nik.value)
                if twin is not None:
                    warnings.append(_twin_note(twin, birth.isoformat(), person.nik))

        new = {
            "name": c.name,
            "birth_date": birth.isoformat(),
            "sex": sex,
            "kelurahan_id": dom_id,
            "nik_mismatch_accepted": 1 if (c.mismatch or (stored and stored.nik_mismatch_accepted)) else 0,
            "age_band": age_band(age),
        }
        if c.phone is not None:
            new["phone"] = c.phone
        if c.address is not None:
            new["address"] = c.address
        # after the training (certificates, tracer study): given values only, like phone
        if not _blank(person.birth_place):
            new["birth_place"] = clean_text(person.birth_place, field="birth_place", limit=60)
        if not _blank(person.work_status):
            from pelatihan_cli.domain.outcomes import parse_work_status

            new["work_status"] = parse_work_status(person.work_status, field="work_status")
        card = self._card(c, stored)
        if stored is None:
            new["person_key"] = person_key   # a new person's name key (a stored one changes with the name)
        changes = new if stored is None else {k: v for k, v in new.items() if getattr(stored, k) != v}

        result = EnrollResult(nik=c.nik.value, session_id=s.id, status="", position=None, capacity=s.capacity,
                              warnings=warnings, name=c.name, session_label=s.label,
                              participant_created=stored is None, outside_domicile=outside,
                              nik_mismatch_accepted=bool(c.mismatch),
                              late_record=rules.is_done(s, self.today), name_change_accepted=name_changed,
                              previous_name=stored.name if stored is not None and stored.name != c.name else None)
        stored_id = stored.id if stored is not None else None

        same = None
        others: list[tuple[int, str]] = []
        for eid, sid, status, year, _seq, position in enrollments:
            if sid == s.id:
                same = (eid, status, position)
            elif status in ACTIVE and year == s.year:
                other = self.session(sid)
                others.append((sid, f"{other.label} of programme {other.programme!r}"))

        if same is not None and same[1] in ACTIVE:
            result.enrollment_status = same[1]
            result.position = same[2]
            result.status = "updated" if changes or card else "unchanged"
            return _Plan(result, new, changes, stored_id, same, None, 0, outside, card)

        rules.check_one_per_year(others, s, who=f"NIK {person.nik!r}")
        rules.check_rejoin(same[1] if same is not None else None, s, allowed=opts.rejoin, nik_text=person.nik)
        enrolled, waitlisted, max_seq = self._counts(s.id)
        status = rules.seat_decision(enrolled, s, no_waitlist=opts.no_waitlist)
        result.status = result.enrollment_status = status
        result.position = enrolled + 1 if status == ENROLLED else waitlisted + 1
        return _Plan(result, new, changes, stored_id, same, status, max_seq + 1, outside, card)

    def _card(self, c: _Checked, stored: _Stored | None) -> tuple | None:
        """The AK1 card to add for this person, if any: a number another person holds is
        refused naming them; one the person already holds adds nothing."""
        if c.ak1_number is None:
            return None
        key = ak1_cards.ak1_key(c.ak1_number)
        if not key:
            return None
        holder = self._ak1_holder(key)
        if holder is not None:
            if stored is not None and holder[0] == stored.id:
                return None
            raise ValidationError(ak1_cards.taken_message(c.ak1_number, holder[1], holder[2]),
                                  field="ak1_number", value=c.ak1_number)
        return (c.ak1_number, key, c.ak1_date.isoformat() if c.ak1_date else None)

    def _ak1_holder(self, key: str) -> tuple | None:
        if key not in self._ak1:
            self._load_ak1([key])
        return self._ak1[key]

    def _load_ak1(self, keys: list[str]) -> None:
        """Read the holders of these AK1 number keys in one query."""
        keys = [k for k in set(keys) if k and k not in self._ak1]
        if not keys:
            return
        for k in keys:
            self._ak1[k] = None
        for key, pid, nik, name in self.conn.execute(
                "SELECT c.number_key, p.id, p.nik, p.name FROM ak1_card c JOIN participant p ON p.id = c.participant_id "
                "WHERE c.number_key IN (SELECT value FROM json_each(?)) ORDER BY c.legacy_duplicate DESC, c.id DESC",
                [json.dumps(keys)]):
            self._ak1[key] = (pid, nik, name)

    def _add_card(self, pid: int, nik: str, name: str, card: tuple) -> None:
        self.conn.execute(ak1_cards.insert_sql(), [pid, card[0], card[1], card[2]])
        self._ak1[card[1]] = (pid, nik, name)

    def _facts(self, niks: list[str]) -> dict[str, tuple[_Stored, list[tuple]]]:
        """Stored record and enrollments (id, session, status, year, seq, position) of
        every registered NIK among `niks`, enrollments in first-come order."""
        if not niks:
            return {}
        by_id: dict[int, tuple[_Stored, list[tuple]]] = {}
        out: dict[str, tuple[_Stored, list[tuple]]] = {}
        for row in self.conn.execute(_FACTS_PARTICIPANT_SQL, [json.dumps(niks)]):
            facts = (_Stored(row[0], *row[2:]), [])
            by_id[row[0]] = facts
            out[row[1]] = facts
        if by_id:
            for pid, *enrollment in self.conn.execute(_FACTS_ENROLLMENT_SQL, [json.dumps(list(by_id))]):
                by_id[pid][1].append(tuple(enrollment))
        return out

    def _same_person(self, birth_iso: str, name: str, nik: str) -> tuple[str, str] | None:
        """(nik, name) of a registered person with another NIK, born that day, whose full
        name is this one (domain.names.person_name_key), or None."""
        key = person_name_key(name)
        return next((h for h in self._registered_twins([(birth_iso, key)]).get((birth_iso, key), ())
                     if h[0] != nik), None)

    def _registered_twins(self, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """(birth date, person key) -> [(nik, name)] of the registered people with that
        birth date and name key, in the order they were registered; by the stored key
        (index participant_person_key), and for rows written without one (by another tool)
        by their name."""
        return twins.found(wanted, *registered_twin_rows(self.conn, wanted))

    def look_up_twins(self, queue: list[tuple], hits: list[tuple[int, tuple[str, str]]] | None = None) -> None:
        """The possible-duplicate warnings of a chunk, in one look-up: each queued new
        person against the registered people (earlier chunks included: they are written)
        and the chunk's earlier new people (domain.twins), appended to that row's
        warnings. `hits`: what the import's writer process found for this queue (it reads
        the rows written before), else looked up here."""
        if hits is None:
            entries = twins.keyed([e[:4] for e in queue])
            wanted = twins.wanted(entries)
            if not wanted:
                return
            hits = twins.match(entries, twins.found(wanted, *registered_twin_rows(self.conn, wanted)))
        for i, hit in hits:
            b, _name, _nik, _new, warnings, typed = queue[i]
            warnings.append(_twin_note(hit, b, typed))

    def _took_seat(self, plan: _Plan, session_id: int) -> None:
        counts = self._counts(session_id)
        counts[0 if plan.status == ENROLLED else 1] += 1
        counts[2] = plan.seq

    # --- one person --------------------------------------------------------------------

    def enroll(self, person: PersonInput, session_id: int, opts: EnrollOptions = EnrollOptions()) -> EnrollResult:
        if not self.conn.in_transaction:
            raise RuntimeError("Enroller.enroll must run inside write_transaction(db)")
        s = self.session(session_id)
        warnings = rules.check_session_open(s, self.today)
        c = self._check_person(person, s, opts)
        stored, enrollments = self._facts([c.nik.value]).get(c.nik.value, (None, ()))
        plan = self._decide(person, c, s, opts, stored, enrollments, warnings)
        if plan.status is None:
            if plan.changes or plan.card:
                def update() -> None:
                    if plan.changes:
                        self._update_participant(plan.stored_id, plan.changes)
                    if plan.card:
                        self._add_card(plan.stored_id, c.nik.value, plan.result.name, plan.card)
                self._write(update, who=f"NIK {person.nik!r}")
            return plan.result

        def write() -> None:
            pid = plan.stored_id
            if pid is None:
                cols = ["nik", *plan.new]
                cur = self.conn.execute(
                    f"INSERT INTO participant ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                    [c.nik.value, *plan.new.values()])
                pid = cur.lastrowid
            elif plan.changes:
                self._update_participant(pid, plan.changes)
            if plan.card:
                self._add_card(pid, c.nik.value, plan.result.name, plan.card)
            if plan.same is not None:  # withdrawn earlier from this session: back in, at the end of the queue
                self.conn.execute(_ENROLLMENT_REJOIN_SQL,
                                  [plan.status, plan.seq, s.year, int(plan.outside), plan.same[0]])
            else:
                self.conn.execute(
                    "INSERT INTO enrollment (participant_id, session_id, year, status, seq, outside_domicile) "
                    "VALUES (?, ?, ?, ?, ?, ?)", [pid, s.id, s.year, plan.status, plan.seq, int(plan.outside)])

        self._write(write, who=f"NIK {person.nik!r}", session=s)
        self._took_seat(plan, s.id)
        return plan.result

    # --- a chunk of people -------------------------------------------------------------

    def enroll_many(self, items: list[BatchItem]) -> list[tuple[object, EnrollResult | PelatihanError]]:
        """Enroll a chunk of people in order, exactly as `enroll` would one after another.

        Each item is (person, session, options); `session` is a session id or a function
        returning one, called in turn (so it sees the seats taken by the items before).
        Returns, per item, (the session id it asked for, the EnrollResult or the
        PelatihanError that refused it); a refused item writes nothing and the others go on.

        `decide_many` reads the facts of all NIKs in two queries and decides each item
        against the state kept in memory (this transaction holds the write lock, so nobody
        else changes it); `write_many` writes the chunk with executemany. Should the
        database still refuse a write (the capacity trigger, a unique index), the chunk is
        undone (its new rows deleted, or a savepoint rolled back when it also changed
        stored rows) and replayed through `enroll`, one savepoint per person, so the
        refusal lands on the right item."""
        if not self.conn.in_transaction:
            raise RuntimeError("Enroller.enroll_many must run inside write_transaction(db)")
        out, writes = self.decide_many(items)
        self.look_up_twins(writes.twins)
        return self.write_many(items, out, writes)

    def decide_many(self, items: list[BatchItem], next_ids: tuple[int, int] | None = None,
                    ) -> tuple[list[tuple[object, EnrollResult | PelatihanError]], ChunkWrites]:
        """The deciding half of enroll_many: (the outcome per item, the writes to make).
        Nothing is written; the in-memory state (seats, AK1 holders) is what the database
        will hold once the writes are made. New ids follow `next_ids` (the last participant
        and enrollment ids; read from the database when None)."""
        niks = []
        for person, _session, _opts in items:
            try:
                niks.append(clean_nik(person.nik))
            except ValidationError:
                pass
        known = self._known = self._facts(niks)
        self._twins = []
        self._load_ak1([ak1_cards.ak1_key(str(p.ak1_number)) for p, _s, _o in items if not _blank(p.ak1_number)])
        if next_ids is None:
            next_ids = self.conn.execute(
                "SELECT (SELECT coalesce(max(id), 0) FROM participant), (SELECT coalesce(max(id), 0) FROM enrollment)"
            ).fetchone()
        next_pid, next_eid = next_ids
        w = ChunkWrites(twins=self._twins)
        out: list[tuple[object, EnrollResult | PelatihanError]] = []
        try:
            self._decide_each(items, known, w, out, next_pid, next_eid)
        finally:
            self._twins = None
        return out, w

    def _decide_each(self, items: list[BatchItem], known: dict, w: ChunkWrites, out: list,
                     next_pid: int, next_eid: int) -> None:
        new_people, updates, new_enrollments, rejoins, cards = w.new_people, w.updates, w.new_enrollments, \
            w.rejoins, w.cards   # updates in order; a person may be updated twice
        for person, session, opts in items:
            sid = session
            warnings: list[str] = []
            try:
                sid = _chosen(session)
                s = self.session(sid)
                warnings = rules.check_session_open(s, self.today)
                c = self._check_person(person, s, opts)
                key = c.nik.value
                stored, enrollments = known.get(key) or (None, ())
                plan = self._decide(person, c, s, opts, stored, enrollments, warnings)
            except PelatihanError as e:
                e.warnings = warnings  # type: ignore[attr-defined]  # what was found before the refusal
                out.append((sid, e))
                continue
            out.append((sid, plan.result))
            if plan.status is None and not plan.changes and not plan.card:
                continue
            # keep the in-memory state what the database will be after the chunk's writes
            pid = plan.stored_id
            if pid is None:
                next_pid += 1
                pid = next_pid
                n = plan.new
                new_people.append((pid, key, n["name"], n["birth_date"], n["sex"], n.get("address"),
                                   n["kelurahan_id"], n.get("phone"), n.get("ak1_number"), n.get("ak1_date"),
                                   n["nik_mismatch_accepted"], n["age_band"], n.get("birth_place"),
                                   n.get("work_status"), n["person_key"]))
                stored = _Stored(pid, n["name"], n["birth_date"], n["sex"], n.get("address"), n["kelurahan_id"],
                                 n.get("phone"), n.get("ak1_number"), n.get("ak1_date"),
                                 n["nik_mismatch_accepted"], n["age_band"], n.get("birth_place"),
                                 n.get("work_status"))
                self._twins.append((n["birth_date"], n["name"], None, (key, n["name"])))
            elif plan.changes:
                updates.append((pid, plan.changes))
                stored = replace(stored, **plan.changes)
            if plan.card:
                cards.append((pid, plan.card[0], plan.card[1], plan.card[2]))
                self._ak1[plan.card[1]] = (pid, key, plan.result.name)
            if plan.status is not None:
                if plan.same is not None:
                    eid = plan.same[0]
                    rejoins.append((plan.status, plan.seq, s.year, int(plan.outside), eid))
                else:
                    next_eid += 1
                    eid = next_eid
                    new_enrollments.append((eid, pid, s.id, s.year, plan.status, plan.seq, int(plan.outside)))
                entry = (eid, s.id, plan.status, s.year, plan.seq, plan.result.position)
                if enrollments:  # first-come order, as _facts reads them
                    enrollments = sorted([e for e in enrollments if e[0] != eid] + [entry],
                                         key=lambda e: (e[4], e[0]))
                else:
                    enrollments = (entry,)
                self._took_seat(plan, s.id)
            known[key] = (stored, enrollments)
        w.next_ids = (next_pid, next_eid)

    def write_many(self, items: list[BatchItem], out: list, writes: ChunkWrites,
                   ) -> list[tuple[object, EnrollResult | PelatihanError]]:
        """The writing half of enroll_many on this connection: `out` when the database
        took the writes, else the chunk undone and replayed one person at a time."""
        if not writes:
            return out
        conn = self.conn
        # A savepoint costs SQLite a sub-journal of every page the chunk touches (it made
        # imports ~40% slower). A chunk that only adds rows needs none: should the database
        # refuse one of them, deleting the ids allocated above undoes the chunk exactly.
        undo_by_delete = not (writes.updates or writes.rejoins or writes.cards)
        first_pid = writes.next_ids[0] - len(writes.new_people)
        first_eid = writes.next_ids[1] - len(writes.new_enrollments)
        if not undo_by_delete:
            conn.execute("SAVEPOINT enroll_chunk")

        def undo() -> None:
            if undo_by_delete:
                conn.execute("DELETE FROM enrollment WHERE id > ?", [first_eid])
                conn.execute("DELETE FROM participant WHERE id > ?", [first_pid])
            else:
                conn.execute("ROLLBACK TO enroll_chunk")
                conn.execute("RELEASE enroll_chunk")
            self.forget_counts()

        try:
            for sql, rows in writes.statements():
                conn.executemany(sql, rows)
        except sqlite3.IntegrityError:
            undo()
            return self._replay(items)
        except BaseException:
            undo()
            raise
        if not undo_by_delete:
            conn.execute("RELEASE enroll_chunk")
        return out

    def forget_counts(self) -> None:
        """Forget the seats and AK1 holders kept in memory (after writes were undone): they
        are read again from the database."""
        self._session_counts.clear()
        self._ak1.clear()

    def _replay(self, items: list[BatchItem]) -> list[tuple[object, EnrollResult | PelatihanError]]:
        out: list[tuple[object, EnrollResult | PelatihanError]] = []
        for person, session, opts in items:
            sid = session
            try:
                sid = _chosen(session)
                out.append((sid, self.enroll(person, sid, opts)))
            except PelatihanError as e:
                out.append((sid, e))
        return out

    # --- writing -------------------------------------------------------------------------

    def _update_participant(self, pid: int, changes: dict) -> None:
        self.conn.execute(*_update_sql(pid, changes))

    def _write(self, fn, *, who: str = "", session: SessionFacts | None = None) -> None:
        """Run the writes for one person in a savepoint: all of them or none."""
        self.conn.execute("SAVEPOINT enroll_person")
        try:
            fn()
        except sqlite3.IntegrityError as e:
            self.conn.execute("ROLLBACK TO enroll_person")
            self.conn.execute("RELEASE enroll_person")
            raise _integrity_conflict(e, who, session) from None
        except BaseException:
            self.conn.execute("ROLLBACK TO enroll_person")
            self.conn.execute("RELEASE enroll_person")
            raise
        self.conn.execute("RELEASE enroll_person")

    def _counts(self, session_id: int) -> list[int]:
        """[enrolled, waitlisted, max seq] of a session, read once and then kept up to date
        by this Enroller (it is the only writer of enrollment rows inside its transaction)."""
        counts = self._session_counts.get(session_id)
        if counts is None:
            counts = list(self.conn.execute(
                f"SELECT {_COUNTS_COLUMNS} FROM enrollment e WHERE e.session_id = ?", [session_id]).fetchone())
            self._session_counts[session_id] = counts
        return counts


def _integrity_conflict(e: sqlite3.IntegrityError, who: str, session: SessionFacts | None) -> Conflict:
    text = str(e)
    label = session.label if session else "the session"
    if "session full" in text:
        return Conflict(f"Capacity: {label} is full; nothing was saved for {who}. Run the command again to join the waitlist.")
    if "enrollment_one_active_per_year" in text or "enrollment.participant_id, enrollment.year" in text:
        return Conflict(f"One training per year: {who} already has an active enrollment that year; nothing was saved.")
    if "ak1_card" in text:
        return Conflict(f"The AK1 number of {who} was recorded for someone else at the same moment; nothing was saved.")
    if "participant.nik" in text:
        return Conflict(f"{who} was registered by someone else at the same moment; run the command again.")
    return Conflict(f"The database refused the enrollment of {who} ({text}); nothing was saved.")


# --- single-person services ----------------------------------------------------------------

def enroll(db: Database, session_id: int, person: PersonInput, opts: EnrollOptions = EnrollOptions(),
           *, today: dt.date | None = None) -> EnrollResult:
    """Enroll one person in one BEGIN IMMEDIATE transaction, with an audit row when it writes."""
    with write_transaction(db):
        result = Enroller(db, today=today).enroll(person, session_id, opts)
        if result.status != "unchanged":
            audit.record(db, "participant.enroll", {
                "participant_created": int(result.participant_created),
                "enrolled": int(result.status == ENROLLED),
                "waitlisted": int(result.status == WAITLISTED),
                "updated": int(result.status == "updated"),
                "outside_domicile": int(result.outside_domicile),
                "nik_mismatch_accepted": int(result.nik_mismatch_accepted),
                "late_record": int(result.late_record and result.status in (ENROLLED, WAITLISTED)),
                **({"name_change_accepted": 1} if result.name_change_accepted else {}),
            })
    return result


@dataclass
class Promotion:
    nik: str
    name: str
    seat: int


def promote_waitlisted(db: Database, session_id: int) -> list[Promotion]:
    """Fill free seats from the waitlist, first come first served. Call inside a write
    transaction (withdraw, move, and a capacity increase use it)."""
    promoted: list[Promotion] = []
    capacity = db.conn.execute("SELECT capacity FROM session WHERE id = ?", [session_id]).fetchone()[0]
    while True:
        enrolled = db.conn.execute(
            "SELECT count(*) FROM enrollment WHERE session_id = ? AND status = 'enrolled'", [session_id]).fetchone()[0]
        if enrolled >= capacity:
            break
        row = db.conn.execute(
            "SELECT e.id, p.nik, p.name FROM enrollment e JOIN participant p ON p.id = e.participant_id "
            "WHERE e.session_id = ? AND e.status = 'waitlisted' ORDER BY e.seq LIMIT 1", [session_id]).fetchone()
        if row is None:
            break
        db.conn.execute(
            "UPDATE enrollment SET status = 'enrolled', updated_at = strftime('%Y-%m-%dT%H:%M:%f', 'now') "
            "WHERE id = ?", [row[0]])
        promoted.append(Promotion(nik=row[1], name=row[2] or "(erased)", seat=enrolled + 1))
    return promoted


def _participant_id(db: Database, nik_text: str) -> tuple[int, str, str]:
    nik = clean_nik(nik_text)
    row = db.conn.execute("SELECT id, nik, name FROM participant WHERE nik = ?", [nik]).fetchone()
    if row is None:
        raise NotFound(f"No participant with NIK {nik_text!r}; see `pelatihan participant list --search NAME`.")
    return row[0], row[1], row[2]


@dataclass
class WithdrawResult:
    nik: str
    name: str
    session_id: int
    session_label: str
    previous_status: str
    promoted: list[Promotion]
    attended: int = 0        # days present before the withdrawal (kept and counted)
    days: int = 0
    completed: bool = False

    def message(self) -> str:
        if self.previous_status == WITHDRAWN:
            return f"{self.name} was already withdrawn from {self.session_label}; nothing changed."
        line = f"Withdrew {self.name} from {self.session_label} (was {self.previous_status})."
        if self.attended:
            line += (f" Their attendance stays recorded: {self.attended} of {self.days} day(s)"
                     f"{', completed' if self.completed else ''}.")
        for p in self.promoted:
            line += f" Promoted {p.name} from the waitlist to seat {p.seat}."
        if self.previous_status == ENROLLED and not self.promoted:
            line += " The seat is free (nobody on the waitlist)."
        return line


def attendance_of(db: Database, enrollment_id: int) -> tuple[int, int, bool]:
    """(days present, the session's days, completed) of one enrollment."""
    present, days = db.conn.execute(
        "SELECT (SELECT count(*) FROM attendance a WHERE a.enrollment_id = e.id AND a.present = 1 "
        "AND a.day_no <= s.days), s.days FROM enrollment e JOIN session s ON s.id = e.session_id WHERE e.id = ?",
        [enrollment_id]).fetchone()
    return present, days, present >= days


def withdraw(db: Database, session_id: int, nik_text: str, reason: str | None = None, *,
             force: bool = False) -> WithdrawResult:
    """Withdraw a person from a session; a freed seat goes to the first waitlisted person.
    Someone present on a day of the session is refused unless `force`; with it their
    attendance and completion stay recorded and counted."""
    reason = clean_text(reason, field="reason")
    with write_transaction(db):
        s = session_facts(db, session_id)
        pid, nik, name = _participant_id(db, nik_text)
        row = db.conn.execute("SELECT id, status FROM enrollment WHERE participant_id = ? AND session_id = ?",
                              [pid, s.id]).fetchone()
        if row is None:
            raise NotFound(f"NIK {nik_text!r} is not enrolled in {s.label}; see `pelatihan participant show NIK`.")
        result = WithdrawResult(nik, name, s.id, s.label, row[1], [])
        if row[1] == WITHDRAWN:
            return result
        present, days, completed = attendance_of(db, row[0])
        lifecycle.check_withdraw(present, days, completed, who=f"{name} (NIK {nik_text!r})", where=s.label,
                                 force=force)
        result.attended, result.days, result.completed = present, days, completed
        db.conn.execute(
            "UPDATE enrollment SET status = 'withdrawn', withdraw_reason = ?, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%f', 'now') WHERE id = ?", [reason, row[0]])
        if row[1] == ENROLLED and s.status != "cancelled":
            result.promoted = promote_waitlisted(db, s.id)
        audit.record(db, "participant.withdraw", {"withdrawn": 1, "promoted": len(result.promoted),
                                                  "attendance_kept": int(bool(present))})
    return result


@dataclass
class MoveResult:
    from_session_id: int
    from_label: str
    enrolled: EnrollResult
    promoted: list[Promotion]

    def message(self) -> str:
        r = self.enrolled
        where = (f"seat {r.position} of {r.capacity}" if r.enrollment_status == ENROLLED
                 else f"waitlist position {r.position}")
        line = f"Moved {r.name} from {self.from_label} to {r.session_label}, {where}."
        for p in self.promoted:
            line += f" Promoted {p.name} from the waitlist to seat {p.seat} of {self.from_label}."
        return line


def move(db: Database, nik_text: str, to_session: int, opts: EnrollOptions = EnrollOptions(), *,
         from_session: int | None = None, today: dt.date | None = None, force: bool = False) -> MoveResult:
    """Move a person's active enrollment to another session under the same rules, all or nothing.
    Someone present on a day of the old session is refused unless `force`; with it their
    attendance there stays recorded and counted (the old enrollment becomes withdrawn)."""
    with write_transaction(db):
        if from_session is not None:
            from_session = session_facts(db, from_session).id
        target = session_facts(db, to_session)
        pid, nik, name = _participant_id(db, nik_text)
        active = db.conn.execute(
            "SELECT e.id, e.session_id, e.status FROM enrollment e WHERE e.participant_id = ? "
            "AND e.status IN ('enrolled', 'waitlisted') AND e.cancelled = 0 ORDER BY e.seq", [pid]).fetchall()
        if from_session is not None:
            active = [a for a in active if a[1] == int(from_session)]
        if not active:
            raise NotFound(f"NIK {nik_text!r} has no active enrollment to move"
                           f"{'' if from_session is None else f' in session {from_session}'}; "
                           "use `pelatihan participant enroll` instead.")
        if len(active) > 1:
            sessions = ", ".join(str(a[1]) for a in active)
            raise ValidationError(f"NIK {nik_text!r} is active in sessions {sessions}; say which one with --from.",
                                  field="session", value=None)
        eid, old_sid, old_status = active[0]
        if old_sid == target.id:
            raise Conflict(f"NIK {nik_text!r} is already in {target.label}; nothing to move.")
        old = session_facts(db, old_sid)
        present, days, completed = attendance_of(db, eid)
        lifecycle.check_withdraw(present, days, completed, who=f"NIK {nik_text!r}", where=old.label, verb="move",
                                 force=force)
        db.conn.execute(
            "UPDATE enrollment SET status = 'withdrawn', withdraw_reason = ?, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%f', 'now') WHERE id = ?",
            [f"moved to session {target.id}", eid])
        p = db.conn.execute("SELECT name FROM participant WHERE id = ?", [pid]).fetchone()
        result = Enroller(db, today=today).enroll(PersonInput(nik=nik_text, name=p[0]), target.id, opts)
        promoted = promote_waitlisted(db, old_sid) if old_status == ENROLLED else []
        audit.record(db, "participant.move", {"moved": 1, "promoted": len(promoted),
                                              "outside_domicile": int(result.outside_domicile),
                                              "attendance_kept": int(bool(present)),
                                              "late_record": int(result.late_record)})
    return MoveResult(old_sid, old.label, result, promoted)


def age_for(birth_iso: str | None, on: dt.date) -> int | None:
    return age_on(dt.date.fromisoformat(birth_iso), on) if birth_iso else None
