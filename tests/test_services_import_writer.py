"""The writer process of a large import (services/import_writer.py): what happens when it
is refused, cannot get the lock, dies, or is left behind by an interrupted import; and a
real file over the size limit through the installed console script."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sqlite3
import subprocess

import pytest

from factories import make_session
from pelatihan_cli.db import open_db
from pelatihan_cli.services import import_writer, participant_import
from pelatihan_cli.services.participant_import import import_participants
from test_cli_participant_import import START, nik
from test_entrypoint import _script

WRITER = pytest.mark.parametrize("import_writes", ["writer process"], indirect=True)
BOTH = pytest.mark.parametrize("import_writes", ["writer process", "one connection"], indirect=True)


def people(n: int) -> list[tuple[str, str]]:
    """n distinct (NIK, name) of people aged 20-60 in 2030."""
    out = []
    for i in range(n):
        birth = dt.date(1975, 1, 1) + dt.timedelta(days=(i * 37) % 12000)
        out.append((nik(birth, woman=i % 2 == 0, serial=i + 1), f"Peserta {i:05d}"))
    return out


def write_list(path, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["nik", "nama"])
        w.writerows(rows)


def table_counts(db) -> tuple[int, int, int, int]:
    return db.execute("SELECT (SELECT count(*) FROM participant), (SELECT count(*) FROM enrollment), "
                      "(SELECT coalesce(sum(enrolled), 0) FROM session), "
                      "(SELECT count(*) FROM audit_log WHERE action = 'participant.import')").fetchone()


@pytest.fixture
def session_id(pekalongan_db):
    return make_session(pekalongan_db, kelurahan="Medono", days=START, capacity=30)


@WRITER
def test_a_refused_write_runs_the_import_again_on_one_connection(pekalongan_db, session_id, tmp_path, monkeypatch):
    """The database refuses a write the checks in memory did not foresee (here: a row
    slipped into the second chunk with an id already taken): the writer rolls back
    everything, and the import runs again on its own connection; the result is that of
    a clean import (no row twice, one audit entry)."""
    monkeypatch.setattr(participant_import, "CHUNK_ROWS", 5)
    sent = []
    real_send = import_writer.WriterProcess.send

    def send(self, entries, people, statements):
        sent.append(len(statements))
        if len(sent) == 2:
            statements = [*statements, ("INSERT INTO participant (id, nik, name, sex) VALUES (?, ?, ?, ?)",
                                        [(1, "3375990000000000", "Taken", "L")])]
        real_send(self, entries, people, statements)

    monkeypatch.setattr(import_writer.WriterProcess, "send", send)
    f = tmp_path / "p.csv"
    write_list(f, people(12))
    s = import_participants(pekalongan_db, f, session_id=session_id)
    assert len(sent) == 2   # the writer was refused on its second chunk; the rest ran on one connection
    assert (s.enrolled, s.rejected, s.written) == (12, 0, True)
    assert table_counts(pekalongan_db) == (12, 12, 12, 1)
    assert [r[0] for r in pekalongan_db.execute("SELECT name FROM participant ORDER BY id")] == \
        [name for _, name in people(12)]


@WRITER
def test_the_writer_waits_for_the_lock_then_says_so(pekalongan_db, session_id, tmp_path, monkeypatch, cli, db_path):
    """Another process holds the write lock: the writer waits the busy timeout and the
    import ends with the one-line 'locked' error, exit 1, nothing written."""
    monkeypatch.setattr("pelatihan_cli.db.BUSY_TIMEOUT_MS", 300)
    f = tmp_path / "p.csv"
    write_list(f, people(3))
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        r = cli("participant", "import", f, "--session", session_id)
    finally:
        other.rollback()
        other.close()
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: The database stayed locked by another pelatihan process")
    assert "Traceback" not in r.stderr
    assert table_counts(pekalongan_db) == (0, 0, 0, 0)


@WRITER
def test_an_interrupted_import_keeps_nothing_and_leaves_the_database_usable(pekalongan_db, session_id, tmp_path,
                                                                             monkeypatch, db_path):
    """Ctrl-C after the writer wrote chunks: its transaction is rolled back when the import
    closes it, the -wal file is still there for the open connections, and the next
    import writes normally."""
    monkeypatch.setattr(participant_import, "CHUNK_ROWS", 2)
    monkeypatch.setattr(participant_import, "PROGRESS_EVERY", 1)
    f = tmp_path / "p.csv"
    write_list(f, people(10))
    calls = []

    def progress(done, total, unit):
        calls.append(done)
        if len(calls) == 7:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_participants(pekalongan_db, f, session_id=session_id, progress=progress)
    assert table_counts(pekalongan_db) == (0, 0, 0, 0)
    assert os.path.exists(f"{db_path}-wal")
    s = import_participants(pekalongan_db, f, session_id=session_id)
    assert s.enrolled == 10 and table_counts(pekalongan_db) == (10, 10, 10, 1)
    again = open_db(db_path)   # another connection sees the committed rows
    assert table_counts(again) == (10, 10, 10, 1)
    again.conn.close()


@WRITER
def test_a_writer_that_dies_is_an_error_line_and_nothing_is_kept(pekalongan_db, session_id, tmp_path, monkeypatch,
                                                                  cli):
    monkeypatch.setattr(participant_import, "CHUNK_ROWS", 2)
    real_send = import_writer.WriterProcess.send
    sent = []

    def send(self, entries, people, statements):
        sent.append(1)
        if len(sent) == 2:
            self._proc.kill()
            self._proc.wait()
        real_send(self, entries, people, statements)

    monkeypatch.setattr(import_writer.WriterProcess, "send", send)
    f = tmp_path / "p.csv"
    write_list(f, people(6))
    r = cli("participant", "import", f, "--session", session_id)
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: Database error: the import's writer process stopped (exit -9")
    assert "Traceback" not in r.stderr
    assert table_counts(pekalongan_db) == (0, 0, 0, 0)


@WRITER
def test_dry_run_through_the_writer_keeps_nothing(pekalongan_db, session_id, tmp_path):
    f = tmp_path / "p.csv"
    write_list(f, people(4))
    s = import_participants(pekalongan_db, f, session_id=session_id, dry_run=True)
    assert (s.enrolled, s.written) == (4, False)
    assert table_counts(pekalongan_db) == (0, 0, 0, 0)


def test_a_list_over_the_size_limit_through_the_console_script(tmp_path):
    """A real process on a real file over WRITER_MIN_BYTES (no test setting): ~2,700 people
    over 27 kelurahan, one track each; every row enrolled, the seats counted, one audit
    entry, and a second run finds everybody unchanged."""
    exe = _script()
    db_file = tmp_path / "big.db"
    db = open_db(db_file, create=True)
    from pelatihan_cli.services import kelurahan

    kelurahan.load_pekalongan(db)
    names = [r[0] for r in db.execute("SELECT name FROM kelurahan ORDER BY id")]
    for k in names:
        make_session(db, kelurahan=k, days=START, capacity=100)
    db.conn.close()
    rows = people(27 * 100)
    f = tmp_path / "big.csv"
    f.write_text("nik,nama,kelurahan,alamat\n" + "".join(
        f"{n},{name},{names[i % 27]},Jl. Melati No. {i} RT 01 RW 02 Kelurahan {names[i % 27]} Kota Pekalongan\n"
        for i, (n, name) in enumerate(rows)), encoding="utf-8")
    assert f.stat().st_size >= participant_import.WRITER_MIN_BYTES
    r = subprocess.run([exe, "--db", str(db_file), "participant", "import", str(f), "--format", "json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert (out["read"], out["enrolled"], out["rejected"]) == (2700, 2700, 0)
    db = open_db(db_file)
    assert table_counts(db) == (2700, 2700, 2700, 1)
    db.conn.close()
    r = subprocess.run([exe, "--db", str(db_file), "participant", "import", str(f), "--format", "json"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["unchanged"] == 2700


@BOTH
def test_the_writer_finds_possible_duplicates_and_stores_name_keys(pekalongan_db, session_id, tmp_path, monkeypatch):
    """The writer computes the new people's name keys and looks up possible duplicates
    before each chunk's writes: a twin of a person registered before the import, of one
    in an earlier chunk, and of one earlier in the same chunk are each warned once, and
    every stored key is the key of the stored name."""
    from factories import make_participant
    from pelatihan_cli.domain.names import person_name_key

    monkeypatch.setattr(participant_import, "CHUNK_ROWS", 3)
    born = dt.date(1990, 7, 2)
    make_participant(pekalongan_db, nik(born, woman=True, serial=900), "Hj. Siti Aminah", birth_date=born.isoformat())
    rows = [
        (nik(born, woman=True, serial=1), "SITI AMINAH, S.Pd."),      # twin of the registered person
        (nik(dt.date(1980, 1, 5), serial=2), "Budi Santoso"),
        (nik(dt.date(1981, 2, 6), serial=3), "Joko Widodo"),
        (nik(dt.date(1980, 1, 5), serial=4), "Budi Santoso"),          # twin of row 3 (an earlier chunk)
        (nik(dt.date(1970, 3, 9), serial=5), "Ani Lestari"),
        (nik(dt.date(1970, 3, 9), serial=6), "ANI LESTARI"),           # twin of row 6 (same chunk)
    ]
    f = tmp_path / "p.csv"
    write_list(f, rows)
    s = import_participants(pekalongan_db, f, session_id=session_id)
    assert s.errors == []
    twins = sorted((w["row"], w["message"].split(",")[0]) for w in s.warnings
                   if w["message"].startswith("possible duplicate"))
    assert twins == [(2, "possible duplicate: 'Hj. Siti Aminah'"), (5, "possible duplicate: 'Budi Santoso'"),
                     (7, "possible duplicate: 'Ani Lestari'")]
    stored = pekalongan_db.execute("SELECT name, person_key FROM participant WHERE id > 1").fetchall()
    assert len(stored) == 6 and all(key == person_name_key(name) for name, key in stored)


def test_the_writer_ignores_ctrl_c_and_obeys_its_parent(pekalongan_db, db_path):
    """Ctrl-C in a terminal reaches the writer too: it goes on, and only the parent's word
    (commit here; closing the pipe rolls back) decides what is kept."""
    import signal

    from pelatihan_cli.services.enrollment import _PARTICIPANT_INSERT_SQL, _TWINS_SQL, _TWINS_UNKEYED_SQL

    writer = import_writer.WriterProcess(str(db_path), busy_timeout_ms=1000, cache_kib=2000,
                                         twins_sql=(_TWINS_SQL, _TWINS_UNKEYED_SQL),
                                         people_sql=_PARTICIPANT_INSERT_SQL)
    try:
        writer._proc.send_signal(signal.SIGINT)
        row = (1, nik(dt.date(1990, 7, 2), woman=True), "Siti", "1990-07-02", "P", None, None, None, None, None,
               0, "35-44", None, None, None)
        writer.send([], [row], [])
        assert writer.receive() == []
        writer.commit()
    finally:
        writer.close()
    assert writer._proc.returncode == 0
    assert pekalongan_db.execute("SELECT name, person_key FROM participant").fetchall() == [("Siti", "siti")]


@pytest.mark.parametrize("cpus, writer", [(1, False), (2, True)])
def test_the_writer_only_with_two_cores(pekalongan_db, session_id, tmp_path, monkeypatch, cpus, writer):
    """With one core the two processes would only take turns: the import stays on one."""
    monkeypatch.setattr(participant_import, "WRITER_MIN_CPUS", 2)
    monkeypatch.setattr(participant_import, "_cpus", lambda: cpus)
    started = []
    real = import_writer.WriterProcess.__init__

    def init(self, *args, **kwargs):
        started.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(import_writer.WriterProcess, "__init__", init)
    f = tmp_path / "p.csv"
    write_list(f, people(3))
    s = import_participants(pekalongan_db, f, session_id=session_id)
    assert s.enrolled == 3 and bool(started) == writer


@WRITER
@pytest.mark.parametrize("how", ["no process", "stops at once"])
def test_a_writer_that_cannot_start_leaves_the_import_to_one_connection(pekalongan_db, session_id, tmp_path,
                                                                         monkeypatch, how):
    """No process to be had (OSError), or a child that dies before holding the lock: the
    import runs on its own connection, with the same result."""
    if how == "no process":
        def popen(*args, **kwargs):
            raise OSError(11, "Resource temporarily unavailable")
        monkeypatch.setattr(import_writer.subprocess, "Popen", popen)
    else:
        monkeypatch.setattr(import_writer, "__file__", str(tmp_path / "no_such_writer.py"))
    f = tmp_path / "p.csv"
    write_list(f, people(4))
    s = import_participants(pekalongan_db, f, session_id=session_id)
    assert (s.enrolled, s.written) == (4, True)
    assert table_counts(pekalongan_db) == (4, 4, 4, 1)
