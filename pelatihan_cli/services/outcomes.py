"""`report outcomes`: what became of a programme's completers (the tracer study's answer).

People are counted once per programme, in the kelurahan and skill of the session they
completed (services/attendance.completed_sql). A person's outcome is their latest
follow-up answered on or after the last day of that training; earlier answers and none
count as not followed up. Rows per kelurahan, skill, sex and age band, and a total:
completers, followed up (and the response rate), employed, self-employed, *wirausaha baru*
(domain/outcomes.is_new_entrepreneur), seeking, studying, and the placement rate
((employed + self-employed) over followed up, and over completers, since non-response
inflates the first) beside the reference rate (setting outcomes_reference_rate).
"""

from __future__ import annotations

import datetime as dt
import json

from sqlite_utils import Database

from pelatihan_cli.domain import outcomes
from pelatihan_cli.domain.dates import age_on
from pelatihan_cli.domain.person import age_band
from pelatihan_cli.errors import ValidationError
from pelatihan_cli.services import settings
from pelatihan_cli.services.attendance import completed_sql


def _check_rate(value: str) -> str:
    try:
        n = float(value.strip().rstrip("%").replace(",", "."))
    except ValueError:
        raise ValidationError(f"give a percentage, e.g. 30; got {value!r}") from None
    if not 0 < n <= 100:
        raise ValidationError(f"a percentage between 0 and 100, got {value!r}")
    return f"{n:g}"


settings.register("outcomes_reference_rate", "30",
                  "Placement rate (percent) shown beside the programme's in `report outcomes`: the 30% "
                  "placement target BLK staff report from Kemnaker.", _check_rate)

OUTCOME_KEYS = ["programme", "dimension", "group", "completers", "followed_up", "response_rate", "employed",
                "self_employed", "new_entrepreneurs", "seeking", "studying", "placement_rate_followed_up",
                "placement_rate_completers", "reference_rate"]
DIMENSIONS = ("total", "kelurahan", "skill", "sex", "age_band")


def _people(db: Database, programme_id: int) -> list[dict]:
    rows = db.execute(
        f"""
        SELECT p.id, k.name, sk.name, p.sex, p.age_band, p.birth_date, p.work_status,
               (SELECT min(date) FROM session_day WHERE session_id = s.id),
               (SELECT max(date) FROM session_day WHERE session_id = s.id)
        FROM ({completed_sql("s.programme_id = ?")}) d
        JOIN enrollment e ON e.id = d.enrollment_id
        JOIN participant p ON p.id = e.participant_id
        JOIN session s ON s.id = e.session_id
        JOIN kelurahan k ON k.id = s.kelurahan_id
        JOIN skill sk ON sk.id = s.skill_id
        ORDER BY p.id, 9
        """, [programme_id]).fetchall()
    people: dict[int, dict] = {}
    for pid, kel, skill, sex, band, birth, work, first, last in rows:
        if pid in people:
            continue
        if band is None and birth:
            band = age_band(age_on(dt.date.fromisoformat(birth), dt.date.fromisoformat(first)))
        people[pid] = {"kelurahan": kel, "skill": skill, "sex": sex or "?", "age_band": band or "?",
                       "registered": work, "last_day": last, "status": None, "new": False}
    if people:
        answers = db.execute(
            "SELECT participant_id, answered_on, status, since FROM followup "
            "WHERE participant_id IN (SELECT value FROM json_each(?)) ORDER BY participant_id, answered_on, id",
            [json.dumps(list(people))]).fetchall()
        for pid, answered, status, since in answers:
            p = people[pid]
            if answered >= p["last_day"]:  # the latest answer after the training counts
                p["status"] = status
                p["new"] = outcomes.is_new_entrepreneur(status, since, answered, p["registered"], p["last_day"])
    return list(people.values())


def _row(programme: str, dimension: str, group: str, people: list[dict], reference: float) -> dict:
    followed = [p for p in people if p["status"]]
    count = {s: sum(1 for p in followed if p["status"] == s) for s in outcomes.STATUSES}
    n, f = len(people), len(followed)
    return {"programme": programme, "dimension": dimension, "group": group, "completers": n, "followed_up": f,
            "response_rate": round(f / n, 4) if n else None, "employed": count["employed"],
            "self_employed": count["self-employed"], "new_entrepreneurs": sum(1 for p in followed if p["new"]),
            "seeking": count["seeking"], "studying": count["studying"],
            "placement_rate_followed_up": outcomes.placement(count["employed"], count["self-employed"], f),
            "placement_rate_completers": outcomes.placement(count["employed"], count["self-employed"], n),
            "reference_rate": reference}


def report(db: Database, programme_id: int) -> dict:
    """{'programme': name, 'rows': [OUTCOME_KEYS...] (total first, then each dimension's
    groups sorted), 'reference_rate': fraction}."""
    from pelatihan_cli.services.programmes import get

    prog = get(db, programme_id)
    reference = round(float(settings.get(db, "outcomes_reference_rate")) / 100, 4)
    people = _people(db, prog.id)
    rows = [_row(prog.name, "total", "Total", people, reference)]
    sex_label = {"L": "Laki-laki", "P": "Perempuan"}
    for dim in DIMENSIONS[1:]:
        groups: dict[str, list[dict]] = {}
        for p in people:
            groups.setdefault(p[dim], []).append(p)
        for key in sorted(groups):
            label = sex_label.get(key, key) if dim == "sex" else key
            rows.append(_row(prog.name, dim, label, groups[key], reference))
    return {"programme": prog.name, "rows": rows, "reference_rate": reference}
