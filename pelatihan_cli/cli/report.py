"""`pelatihan report`: schedule, summary, certificates.

The commands live in report_schedule.py (planning) and report_outcomes.py (summary,
certificates); importing them registers them on this app.
"""

from __future__ import annotations

import typer

app = typer.Typer(help="Programme reports: day-by-day schedule, summary per kelurahan, certificates, budget.", no_args_is_help=True)

from pelatihan_cli.cli import report_outcomes, report_schedule  # noqa: E402,F401  (registers commands)
from pelatihan_cli.cli import report_budget  # noqa: E402,F401  (report budget, issue 15)
from pelatihan_cli.cli import report_printouts  # noqa: E402,F401  (waitlist, attendance, contacts, no-shows: issue 14)
