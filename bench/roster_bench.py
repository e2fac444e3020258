"""Time the 40-person roster PDF against peers measured in the same run.

    python bench/roster_bench.py [--runs 7]

Renders one session of 40 participants with render.roster_pdf (embedded DejaVu Sans,
staggered signatures, per-session page numbers) and, as peers on the same rows: a plain
fpdf2 table in the built-in Helvetica font (no font embedding: what fpdf2 costs at
least) and the same roster as xlsx (render.roster_xlsx). Prints the median of several
runs and the ratio to each peer; the first (cold) run, which includes importing fpdf2
and parsing the font, is printed separately.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pelatihan_cli.render.roster_pdf import render_roster_pdf  # noqa: E402
from pelatihan_cli.render.roster_xlsx import write_roster_xlsx  # noqa: E402
from pelatihan_cli.services.documents import KEYS  # noqa: E402

DOCS = {k[4:]: default for k, (default, _help) in KEYS.items()}
FIRST = ["Siti", "Nur’aini", "Zoë", "Budi", "Ahmad", "Dewi", "Rina", "Agus", "Sri", "Eko"]
LAST = ["Rahayu", "Santoso", "Wijaya", "Hidayat", "Lestari", "Saputra", "Kurniawan", "Pratama"]


def session(n: int = 40) -> dict:
    people = sorted(f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}" for i in range(n))
    return {
        "session_id": 1, "kelurahan": "Bendan Kergon", "kecamatan": "Pekalongan Barat", "skill": "Merajut",
        "date": "2024-07-02", "day": 1, "of_days": 2, "venue": "Aula Kelurahan Bendan Kergon",
        "instructors": ["Sri Wahyuni"],
        "participants": [
            {"no": i, "nik": f"337501******{i:04d}", "name": name, "sex": "LP"[i % 2],
             "address": f"Jl. Dr. Wahidin Gg. {i % 7 + 1} No. {i + 3}, RT 0{i % 9 + 1}/RW 0{i % 4 + 1}",
             "phone": f"0812-****-{i:04d}"}
            for i, name in enumerate(people, start=1)
        ],
    }


def plain_fpdf(s: dict) -> bytes:
    """Peer: the same rows as a plain fpdf2 table in a core font (no embedding)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=8)
    pdf.add_page()
    widths = (7, 40, 31, 7, 36, 26, 33)
    for p in s["participants"]:
        cells = [str(p["no"]), p["name"], p["nik"], p["sex"], p["address"], p["phone"], ""]
        for w, text in zip(widths, cells):
            pdf.cell(w, 9, text.encode("latin-1", "replace").decode("latin-1")[:40], border=1)
        pdf.ln(9)
    return bytes(pdf.output())


def timed(fn, runs: int) -> tuple[float, float]:
    t = time.perf_counter()
    fn()
    cold = time.perf_counter() - t
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return cold, statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    s = session(40)
    with tempfile.TemporaryDirectory() as tmp:
        xlsx_path = Path(tmp) / "r.xlsx"
        results = {
            "roster PDF (DejaVu embedded)": timed(lambda: render_roster_pdf([s], DOCS), args.runs),
            "peer: plain fpdf2 table, Helvetica": timed(lambda: plain_fpdf(s), args.runs),
            "peer: same roster as xlsx": timed(lambda: write_roster_xlsx(xlsx_path, [s], DOCS), args.runs),
        }
    data, facts = render_roster_pdf([s], DOCS)
    print(f"40-person roster: {facts['pages']} page(s), {len(data) / 1024:.0f} KiB; median of {args.runs} runs")
    ours = results["roster PDF (DejaVu embedded)"][1]
    for name, (cold, median) in results.items():
        ratio = "" if median == ours else f"  (roster PDF = {ours / median:.1f}x this)"
        print(f"  {name:38s} median {median * 1000:7.1f} ms   cold {cold * 1000:7.1f} ms{ratio}")


if __name__ == "__main__":
    main()
