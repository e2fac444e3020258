"""Today's date, as every rule that depends on it sees it: see pelatihan_cli/clock.py
(PELATIHAN_TODAY, else the date in the office's `timezone` setting, default Asia/Jakarta)."""

from __future__ import annotations

import datetime as dt

from pelatihan_cli import clock as _clock
from pelatihan_cli.errors import ValidationError
from pelatihan_cli.services import settings

ENV_VAR = _clock.ENV_VAR


def _check_timezone(value: str) -> str:
    try:
        _clock.zone(value.strip())
    except _clock.ClockError as e:
        raise ValidationError(str(e)) from None
    return value.strip()


settings.register("timezone", _clock.DEFAULT_TIMEZONE,
                  "The office's time zone (IANA name): today's date and the times shown. "
                  "Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT).", _check_timezone)


def today() -> dt.date:
    try:
        return _clock.today()
    except _clock.ClockError as e:
        raise ValidationError(str(e) + ".", field=ENV_VAR) from None


def local_time(stored_utc: str | None) -> str | None:
    return _clock.local_time(stored_utc)


def label() -> str:
    return _clock.label()
