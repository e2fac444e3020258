"""The resolve stage of `participant import`: which session a row goes to.

A row goes only to a planned session of the import's programme:

- a session given with --session, or in the row's session column, is used as given; a
  skill cell must then name that session's track (a cell that disagrees is refused);
- else the row's kelurahan (its cell, or the file's with --kelurahan) chooses: its skill
  cell must name one of the kelurahan's tracks (domain.tracks: equal, a subset of the
  track's words, or a known short form; none or several is refused naming the tracks);
  a row naming no skill where the kelurahan offers more than one track is refused naming
  them, unless the operator asked for the first free seat (--first-free-seat);
- among the sessions of the chosen track (usually one), the one the person is already
  active in, else the first with a free seat, else the first (waitlisted).

Sessions, kelurahan and skills are read once per import; a (kelurahan, skill) answer is
cached, so a row costs a dictionary look-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlite_utils import Database

from pelatihan_cli.domain.tracks import match_tracks, resolve_track
from pelatihan_cli.errors import ValidationError

if TYPE_CHECKING:
    from pelatihan_cli.services.enrollment import Enroller


class Router:
    """Chooses each row's session; `route` returns (session id, the track) or raises a
    ValidationError whose field names the cell to blame (kelurahan, skill or session)."""

    def __init__(self, db: Database, enroller: Enroller, programme, *, kelurahan: str | None = None,
                 first_free_seat: bool = False):
        self.db = db
        self.enroller = enroller
        self.programme = programme
        self.first_free_seat = first_free_seat
        self.enrolled = enroller.enrolled_count  # seats taken, counting the rows enrolled before this one
        self.skill_names: dict[int, str] = dict(db.execute("SELECT id, name FROM skill").fetchall())
        # kelurahan id -> [(session, skill id, capacity)] by date
        self.by_kel: dict[int, list[tuple[int, int, int]]] = {}
        for sid, kid, skid, cap in db.execute(
            "SELECT id, kelurahan_id, skill_id, capacity FROM session WHERE status = 'planned' "
            "AND programme_id = ? ORDER BY start_date, id", [programme.id if programme else -1]
        ):
            self.by_kel.setdefault(kid, []).append((sid, skid, cap))
        # the sessions and their seats taken: one query each, not one per session
        enroller.load_sessions([s[0] for v in self.by_kel.values() for s in v])
        #: every track the programme offers (what a skill cell is matched against with --session)
        self.tracks = sorted({self.skill_names[s[1]] for v in self.by_kel.values() for s in v})
        #: whether some kelurahan offers a choice (then a person's active session matters)
        self.has_choice = any(len(v) > 1 for v in self.by_kel.values())
        #: the file's own kelurahan (--kelurahan): (id, display name)
        self.bound = enroller.kelurahan(kelurahan) if kelurahan else None
        self._choices: dict[tuple[str | None, str | None], tuple[list[tuple[int, int, int]], str]] = {}
        self._session_track: dict[tuple[int, str | None], str] = {}
        self._track_of: dict[tuple[str, tuple[str, ...]], str] = {}

    # --- a session given -----------------------------------------------------------------

    def check_programme(self, sid: int) -> int:
        """A session id given in the file or with --session must belong to the programme."""
        row = self.db.execute("SELECT p.id, p.name FROM session s JOIN programme p ON p.id = s.programme_id "
                              "WHERE s.id = ?", [sid]).fetchone()
        if row is not None and self.programme is not None and row[0] != self.programme.id:
            raise ValidationError(
                f"session {sid} belongs to programme {row[1]!r}, not {self.programme.name!r}, which this import "
                f"fills; give --programme {row[0]} to import into that programme, or fix the session id.",
                field="session", value=sid)
        return sid

    def given(self, sid: int, skill_text: str | None, *, via: str) -> str:
        """The track of a session given with --session or a session cell (`via` names it);
        a skill cell that names another track is refused."""
        key = (sid, skill_text)
        track = self._session_track.get(key)
        if track is not None:
            return track
        s = self.enroller.session(sid)
        if skill_text is not None:
            found = match_tracks(skill_text, sorted({*self.tracks, s.skill}))
            if found != [s.skill]:
                named = f"names {' or '.join(found)}" if found else "names no track of the programme"
                raise ValidationError(
                    f"skill {skill_text!r} disagrees with {via} {s.id}, {s.label} ({named}); correct the skill "
                    f"cell, or import this row without {via}.", field="skill", value=skill_text)
        self._session_track[key] = s.skill
        return s.skill

    # --- a session chosen from the kelurahan -----------------------------------------------

    def route(self, kel_text: str | None, skill_text: str | None, active: tuple[int, ...] = ()) -> tuple[int, str]:
        """(session id, track) for a row's kelurahan cell (None: the file's --kelurahan)
        and skill cell. `active`: the sessions the row's person is already enrolled or
        waitlisted in."""
        candidates, track = self._choice(kel_text, skill_text)
        if len(candidates) == 1:
            return candidates[0][0], track
        if active:
            for sid, _skill, _cap in candidates:
                if sid in active:
                    return sid, self.skill_names[_skill]
        for sid, skill, cap in candidates:
            if self.enrolled(sid) < cap:
                return sid, self.skill_names[skill]
        return candidates[0][0], self.skill_names[candidates[0][1]]

    def _choice(self, kel_text: str | None, skill_text: str | None) -> tuple[list[tuple[int, int, int]], str]:
        key = (kel_text, skill_text)
        hit = self._choices.get(key)
        if hit is not None:
            return hit
        if self.bound is not None:
            kid, kname = self.bound   # the file's kelurahan; the row's own is its domicile
        elif kel_text is None:
            raise ValidationError(
                "no session for this row: give --session, --kelurahan, or a sesi (session id) or "
                "kelurahan column (with pelatihan for the skill).", field="session", value=None)
        else:
            kid, kname = self.enroller.kelurahan(kel_text)
        sessions = self.by_kel.get(kid, [])
        if not sessions:
            where = f" in {self.programme.name}" if self.programme else ""
            raise ValidationError(f"Kelurahan {kname} has no planned session{where}; plan one (`pelatihan session plan`), "
                                  "give the session id in a sesi column or with --session, or choose the programme "
                                  "with --programme.", field="kelurahan", value=kel_text)
        tracks = sorted({self.skill_names[s[1]] for s in sessions})
        if skill_text is not None:
            # the same skill text against the same tracks names the same one (most kelurahan
            # offer the same pair): matched once; a refusal is raised naming the kelurahan
            named = (skill_text, tuple(tracks))
            track = self._track_of.get(named)
            if track is None:
                track = self._track_of[named] = resolve_track(skill_text, tracks, where=f" of {kname}")
            hit = ([s for s in sessions if self.skill_names[s[1]] == track], track)
        elif len(tracks) == 1 or self.first_free_seat:
            hit = (sessions, tracks[0] if len(tracks) == 1 else "")
        else:
            raise ValidationError(
                f"Kelurahan {kname} has {len(tracks)} tracks ({', '.join(tracks)}) and this row names none: "
                "write the track in its skill column (pelatihan), or give --first-free-seat to place such rows "
                "in the first session with a free seat.", field="skill", value=None)
        self._choices[key] = hit
        return hit
