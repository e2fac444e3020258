"""Generate data/sample_participants.csv: 1,080 synthetic participants for the 2024
programme (40 per kelurahan of data/kelurahan_pekalongan.csv, 20 per skill track of
data/programme_2024.csv), deterministic (fixed seed); and, with --year 2025,
data/participants_2025.csv for data/programme_2025.csv, where about one in ten people
are 2024 alumni coming back for another skill (same NIK, name and birth date).

Synthetic, never real: every NIK carries kecamatan code 99 (`337599` + DDMMYY with +40
on the day for women + a serial), which no real NIK carries. Names are a realistic mix
of Javanese, Arabic-Islamic and modern Indonesian names; everyone is of productive age
(18-58) in July 2024. The file uses Indonesian headers (as a kelurahan office would
send) and mixes the date formats operators type: DD/MM/YYYY, YYYY-MM-DD and '2 Juli 1990'.

    python scripts/make_sample_participants.py            # rewrites data/sample_participants.csv
    python scripts/make_sample_participants.py --out X.csv
    python scripts/make_sample_participants.py --year 2025     # rewrites data/participants_2025.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PER_TRACK = 20
SEED = 2024
HEADERS = ["NIK", "Nama Lengkap", "Tgl Lahir", "L/P", "Alamat", "Kelurahan", "No HP", "Pelatihan"]

MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember"]

WOMEN_FIRST = [
    "Siti", "Sri", "Nur", "Dewi", "Endang", "Sumiati", "Tri", "Rina", "Yuni", "Wahyu", "Lestari", "Eka",
    "Ratna", "Fitri", "Ani", "Indah", "Lina", "Puji", "Umi", "Nining", "Kurniasih", "Dwi", "Rahayu",
    "Aisyah", "Fatimah", "Khadijah", "Zahra", "Nabila", "Putri", "Ayu", "Anisa", "Novita", "Retno",
    "Titik", "Suci", "Mega", "Diah", "Wulan", "Intan", "Sulastri", "Mariyam", "Istiqomah", "Rohmah",
    "Laila", "Maftuhah", "Nurul", "Astuti", "Kartini", "Yulia", "Rizka",
]
WOMEN_SECOND = [
    "Aminah", "Wahyuni", "Handayani", "Lestari", "Rahmawati", "Susanti", "Kurniawati", "Hidayah",
    "Maesaroh", "Fauziah", "Setyaningsih", "Purwanti", "Nurhayati", "Safitri", "Wulandari", "Rohani",
    "Mulyani", "Pratiwi", "Ningsih", "Sholikhah", "Khasanah", "Zulaikha", "Anggraini", "Permatasari",
    "Utami", "Marlina", "Yuliana", "Solikhatun", "Farida", "Latifah",
]
MEN_FIRST = [
    "Muhammad", "Ahmad", "Agus", "Budi", "Slamet", "Joko", "Eko", "Dwi", "Bambang", "Heru", "Rizki",
    "Fajar", "Arif", "Imam", "Yusuf", "Abdul", "Teguh", "Wahyu", "Hadi", "Sugeng", "Rudi", "Dimas",
    "Andi", "Bayu", "Nur", "Ilham", "Hendra", "Taufik", "Adi", "Fikri",
]
MEN_SECOND = [
    "Setiawan", "Santoso", "Prasetyo", "Hidayat", "Saputra", "Wibowo", "Nugroho", "Kurniawan",
    "Firmansyah", "Ramadhan", "Syaifudin", "Hakim", "Maulana", "Rahman", "Susilo", "Purnomo",
    "Riyanto", "Fauzi", "Arifin", "Mubarok", "Pratama", "Hermawan",
]
STREETS = [
    "Jl. Dr. Wahidin", "Jl. Hayam Wuruk", "Jl. Sultan Agung", "Jl. Kurinci", "Jl. Jlamprang",
    "Jl. Slamet", "Jl. Merdeka", "Jl. Diponegoro", "Jl. Urip Sumoharjo", "Jl. Sriwijaya",
    "Jl. Kartini", "Jl. Pattimura", "Jl. Gajah Mada", "Jl. Imam Bonjol", "Gg. Melati", "Gg. Mawar",
]
MOBILE_PREFIXES = ["0812", "0813", "0821", "0822", "0852", "0853", "0856", "0857", "0858", "0877",
                   "0878", "0895", "0896", "0898", "0881"]


def read_programme(path: Path) -> dict[str, list[str]]:
    """kelurahan -> [skill, ...] in file order."""
    out: dict[str, list[str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["kelurahan"].strip(), []).append(row["skill"].strip())
    return out


def read_kelurahan(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [row["name"].strip() for row in csv.DictReader(f)]


def person_name(rng: random.Random, woman: bool) -> str:
    first, second = (WOMEN_FIRST, WOMEN_SECOND) if woman else (MEN_FIRST, MEN_SECOND)
    shape = rng.random()
    if shape < 0.25:
        return rng.choice(first)                      # one name, common on Javanese KTPs
    if shape < 0.85:
        return f"{rng.choice(first)} {rng.choice(second)}"
    third = rng.choice(second)
    name = f"{rng.choice(first)} {rng.choice(first)} {third}"
    return name if len(set(name.split())) == 3 else f"{rng.choice(first)} {third}"


def format_date(rng: random.Random, d: dt.date) -> str:
    r = rng.random()
    if r < 0.55:
        return d.strftime("%d/%m/%Y")
    if r < 0.80:
        return d.isoformat()
    if r < 0.92:
        return f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}"
    return f"{d.day}/{d.month}/{d.year}"


def make_rows(kelurahan: list[str], programme: dict[str, list[str]], seed: int = SEED, *, year: int = 2024,
              serial_start: int = 1, alumni: list[list[str]] | None = None, alumni_share: float = 0.0) -> list[list[str]]:
    rng = random.Random(seed)
    ref = dt.date(year, 7, 1)
    by_kel_alumni: dict[str, list[list[str]]] = {}
    for row in alumni or []:
        by_kel_alumni.setdefault(row[5], []).append(row)
    used: set[str] = set()
    serial_by_prefix: dict[str, int] = {}
    rows: list[list[str]] = []
    missing = [k for k in kelurahan if len(programme.get(k, [])) < 2]
    if missing:
        raise SystemExit(f"the programme file lacks two skills for: {', '.join(missing)}")
    for kel in kelurahan:
        skills = programme[kel][:2]
        tracks = [s for s in skills for _ in range(PER_TRACK)]
        rng.shuffle(tracks)
        for skill in tracks:
            pool = by_kel_alumni.get(kel)
            if pool and rng.random() < alumni_share:
                back = pool.pop(rng.randrange(len(pool)))
                if back[7] != skill:  # an alumnus learns another skill
                    rows.append([*back[:7], skill])
                    used.add(back[0])
                    continue
            woman = rng.random() < 0.72
            age_days = rng.randint(18 * 365 + 10, 58 * 365)
            birth = ref - dt.timedelta(days=age_days)
            day = birth.day + (40 if woman else 0)
            prefix = f"337599{day:02d}{birth:%m}{birth:%y}"
            serial = serial_by_prefix.get(prefix, serial_start - 1) + 1
            serial_by_prefix[prefix] = serial
            nik = f"{prefix}{serial:04d}"
            assert nik not in used and len(nik) == 16
            used.add(nik)
            birth_text = format_date(rng, birth) if rng.random() < 0.96 else ""   # a few left to the NIK
            sex = "P" if woman else "L"
            if rng.random() < 0.08:
                sex = "Perempuan" if woman else "Laki-laki"
            address = f"{rng.choice(STREETS)} No. {rng.randint(1, 180)}, RT {rng.randint(1, 9):02d}/RW {rng.randint(1, 12):02d}"
            phone = ""
            if rng.random() < 0.9:
                p = rng.choice(MOBILE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(rng.choice((7, 8))))
                phone = p if rng.random() < 0.8 else "+62 " + p[1:]
            rows.append([nik, person_name(rng, woman), birth_text, sex, address, kel, phone, skill])
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--programme", type=Path)
    ap.add_argument("--kelurahan", type=Path, default=ROOT / "data" / "kelurahan_pekalongan.csv")
    args = ap.parse_args()
    kelurahan = read_kelurahan(args.kelurahan)
    if args.year == 2024:
        out = args.out or ROOT / "data" / "sample_participants.csv"
        rows = make_rows(kelurahan, read_programme(args.programme or ROOT / "data" / "programme_2024.csv"))
    else:
        out = args.out or ROOT / "data" / f"participants_{args.year}.csv"
        with (ROOT / "data" / "sample_participants.csv").open(encoding="utf-8", newline="") as f:
            alumni = list(csv.reader(f))[1:]
        # new people get serials from 5001, so that no NIK of theirs is a 2024 person's
        rows = make_rows(kelurahan, read_programme(args.programme or ROOT / "data" / f"programme_{args.year}.csv"),
                         seed=args.year, year=args.year, serial_start=5001, alumni=alumni, alumni_share=0.1)
    args.out = out
    with args.out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADERS)
        w.writerows(rows)
    print(f"wrote {len(rows)} participants to {args.out}")


if __name__ == "__main__":
    main()
