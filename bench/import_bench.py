"""Benchmark `pelatihan participant import` against its peers, in the same run.

Builds a synthetic province in a temporary directory (about 2,500 kelurahan, two 20-seat
skill tracks each), writes a 100,000-row CSV of valid participants (40 per kelurahan,
Indonesian headers, DD/MM/YYYY dates, NIKs of the four kecamatan of Kota Pekalongan, 3375.01-04,
names from ~50,000 combinations), compiles this checkout's bytecode (as pip does for the
peer), then times:

  1. `pelatihan participant import FILE`           (every row validated and enrolled)
  2. `sqlite-utils insert DB t FILE --csv`         (the peer: no validation, no report)
  3. the sqlite3 shell's `.import FILE t`          (the floor: C code, no validation)

and prints both ratios (issue 10: import <= 1.0 x sqlite-utils, goal 0.5; aim: <= 5 x sqlite3).
With --capacity it checks that a row's cost does not grow as its session fills: 5,000 rows
into one 1,000-seat session (waitlisted past the seats) against 20,000 rows into one
100,000-seat session (capacity_max raised for the run); rows per second should match.
With --xlsx it imports the same 100k rows from an xlsx (with the hidden-row pre-pass)
against a plain openpyxl read-only scan of that file (target: <= 1.0).
With --million it also imports a 1,000,000-row file (sessions of 200 seats) and prints
the peak memory of that import: its process and its writer process together (a file of
256 KiB or more is written by a second process, services/import_writer.py), sampled from
/proc (target: under 200 MB).
--profile runs the 100k import in-process under cProfile and prints where the time goes.

    python bench/import_bench.py [--capacity] [--xlsx] [--million] [--profile] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SKILLS = ("Merajut", "Desain Produk & Kemasan")
HEADERS = ["NIK", "Nama", "Tanggal Lahir", "JK", "Alamat", "Kelurahan", "No HP", "Pelatihan"]
# names as varied as a city's: ~50,000 combinations, so that two rows share a name and a
# birth date (a "possible duplicate" warning) about as rarely as in a real list
FIRST = ["Siti", "Sri", "Nur", "Dewi", "Agus", "Budi", "Slamet", "Eko", "Rina", "Ahmad", "Muhammad", "Yuni",
         "Ani", "Tri", "Dwi", "Endang", "Joko", "Wahyu", "Rizky", "Fitri", "Indah", "Lina", "Hadi", "Teguh",
         "Retno", "Ratna", "Yusuf", "Ali", "Umar", "Khoirul", "Nining", "Tuti", "Wati", "Heru", "Bambang",
         "Sugeng", "Mega", "Putri", "Ayu", "Dian"]
MIDDLE = ["", "", "", "Nur", "Dwi", "Tri", "Eka", "Sri", "Ayu", "Putri", "Budi", "Adi", "Rahma", "Tri",
          "Wulan", "Fajar", "Indra", "Ika", "Laila", "Hana", "Dyah", "Rini", "Ari", "Wahyu", "Agung", "Bayu",
          "Citra", "Kurnia", "Mulya", "Nanda"]
SECOND = ["Aminah", "Wahyuni", "Lestari", "Setiawan", "Santoso", "Hidayat", "Pratama", "Rahayu", "", "Susanti",
          "Purnomo", "Kurniawan", "Saputra", "Handayani", "Wibowo", "Nugroho", "Maulana", "Rohmah", "Fauziah",
          "Hasanah", "Mulyani", "Suryani", "Prasetyo", "Utomo", "Firmansyah", "Ramadhan", "Safitri",
          "Anggraini", "Kusuma", "Permata", "Hakim", "Syahputra", "Yulianti", "Astuti", "Marlina", "Rosita",
          "Zahra", "Fadillah", "Azizah", "Munawaroh"]
START = dt.date(2030, 7, 1)


def build_db(path: Path, kelurahan: int, capacity: int, tracks: int = 2) -> None:
    """A migrated pelatihan database with `kelurahan` kelurahan x `tracks` planned sessions
    of a 2030 programme."""
    from pelatihan_cli.db import open_db

    db = open_db(path, create=True)
    conn = db.conn
    with conn:
        conn.execute("INSERT INTO programme (id, name, name_key, year, start_date, end_date, funding, title) "
                     "VALUES (1, 'Bench 2030', 'bench2030', 2030, '2030-01-01', '2030-12-31', 'DBHCHT', 'Bench')")
        conn.execute("INSERT INTO setting (key, value) VALUES ('capacity_max', '1000000') "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        conn.executemany("INSERT INTO skill (name, name_key) VALUES (?, ?)",
                         [(s, s.lower().replace(" ", "")) for s in SKILLS])
        conn.executemany(
            "INSERT INTO kelurahan (id, name, name_key, kecamatan) VALUES (?, ?, ?, ?)",
            [(k, f"Kelurahan {k:05d}", f"kelurahan{k:05d}", f"Kecamatan {k // 20:03d}") for k in range(1, kelurahan + 1)])
        sessions, days = [], []
        sid = 0
        for k in range(1, kelurahan + 1):
            first = START + dt.timedelta(days=(k % 60))
            for skill in (1, 2)[:tracks]:
                sid += 1
                sessions.append((sid, k, skill, first.isoformat(), 2, capacity))
                days += [(sid, 1, first.isoformat()), (sid, 2, (first + dt.timedelta(days=1)).isoformat())]
        conn.executemany("INSERT INTO session (id, kelurahan_id, skill_id, start_date, days, capacity, programme_id) "
                         "VALUES (?, ?, ?, ?, ?, ?, 1)", sessions)
        conn.executemany("INSERT INTO session_day (session_id, day_no, date) VALUES (?, ?, ?)", days)
    conn.close()


def write_csv(path: Path, kelurahan: int, per_track: int, seed: int = 7, skills=SKILLS) -> int:
    """per_track participants per skill per kelurahan; returns the number of rows."""
    rng = random.Random(seed)
    serial: dict[str, int] = {}
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADERS)
        for k in range(1, kelurahan + 1):
            for skill in skills:
                for _ in range(per_track):
                    woman = rng.random() < 0.7
                    birth = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 38))
                    prefix = f"33750{k % 4 + 1}{birth.day + (40 if woman else 0):02d}{birth:%m%y}"
                    s = serial.get(prefix, 0) + 1
                    serial[prefix] = s
                    name = " ".join(w for w in (rng.choice(FIRST), rng.choice(MIDDLE), rng.choice(SECOND)) if w)
                    phone = f"08{rng.choice('1235789')}{rng.randint(10**8, 10**9 - 1)}" if rng.random() < 0.9 else ""
                    w.writerow([f"{prefix}{s:04d}", name, birth.strftime("%d/%m/%Y"), "P" if woman else "L",
                                f"Jl. Melati No. {rng.randint(1, 200)}", f"Kelurahan {k:05d}", phone, skill])
                    n += 1
    return n


def run_measured(cmd: list[str], tree: bool = False) -> tuple[float, int, int, str, str]:
    """Run a child and return (seconds, peak RSS in KiB, exit code, stdout, stderr). The
    peak is os.wait4's ru_maxrss (the child, or its largest reaped child process); with
    `tree`, the peak of the sum of the child's and its own children's RSS (a large import
    has a writer process beside it), sampled every 20 ms from /proc (Linux)."""
    import threading

    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)   # `-m pelatihan_cli`: this checkout
        peak = [0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.02):
                try:
                    pids = [str(p.pid), *open(f"/proc/{p.pid}/task/{p.pid}/children").read().split()]
                    peak[0] = max(peak[0], sum(_rss_kib(pid) for pid in pids))
                except OSError:
                    return

        sampler = threading.Thread(target=sample, daemon=True)
        if tree:
            sampler.start()
        _, status, usage = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - t0
        stop.set()
        if tree:
            sampler.join()
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (elapsed, max(usage.ru_maxrss, peak[0]), p.returncode, out.read().decode(),
                err.read().decode())


def _rss_kib(pid: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            return next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
    except OSError:
        return 0


def pelatihan_cmd(db: Path, csv_path: Path) -> list[str]:
    return [sys.executable, "-m", "pelatihan_cli", "--db", str(db), "participant", "import", str(csv_path),
            "--format", "json"]


def sqlite_utils_cmd(db: Path, csv_path: Path) -> list[str]:
    exe = shutil.which("sqlite-utils") or str(Path(sys.executable).with_name("sqlite-utils"))
    return [exe, "insert", str(db), "t", str(csv_path), "--csv"]


def check_import(rc: int, out: str, err: str, rows: int) -> None:
    import json

    if rc != 0:
        raise SystemExit(f"pelatihan import failed (exit {rc}):\n{err[-2000:]}")
    summary = json.loads(out)
    if summary["read"] != rows or summary["enrolled"] + summary["waitlisted"] != rows:
        raise SystemExit(f"unexpected summary: { {k: v for k, v in summary.items() if k != 'errors'} }")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kelurahan", type=int, default=2500)
    ap.add_argument("--million", action="store_true", help="also import 1,000,000 rows and report peak memory")
    ap.add_argument("--profile", action="store_true", help="profile the 100k import in-process (cProfile)")
    ap.add_argument("--keep", type=Path, help="work in this directory and keep the files")
    ap.add_argument("--capacity", action="store_true", help="also check the cost per row as a session fills")
    ap.add_argument("--xlsx", action="store_true", help="also import the 100k rows from xlsx against an openpyxl scan")
    args = ap.parse_args()
    # this checkout's bytecode, as `pip install` writes it for the peer (a shell with
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every run)
    import compileall

    compileall.compile_dir(ROOT / "pelatihan_cli", quiet=1)

    tmp = args.keep or Path(tempfile.mkdtemp(prefix="pelatihan-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        base = tmp / "province.db"
        base.unlink(missing_ok=True)
        build_db(base, args.kelurahan, capacity=20)
        data = tmp / "participants_100k.csv"
        rows = write_csv(data, args.kelurahan, per_track=20)
        size_mb = data.stat().st_size / 1e6
        print(f"province: {args.kelurahan} kelurahan x 2 tracks of 20 seats; {rows:,} rows ({size_mb:.1f} MB CSV)")

        db = tmp / "import.db"
        shutil.copy(base, db)
        if args.profile:
            profile(db, data)
            return
        t_imp, rss_imp, rc, out, err = run_measured(pelatihan_cmd(db, data), tree=True)
        check_import(rc, out, err, rows)

        peer = tmp / "peer.db"
        peer.unlink(missing_ok=True)
        t_su, _, rc, _, err = run_measured(sqlite_utils_cmd(peer, data))
        if rc != 0:
            raise SystemExit(f"sqlite-utils failed: {err}")

        floor = tmp / "floor.db"
        floor.unlink(missing_ok=True)
        t_sq, _, rc, _, err = run_measured(["sqlite3", str(floor), "-cmd", ".mode csv", f".import {data} t"])
        if rc != 0:
            raise SystemExit(f"sqlite3 .import failed: {err}")

        print(f"pelatihan participant import : {t_imp:6.2f} s  (peak RSS {rss_imp / 1024:.0f} MB with its writer)")
        print(f"sqlite-utils insert --csv    : {t_su:6.2f} s")
        print(f"sqlite3 .import              : {t_sq:6.2f} s")
        print(f"ratio import / sqlite-utils  : {t_imp / t_su:6.2f}  (issue 10: target <= 1.0, goal 0.5)")
        print(f"ratio import / sqlite3 shell : {t_imp / t_sq:6.2f}  (aim <= 5)")

        if args.capacity:
            capacity_case(tmp)
        if args.xlsx:
            xlsx_case(tmp, data, base, rows)
        if args.million:
            big_db = tmp / "million.db"
            big_db.unlink(missing_ok=True)
            build_db(big_db, args.kelurahan, capacity=200)
            big = tmp / "participants_1m.csv"
            n = write_csv(big, args.kelurahan, per_track=200)
            t_big, rss_big, rc, out, err = run_measured(pelatihan_cmd(big_db, big), tree=True)
            check_import(rc, out, err, n)
            print(f"1M import: {n:,} rows ({big.stat().st_size / 1e6:.0f} MB) in {t_big:.1f} s, "
                  f"peak RSS {rss_big / 1024:.0f} MB, import and its writer process together (target < 200 MB)")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def capacity_case(tmp: Path) -> None:
    """Rows per second into a small session (past its seats: waitlist) and a huge one."""
    rates = []
    for rows, capacity in ((5_000, 1_000), (20_000, 100_000)):
        db = tmp / f"cap{capacity}.db"
        db.unlink(missing_ok=True)
        build_db(db, 1, capacity=capacity, tracks=1)
        data = tmp / f"cap{capacity}.csv"
        n = write_csv(data, 1, per_track=rows, skills=SKILLS[:1])
        t, _, rc, out, err = run_measured(pelatihan_cmd(db, data))
        check_import(rc, out, err, n)
        rates.append(n / t)
        print(f"{n:,} rows into one session of capacity {capacity:,}: {t:6.2f} s ({n / t:,.0f} rows/s)")
    print(f"ratio rows/s (100,000 seats / 1,000 seats): {rates[1] / rates[0]:6.2f}  (linear: about 1; "
          "the first version fell to about 0.1)")


def xlsx_case(tmp: Path, data: Path, base: Path, rows: int) -> None:
    """The same rows from an xlsx against a plain openpyxl read-only scan of that file."""
    from openpyxl import Workbook

    book = tmp / "participants_100k.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Peserta")
    with data.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            ws.append(row)  # text cells, as a clerk's NIK column formatted as Text
    wb.save(book)
    db = tmp / "import_xlsx.db"
    shutil.copy(base, db)
    t_imp, rss, rc, out, err = run_measured(pelatihan_cmd(db, book), tree=True)
    check_import(rc, out, err, rows)
    scan = ("import sys\nfrom openpyxl import load_workbook\nwb = load_workbook(sys.argv[1], read_only=True)\n"
            "n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))\nprint(n)")
    t_scan, _, rc, out, err = run_measured([sys.executable, "-c", scan, str(book)])
    if rc != 0:
        raise SystemExit(f"openpyxl scan failed: {err}")
    print(f"pelatihan import of {rows:,} xlsx rows : {t_imp:6.2f} s (peak RSS {rss / 1024:.0f} MB with its writer)")
    print(f"openpyxl read-only scan            : {t_scan:6.2f} s")
    print(f"ratio import / openpyxl scan       : {t_imp / t_scan:6.2f}  (target <= 1.0)")


def profile(db: Path, data: Path) -> None:
    import cProfile
    import pstats

    from pelatihan_cli.db import open_db
    from pelatihan_cli.services.participant_import import import_participants

    d = open_db(db)
    pr = cProfile.Profile()
    t0 = time.perf_counter()
    pr.enable()
    s = import_participants(d, str(data))
    pr.disable()
    print(f"in-process import: {time.perf_counter() - t0:.2f} s under cProfile; enrolled {s.enrolled}, "
          f"rejected {s.rejected}")
    pstats.Stats(pr).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
