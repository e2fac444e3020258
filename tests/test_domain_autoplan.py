"""The pure auto-planning algorithm (domain/autoplan.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest

from pelatihan_cli.domain.autoplan import Event, Instructor, PlanCapacityError, Problem, Track, plan
from pelatihan_cli.domain.calendar import Calendar

D = dt.date
WINDOW = Calendar().working_days_between(D(2024, 7, 1), D(2024, 8, 27))  # 42 working days


def _events(n, skills=("a", "b")):
    return [Event(f"K{i:02d}", tuple(Track(s, s.upper()) for s in skills)) for i in range(n)]


def _instructors(per_skill=2, skills=("a", "b")):
    return [Instructor(f"{s}{j}", frozenset({s})) for s in skills for j in range(per_skill)]


def _check_invariants(placements, problem):
    per_day = Counter(d for p in placements for d in p.days)
    assert max(per_day.values()) <= problem.max_per_day
    booked = defaultdict(list)
    for p in placements:
        assert len(p.days) == problem.days
        assert list(p.days) == [d for d in problem.working_days if d in p.days]  # consecutive working days
        assert len(set(p.instructors)) == len(p.event.tracks)
        for name in p.instructors:
            booked[name].extend(p.days)
    for name, days in booked.items():
        assert len(days) == len(set(days)), f"{name} double-booked"


def test_27_events_of_two_tracks_fit_in_july_august_with_two_per_day():
    problem = Problem(WINDOW, days=2, max_per_day=2, instructors=_instructors())
    placements = plan(problem, _events(27))
    assert len(placements) == 27
    _check_invariants(placements, problem)
    assert all(p.days[-1] <= D(2024, 8, 27) for p in placements)


def test_tracks_of_one_kelurahan_share_days_and_teachers_know_their_skill():
    ins = [Instructor("x", frozenset({"a", "b"})), Instructor("y", frozenset({"a"}))]
    problem = Problem(WINDOW, days=2, max_per_day=1, instructors=ins)
    [p] = plan(problem, [Event("K", (Track("b"), Track("a")))])
    # 'x' is the only one who teaches b, so the search must give a to 'y'
    assert p.instructors == ("x", "y")


def test_capacity_error_says_needed_and_available_event_days_and_what_to_change():
    problem = Problem(WINDOW, days=2, max_per_day=1, instructors=_instructors())
    with pytest.raises(PlanCapacityError) as e:
        plan(problem, _events(27))
    msg = str(e.value)
    assert "27 kelurahan event(s) × 2 day(s) need 54 event-days" in msg
    assert "42 working day(s) × --max-per-day 1" in msg and "give 42" in msg
    assert "--max-per-day" in msg and "--from/--to" in msg


def test_days_already_taken_reduce_the_capacity():
    taken = {d: 1 for d in WINDOW}
    problem = Problem(WINDOW, days=2, max_per_day=1, instructors=_instructors(), events_on_day=taken)
    with pytest.raises(PlanCapacityError, match="give 0"):
        plan(problem, _events(1))


def test_max_per_day_is_respected_including_existing_events():
    taken = {WINDOW[0]: 1, WINDOW[1]: 1}
    problem = Problem(WINDOW, days=2, max_per_day=1, instructors=_instructors(), events_on_day=taken)
    placements = plan(problem, _events(3))
    used = [d for p in placements for d in p.days]
    assert WINDOW[0] not in used and WINDOW[1] not in used
    assert len(used) == len(set(used)) == 6


def test_events_spread_over_the_window_instead_of_piling_up_at_its_start():
    problem = Problem(WINDOW, days=2, max_per_day=1, instructors=_instructors())
    placements = plan(problem, _events(3))
    starts = [WINDOW.index(p.days[0]) for p in placements]
    assert starts[0] == 0
    assert starts == sorted(starts)
    # the three events share the window: the last starts in its final third
    assert starts[2] >= 2 * (len(WINDOW) - 2) // 3 - 1


def test_busy_instructors_are_never_double_booked():
    busy = {"a0": set(WINDOW[:10]), "b0": set(WINDOW[:10])}
    problem = Problem(WINDOW, days=2, max_per_day=2, instructors=_instructors(per_skill=1), busy=busy)
    placements = plan(problem, _events(2))
    assert placements[0].days[0] == WINDOW[10]
    _check_invariants(placements, problem)


def test_load_is_spread_evenly():
    problem = Problem(WINDOW, days=2, max_per_day=1, instructors=_instructors(per_skill=3))
    placements = plan(problem, _events(12))
    load = Counter(name for p in placements for name in p.instructors)
    assert sorted(load.values()) == [4] * 6


def test_existing_load_counts_for_spreading():
    problem = Problem(WINDOW, days=1, max_per_day=1, instructors=_instructors(per_skill=2, skills=("a",)),
                      load={"a0": 3})
    placements = plan(problem, _events(3, skills=("a",)))
    assert [p.instructors[0] for p in placements] == ["a1", "a1", "a1"]


def test_same_input_same_plan():
    def run():
        problem = Problem(WINDOW, days=2, max_per_day=2, instructors=_instructors(per_skill=3))
        return plan(problem, _events(20))

    assert run() == run()


def test_no_instructor_for_a_skill_is_refused_with_the_fix():
    problem = Problem(WINDOW, days=2, max_per_day=1, instructors=_instructors(skills=("a",)))
    with pytest.raises(PlanCapacityError, match=r"No instructor teaches 'B' \(needed for K00\). Add one"):
        plan(problem, _events(1))


def test_too_few_instructors_names_the_event_that_does_not_fit():
    # one instructor for 'a', and 'a' is busy on every day but the first two
    busy = {"a0": set(WINDOW[2:])}
    problem = Problem(WINDOW, days=2, max_per_day=2, instructors=_instructors(per_skill=1), busy=busy)
    with pytest.raises(PlanCapacityError, match="Cannot place K01 .* no free instructor"):
        plan(problem, _events(2))


def test_preferred_days_keep_a_kelurahan_together():
    days = (WINDOW[5], WINDOW[6])
    problem = Problem(WINDOW, days=2, max_per_day=1, instructors=_instructors(),
                      events_on_day={WINDOW[5]: 1, WINDOW[6]: 1})
    [p] = plan(problem, [Event("K", (Track("a"),), preferred_days=days)])
    assert p.days == days and p.new_event_day is False


def test_window_shorter_than_one_event():
    problem = Problem(WINDOW[:1], days=2, max_per_day=5, instructors=_instructors())
    with pytest.raises(PlanCapacityError):
        plan(problem, _events(1))
