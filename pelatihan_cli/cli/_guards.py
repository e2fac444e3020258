"""The one confirmation rule for destructive commands (-y/--yes; the option alias
YesOption is in _common). Imported inside command bodies, when a command runs.

On a terminal the operator is asked (typer.confirm); without a terminal and without
--yes the command stops with one `Error:` line saying to add --yes (exit 1), so that a
script never hangs on a prompt nor destroys anything unasked."""

from __future__ import annotations

import sys

import typer

from pelatihan_cli.cli._common import NewOption, YesOption, fail  # noqa: F401  (re-exported)


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def confirm_or_fail(yes: bool, question: str, *, what: str) -> None:
    """Return when the operator agreed (--yes, or 'y' at the prompt); else exit 1.

    `question` is asked on a terminal; `what` completes the error line without one:
    'Error: {what}; add --yes to confirm.'"""
    if yes:
        return
    if not stdin_is_terminal():
        fail(f"{what}; add --yes to confirm.")
    if not typer.confirm(question, default=False, err=True):
        fail("Nothing was changed.")
