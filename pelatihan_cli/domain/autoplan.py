"""Automatic planning of a programme: pure, deterministic, no I/O.

Each kelurahan *event* holds one or more skill *tracks* that run side by side on the
same days: `days` consecutive working days of the window. Events are placed in the
order given, each as near as possible to its even share of the window (so that the
programme spreads over it) on days where

- fewer than `max_per_day` kelurahan events already run on every one of its days, and
- every track gets a different instructor who teaches its skill and is free on all of
  those days (instructors with the lightest load first, then by name).

The same input always gives the same plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from pelatihan_cli.errors import Conflict


@dataclass(frozen=True)
class Track:
    skill: str            # skill key (as in `Instructor.skills`)
    label: str = ""       # skill name for messages
    capacity: int = 20


@dataclass(frozen=True)
class Event:
    kelurahan: str                    # name, used in messages and as the event's identity
    tracks: tuple[Track, ...]
    # days of the kelurahan's already planned tracks: tried first, so tracks stay together
    preferred_days: tuple[dt.date, ...] = ()


@dataclass(frozen=True)
class Instructor:
    name: str
    skills: frozenset[str]
    sort_key: str = ""


@dataclass(frozen=True)
class Placement:
    event: Event
    days: tuple[dt.date, ...]
    instructors: tuple[str, ...]      # one per track, in track order
    new_event_day: bool = True        # False when it joins the kelurahan's existing days


@dataclass
class Problem:
    working_days: Sequence[dt.date]            # the window's working days, ascending
    days: int                                  # training days per event
    max_per_day: int
    instructors: Sequence[Instructor]
    events_on_day: Mapping[dt.date, int] = field(default_factory=dict)   # already planned
    busy: Mapping[str, set[dt.date]] = field(default_factory=dict)       # instructor -> booked days
    load: Mapping[str, int] = field(default_factory=dict)                # instructor -> planned sessions


def _start_order(k: int, count: int, starts: int) -> list[int]:
    """Start indexes to try for the k-th of `count` new events: nearest first to its
    share of the window, so that events spread evenly over it instead of piling up at
    the start (the 2024 programme ran from 1 July to 27 August). Ties go earlier."""
    if starts <= 0:
        return []
    target = (k * starts) // max(count, 1)
    return sorted(range(starts), key=lambda s: (abs(s - target), s))


class PlanCapacityError(Conflict):
    """The window cannot hold the requested events."""


def capacity(problem: Problem) -> int:
    """Event-days the window can still take."""
    return sum(max(0, problem.max_per_day - problem.events_on_day.get(d, 0)) for d in problem.working_days)


def plan(problem: Problem, events: Sequence[Event]) -> list[Placement]:
    """Place every event, or raise PlanCapacityError saying what to change."""
    wd = list(problem.working_days)
    n = problem.days
    new_events = [e for e in events if not e.preferred_days]
    needed = len(new_events) * n
    available = capacity(problem)
    if needed > available:
        raise PlanCapacityError(
            f"The window cannot hold the programme: {len(new_events)} kelurahan event(s) × {n} day(s) "
            f"need {needed} event-days, but {len(wd)} working day(s) × --max-per-day {problem.max_per_day}"
            f"{' minus days already taken by planned sessions' if available < len(wd) * problem.max_per_day else ''}"
            f" give {available}. Widen the window (--from/--to), raise --max-per-day, "
            "shorten --days, or allow --weekends."
        )
    if events and len(wd) < n:
        raise PlanCapacityError(
            f"The window has {len(wd)} working day(s), fewer than the {n} training days of one event. "
            "Widen the window (--from/--to) or allow --weekends."
        )
    by_skill: dict[str, list[Instructor]] = {}
    for ins in problem.instructors:
        for s in ins.skills:
            by_skill.setdefault(s, []).append(ins)
    for e in events:
        for t in e.tracks:
            if t.skill not in by_skill:
                raise PlanCapacityError(
                    f"No instructor teaches {t.label or t.skill!r} (needed for {e.kelurahan}). "
                    f"Add one: pelatihan instructor add NAME --skill {t.label or t.skill!r}."
                )

    on_day: dict[dt.date, int] = {d: problem.events_on_day.get(d, 0) for d in wd}
    busy: dict[str, set[dt.date]] = {k: set(v) for k, v in problem.busy.items()}
    load: dict[str, int] = dict(problem.load)
    placements: list[Placement] = []

    def assign(tracks: Sequence[Track], days: Sequence[dt.date]) -> tuple[str, ...] | None:
        """Instructors for the tracks, lightest load first; None if impossible."""
        chosen: list[str] = []

        def candidates(track: Track) -> list[Instructor]:
            free = [i for i in by_skill[track.skill]
                    if i.name not in chosen and not busy.get(i.name, set()).intersection(days)]
            return sorted(free, key=lambda i: (load.get(i.name, 0), i.sort_key or i.name, i.name))

        def search(k: int) -> bool:
            if k == len(tracks):
                return True
            for ins in candidates(tracks[k]):
                chosen.append(ins.name)
                if search(k + 1):
                    return True
                chosen.pop()
            return False

        return tuple(chosen) if search(0) else None

    def book(event: Event, days: tuple[dt.date, ...], names: tuple[str, ...], new: bool) -> None:
        for name in names:
            busy.setdefault(name, set()).update(days)
            load[name] = load.get(name, 0) + 1
        if new:
            for d in days:
                on_day[d] += 1
        placements.append(Placement(event, days, names, new))

    new_index = {id(e): i for i, e in enumerate(new_events)}
    for event in events:
        if event.preferred_days:
            days = tuple(event.preferred_days)
            names = assign(event.tracks, days)
            if names is not None:
                book(event, days, names, new=False)
                continue
        placed = False
        reasons = {"full": 0, "instructors": 0}
        for start in _start_order(new_index.get(id(event), 0), len(new_events), len(wd) - n + 1):
            days = tuple(wd[start:start + n])
            if any(on_day[d] >= problem.max_per_day for d in days):
                reasons["full"] += 1
                continue
            names = assign(event.tracks, days)
            if names is None:
                reasons["instructors"] += 1
                continue
            book(event, days, names, new=True)
            placed = True
            break
        if not placed:
            skills = ", ".join(t.label or t.skill for t in event.tracks)
            done = len(placements)
            why = (
                f"on {reasons['instructors']} possible start day(s) no free instructor teaches every track "
                f"({skills}); add instructors for these skills"
                if reasons["instructors"]
                else "every day is already full; raise --max-per-day or widen the window"
            )
            raise PlanCapacityError(
                f"Cannot place {event.kelurahan} ({skills}) after placing {done} event(s): {why}, "
                "widen the window (--from/--to), or allow --weekends."
            )
    return placements
