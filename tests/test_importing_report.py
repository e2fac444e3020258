"""importing.report and importing.overrides: warnings as data (never dropped), row ranges,
where rows went, and the per-row override values."""

from __future__ import annotations

import pytest

from pelatihan_cli.errors import ValidationError
from pelatihan_cli.importing.overrides import RowOverride, parse_target
from pelatihan_cli.importing.report import Tally, Warnings, row_ranges


def test_row_ranges():
    assert row_ranges([2, 3, 4, 7, 9, 10]) == "2–4, 7, 9–10"
    # every row is named, however many ranges (a hidden-rows warning once stopped at 40)
    spread = list(range(2, 200, 2))
    assert row_ranges(spread) == ", ".join(map(str, spread))
    assert row_ranges([5]) == "5" and row_ranges([]) == ""


def test_warnings_keep_every_row_and_group_for_the_table():
    w = Warnings()
    for r in range(2, 42):
        w.add("session 7 started on 2024-07-05", r, "sesi", 7)
    w.add("Column(s) not used: 'Agama'")
    for r in range(2, 15):
        w.add(f"warning {r}", r)
    assert w.lines()[0] == "session 7 started on 2024-07-05 (rows 2–41)"
    assert w.lines()[1] == "Column(s) not used: 'Agama'"
    assert len(w.lines()) == 15   # nothing dropped
    objs = w.objects()
    assert objs[0] == {"rows": list(range(2, 42)), "column": "sesi", "value": 7,
                       "message": "session 7 started on 2024-07-05"}
    assert objs[1] == {"row": None, "column": None, "value": None, "message": "Column(s) not used: 'Agama'"}
    assert objs[2] == {"row": 2, "column": None, "value": None, "message": "warning 2"}


def test_tally():
    t = Tally()
    t.skill("Rajut", "Merajut")
    t.skill("Rajut", "Merajut")
    t.skill(None, "Tas")
    t.session(9, "Medono", "Tas", "waitlisted")
    t.session(3, "Bendan Kergon", "Merajut", "enrolled")
    t.session(3, "Bendan Kergon", "Merajut", "unchanged")
    assert t.skills() == [{"value": "Rajut", "track": "Merajut", "rows": 2}, {"value": None, "track": "Tas", "rows": 1}]
    assert t.sessions() == [
        {"session_id": 3, "kelurahan": "Bendan Kergon", "skill": "Merajut", "enrolled": 1, "waitlisted": 0},
        {"session_id": 9, "kelurahan": "Medono", "skill": "Tas", "enrolled": 0, "waitlisted": 1}]


@pytest.mark.parametrize("text,target", [
    ("12", ("row", 12)), (" 7 ", ("row", 7)), ("3375014207900001", ("nik", "3375014207900001")),
    ("3375 0142 0790 0001", ("nik", "3375014207900001")), ("3375.0142.0790.0001", ("nik", "3375014207900001")),
])
def test_parse_target(text, target):
    assert parse_target(text, "--allow-outside-for") == target


@pytest.mark.parametrize("text", ["0", "x1", "337501420790000", "all", ""])
def test_parse_target_refuses(text):
    with pytest.raises(ValidationError, match="--allow-outside-for"):
        parse_target(text, "--allow-outside-for")


def test_row_override_covers_named_rows_and_niks_and_reports_unused():
    o = RowOverride("--allow-outside-for", ["12", "3375014207900001", "40"])
    assert o.covers(12, None) and o.covers(3, "3375014207900001") and not o.covers(5, "3375014207900002")
    o.used(12, "3375994207900001")
    o.used(3, "3375014207900001")
    assert o.unused() == ["40"]
    assert o.applied == [{"row": 12, "nik": "337599******0001"}, {"row": 3, "nik": "337501******0001"}]
