"""The working-day calendar (domain/calendar.py): weekdays minus national holidays,
cuti bersama and local days."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
from hypothesis import given, settings, strategies as st

from pelatihan_cli.domain.calendar import Calendar, cuti_bersama, cuti_bersama_known, national_holidays

D = dt.date


def test_christmas_2024_and_its_joint_holiday_are_both_national_holidays():
    h = national_holidays(2024)
    assert D(2024, 12, 25) in h
    assert D(2024, 12, 26) in h  # cuti bersama (category government)
    assert D(2024, 8, 17) in h   # Independence Day
    assert D(2024, 12, 24) not in h


# the cuti bersama of 2026 (SKB 3 Menteri, September 2025) as holidays 0.99+ lists them; older
# releases miss all eight, and 18 August 2025 (added in August 2025): pyproject asks >=0.99
CUTI_BERSAMA_2026 = [D(2026, 2, 16), D(2026, 3, 18), D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 24),
                     D(2026, 5, 15), D(2026, 5, 28), D(2026, 12, 24)]


def test_the_2025_and_2026_cuti_bersama_are_not_working_days():
    assert list(cuti_bersama(2026)) == CUTI_BERSAMA_2026
    assert D(2025, 8, 18) in cuti_bersama(2025)  # Independence Day Joint Holiday, decreed in August 2025
    cal = Calendar()
    for day in [D(2025, 8, 18), *CUTI_BERSAMA_2026]:
        assert day.weekday() < 5 and not cal.is_working_day(day), day
        assert "Joint Holiday" in cal.reason(day)
    # a two-day session from Friday 15 August 2025 runs Friday and Tuesday (17 Aug is a Sunday)
    assert cal.working_days(D(2025, 8, 15), 2) == [D(2025, 8, 15), D(2025, 8, 19)]


def test_cuti_bersama_known_until_the_package_runs_out():
    assert cuti_bersama_known(2025) and cuti_bersama_known(2026)
    assert cuti_bersama_known(1995)  # before 2002 there were none to know
    assert cuti_bersama(2031) == {} and not cuti_bersama_known(2031)


def test_two_day_session_from_tuesday_24_december_2024_runs_24th_and_27th():
    assert Calendar().working_days(D(2024, 12, 24), 2) == [D(2024, 12, 24), D(2024, 12, 27)]


def test_friday_start_with_two_days_runs_friday_and_monday():
    assert Calendar().working_days(D(2024, 7, 5), 2) == [D(2024, 7, 5), D(2024, 7, 8)]


def test_weekends_let_saturday_and_sunday_count_but_not_holidays():
    cal = Calendar(weekends=True)
    assert cal.working_days(D(2024, 7, 12), 3) == [D(2024, 7, 12), D(2024, 7, 13), D(2024, 7, 14)]
    # Sunday 7 July 2024 is Islamic New Year
    assert cal.working_days(D(2024, 7, 5), 3) == [D(2024, 7, 5), D(2024, 7, 6), D(2024, 7, 8)]
    # Saturday 17 August 2024 is Independence Day: still off with weekends allowed
    assert cal.working_days(D(2024, 8, 16), 2) == [D(2024, 8, 16), D(2024, 8, 18)]


def test_local_days_are_skipped_and_named():
    cal = Calendar(local={D(2024, 7, 2): "Hari Jadi"})
    assert cal.working_days(D(2024, 7, 1), 2) == [D(2024, 7, 1), D(2024, 7, 3)]
    assert cal.reason(D(2024, 7, 2)) == "local holiday: Hari Jadi"


def test_reasons_name_every_cause():
    cal = Calendar()
    assert cal.reason(D(2024, 7, 1)) is None
    assert cal.reason(D(2024, 7, 6)) == "weekend"
    assert cal.reason(D(2024, 8, 17)) == "weekend; national holiday: Independence Day"
    assert cal.reason(D(2024, 12, 26)) == "national holiday: Christmas Joint Holiday"


def test_next_working_day():
    cal = Calendar()
    assert cal.next_working_day(D(2024, 12, 25)) == D(2024, 12, 27)
    assert cal.next_working_day(D(2024, 7, 6)) == D(2024, 7, 8)
    assert cal.next_working_day(D(2024, 7, 8)) == D(2024, 7, 8)


def test_window_of_the_2024_programme_has_42_working_days():
    assert len(Calendar().working_days_between(D(2024, 7, 1), D(2024, 8, 27))) == 42


def test_days_rows_for_the_calendar_command():
    rows = Calendar().days(D(2024, 12, 24), D(2024, 12, 26))
    assert rows == [
        {"date": D(2024, 12, 24), "weekday": "Tuesday", "working": True, "reason": None},
        {"date": D(2024, 12, 25), "weekday": "Wednesday", "working": False, "reason": "national holiday: Christmas Day"},
        {"date": D(2024, 12, 26), "weekday": "Thursday", "working": False,
         "reason": "national holiday: Christmas Joint Holiday"},
    ]


def test_injected_national_holidays_replace_the_package():
    cal = Calendar(national=lambda year: {D(year, 1, 2): "Test day"})
    assert cal.working_days(D(2030, 1, 1), 2) == [D(2030, 1, 1), D(2030, 1, 3)]


def test_zero_days_is_refused():
    with pytest.raises(ValueError):
        Calendar().working_days(D(2024, 7, 1), 0)


def test_national_holidays_never_reach_the_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    from pelatihan_cli.domain import calendar as cal_module

    cal_module._NATIONAL_CACHE.pop(2031, None)
    assert national_holidays(2031)  # computed from rules in the package


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=D(2023, 1, 1), max_value=D(2026, 12, 31)),
    n=st.integers(min_value=1, max_value=10),
    weekends=st.booleans(),
)
def test_working_days_are_the_first_n_working_days(start, n, weekends):
    cal = Calendar(weekends=weekends)
    days = cal.working_days(start, n)
    assert len(days) == n and days == sorted(set(days))
    assert all(cal.is_working_day(d) for d in days)
    assert days[0] >= start
    # no working day was skipped between start and the last day
    assert cal.working_days_between(start, days[-1]) == days


def test_compact_days_for_tables():
    from pelatihan_cli.domain.dates import format_days_compact as f

    assert f(["2024-07-01", "2024-07-02"]) == "1-2 Jul 2024"
    assert f(["2024-07-05", "2024-07-08"]) == "5, 8 Jul 2024"  # Friday and Monday
    assert f(["2024-07-31", "2024-08-01"]) == "31 Jul, 1 Aug 2024"
    assert f(["2024-12-24", "2024-12-27"]) == "24, 27 Dec 2024"
