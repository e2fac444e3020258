"""Programmes: the unit a dinas plans, funds and reports (a *kegiatan* of one fiscal year).

Every session belongs to one programme. A programme has a name, a year, a window
(from/to), a funding source and the title printed on documents, and may override the
global document settings (letterhead, city, officer). Documents print the year from the
programme: '{title} Tahun {year}', 'Sumber dana: {funding} {year}'.

A session whose dates no programme covers joins the programme of its year, created on the
spot with a calendar-year window and named like the migrated ones (`programme_for_dates`).
The default programme of a command is the one pinned with `config set current_programme`,
else the one whose window contains today, else the most recent (`default_programme`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Sequence

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.services import clock
from pelatihan_cli.domain.dates import parse_date
from pelatihan_cli.domain.names import clean_name, did_you_mean, name_key
from pelatihan_cli.errors import Conflict, NotFound, ValidationError
from pelatihan_cli.migrations import strip_year
from pelatihan_cli.services import audit, settings

PROGRAMME_KEYS = ["id", "name", "year", "start_date", "end_date", "funding", "title", "sessions"]
DEFAULT_TITLE = "Pelatihan Kewirausahaan Masyarakat Kota Pekalongan"
DEFAULT_FUNDING = "DBHCHT"

settings.register(
    "current_programme", "",
    "Programme used when a command gets no --programme (name, year or id); empty: the one whose "
    "window contains today, else the most recent.")


@dataclass(frozen=True)
class Programme:
    id: int
    name: str
    year: int
    start_date: str
    end_date: str
    funding: str | None
    title: str | None

    def covers(self, day: dt.date | str) -> bool:
        d = day if isinstance(day, str) else day.isoformat()
        return self.start_date <= d <= self.end_date

    @property
    def window(self) -> str:
        return f"{self.start_date} to {self.end_date}"

    @property
    def title_line(self) -> str:
        """'Pelatihan Kewirausahaan ... Tahun 2025' (the document heading)."""
        return f"{self.title} Tahun {self.year}" if self.title else ""

    @property
    def funding_line(self) -> str:
        """'Sumber dana: DBHCHT 2025'; empty when the programme has no funding source."""
        return f"Sumber dana: {self.funding} {self.year}" if self.funding else ""


_COLUMNS = "id, name, year, start_date, end_date, funding, title"


def _all(db: Database) -> list[Programme]:
    return [Programme(*r) for r in db.execute(f"SELECT {_COLUMNS} FROM programme ORDER BY start_date, id")]


def get(db: Database, programme_id: int) -> Programme:
    row = db.execute(f"SELECT {_COLUMNS} FROM programme WHERE id = ?", [programme_id]).fetchone()
    if row is None:
        raise NotFound(f"No programme with id {programme_id}. See `pelatihan programme list`.")
    return Programme(*row)


def _describe(p: Programme) -> str:
    return f"{p.name!r} (id {p.id}, {p.window})"


def resolve(db: Database, text: str | int, *, option: str = "--programme") -> Programme:
    """A programme by id, exact name (case and spacing ignored) or year (when only one
    programme has that year); NotFound with 'did you mean' otherwise."""
    raw = str(text).strip()
    programmes = _all(db)
    if not programmes:
        raise NotFound(f"There is no programme yet; add one with `pelatihan programme add NAME --year YEAR`, "
                       f"or plan a session and its year's programme is created ({option} {raw!r}).")
    if raw.isdigit():
        n = int(raw)
        if n >= 1900:
            same = [p for p in programmes if p.year == n]
            if len(same) == 1:
                return same[0]
            if len(same) > 1:
                raise ValidationError(
                    f"{len(same)} programmes are of {n}: " + "; ".join(_describe(p) for p in same)
                    + f". Give {option} with the name or id.", field=option, value=raw)
        by_id = [p for p in programmes if p.id == n]
        if by_id:
            return by_id[0]
    key = name_key(raw)
    for p in programmes:
        if name_key(p.name) == key:
            return p
    hint = did_you_mean(raw, [p.name for p in programmes])
    known = "; ".join(f"{p.name} ({p.year}, id {p.id})" for p in programmes[-5:])
    raise NotFound(f"No programme {raw!r}.{hint or ' Known: ' + known + '.'} See `pelatihan programme list`.")


def default_programme(db: Database, today: dt.date | None = None) -> Programme | None:
    """The pinned programme (setting current_programme), else the one whose window contains
    today (the latest starting if several), else the most recent; None when there is none."""
    pinned = settings.get(db, "current_programme").strip()
    if pinned:
        return resolve(db, pinned, option="current_programme")
    programmes = _all(db)
    if not programmes:
        return None
    today = today or clock.today()
    current = [p for p in programmes if p.covers(today)]
    if current:
        return current[-1]
    return max(programmes, key=lambda p: (p.end_date, p.id))


def choose(db: Database, text: str | None, today: dt.date | None = None) -> Programme | None:
    """The programme a command works on: `--programme` when given, else the default."""
    if text is not None and str(text).strip():
        return resolve(db, text)
    return default_programme(db, today)


def count(db: Database) -> int:
    return db.execute("SELECT count(*) FROM programme").fetchone()[0]


# --- which programme a session joins -------------------------------------------------------

def _title_for_new(db: Database) -> tuple[str, str | None]:
    """Title and funding of a programme created on the spot: those of the most recent
    programme, else the defaults."""
    row = db.execute("SELECT title, funding FROM programme ORDER BY end_date DESC, id DESC LIMIT 1").fetchone()
    if row:
        return row[0] or DEFAULT_TITLE, row[1]
    return DEFAULT_TITLE, DEFAULT_FUNDING


def programme_for_dates(db: Database, days: Sequence[dt.date], programme: str | None = None, *,
                        create: bool = True) -> tuple[Programme | None, bool]:
    """The programme a session with these days joins, and whether it was created now.

    Given `programme`: it must cover every day. Else: the one programme covering them; two
    or more: ValidationError listing them (give --programme); none: the programme of the
    first day's year is created with a calendar-year window, unless one of that year
    exists (its window must then be widened, or --programme given). Call inside a write
    transaction (it may insert); with `create=False` nothing is written and (None, False)
    says a programme would be created."""
    first, last = days[0].isoformat(), days[-1].isoformat()
    if programme is not None and str(programme).strip():
        p = resolve(db, programme)
        if not (p.covers(first) and p.covers(last)):
            raise ValidationError(
                f"Programme {p.name!r} runs from {p.start_date} to {p.end_date}; a session on {first}"
                f"{'' if first == last else ' to ' + last} is outside it. Choose dates inside the window, "
                f"or widen it with `pelatihan programme update {p.id} --from ... --to ...`.",
                field="--programme", value=programme)
        return p, False
    programmes = _all(db)
    covering = [p for p in programmes if p.covers(first) and p.covers(last)]
    if len(covering) == 1:
        return covering[0], False
    if len(covering) > 1:
        raise ValidationError(
            f"{len(covering)} programmes cover {first}: " + "; ".join(_describe(p) for p in covering)
            + ". Say which with --programme (name, year or id).", field="--programme", value=None)
    year = days[0].year
    same_year = [p for p in programmes if p.year == year]
    if same_year:
        p = same_year[0]
        raise ValidationError(
            f"No programme covers {first}{'' if first == last else ' to ' + last}; the {year} programme "
            f"{p.name!r} runs from {p.start_date} to {p.end_date}. Widen it with "
            f"`pelatihan programme update {p.id} --from ... --to ...`, or add another programme "
            f"(`pelatihan programme add NAME --year {year} --from ... --to ...`).", field="start", value=first)
    if not create:
        return None, False
    title, funding = _title_for_new(db)
    name = f"{title} {year}"
    if db.execute("SELECT 1 FROM programme WHERE name_key = ?", [name_key(name)]).fetchone():
        name = f"{title} {year} ({first})"
    pid = _insert(db, name, year, dt.date(year, 1, 1), dt.date(year, 12, 31), funding, title)
    # no audit entry of its own: the command's entry counts it (programmes_created)
    return get(db, pid), True


# --- add / list / show / update ------------------------------------------------------------

def _year(value: object) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(f"Year {value!r} is not a year; give --year like 2025.", field="--year", value=value) from None
    if not 1900 <= year <= 9999:
        raise ValidationError(f"Year {year} is out of range; give --year like 2025.", field="--year", value=value)
    return year


def _window(year: int, start, end) -> tuple[dt.date, dt.date]:
    a = parse_date(start, field="--from") if start else dt.date(year, 1, 1)
    b = parse_date(end, field="--to") if end else dt.date(year, 12, 31)
    if b < a:
        raise ValidationError(f"--to {b.isoformat()} is before --from {a.isoformat()}; swap them.",
                              field="--to", value=b.isoformat())
    if a.year != year and b.year != year:
        raise ValidationError(f"The window {a.isoformat()} to {b.isoformat()} does not touch {year}; "
                              "check --year, --from and --to.", field="--from", value=a.isoformat())
    return a, b


def _insert(db: Database, name: str, year: int, a: dt.date, b: dt.date, funding: str | None, title: str | None) -> int:
    return db.execute(
        "INSERT INTO programme (name, name_key, year, start_date, end_date, funding, title) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [name, name_key(name), year, a.isoformat(), b.isoformat(), funding, title]).lastrowid


def _clean_title(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    text = clean_name(value)
    stripped = strip_year(text) if option == "--title" else strip_year(text)
    return stripped or None


def _check_name(db: Database, name: str, exclude: int | None = None) -> str:
    clean = clean_name(name or "")
    if not clean:
        raise ValidationError("A programme needs a name, e.g. 'Pelatihan Kewirausahaan 2025'.", field="name", value=name)
    if clean.isdigit():
        raise ValidationError(f"A programme name cannot be only digits ({clean!r}): those mean a year or an id. "
                              "Give a name such as 'PKM 2025'.", field="name", value=name)
    row = db.execute("SELECT id, name FROM programme WHERE name_key = ? AND id != ?",
                     [name_key(clean), exclude or -1]).fetchone()
    if row:
        raise Conflict(f"A programme named {row[1]!r} already exists (id {row[0]}); choose another name.")
    return clean


def add(db: Database, name: str, year: int | str, *, start=None, end=None, funding: str | None = None,
        title: str | None = None) -> dict:
    """Add a programme; its window defaults to the calendar year. Returns the programme object."""
    y = _year(year)
    a, b = _window(y, start, end)
    with write_transaction(db):
        clean = _check_name(db, name)
        if title is None or funding is None:
            t, f = _title_for_new(db)
            title = t if title is None else title
            funding = f if funding is None else funding
        pid = _insert(db, clean, y, a, b, _clean_title(funding, "--funding"), _clean_title(title, "--title"))
        audit.record(db, "programme.add", {"programme": 1})
    return show(db, pid)


def _object(db: Database, p: Programme) -> dict:
    n = db.execute("SELECT count(*) FROM session WHERE programme_id = ?", [p.id]).fetchone()[0]
    return {**asdict(p), "sessions": n}


def list_programmes(db: Database) -> list[dict]:
    return [_object(db, p) for p in _all(db)]


def show(db: Database, programme: str | int) -> dict:
    """The programme object plus its document settings (own and inherited)."""
    p = resolve(db, programme)
    out = _object(db, p)
    extra = db.execute(
        """SELECT count(*),
                  (SELECT count(*) FROM session WHERE programme_id = ? AND status = 'cancelled'),
                  min(start_date) FROM session WHERE programme_id = ?""", [p.id, p.id]).fetchone()
    out["cancelled_sessions"] = extra[1]
    out["title_line"] = p.title_line
    out["funding_line"] = p.funding_line
    out["documents"] = document_settings(db, p.id)
    out["overrides"] = sorted(own_settings(db, p.id))
    return out


def update(db: Database, programme: str | int, *, name: str | None = None, year: int | str | None = None,
           start=None, end=None, funding: str | None = None, title: str | None = None,
           set_values: Sequence[str] = (), unset: Sequence[str] = ()) -> dict:
    """Change a programme. A window that would leave one of its sessions outside is refused
    (naming the session); a new year re-dates its enrollments' one-training-per-year rule."""
    from pelatihan_cli.services import documents

    with write_transaction(db):
        p = resolve(db, programme)
        new_name = _check_name(db, name, exclude=p.id) if name is not None else p.name
        y = _year(year) if year is not None else p.year
        a = parse_date(start, field="--from") if start else dt.date.fromisoformat(p.start_date)
        b = parse_date(end, field="--to") if end else dt.date.fromisoformat(p.end_date)
        if b < a:
            raise ValidationError(f"--to {b.isoformat()} is before --from {a.isoformat()}; swap them.",
                                  field="--to", value=b.isoformat())
        outside = db.execute(
            """SELECT s.id, min(d.date), max(d.date) FROM session s JOIN session_day d ON d.session_id = s.id
               WHERE s.programme_id = ? GROUP BY s.id HAVING min(d.date) < ? OR max(d.date) > ?
               ORDER BY min(d.date) LIMIT 1""", [p.id, a.isoformat(), b.isoformat()]).fetchone()
        if outside:
            raise Conflict(f"Session {outside[0]} ({outside[1]} to {outside[2]}) would fall outside "
                           f"{a.isoformat()} to {b.isoformat()}; move it or choose a wider window.")
        pairs = [documents.parse_assignment(text) for text in set_values]
        unset = [k.strip() if k.strip().startswith("doc_") else "doc_" + k.strip() for k in unset]
        for key, _ in pairs:
            documents.check_overridable(key)
        for key in unset:
            documents.check_overridable(key)
        changes = {}
        if y != p.year:
            _change_year(db, p, y)
            changes["year"] = 1
        new_title = _clean_title(title, "--title") if title is not None else p.title
        new_funding = _clean_title(funding, "--funding") if funding is not None else p.funding
        db.execute(
            "UPDATE programme SET name = ?, name_key = ?, year = ?, start_date = ?, end_date = ?, funding = ?, "
            "title = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE id = ?",
            [new_name, name_key(new_name), y, a.isoformat(), b.isoformat(), new_funding, new_title, p.id])
        for key, value in pairs:
            clean = settings.SETTINGS[key].check(value) if key in settings.SETTINGS else value
            db.execute("INSERT INTO programme_setting (programme_id, key, value) VALUES (?, ?, ?) "
                       "ON CONFLICT(programme_id, key) DO UPDATE SET value = excluded.value", [p.id, key, clean])
        for key in unset:
            db.execute("DELETE FROM programme_setting WHERE programme_id = ? AND key = ?", [p.id, key])
        changes.update({"programme": 1, "settings": len(pairs) + len(unset)})
        audit.record(db, "programme.update", changes)
    return show(db, p.id)


