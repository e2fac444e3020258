"""Corrections of skills and kelurahan: rename, merge, remove, update, and --new for
near-duplicate names."""

from __future__ import annotations

import re

import pytest

from pelatihan_cli.errors import Conflict, NotFound, RowErrors, ValidationError
from pelatihan_cli.services import instructors, kelurahan, sessions, skills


@pytest.fixture
def pdb(pekalongan_db):
    instructors.add(pekalongan_db, "Siti Aminah", ["Merajut", "Kerajinan"])
    instructors.add(pekalongan_db, "Lina Marlina", ["Merajut"])
    return pekalongan_db


def audit_actions(db):
    return [r[0] for r in db.execute("SELECT action FROM audit_log ORDER BY id")]


def test_a_near_duplicate_skill_is_refused_everywhere_unless_new(pdb, tmp_path):
    msg = "skill 'Merajutt' is new; did you mean 'Merajut'? Add --new to create it."
    with pytest.raises(ValidationError, match=re.escape(msg)):
        sessions.plan(pdb, "Medono", "Merajutt", "2024-07-01")
    with pytest.raises(ValidationError, match=re.escape(msg)):
        instructors.add(pdb, "Ibu Baru", ["Merajutt"])
    with pytest.raises(ValidationError, match=re.escape(msg)):
        instructors.update(pdb, "Siti Aminah", add_skills=["Merajutt"])
    (tmp_path / "i.csv").write_text("name,skills\nIbu Dua,Merajutt\n")
    with pytest.raises(RowErrors) as e:
        instructors.import_file(pdb, tmp_path / "i.csv")
    assert e.value.errors[0]["column"] == "skills" and msg in e.value.errors[0]["message"]
    (tmp_path / "s.csv").write_text("kelurahan,skill,start\nMedono,Merajutt,2024-07-01\n")
    with pytest.raises(RowErrors) as e:
        sessions.import_file(pdb, tmp_path / "s.csv")
    assert e.value.errors[0]["column"] == "skill"
    assert skills.find(pdb, "Merajutt") is None
    # the same key is the stored skill, not a new one
    assert sessions.plan(pdb, "Medono", "merajut", "2024-07-01")["skill"] == "Merajut"
    # a distinct name is simply new; --new creates a near one
    assert sessions.plan(pdb, "Medono", "Roti & Masakan", "2024-07-08")["skill"] == "Roti & Masakan"
    assert sessions.plan(pdb, "Medono", "Merajutt", "2024-07-15", allow_new=True)["skill"] == "Merajutt"
    (tmp_path / "s2.csv").write_text("kelurahan,skill,start\nMedono,Kerajinann,2024-07-22\n")
    assert sessions.import_file(pdb, tmp_path / "s2.csv", allow_new=True)["planned"] == 1


def test_skill_rename_keeps_sessions_and_instructors(pdb):
    s = sessions.plan(pdb, "Medono", "Merajut", "2024-07-01")
    r = skills.rename(pdb, "merajut", "Merajut Benang")
    assert r == {"skill": "Merajut Benang", "old_name": "Merajut", "changed": True}
    assert sessions.get_session(pdb, s["id"])["skill"] == "Merajut Benang"
    assert "Merajut Benang" in instructors.skills_of(pdb, instructors.resolve(pdb, "Lina Marlina").id)
    with pytest.raises(Conflict, match=r"skill merge 'Merajut Benang' 'Kerajinan'"):
        skills.rename(pdb, "Merajut Benang", "kerajinan")
    assert skills.rename(pdb, "Merajut Benang", "Merajut Benang")["changed"] is False
    assert audit_actions(pdb).count("skill.rename") == 1


def test_skill_merge_moves_sessions_and_instructors_without_duplicates(pdb):
    skills_created = sessions.plan(pdb, "Medono", "Merajutt", "2024-07-01", allow_new=True)
    instructors.update(pdb, "Siti Aminah", add_skills=["Merajutt"], allow_new=True)   # teaches both now
    instructors.add(pdb, "Ibu Tiga", ["Merajutt"], allow_new=True)                   # only the typo
    r = skills.merge(pdb, "Merajutt", "Merajut")
    assert r == {"skill": "Merajut", "merged": "Merajutt", "sessions": 1, "instructors": 1,
                 "instructors_already": 1}
    assert skills.find(pdb, "Merajutt") is None
    assert sessions.get_session(pdb, skills_created["id"])["skill"] == "Merajut"
    assert instructors.skills_of(pdb, instructors.resolve(pdb, "Siti Aminah").id) == ["Kerajinan", "Merajut"]
    assert instructors.skills_of(pdb, instructors.resolve(pdb, "Ibu Tiga").id) == ["Merajut"]
    with pytest.raises(ValidationError, match="same skill"):
        skills.merge(pdb, "Merajut", "MERAJUT")
    with pytest.raises(NotFound, match="Unknown skill 'Merajutt'"):
        skills.merge(pdb, "Merajutt", "Merajut")


