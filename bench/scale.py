"""Scale bench: the hot commands on a database of 1,000,000 participants across about
50,000 sessions, against the same commands on the demo database, in the same run.

    python bench/scale.py                      # 1,000,000 participants, 50,000 sessions
    python bench/scale.py --participants 200000 --sessions 10000 --runs 3   # quicker
    python bench/scale.py --keep out/bench     # keep both databases to look at

The demo database is built with the commands of `make demo` (27 kelurahan, the 2024
programme auto-planned, 1,080 participants imported). The big one is a copy of it plus,
written with direct SQL in one transaction, 2,000 more kelurahan, the extra sessions
(2 training days each, 2025 onwards), the extra participants (20 per session, enrolled,
30% with an AK1 card) and their attendance (day 1 all present, day 2 90%). So the slices
the first three commands look up (2 July 2024, kelurahan Medono) are the same in both,
and their outputs are compared: with the right indexes their time does not grow with the
database. The summary reads everything.

Each command runs in a fresh process (`python -m pelatihan_cli`), once to warm the page
cache and then --runs times; the median wall time is compared (big / small) and the
peak resident memory of the process is reported. Targets (issue 7): roster, session list
and participant list ratios at most 2; the summary at most 1 s on the big database.
A dry-run import of a 40-person list is timed too (ratio at most 2): the possible-duplicate
look-up must not read every registered person.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))   # this checkout's pelatihan_cli (the name key of build_big)
DATE = "2024-07-02"
KELURAHAN = "Medono"
COMMANDS = [
    ("roster", ["roster", DATE, "--format", "json"], 2.0),
    ("session list", ["session", "list", "--date", DATE, "--format", "json"], 2.0),
    ("participant list", ["participant", "list", "--kelurahan", KELURAHAN, "--format", "json"], 2.0),
    ("report summary", ["report", "summary", "--format", "json"], None),
    # a kelurahan's list of 40 new people (checked in full, then rolled back): its
    # possible-duplicate look-up must not read every registered person (m007)
    ("import 40 (dry)", ["participant", "import", "{list}", "-s", "1", "--dry-run", "--format", "json"], 2.0),
]
EXTRA_KELURAHAN = 2000


def cli(db: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    r = subprocess.run([sys.executable, "-m", "pelatihan_cli", "--db", str(db), *args],
                       capture_output=True, text=True, cwd=ROOT)
    if check and r.returncode != 0:
        sys.exit(f"`pelatihan {' '.join(args)}` failed:\n{r.stderr}")
    return r


def build_demo(db: Path) -> None:
    """The database `make demo` builds."""
    cli(db, "init", "--pekalongan")
    cli(db, "instructor", "import", str(ROOT / "data" / "instructors_2024.csv"))
    cli(db, "session", "auto-plan", "--from", "2024-07-01", "--to", "2024-08-27",
        "--requests", str(ROOT / "data" / "programme_2024.csv"), "--max-per-day", "2", "--format", "json")
    cli(db, "participant", "import", str(ROOT / "data" / "sample_participants.csv"))


def build_big(demo: Path, big: Path, participants: int, sessions: int) -> float:
    """Copy the demo database and add the bulk with direct SQL. Returns seconds taken."""
    t0 = time.perf_counter()
    src = sqlite3.connect(demo)
    dst = sqlite3.connect(big)
    src.backup(dst)
    src.close()
    per_session = max(1, -(-participants // sessions))
    c = dst
    c.execute("PRAGMA journal_mode = WAL")
    c.execute("PRAGMA synchronous = OFF")
    c.execute("PRAGMA cache_size = -200000")
    c.execute("BEGIN")
    # the capacity triggers check each insert; the bulk respects capacity by construction
    triggers = c.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _ in triggers:
        c.execute(f"DROP TRIGGER [{name}]")
    k0 = c.execute("SELECT coalesce(max(id), 0) FROM kelurahan").fetchone()[0]
    c.execute(
        """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
           INSERT INTO kelurahan (id, name, name_key, kecamatan)
           SELECT ? + i, printf('Kelurahan Sintetis %04d', i), printf('kelurahan sintetis %04d', i),
                  printf('Kecamatan Sintetis %03d', (i - 1) / 20 + 1) FROM n""", [EXTRA_KELURAHAN, k0])
    skills = [r[0] for r in c.execute("SELECT id FROM skill ORDER BY id")]
    c.execute("CREATE TEMP TABLE sk (n INTEGER PRIMARY KEY, id INTEGER)")
    c.executemany("INSERT INTO sk VALUES (?, ?)", list(enumerate(skills)))
    s0 = c.execute("SELECT coalesce(max(id), 0) FROM session").fetchone()[0]
    c.execute(
        """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
           INSERT INTO session (id, kelurahan_id, skill_id, start_date, days, capacity, venue)
           SELECT ? + i, ? + 1 + (i - 1) % ?, (SELECT id FROM sk WHERE n = i % (SELECT count(*) FROM sk)),
                  date('2025-01-06', '+' || ((i - 1) % 1500) || ' days'), 2, ?, 'Balai Kelurahan' FROM n""",
        [sessions, s0, k0, EXTRA_KELURAHAN, per_session])
    c.execute(
        """INSERT INTO session_day (session_id, day_no, date)
           SELECT id, 1, start_date FROM session WHERE id > ?
           UNION ALL SELECT id, 2, date(start_date, '+1 day') FROM session WHERE id > ?""", [s0, s0])
    p0 = c.execute("SELECT coalesce(max(id), 0) FROM participant").fetchone()[0]
    # the name key pelatihan stores with every person (m007), as its own writes would
    from pelatihan_cli.domain.names import person_name_key

    c.create_function("person_key", 1, person_name_key, deterministic=True)
    c.execute(
        """WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
           INSERT INTO participant (id, nik, name, birth_date, sex, address, kelurahan_id, phone,
                                    ak1_number, ak1_date, age_band, person_key)
           SELECT ? + i, printf('3399%012d', i), 'Peserta Sintetis ' || i,
                  date('1970-01-01', '+' || (i % 12000) || ' days'), CASE i % 2 WHEN 0 THEN 'L' ELSE 'P' END,
                  'Jl. Sintetis No. ' || (i % 200) || ', RT 0' || (i % 9 + 1),
                  ? + 1 + ((i - 1) / ?) % ?, printf('+62812%08d', i),
                  CASE WHEN i % 10 < 3 THEN 'AK1-' || i END, CASE WHEN i % 10 < 3 THEN '2025-02-01' END, '25-34',
                  person_key('Peserta Sintetis ' || i)
           FROM n""", [participants, p0, k0, per_session, EXTRA_KELURAHAN])
    e0 = c.execute("SELECT coalesce(max(id), 0) FROM enrollment").fetchone()[0]
    c.execute(
        """INSERT INTO enrollment (id, participant_id, session_id, year, status, seq)
           SELECT ? + (p.id - ?), p.id, ? + 1 + (p.id - ? - 1) / ?, 2025, 'enrolled', (p.id - ? - 1) % ? + 1
           FROM participant p WHERE p.id > ? AND ? + 1 + (p.id - ? - 1) / ? <= ?""",
        [e0, p0, s0, p0, per_session, p0, per_session, p0, s0, p0, per_session, s0 + sessions])
    c.execute(
        """INSERT INTO attendance (enrollment_id, day_no, present)
           SELECT id, 1, 1 FROM enrollment WHERE id > ?
           UNION ALL SELECT id, 2, CASE WHEN id % 10 = 0 THEN 0 ELSE 1 END FROM enrollment WHERE id > ?""", [e0, e0])
    for _, sql in triggers:
        c.execute(sql)
    c.execute("COMMIT")
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.close()
    return time.perf_counter() - t0


# Runs the CLI in the child and reports the child's own peak RSS (VmHWM of its memory
# map; ru_maxrss would include the bench process's memory, which a forked child inherits).
_CHILD = """
import atexit, sys
def _peak():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM'):
            sys.stderr.write('\\nPEAK_KB ' + line.split()[1] + '\\n')
