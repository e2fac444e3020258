"""Start-up bench (issue 2): `pelatihan kelurahan list --format json` against
`sqlite-utils rows DB kelurahan` on the same database, in the same run.

Both are whole processes (interpreter start, imports, one query, JSON out), run
alternately several times; the script prints the medians and the ratio
pelatihan / sqlite-utils. Target: at most 1.0.

    python bench/startup.py [--runs 21]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} not found next to {sys.executable} or on PATH; run `make install` first")
    return found


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    pelatihan, sqlite_utils = tool("pelatihan"), tool("sqlite-utils")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        subprocess.run([pelatihan, "--db", db, "init", "--pekalongan"], check=True, stdout=subprocess.DEVNULL)
        ours_cmd = [pelatihan, "--db", db, "kelurahan", "list", "--format", "json"]
        peer_cmd = [sqlite_utils, "rows", db, "kelurahan"]
        for cmd in (ours_cmd, peer_cmd):  # warm the page cache and .pyc files
            timed(cmd)
        ours, peer = [], []
        for _ in range(args.runs):
            ours.append(timed(ours_cmd))
            peer.append(timed(peer_cmd))
    m_ours, m_peer = statistics.median(ours), statistics.median(peer)
    print(f"pelatihan kelurahan list --format json : median {m_ours * 1000:6.1f} ms over {args.runs} runs")
    print(f"sqlite-utils rows DB kelurahan (peer)   : median {m_peer * 1000:6.1f} ms over {args.runs} runs")
    print(f"ratio pelatihan / sqlite-utils          : {m_ours / m_peer:.2f}  (target <= 1.0)")


if __name__ == "__main__":
    main()
