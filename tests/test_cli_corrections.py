"""CLI of the corrections: skill rename/merge/remove, kelurahan update, --new."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def kcli(cli, pekalongan_db):
    assert cli("instructor", "add", "Siti Aminah", "--skill", "Merajut", "--skill", "Kerajinan").exit_code == 0
    return cli


def test_a_typo_of_a_skill_creates_nothing_and_says_so(kcli, pekalongan_db):
    r = kcli("session", "plan", "Medono", "--skill", "Merajutt", "--start", "2024-07-01")
    assert r.exit_code == 1
    assert r.stderr == "Error: skill 'Merajutt' is new; did you mean 'Merajut'? Add --new to create it.\n"
    assert pekalongan_db.execute("SELECT count(*) FROM session").fetchone()[0] == 0
    r = kcli("instructor", "add", "Ibu Dua", "-S", "Merajutt")
    assert r.exit_code == 1 and "did you mean 'Merajut'" in r.stderr
    r = kcli("session", "plan", "Medono", "--skill", "Merajutt", "--start", "2024-07-01", "--new")
    assert r.exit_code == 0, r.stderr
    r = kcli("instructor", "update", "Siti Aminah", "--add-skill", "Kerajinann", "--new")
    assert r.exit_code == 0, r.stderr


def test_a_typo_of_a_kecamatan_creates_nothing(cli, pekalongan_db):
    r = cli("kelurahan", "add", "Kelurahan Baru", "-K", "Pekalongan Tmur")
    assert r.exit_code == 1
    assert r.stderr == ("Error: kecamatan 'Pekalongan Tmur' is new; did you mean 'Pekalongan Timur'? "
                        "Add --new to create it.\n")
    assert cli("kelurahan", "add", "Kelurahan Baru", "-K", "Pekalongan Tmur", "--new").exit_code == 0


def test_skill_rename_merge_remove(kcli, pekalongan_db):
    assert kcli("session", "plan", "Medono", "--skill", "Merajutt", "--start", "2024-07-01", "--new").exit_code == 0
    r = kcli("skill", "merge", "Merajutt", "Merajut")
    assert r.exit_code == 1
    assert r.stderr == "Error: merging skill 'Merajutt' into 'Merajut' removes 'Merajutt'; add --yes to confirm.\n"
    r = kcli("skill", "merge", "Merajutt", "Merajut", "--yes")
    assert r.exit_code == 0, r.stderr
    assert r.output == "Merged skill Merajutt into Merajut: 1 session(s), 0 instructor(s) moved.\n"
    r = kcli("skill", "rename", "Kerajinan", "Kerajinan Tangan", "--format", "json")
    assert json.loads(r.stdout) == {"skill": "Kerajinan Tangan", "old_name": "Kerajinan", "changed": True}
    r = kcli("skill", "remove", "Merajut", "-y")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: Skill 'Merajut' is used by 1 session(s) and 1 instructor(s); ")
    assert kcli("instructor", "update", "Siti Aminah", "--remove-skill", "Kerajinan Tangan").exit_code == 0
    r = kcli("skill", "remove", "Kerajinan Tangan", "-y", "-f", "json")
    assert r.exit_code == 0 and json.loads(r.stdout) == {"skill": "Kerajinan Tangan", "removed": True}
    names = [n for (n,) in pekalongan_db.execute("SELECT name FROM skill ORDER BY name")]
    assert names == ["Merajut"]


def test_kelurahan_update(cli, pekalongan_db):
    r = cli("kelurahan", "update", "Medono", "-K", "Pekalongan Timur", "--code", "33.75.02.1099")
    assert r.exit_code == 0, r.stderr
    assert r.output == "Updated kelurahan Medono: code, kecamatan (now Pekalongan Timur, code 33.75.02.1099).\n"
    r = cli("kelurahan", "update", "Medono", "--code", "1234", "-f", "json")
    assert r.exit_code == 1 and r.stderr.startswith("Error: Kelurahan code '1234' is not a Kemendagri code")
    r = cli("kelurahan", "update", "Medono", "--code", "33.75.02.1099", "-f", "json")
    assert json.loads(r.stdout)["changed"] == []
    assert pekalongan_db.execute("SELECT kecamatan FROM kelurahan WHERE name = 'Medono'").fetchone() == (
        "Pekalongan Timur",)