atexit.register(_peak)
sys.argv = ['pelatihan', *sys.argv[1:]]
from pelatihan_cli.cli import main
main()
"""


def _run(db: Path, args: list[str]) -> tuple[float, float, int, str, str]:
    """One fresh process: (wall seconds, its peak RSS in MiB, exit code, stdout, stderr)."""
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", _CHILD, "--db", str(db), *args], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    err, _, peak = p.stderr.rpartition("PEAK_KB ")
    try:
        rss = int(peak.split()[0]) / 1024
    except (ValueError, IndexError):
        rss, err = 0.0, p.stderr
    return wall, rss, p.returncode, p.stdout, err.strip()


def measure(db: Path, args: list[str], runs: int) -> tuple[float, float, str, str]:
    """Median wall seconds, peak RSS MiB, stdout, error text (empty when fine)."""
    walls, peak, out = [], 0.0, ""
    for i in range(runs + 1):
        wall, rss, code, out, err = _run(db, args)
        if code != 0:
            return 0.0, 0.0, "", err.strip() or f"exit {code}"
        if i:  # the first run only warms the page cache
            walls.append(wall)
        peak = max(peak, rss)
    return statistics.median(walls), peak, out, ""


def write_list(path: Path, n: int) -> None:
    """n new people (NIKs, names and birth dates that agree) as a kelurahan office sends them."""
    import datetime as dt

    lines = ["nik,nama,tanggal_lahir,jk"]
    for i in range(n):
        born = dt.date(1980, 1, 1) + dt.timedelta(days=97 * i)
        lines.append(f"337501{born.day + 40:02d}{born:%m%y}{9000 + i:04d},Peserta Baru {i},{born:%d/%m/%Y},P")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--participants", type=int, default=1_000_000)
    ap.add_argument("--sessions", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=5, help="timed runs per command (after one warm-up)")
    ap.add_argument("--keep", type=Path, help="directory to keep the two databases in")
    a = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pelatihan-scale-"))
    try:
        demo, big = work / "demo.db", work / "big.db"
        t0 = time.perf_counter()
        build_demo(demo)
        print(f"demo database: built with the `make demo` commands in {time.perf_counter() - t0:.1f} s")
        secs = build_big(demo, big, a.participants, a.sessions)
        conn = sqlite3.connect(big)
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("participant", "session", "enrollment", "attendance", "kelurahan")}
        conn.close()
        print(f"big database:  {counts['participant']:,} participants, {counts['session']:,} sessions, "
              f"{counts['enrollment']:,} enrollments, {counts['attendance']:,} attendance marks, "
              f"{counts['kelurahan']:,} kelurahan; {big.stat().st_size / 2**20:.0f} MiB, built in {secs:.1f} s")
        print(f"median of {a.runs} runs per command (fresh process each, after one warm-up run)\n")
        print(f"{'command':<18} {'demo':>9} {'big':>9} {'ratio':>6} {'target':>8}  {'peak RSS demo/big':>18}  same output")
        failed = []
        list40 = work / "list40.csv"
        write_list(list40, 40)
        for label, args, target in COMMANDS:
            args = [str(list40) if arg == "{list}" else arg for arg in args]
            small_t, small_m, small_out, err = measure(demo, args, a.runs)
            if err:
                print(f"{label:<18} skipped: `pelatihan {' '.join(args)}` fails on the demo database ({err.splitlines()[-1]})")
                continue
            big_t, big_m, big_out, err = measure(big, args, a.runs)
            if err:
                print(f"{label:<18} FAILED on the big database: {err.splitlines()[-1]}")
                failed.append(label)
                continue
            ratio = big_t / small_t
            if target is None:
                goal, ok = "≤1 s", big_t <= 1.0
                same = "-"
            else:
                goal, ok = f"≤{target:g}", ratio <= target
                same = "yes" if small_out == big_out else "NO"
            print(f"{label:<18} {small_t * 1000:7.0f}ms {big_t * 1000:7.0f}ms {ratio:6.2f} {goal:>8}  "
                  f"{small_m:8.0f}/{big_m:<6.0f}MiB  {same}{'' if ok else '   <-- over target'}")
            if not ok:
                failed.append(label)
        print()
        print("all within target" if not failed else f"over target: {', '.join(failed)}")
        if a.keep:
            a.keep.mkdir(parents=True, exist_ok=True)
            for p in (demo, big):
                shutil.copy(p, a.keep / p.name)
            print(f"databases kept in {a.keep}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