def test_skill_remove_is_refused_while_used_naming_counts(pdb):
    sessions.plan(pdb, "Medono", "Merajut", "2024-07-01")
    with pytest.raises(Conflict, match=r"'Merajut' is used by 1 session\(s\) and 2 instructor\(s\)"):
        skills.remove(pdb, "Merajut")
    skills.rename(pdb, "Kerajinan", "Kerajinan Tangan")
    instructors.update(pdb, "Siti Aminah", remove_skills=["Kerajinan Tangan"])
    assert skills.remove(pdb, "kerajinan tangan") == {"skill": "Kerajinan Tangan", "removed": True}
    assert skills.find(pdb, "Kerajinan Tangan") is None
    assert audit_actions(pdb)[-1] == "skill.remove"


def test_a_near_duplicate_kecamatan_is_refused_unless_new(pekalongan_db, tmp_path):
    db = pekalongan_db
    msg = "kecamatan 'Pekalongan Tmur' is new; did you mean 'Pekalongan Timur'? Add --new to create it."
    with pytest.raises(ValidationError, match=re.escape(msg)):
        kelurahan.add(db, "Kelurahan Baru", "Pekalongan Tmur")
    (tmp_path / "k.csv").write_text("name,kecamatan\nKelurahan Dua,Pekalongan Tmur\n")
    with pytest.raises(RowErrors, match="did you mean 'Pekalongan Timur'"):
        kelurahan.import_file(db, tmp_path / "k.csv")
    # the same key: stored with the stored spelling
    assert kelurahan.add(db, "Kelurahan Baru", "pekalongan timur")["kelurahan"].kecamatan == "Pekalongan Timur"
    assert kelurahan.add(db, "Kelurahan Lain", "Pekalongan Tmur", allow_new=True)["kelurahan"].kecamatan == "Pekalongan Tmur"
    assert kelurahan.import_file(db, tmp_path / "k.csv", allow_new=True)["added"] == 1


def test_a_new_kecamatan_file_is_checked_against_its_own_earlier_rows(db, tmp_path):
    (tmp_path / "k.csv").write_text("name,kecamatan\nSatu,Pekalongan Barat\nDua,Pekalongan Timur\n"
                                    "Tiga,Pekalongan Tmur\n")
    with pytest.raises(RowErrors) as e:
        kelurahan.import_file(db, tmp_path / "k.csv")
    assert [x["row"] for x in e.value.errors] == [4]


def test_kelurahan_update_kecamatan_and_code(pekalongan_db):
    db = pekalongan_db
    kelurahan.add(db, "Kelurahan Baru", "Pekalongan Tmur", allow_new=True)
    r = kelurahan.update(db, "kelurahan baru", kecamatan="pekalongan timur", code="33.75.02.1099")
    assert r == {"name": "Kelurahan Baru", "kecamatan": "Pekalongan Timur", "code": "33.75.02.1099",
                 "changed": ["code", "kecamatan"]}
    assert kelurahan.update(db, "Kelurahan Baru", code="33.75.02.1099")["changed"] == []
    with pytest.raises(ValidationError, match="did you mean 'Pekalongan Utara'"):
        kelurahan.update(db, "Kelurahan Baru", kecamatan="Pekalongan Utar")
    with pytest.raises(ValidationError, match="NN.NN.NN.NNNN"):
        kelurahan.update(db, "Kelurahan Baru", code="3375")
    taken = kelurahan.resolve(db, "Medono").code
    with pytest.raises(Conflict, match=f"Code {taken} already belongs to kelurahan 'Medono'"):
        kelurahan.update(db, "Kelurahan Baru", code=taken)
    assert kelurahan.update(db, "Kelurahan Baru", code="")["code"] is None
    with pytest.raises(ValidationError, match="Nothing to update"):
        kelurahan.update(db, "Kelurahan Baru")
    actions = [r[0] for r in db.execute("SELECT action FROM audit_log WHERE action = 'kelurahan.update'")]
    assert len(actions) == 2
