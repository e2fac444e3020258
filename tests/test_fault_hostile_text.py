"""Fault suite: hostile text in names and addresses. Every value is stored verbatim (after
the usual whitespace clean-up) or refused with a clear error; none is ever executed as
SQL; exports are formula-safe."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from tests import factories

pytestmark = pytest.mark.fault

HOSTILE = [
    "O'Brien \"Bud\" d'Arc",
    "Robert'); DROP TABLE participant;--",
    "x' OR '1'='1",
    "Siti 🌸 Aminah 👩🏽‍🔧",
    "محمد علي الحبشي",
    "\u202eAnis\u202c Rahma",          # right-to-left override
    "=HYPERLINK(\"http://evil.example\",\"klik\")",
    "+cmd|' /C calc'!A0",
    "@SUM(A1) Sri",
    "-Eko Prasetyo",
    "Siti\x00Aminah",                   # NUL byte
    "Robert\\'; DELETE FROM enrollment; --",
]
FORMULA_START = ("=", "+", "-", "@")


def _nik(i: int) -> str:
    return f"33750101019{i:05d}"  # born 1 Jan 2001, male, serial i


@pytest.fixture
def session_id(pekalongan_db):
    sid = factories.make_session(pekalongan_db, capacity=40)
    return sid


def _import(run_cli, db_path, sid, rows, tmp_path, *extra):
    path = tmp_path / "hostile.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["nik", "nama", "jk", "alamat"])
        w.writeheader()
        w.writerows(rows)
    return run_cli("--db", db_path, "participant", "import", path, "--session", sid, *extra)


def _stored(db_path) -> dict[str, tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT nik, name, address FROM participant")}
    finally:
        conn.close()


def test_hostile_names_and_addresses_are_stored_verbatim_never_executed(run_cli, db_path, session_id, tmp_path):
    rows = [{"nik": _nik(i), "nama": text, "jk": "L", "alamat": text} for i, text in enumerate(HOSTILE, start=1)]
    r = _import(run_cli, db_path, session_id, rows, tmp_path)
    assert r.returncode == 0, r.stderr
    stored = _stored(db_path)
    assert len(stored) == len(HOSTILE)
    for i, text in enumerate(HOSTILE, start=1):
        assert stored[_nik(i)] == (text, text)
    conn = sqlite3.connect(db_path)
    tables = {t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"participant", "enrollment"} <= tables
    assert conn.execute("SELECT count(*) FROM enrollment").fetchone()[0] == len(HOSTILE)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()

    # a listing still works and the table survives
    r = run_cli("--db", db_path, "kelurahan", "list", "--format", "json")
    assert r.returncode == 0
    assert {k["name"]: k["participants"] for k in json.loads(r.stdout)}["Bendan Kergon"] == len(HOSTILE)

    # JSON export keeps the text verbatim
    out = tmp_path / "x.json"
    assert run_cli("--db", db_path, "export", "-o", out).returncode == 0, r.stderr
    names = {p["name"] for p in json.loads(out.read_text(encoding="utf-8"))["participants"]}
    assert names == set(HOSTILE)

    # xlsx export: no cell is a formula; formula-like text gets a leading quote
    from openpyxl import load_workbook

    out = tmp_path / "x.xlsx"
    r = run_cli("--db", db_path, "export", "-o", out, "--format", "xlsx")
    assert r.returncode == 0, r.stderr
    wb = load_workbook(out)
    ws = wb["participants"]
    header = [c.value for c in ws[1]]
    cells = [dict(zip(header, [c.value for c in row])) for row in ws.iter_rows(min_row=2)]
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                assert not (isinstance(cell.value, str) and cell.value.startswith(FORMULA_START))
    xl_names = {c["name"] for c in cells}
    assert "'=HYPERLINK(\"http://evil.example\",\"klik\")" in xl_names
    assert "'-Eko Prasetyo" in xl_names and "Siti\ufffdAminah" in xl_names  # NUL cannot live in xlsx
    assert "Robert'); DROP TABLE participant;--" in xl_names


def test_hostile_text_in_the_audit_log_is_quoted(run_cli, db_path, session_id, tmp_path):
    name = "Robert'); DROP TABLE audit_log;--"
    r = run_cli("--db", db_path, "kelurahan", "add", name, "--kecamatan", "=1+1")
    assert r.returncode == 0, r.stderr
    r = run_cli("--db", db_path, "log", "--limit", "1", "--format", "csv")
    assert r.returncode == 0
    (row,) = list(csv.DictReader(io.StringIO(r.stdout)))
    assert "DROP TABLE audit_log" in row["command"]
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] >= 2
    conn.close()


def test_very_long_text_is_refused_clearly_and_nothing_written(run_cli, db_path, session_id, tmp_path):
    rows = [
        {"nik": _nik(1), "nama": "Siti Aminah", "jk": "P", "alamat": "Jl. Merdeka"},
        {"nik": _nik(2), "nama": "A" * 100_000, "jk": "L", "alamat": "Jl. Merdeka"},
        {"nik": _nik(3), "nama": "Budi", "jk": "L", "alamat": "B" * 100_000},
    ]
    rows[0]["nik"] = _nik(1)[:6] + "41" + _nik(1)[8:]  # a woman: day + 40
    r = _import(run_cli, db_path, session_id, rows, tmp_path)
    assert r.returncode == 1
    assert "\nError: " in "\n" + r.stderr
    assert "Name is longer than 120 characters" in r.stderr
    assert "address is longer than 300 characters" in r.stderr
    assert "Traceback" not in r.stderr
    assert _stored(db_path) == {}


def test_a_nik_field_with_sql_is_refused(run_cli, db_path, session_id, tmp_path):
    rows = [{"nik": "1' OR '1'='1", "nama": "Siti", "jk": "P", "alamat": "x"}]
    r = _import(run_cli, db_path, session_id, rows, tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "nik" in r.stderr.lower()
    assert _stored(db_path) == {}


def test_hostile_text_through_participant_enroll(run_cli, cli, db_path, session_id):
    for i, text in enumerate(HOSTILE, start=1):
        args = ["participant", "enroll", session_id, _nik(i), "--name", text, "--address", text,
                "--format", "json"]
        if "\x00" in text:
            r = cli(*args)  # a real command line cannot carry NUL; in-process it can
            code, err = r.exit_code, r.stderr
        else:
            p = run_cli("--db", db_path, *args)
            code, err = p.returncode, p.stderr
        assert code in (0, 1), err
        assert "Traceback" not in err
        if code == 1:
            assert err.startswith("Error: ") or "\nError: " in err
    stored = _stored(db_path)
    for i, text in enumerate(HOSTILE, start=1):
        if _nik(i) in stored:
            assert stored[_nik(i)] == (text, text)
    assert len(stored) >= len(HOSTILE) - 1  # at most the NUL one may be refused

    # listings: JSON verbatim, CSV formula-safe
    r = run_cli("--db", db_path, "participant", "list", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert {p["name"] for p in json.loads(r.stdout)} == {v[0] for v in stored.values()}
    r = run_cli("--db", db_path, "participant", "list", "--format", "csv")
    assert r.returncode == 0, r.stderr
    for row in csv.DictReader(io.StringIO(r.stdout)):
        for value in row.values():
            assert not value.startswith(FORMULA_START), value
    r = run_cli("--db", db_path, "participant", "list")
    assert r.returncode == 0, r.stderr


def test_sql_text_in_search_and_lookups_is_only_data(run_cli, db_path, session_id):
    r = run_cli("--db", db_path, "participant", "enroll", session_id, _nik(1), "--name", "Siti Aminah")
    assert r.returncode == 0, r.stderr
    for args in (
        ("participant", "list", "--search", "' OR 1=1; DROP TABLE participant;--", "--format", "json"),
        ("participant", "list", "--kelurahan", "x'); DROP TABLE kelurahan;--", "--format", "json"),
        ("participant", "show", "3375'; DELETE FROM participant;--"),
    ):
        r = run_cli("--db", db_path, *args)
        assert r.returncode in (0, 1) and "Traceback" not in r.stderr
        if r.returncode == 0:
            assert json.loads(r.stdout) == []
    assert len(_stored(db_path)) == 1
