"""Errors the services raise; the CLI turns each into one `Error: ...` line and exit 1.

Messages are written for the operator: they name the thing (row, field, value) and say
how to fix it. They never contain personal data the operator did not type.
"""

from __future__ import annotations


class PelatihanError(Exception):
    """Base class: a problem the operator can fix. The CLI prints it and exits 1."""

    exit_code = 1


class ValidationError(PelatihanError):
    """A value is malformed or breaks a rule (bad NIK, age out of range, ...)."""

    def __init__(self, message: str, *, field: str | None = None, value: object = None,
                 override: str | None = None):
        super().__init__(message)
        self.field = field
        self.value = value
        #: the escape hatch that would let this through, when there is one
        #: ('accept_nik_mismatch', 'allow_outside', 'accept_name_change')
        self.override = override


class NotFound(PelatihanError):
    """A named thing (kelurahan, session, participant, ...) does not exist."""


class Conflict(PelatihanError):
    """The change clashes with what is stored (duplicate, booked, in use, full)."""


class DatabaseError(PelatihanError):
    """The database file cannot be used (not SQLite, another app's, newer, read-only)."""


class RowErrors(PelatihanError):
    """Several rows of an input file are bad; `errors` holds one dict per problem
    with keys row, column, value, message."""

    def __init__(self, message: str, errors: list[dict]):
        super().__init__(message)
        self.errors = errors


def no_session(session_id: object) -> str:
    """The one sentence for an unknown session id, whichever command meets it."""
    return f"No session with id {session_id}; see `pelatihan session list`."
