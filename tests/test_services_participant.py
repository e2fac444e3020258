"""Participant registry service: corrections re-validated, AK1, show-nik logged."""

from __future__ import annotations

import datetime as dt

import pytest

from pelatihan_cli.errors import NotFound, ValidationError
from pelatihan_cli.services import participants
from pelatihan_cli.services.enrollment import EnrollOptions, PersonInput, enroll
from tests.factories import kelurahan_id, make_session

N = "3375010207900001"


@pytest.fixture
def enrolled(db):
    sid = make_session(db)
    enroll(db, sid, PersonInput(nik=N, name="Budi", phone="081234567890"), EnrollOptions(), today=dt.date(2024, 6, 1))
    return sid


def test_update_revalidates_birth_date_and_age(db, enrolled):
    # accepted mismatch that makes the person 14 on the first day: the age rule still holds
    with pytest.raises(ValidationError, match="Age rule"):
        participants.update(db, N, birth_date="2009-07-03", accept_nik_mismatch=True)
    r = participants.update(db, N, birth_date="1980-07-02", accept_nik_mismatch=True)
    assert r.changed == ["birth_date"] and r.warnings
    assert db.execute("SELECT birth_date, age_band, nik_mismatch_accepted FROM participant").fetchall() == [
        ("1980-07-02", "35-44", 1)]


def test_update_domicile_needs_allow_outside_for_active_enrollment(db, enrolled):
    kelurahan_id(db, "Podosugih")
    with pytest.raises(ValidationError, match="Domicile rule"):
        participants.update(db, N, kelurahan="Podosugih")
    participants.update(db, N, kelurahan="Podosugih", allow_outside=True)
    assert db.execute("SELECT outside_domicile FROM enrollment").fetchall() == [(1,)]


def test_update_clears_phone_and_reports_nothing_changed(db, enrolled):
    assert participants.update(db, N, phone="").changed == ["phone"]
    assert db.execute("SELECT phone FROM participant").fetchone() == (None,)
    r = participants.update(db, N, name="Budi")
    assert r.changed == [] and "nothing changed" in r.message()


def test_ak1(db, enrolled):
    participants.record_ak1(db, N, " AK1/2024/0012 ", "2024-01-05")
    assert db.execute("SELECT number, issued_on FROM ak1_card").fetchone() == ("AK1/2024/0012", "2024-01-05")
    with pytest.raises(ValidationError, match="in the future"):
        participants.record_ak1(db, N, "X", "2999-01-01")
    with pytest.raises(NotFound, match="No participant with NIK '3375010207909999'"):
        participants.record_ak1(db, "3375010207909999", "X")


def test_show_nik_is_logged(db, enrolled):
    participants.list_participants(db)
    assert db.execute("SELECT count(*) FROM audit_log WHERE action LIKE '%show_nik'").fetchone() == (0,)
    rows = participants.list_participants(db, show_nik=True)
    assert rows[0]["nik"] == N
    participants.show(db, N, show_nik=True)
    assert db.execute("SELECT action FROM audit_log WHERE action LIKE '%show_nik' ORDER BY id").fetchall() == [
        ("participant.list.show_nik",), ("participant.show.show_nik",)]


def test_erased_people_are_not_listed(db, enrolled):
    db.execute("UPDATE participant SET nik = NULL, name = NULL, erased_at = '2025-01-01'")
    assert participants.list_participants(db) == []


def test_new_nik_is_revalidated_and_refused_when_registered(db, enrolled):
    from pelatihan_cli.errors import Conflict

    with pytest.raises(ValidationError):
        participants.update(db, N, new_nik="3375010207")            # not a NIK
    with pytest.raises(ValidationError, match="does not match NIK"):
        participants.update(db, N, new_nik="3375010208900001")      # encodes 2 August, stored 2 July
    enroll(db, enrolled, PersonInput(nik="3375010207900002", name="Budi Dua"), EnrollOptions(),
           today=dt.date(2024, 6, 1))
    with pytest.raises(Conflict, match=r"participant merge 3375010207900002 3375010207900001"):
        participants.update(db, N, new_nik="3375 0102 0790 0002")
    r = participants.update(db, N, new_nik="3375010207900009")
    assert r.changed == ["nik"]
    assert participants.find(db, "3375010207900009")[2] == "Budi"
    assert db.execute("SELECT count(*) FROM participant WHERE nik = ?", [N]).fetchone() == (0,)