def _change_year(db: Database, p: Programme, year: int) -> None:
    """Enrollments carry their programme's year (one training per person per year)."""
    twice = db.execute(
        """SELECT count(DISTINCT e.participant_id) FROM enrollment e JOIN session s ON s.id = e.session_id
           JOIN enrollment o ON o.participant_id = e.participant_id AND o.id != e.id
           WHERE s.programme_id = ? AND e.status IN ('enrolled', 'waitlisted') AND e.cancelled = 0
             AND o.year = ? AND o.status IN ('enrolled', 'waitlisted') AND o.cancelled = 0
             AND o.session_id NOT IN (SELECT id FROM session WHERE programme_id = ?)""",
        [p.id, year, p.id]).fetchone()[0]
    if twice:
        raise Conflict(f"Programme {p.name!r} cannot become {year}: {twice} of its participant(s) already have a "
                       f"training in {year} (one training per person per year).")
    db.execute("UPDATE enrollment SET year = ? WHERE session_id IN (SELECT id FROM session WHERE programme_id = ?)",
               [year, p.id])


# --- document settings -------------------------------------------------------------------

def own_settings(db: Database, programme_id: int) -> dict[str, str]:
    return dict(db.execute("SELECT key, value FROM programme_setting WHERE programme_id = ?", [programme_id]).fetchall())


def document_settings(db: Database, programme_id: int | None) -> dict[str, str]:
    """The document settings for a programme's documents ({key without 'doc_': value}):
    the global ones, overridden by the programme's own, with its title and funding lines."""
    from pelatihan_cli.services import documents

    docs = documents.document_settings(db)
    if programme_id is None:
        p = default_programme(db)
    else:
        p = get(db, programme_id)
    if p is None:
        docs.update(programme_title="", funding="", year="")
        return docs
    for key, value in own_settings(db, p.id).items():
        docs[key[4:] if key.startswith("doc_") else key] = value
    docs.update(programme_title=p.title_line, funding=p.funding_line, year=str(p.year),
                programme=p.name)
    return docs
