"""One grammar (issue 13, point 3): a short option means the same in every command, and
every command has --format; the enrollment commands take SESSION NIK."""

from __future__ import annotations

import json

import typer

from pelatihan_cli.cli import app

#: the only short options, each for one long name
SHORT = {"-k": "--kelurahan", "-K": "--kecamatan", "-s": "--session", "-S": "--skill", "-i": "--instructor",
         "-p": "--programme", "-f": "--format", "-o": "--output", "-y": "--yes", "-h": "--help"}
LONG = {v: k for k, v in SHORT.items()}


def all_commands():
    """(path, click command) of every leaf command, the lazy groups loaded."""
    root = typer.main.get_command(app)
    ctx = typer.Context(root)
    out = []

    def walk(group, path, ctx):
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            if cmd is None:
                continue
            if hasattr(cmd, "list_commands"):
                walk(cmd, (*path, name), typer.Context(cmd, parent=ctx))
            else:
                out.append(((*path, name), cmd))

    walk(root, (), ctx)
    return out


def _options(cmd):
    return [p for p in cmd.params if getattr(p, "param_type_name", "") == "option"]


def test_a_short_option_means_the_same_everywhere():
    wrong = []
    for path, cmd in all_commands():
        for p in _options(cmd):
            longs = [o for o in p.opts if o.startswith("--")]
            for o in p.opts + p.secondary_opts:
                if o.startswith("--"):
                    continue
                if SHORT.get(o) not in longs:
                    wrong.append(f"{' '.join(path)}: {o} is {longs}")
            for o in longs:
                if o in LONG and LONG[o] not in p.opts:
                    wrong.append(f"{' '.join(path)}: {o} lacks {LONG[o]}")
    assert not wrong, "\n".join(wrong)


# --- commands on an enrollment: SESSION NIK ------------------------------------------------

import pytest  # noqa: E402

from tests.factories import make_session  # noqa: E402

NIK = "3375014107900001"
DEPRECATED_ENROLL = ("Warning: 'participant enroll SESSION --nik NIK' is deprecated; "
                     "write 'participant enroll SESSION NIK'.\n")
DEPRECATED_MOVE = ("Warning: 'participant move NIK --to SESSION' is deprecated; "
                   "write 'participant move SESSION NIK --to SESSION2'.\n")


@pytest.fixture
def two(db):
    return (make_session(db, days=("2030-07-01", "2030-07-02")),
            make_session(db, skill="Menjahit", days=("2030-08-05",)))


def _status(db, sid):
    row = db.execute("SELECT e.status FROM enrollment e JOIN participant p ON p.id = e.participant_id "
                     "WHERE e.session_id = ? AND p.nik = ?", [sid, NIK]).fetchone()
    return row and row[0]


def test_enroll_withdraw_move_take_session_nik(cli, db, two):
    a, b = two
    r = cli("participant", "enroll", a, NIK, "--name", "Siti Aminah")
    assert r.exit_code == 0 and "Warning" not in r.stderr and "Error" not in r.stderr, r.stderr
    r = cli("participant", "move", a, NIK, "--to", b)
    assert r.exit_code == 0 and "Warning" not in r.stderr and "Error" not in r.stderr, r.stderr
    assert (_status(db, a), _status(db, b)) == ("withdrawn", "enrolled")
    r = cli("participant", "withdraw", b, NIK)
    assert r.exit_code == 0 and "Warning" not in r.stderr and "Error" not in r.stderr, r.stderr
    assert _status(db, b) == "withdrawn"


def test_old_forms_still_work_with_a_deprecation_line(cli, db, two):
    a, b = two
    r = cli("participant", "enroll", a, "--nik", NIK, "--name", "Siti Aminah")
    assert r.exit_code == 0 and r.stderr.startswith(DEPRECATED_ENROLL)
    assert _status(db, a) == "enrolled"
    r = cli("participant", "move", NIK, "--to", b)
    assert r.exit_code == 0 and r.stderr.startswith(DEPRECATED_MOVE)
    assert (_status(db, a), _status(db, b)) == ("withdrawn", "enrolled")


