"""The enrollment rules as pure functions."""

from __future__ import annotations

import datetime as dt

import pytest

from pelatihan_cli.domain import eligibility as rules
from pelatihan_cli.domain.eligibility import SessionFacts
from pelatihan_cli.domain.nik import parse_nik
from pelatihan_cli.errors import Conflict, ValidationError

S = SessionFacts(id=12, kelurahan_id=1, kelurahan="Bendan Kergon", skill="Merajut",
                 first_day=dt.date(2024, 7, 2), capacity=20)


def test_label():
    assert S.label == "session 12 (Bendan Kergon · Merajut)"
    assert S.year == 2024


# --- age on the first day --------------------------------------------------------------

def test_age_15_on_first_day_accepted():
    assert rules.check_age(dt.date(2009, 7, 2), S, 15, 64) == 15


def test_age_14_refused_day_before_15th_birthday():
    with pytest.raises(ValidationError, match="the person is 14 on the first day.*must be 15 to 64") as e:
        rules.check_age(dt.date(2009, 7, 3), S, 15, 64)
    assert e.value.field == "birth_date"


def test_age_64_accepted_on_last_day_before_65():
    assert rules.check_age(dt.date(1959, 7, 3), S, 15, 64) == 64


def test_age_65_on_first_day_refused():
    with pytest.raises(ValidationError, match="is 65"):
        rules.check_age(dt.date(1959, 7, 2), S, 15, 64)


def test_age_bounds_are_parameters():
    with pytest.raises(ValidationError, match="must be 18 to 64"):
        rules.check_age(dt.date(2007, 7, 2), S, 18, 64)
    assert rules.check_age(dt.date(2007, 7, 2), S, 17, 64) == 17


# --- session open ----------------------------------------------------------------------

def test_cancelled_session_refused():
    cancelled = SessionFacts(**{**S.__dict__, "status": "cancelled"})
    with pytest.raises(ValidationError, match="Session 12 .* is cancelled") as e:
        rules.check_session_open(cancelled, dt.date(2024, 6, 1))
    assert e.value.field == "session"


def test_started_session_allowed_with_warning():
    assert rules.check_session_open(S, dt.date(2024, 6, 1)) == []
    assert rules.check_session_open(S, dt.date(2024, 7, 2)) == []
    (w,) = rules.check_session_open(S, dt.date(2024, 7, 3))
    assert "started on 2024-07-02" in w


# --- domicile ----------------------------------------------------------------------------

def test_domicile_same_kelurahan():
    assert rules.check_domicile(1, "Bendan Kergon", S) is False


def test_domicile_elsewhere_refused_unless_allowed():
    with pytest.raises(ValidationError, match="lives in Podosugih.*residents of Bendan Kergon.*--allow-outside") as e:
        rules.check_domicile(2, "Podosugih", S)
    assert e.value.field == "kelurahan"
    assert rules.check_domicile(2, "Podosugih", S, allow_outside=True) is True


# --- one per year --------------------------------------------------------------------------

def test_one_active_enrollment_per_year_names_first_session():
    rules.check_one_per_year([], S, who="NIK '3375010207900001'")
    with pytest.raises(Conflict, match=r"already in session 7 \(Kergon · Menjahit\) in 2024"):
        rules.check_one_per_year([(7, "session 7 (Kergon · Menjahit)"), (9, "session 9 (x)")], S, who="NIK 'x'")


# --- capacity ------------------------------------------------------------------------------

def test_seat_decision():
    assert rules.seat_decision(0, S) == "enrolled"
    assert rules.seat_decision(19, S) == "enrolled"
    assert rules.seat_decision(20, S) == "waitlisted"
    with pytest.raises(Conflict, match="full .20 of 20 seats. and --no-waitlist"):
        rules.seat_decision(20, S, no_waitlist=True)
    assert rules.seat_decision(19, S, no_waitlist=True) == "enrolled"


# --- NIK agreement ---------------------------------------------------------------------------

NIK_P = parse_nik("3375014207900001", on=S.first_day)  # woman born 1990-07-02


def test_omitted_birth_and_sex_taken_from_nik():
    assert rules.check_nik_agreement(NIK_P, None, None) == (dt.date(1990, 7, 2), "P", [])


def test_agreeing_values_pass():
    assert rules.check_nik_agreement(NIK_P, dt.date(1990, 7, 2), "P")[2] == []


def test_birth_mismatch_refused_with_both_values():
    with pytest.raises(ValidationError, match="Birth date 1990-07-03 does not match NIK .*encodes 1990-07-02") as e:
        rules.check_nik_agreement(NIK_P, dt.date(1990, 7, 3), None)
    assert e.value.field == "birth_date"


def test_sex_mismatch_refused():
    with pytest.raises(ValidationError, match="Sex L does not match NIK") as e:
        rules.check_nik_agreement(NIK_P, None, "L")
    assert e.value.field == "sex"


def test_mismatch_accepted_keeps_given_values_and_warns():
    birth, sex, warnings = rules.check_nik_agreement(NIK_P, dt.date(1990, 7, 3), "L", accept_mismatch=True)
    assert (birth, sex) == (dt.date(1990, 7, 3), "L")
    assert len(warnings) == 2 and all("accepted" in w for w in warnings)
