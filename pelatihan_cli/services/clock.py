"""Today's date, as every rule that depends on it sees it.

`PELATIHAN_TODAY=YYYY-MM-DD` sets it, for a rehearsal of a programme day (`make demo`
runs the 2024 programme as if it were 2024) and for tests; otherwise the system date.
"""

from __future__ import annotations

import datetime as dt
import os

from pelatihan_cli.errors import ValidationError

ENV_VAR = "PELATIHAN_TODAY"


def today() -> dt.date:
    text = os.environ.get(ENV_VAR, "").strip()
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{ENV_VAR}={text!r} is not a date; give YYYY-MM-DD or unset it.",
                              field=ENV_VAR, value=text) from None
