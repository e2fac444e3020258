"""`pelatihan participant`: enroll, list, show, update, withdraw, move, ak1 (here);
import (participant_import.py) and erase (participant_erase.py) register themselves."""

from __future__ import annotations

import typer

app = typer.Typer(help="Participants: enroll, import, list, show, update, withdraw, move, AK1, erase.", no_args_is_help=True)


# --- commands of the participant registry go above this line ---------------------------

from pelatihan_cli.cli import participant_erase, participant_import  # noqa: E402,F401  (registers commands)
