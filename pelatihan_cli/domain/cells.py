"""Rules for cells written to CSV and spreadsheets: one copy for every writer (CLI
listings, rosters, exports, rejects files)."""

from __future__ import annotations

import re
from typing import Any

# a spreadsheet runs text starting with these as a formula (tab and CR too, for CSV)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# characters XML 1.0 (and so xlsx) cannot hold
ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def formula_safe(value: Any) -> Any:
    """Prefix a quote to text a spreadsheet would run as a formula; numbers unchanged
    (a negative number is a number, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xml_legal(text: str) -> str:
    """Replace characters an xlsx file cannot hold (NUL, most control characters) with U+FFFD."""
    return ILLEGAL_XML.sub("\ufffd", text)
