"""Province-scale bench (issue 12): load all of Jawa Tengah (8,563 desa/kelurahan) into
fresh databases, against peers inserting the same rows, in the same run.

  1. `pelatihan init --region "Jawa Tengah"`        (from the built-in national list)
  2. `pelatihan kelurahan import jateng.csv`        (code,name,kecamatan; into a database
                                                     made by `pelatihan init` beforehand)
  3. the same two again on the loaded databases     (idempotent: nothing added)
  4. `sqlite-utils insert DB kelurahan FILE --csv`  (the peer: the same 8,563 rows with
                                                     kabupaten/kota and province, no checks)
  5. the sqlite3 shell's `.import FILE kelurahan`   (the floor: C code, no checks)

Each is a whole process, run --runs times on a fresh database (median). Prints the times
and the ratios against both peers. Target: each pelatihan command under 2 s.

    python bench/regions_bench.py [--runs 5] [--region "Jawa Tengah"] [--prefix 33.]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIST = ROOT / "data" / "wilayah_kemendagri_2025.csv.gz"


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"`{' '.join(cmd)}` failed (exit {r.returncode}):\n{r.stderr[-2000:]}")
    return elapsed


def pelatihan(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "pelatihan_cli", "--db", str(db), *args]


def write_files(tmp: Path, prefix: str) -> tuple[Path, Path, int]:
    """The province's rows as the import file (code,name,kecamatan) and as the peers'
    file (the five columns the kelurahan table ends up with)."""
    with gzip.open(LIST, "rt", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f) if r[0].startswith(prefix)]
    short, full = tmp / "region.csv", tmp / "region_full.csv"
    with short.open("w", encoding="utf-8", newline="") as a, full.open("w", encoding="utf-8", newline="") as b:
        wa, wb = csv.writer(a), csv.writer(b)
        wa.writerow(["code", "name", "kecamatan"])
        wb.writerow(["code", "name", "kecamatan", "kabupaten", "provinsi"])
        for r in rows:
            wa.writerow(r[:3])
            wb.writerow(r)
    return short, full, len(rows)


def count(db: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM kelurahan").fetchone()[0]
    finally:
        conn.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--region", default="Jawa Tengah")
    ap.add_argument("--prefix", default="33.", help="code prefix of the region's rows (for the files)")
    args = ap.parse_args()
    su = shutil.which("sqlite-utils") or str(Path(sys.executable).with_name("sqlite-utils"))
    tmp = Path(tempfile.mkdtemp(prefix="pelatihan-regions-"))
    try:
        short, full, n = write_files(tmp, args.prefix)
        times: dict[str, list[float]] = {k: [] for k in (
            "init --region", "kelurahan import", "init --region again", "kelurahan import again",
            "sqlite-utils insert", "sqlite3 .import")}
        for i in range(args.runs + 1):  # the first round warms the page cache and .pyc files
            a, b, c, d = (tmp / f"{x}{i}.db" for x in ("init", "import", "peer", "floor"))
            t = {"init --region": timed(pelatihan(a, "init", "--region", args.region))}
            timed(pelatihan(b, "init"))
            t["kelurahan import"] = timed(pelatihan(b, "kelurahan", "import", str(short)))
            t["init --region again"] = timed(pelatihan(a, "init", "--region", args.region))
            t["kelurahan import again"] = timed(pelatihan(b, "kelurahan", "import", str(short)))
            t["sqlite-utils insert"] = timed([su, "insert", str(c), "kelurahan", str(full), "--csv"])
            t["sqlite3 .import"] = timed(["sqlite3", str(d), "-cmd", ".mode csv", f".import {full} kelurahan"])
            for db in (a, b, c, d):
                if count(db) != n:
                    sys.exit(f"{db.name}: {count(db)} kelurahan, expected {n}")
            if i:
                for k, v in t.items():
                    times[k].append(v)
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"{args.region}: {n:,} desa/kelurahan; median of {args.runs} runs, each a fresh process")
        for k, v in med.items():
            print(f"  {k:<24}: {v:6.2f} s")
        peer, floor = med["sqlite-utils insert"], med["sqlite3 .import"]
        for k in ("init --region", "kelurahan import", "init --region again", "kelurahan import again"):
            ok = "ok" if med[k] < 2.0 else "OVER"
            print(f"  ratio {k:<22} / sqlite-utils {med[k] / peer:5.2f}, / sqlite3 {med[k] / floor:5.2f}"
                  f"  (target < 2 s: {ok})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