@pytest.mark.parametrize("command", [("withdraw",), ("enroll", "--name", "Siti Aminah"), ("move", "--to", "2")])
def test_swapped_arguments_say_the_order(cli, db, two, command):
    a, _ = two
    r = cli("participant", command[0], NIK, a, *command[1:])
    assert r.exit_code == 2
    text = " ".join(r.stderr.replace("│", " ").split())
    assert "337501******0001 is a NIK, not a session: the order is SESSION NIK" in text
    assert f"pelatihan participant {command[0]} {a} 337501******0001" in text
    assert "There is no session" not in r.stderr and NIK not in r.stderr


def test_enroll_without_a_nik_is_a_usage_error(cli, two):
    r = cli("participant", "enroll", two[0], "--name", "Siti Aminah")
    assert r.exit_code == 2 and "participant enroll SESSION NIK" in r.stderr


def test_unknown_session_is_one_sentence_and_exit_1(cli, two):
    for args in (["participant", "enroll", "99", NIK, "--name", "Siti"], ["participant", "withdraw", "99", NIK],
                 ["session", "show", "99"], ["attendance", "show", "99"], ["roster", "2030-07-01", "-s", "99"]):
        r = cli(*args)
        assert (r.exit_code, r.stderr) == (1, "Error: No session with id 99; see `pelatihan session list`.\n"), args


# --- scripts and pipes (point 4) ------------------------------------------------------------

def test_in_a_pipe_a_write_command_prints_only_its_result(cli, pekalongan_db):
    # CliRunner's stdout is not a terminal: the id alone on stdout, the sentence on stderr
    r = cli("session", "plan", "Medono", "-S", "Merajut", "--start", "2030-07-01")
    assert r.exit_code == 0
    assert r.stdout == "1\n"
    assert "Planned session 1: Medono, Merajut" in r.stderr
    r = cli("session", "plan", "Medono", "-S", "Tas", "--start", "2030-08-01", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["id"] == 2 and "Planned" not in r.stderr
    r = cli("participant", "enroll", "1", NIK, "--name", "Siti Aminah")
    assert r.exit_code == 0 and r.stdout == "" and r.stderr.startswith("Enrolled Siti Aminah in session 1")


def test_id_captured_by_a_shell(run_cli, tmp_path):
    import subprocess

    db = tmp_path / "pipe.db"
    assert run_cli("--db", db, "init", "--pekalongan").returncode == 0
    script = (f'id=$("$PY" -m pelatihan_cli --db "{db}" session plan Medono -S Merajut --start 2030-07-01) '
              '&& echo "got [$id]"')
    import os
    import sys
    from pathlib import Path

    p = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=Path(__file__).parent.parent,
                       env={**os.environ, "PY": sys.executable}, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "got [1]\n"
    assert "Planned session 1: Medono, Merajut" in p.stderr


@pytest.mark.parametrize("args,kind", [
    (["roster", "2030-07-01", "--format", "pdf", "-o", "{dir}/daftar.xlsx"], "pdf"),
    (["roster", "2030-07-01", "--format", "xlsx", "-o", "{dir}/daftar.pdf"], "xlsx"),
    (["export", "--format", "xlsx", "-o", "{dir}/data.pdf"], "xlsx"),
    (["report", "outcomes", "--format", "xlsx", "-o", "{dir}/hasil.txt"], "xlsx"),
    (["report", "certificates", "1", "--format", "xlsx", "-o", "{dir}/sertifikat.csv"], "xlsx"),
    (["followup", "due", "--months", "3", "--format", "xlsx", "-o", "{dir}/tracer.csv"], "xlsx"),
    (["certificate", "print", "1", "-o", "{dir}/sertifikat.xlsx"], "pdf"),
])
def test_a_pdf_or_xlsx_file_must_be_named_so(cli, two, tmp_path, args, kind):
    """Every command that writes a pdf or an xlsx refuses a name with another ending (a PDF
    saved as daftar.xlsx opens in nothing), before any work, writing nothing."""
    out = tmp_path / "out"
    out.mkdir()
    r = cli(*[a.replace("{dir}", str(out)) for a in args])
    assert r.exit_code == 1, (r.stdout, r.stderr)
    assert r.stderr.startswith("Error: ") and f"give a file name ending in .{kind}." in r.stderr
    assert list(out.iterdir()) == []
