"""Shared fixtures: every test gets its own database file via PELATIHAN_DB."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pelatihan_cli.cli import app
from pelatihan_cli.db import open_db


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    monkeypatch.setenv("PELATIHAN_DB", str(tmp_path / "test.db"))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("PELATIHAN_DEBUG", raising=False)


#: test modules whose imports run twice: on the import's own connection (what files under
#: 256 KiB use) and by the writer process (services/import_writer.py; larger files). Every
#: other test imports through the writer process, whatever the file's size.
_BOTH_WRITE_PATHS = ("test_services_participant_import", "test_cli_participant_import")


def pytest_generate_tests(metafunc):
    if "import_writes" in metafunc.fixturenames and metafunc.module.__name__.split(".")[-1].startswith(
            _BOTH_WRITE_PATHS):
        metafunc.parametrize("import_writes", ["one connection", "writer process"], indirect=True)


@pytest.fixture(autouse=True)
def import_writes(request, monkeypatch):
    """How `participant import` writes in this test (see _BOTH_WRITE_PATHS)."""
    from pelatihan_cli.services import participant_import

    mode = getattr(request, "param", "writer process")
    monkeypatch.setattr(participant_import, "WRITER_MIN_BYTES", 0 if mode == "writer process" else 1 << 62)
    monkeypatch.setattr(participant_import, "WRITER_MIN_CPUS", 1)   # a one-core CI machine too
    return mode


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "test.db"


@pytest.fixture
def db(db_path):
    """A migrated, empty database (the same file the CLI uses in this test)."""
    database = open_db(db_path, create=True)
    yield database
    database.conn.close()


@pytest.fixture
def pekalongan_db(db):
    """The database with the 27 kelurahan of Kota Pekalongan."""
    from pelatihan_cli.services import kelurahan

    kelurahan.load_pekalongan(db)
    return db


class Runner:
    """CliRunner wrapper: `cli("kelurahan", "list")` -> Result with stdout/stderr split."""

    def __init__(self):
        self._runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self._runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)


@pytest.fixture
def cli(db_path):
    """The CLI on this test's database, created first (as `pelatihan init` would): only
    init and restore create a database. Pass --db for another file."""
    if not db_path.exists():
        open_db(db_path, create=True).conn.close()
    return Runner()


@pytest.fixture
def run_cli():
    """Run `python -m pelatihan_cli ARGS` in a fresh process (the fault suite's end-to-end
    runs): `run_cli("--db", path, "kelurahan", "list")` -> CompletedProcess (text)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent

    def run(*args, input: str | None = None, timeout: float = 120, env: dict | None = None):
        return subprocess.run(
            [sys.executable, "-m", "pelatihan_cli", *[str(a) for a in args]],
            input=input, capture_output=True, text=True, timeout=timeout, cwd=root,
            env={**os.environ, **(env or {})},
        )

    return run
