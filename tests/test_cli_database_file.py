"""Only `init` and `restore` create a database; every other command on a missing file
says how to create it and creates nothing (issue 11, point 7)."""

from __future__ import annotations

import pytest

from pelatihan_cli.db import default_db_path


def _missing(path) -> str:
    return f"Error: no database at {path}; create it with pelatihan --db {path} init\n"


def _files(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob("*"))


@pytest.mark.parametrize(
    "args",
    [
        ("participant", "list"),
        ("kelurahan", "add", "Baru", "--kecamatan", "Pekalongan Barat"),
        ("info",),
        ("log",),
        ("backup", "copy.db"),
        ("export", "--output", "out.json"),
        ("config", "list"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_missing_db_path_is_an_error_that_creates_nothing(cli, tmp_path, args):
    folder = tmp_path / "work"
    folder.mkdir()
    typo = folder / "pelatihn.db"
    args = [str(folder / a) if a.endswith((".db", ".json")) else a for a in args]
    r = cli("--db", typo, *args)
    assert r.exit_code == 1
    assert r.stderr == _missing(typo)
    assert r.stdout == ""
    assert _files(folder) == []  # no database, no -wal/-shm, no backup, no export


def test_a_missing_default_location_is_an_error_that_creates_nothing(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("PELATIHAN_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = default_db_path()
    assert path.is_relative_to(tmp_path / "xdg")
    for args in (("participant", "list"), ("kelurahan", "add", "Baru", "--kecamatan", "Pekalongan Barat")):
        r = cli(*args)
        assert r.exit_code == 1
        assert r.stderr == _missing(path)
    assert not (tmp_path / "xdg").exists()  # not even the directory

    r = cli("init")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith(f"Database ready: {path} ")
    assert path.exists()
    r = cli("participant", "list", "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_init_creates_the_database(cli, tmp_path):
    path = tmp_path / "new.db"
    r = cli("--db", path, "init", "--pekalongan")
    assert r.exit_code == 0, r.stderr
    assert path.exists()
    r = cli("--db", path, "kelurahan", "list", "--format", "json")
    assert r.exit_code == 0 and len(__import__("json").loads(r.stdout)) == 27


def test_restore_onto_a_missing_path_creates_it(cli, db, tmp_path):
    """Disaster recovery: a new laptop has the backup file and no database yet."""
    from pelatihan_cli.services import kelurahan

    kelurahan.load_pekalongan(db)
    backup = tmp_path / "backup.db"
    assert cli("backup", backup).exit_code == 0
    laptop = tmp_path / "laptop"
    laptop.mkdir()
    path = laptop / "pelatihan.db"
    r = cli("--db", path, "restore", backup, "--yes")
    assert r.exit_code == 0, r.stderr
    assert "previous database" not in r.stdout  # there was none
    r = cli("--db", path, "kelurahan", "list", "--format", "json")
    assert r.exit_code == 0 and len(__import__("json").loads(r.stdout)) == 27
    r = cli("--db", path, "log", "--format", "json")
    assert [e["action"] for e in __import__("json").loads(r.stdout)][0] == "ops.restore"


def test_restore_onto_a_missing_default_location_creates_it(cli, db, tmp_path, monkeypatch):
    backup = tmp_path / "backup.db"
    assert cli("backup", backup).exit_code == 0
    monkeypatch.delenv("PELATIHAN_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    r = cli("restore", backup, "--yes")
    assert r.exit_code == 0, r.stderr
    assert default_db_path().exists()


@pytest.mark.parametrize("db_args", [("--db", "{path}"), ("--db={path}",)], ids=["separate", "equals"])
def test_db_after_the_command_is_a_usage_error_that_says_where_it_goes(cli, tmp_path, db_args):
    path = tmp_path / "x.db"
    args = [a.format(path=path) for a in db_args]
    r = cli("participant", "list", *args, "--format", "json")
    assert r.exit_code == 2
    assert r.stderr == (
        "Error: --db is a global option: put it before the command, "
        f"e.g. pelatihan --db {path} participant list --format json\n"
    )
    assert not path.exists()
    # between a group and its command too
    r = cli("participant", *args, "list")
    assert r.exit_code == 2 and "put it before the command" in r.stderr
