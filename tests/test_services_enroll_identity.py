"""The Enroller's identity rule (shared by `participant enroll` and import): a NIK stored
under another person's name is refused unless accepted (recorded); a domicile change is
shown old -> new; a new NIK with a stored person's name and birth date is a possible
duplicate."""

from __future__ import annotations

import json

import pytest

from pelatihan_cli.db import write_transaction
from pelatihan_cli.errors import ValidationError
from pelatihan_cli.services.enrollment import EnrollOptions, Enroller, PersonInput, enroll
from tests.factories import make_session
from tests.test_services_enroll import TODAY, nik


def names(db):
    return db.execute("SELECT nik, name FROM participant ORDER BY id").fetchall()


def test_another_persons_name_is_refused_naming_both_and_the_way_forward(db):
    sid = make_session(db)
    enroll(db, sid, PersonInput(nik(1), "Siti Aminah"), today=TODAY)
    with pytest.raises(ValidationError) as e:
        enroll(db, sid, PersonInput(nik(1), "Budi Santoso"), today=TODAY)
    msg = str(e.value)
    assert "'Siti Aminah'" in msg and "'Budi Santoso'" in msg
    assert f'`pelatihan participant update {nik(1)} --name "Budi Santoso"`' in msg
    assert "--accept-name-change" in msg
    assert (e.value.field, e.value.value, e.value.override) == ("name", "Budi Santoso", "accept_name_change")
    assert names(db) == [(nik(1), "Siti Aminah")]


def test_the_same_person_written_otherwise_is_an_update_with_the_change_shown(db):
    sid = make_session(db)
    enroll(db, sid, PersonInput(nik(1), "Siti"), today=TODAY)
    r = enroll(db, sid, PersonInput(nik(1), "Hj. Siti Aminah, S.Pd."), today=TODAY)
    assert r.status == "updated" and not r.name_change_accepted
    assert r.warnings == ["NIK 337501******0001: name 'Siti' -> 'Hj. Siti Aminah, S.Pd.'."]
    assert names(db) == [(nik(1), "Hj. Siti Aminah, S.Pd.")]


def test_accepted_name_change_is_recorded(db):
    sid = make_session(db)
    enroll(db, sid, PersonInput(nik(1), "Siti Aminah"), today=TODAY)
    r = enroll(db, sid, PersonInput(nik(1), "Budi Santoso"), EnrollOptions(accept_name_change=True), today=TODAY)
    assert r.status == "updated" and r.name_change_accepted and r.previous_name == "Siti Aminah"
    assert "another person's name, accepted (--accept-name-change, recorded)" in r.warnings[0]
    assert names(db) == [(nik(1), "Budi Santoso")]
    changes = json.loads(db.execute("SELECT changes FROM audit_log ORDER BY id DESC").fetchone()[0])
    assert changes["name_change_accepted"] == 1


def test_batch_refuses_the_same_way_and_names_the_rows_option(db):
    sid = make_session(db)
    enroll(db, sid, PersonInput(nik(1), "Siti Aminah"), today=TODAY)
    with write_transaction(db):
        out = Enroller(db, today=TODAY).enroll_many([
            (PersonInput(nik(1), "Budi Santoso"), sid, EnrollOptions(override_for="7")),
            (PersonInput(nik(2), "Joko"), sid, EnrollOptions(override_for="8")),
        ])
    err = out[0][1]
    assert isinstance(err, ValidationError) and "--accept-name-change-for 7" in str(err)
    assert out[1][1].status == "enrolled"
    assert names(db) == [(nik(1), "Siti Aminah"), (nik(2), "Joko")]


def test_domicile_change_is_shown_old_to_new(pekalongan_db):
    db = pekalongan_db
    sid = make_session(db)
    enroll(db, sid, PersonInput(nik(1), "Siti"), today=TODAY)
    r = enroll(db, sid, PersonInput(nik(1), "Siti", kelurahan="Medono"), EnrollOptions(allow_outside=True),
               today=TODAY)
    assert "NIK 337501******0001: domicile Bendan Kergon -> Medono." in r.warnings


def test_possible_duplicate_names_the_stored_person(db):
    sid = make_session(db)
    enroll(db, sid, PersonInput(nik(10), "Siti Aminah"), today=TODAY)
    other = make_session(db, skill="Tas", days=("2025-07-02", "2025-07-03"))
    r = enroll(db, other, PersonInput(nik(11), "SITI AMINAH"), today=TODAY)
    assert r.status == "enrolled"
    assert [w for w in r.warnings if w.startswith("possible duplicate")] == [
        "possible duplicate: 'Siti Aminah', born 1990-07-02, is registered with NIK 337501******0010; if they "
        "are one person, one NIK is wrong (correct it with `pelatihan participant update NIK --new-nik`, or "
        "`pelatihan participant merge`)."]
    # inside one batch too: the second row meets the first row's new person
    with write_transaction(db):
        out = Enroller(db, today=TODAY).enroll_many([
            (PersonInput(nik(20), "Budi"), other, EnrollOptions()),
            (PersonInput(nik(21), "Budi"), other, EnrollOptions()),
        ])
    assert not any("possible duplicate" in w for w in out[0][1].warnings)
    assert any("NIK 337501******0020" in w for w in out[1][1].warnings)


def person_keys(db):
    return db.execute("SELECT nik, name, person_key FROM participant ORDER BY id").fetchall()


def test_the_stored_name_key_follows_every_name_change_and_erasure(db):
    """m007: participant.person_key is the key of the current name after enroll, an
    accepted name change, `participant update --name` and erasure (then NULL)."""
    from pelatihan_cli.services import erasure, participants

    sid = make_session(db)
    enroll(db, sid, PersonInput(nik(1), "Hj. Siti Aminah"), today=TODAY)
    assert person_keys(db) == [(nik(1), "Hj. Siti Aminah", "sitiaminah")]
    enroll(db, sid, PersonInput(nik(1), "Budi Santoso"), EnrollOptions(accept_name_change=True), today=TODAY)
    assert person_keys(db) == [(nik(1), "Budi Santoso", "budisantoso")]
    participants.update(db, nik(1), name="Moch. Eko", today=TODAY)
    assert person_keys(db) == [(nik(1), "Moch. Eko", "muhamadeko")]
    erasure.erase(db, nik(1), today=TODAY)
    assert person_keys(db) == [(None, None, None)]


def test_a_person_stored_without_a_name_key_by_another_tool_is_still_a_possible_duplicate(db):
    sid = make_session(db)
    kid = db.execute("SELECT kelurahan_id FROM session WHERE id = ?", [sid]).fetchone()[0]
    db.execute("INSERT INTO participant (nik, name, birth_date, sex, kelurahan_id) VALUES (?, 'SITI AMINAH', "
               "'1990-07-02', 'P', ?)", [nik(10), kid])   # as the sqlite3 shell would: no person_key
    db.conn.commit()
    r = enroll(db, sid, PersonInput(nik(11), "Siti Aminah"), today=TODAY)
    assert any(w.startswith("possible duplicate: 'SITI AMINAH', born 1990-07-02") for w in r.warnings), r.warnings
    with write_transaction(db):
        out = Enroller(db, today=TODAY).enroll_many([(PersonInput(nik(12), "siti aminah"), sid, EnrollOptions())])
    assert sum(w.startswith("possible duplicate: 'SITI AMINAH'") for w in out[0][1].warnings) == 1
