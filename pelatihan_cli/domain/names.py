"""Matching of names typed by operators: kelurahan, skills, instructors."""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Iterable

_SEPARATORS = re.compile(r"[\s\-_.]+")


def name_key(text: str) -> str:
    """Comparison key: case, spaces, hyphens, underscores and dots ignored.

    'bendan kergon', 'BENDAN-KERGON' and 'Bendan Kergon' share one key."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SEPARATORS.sub("", text)


def clean_name(text: str) -> str:
    """Trim and collapse inner whitespace, keeping the operator's spelling."""
    return " ".join(text.split())


def closest(text: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Up to n candidate names closest to text (compared by key)."""
    by_key: dict[str, str] = {}
    for c in candidates:
        by_key.setdefault(name_key(c), c)
    keys = difflib.get_close_matches(name_key(text), list(by_key), n=n, cutoff=0.5)
    if not keys:
        # also try substring matches ("kergon" -> "Bendan Kergon")
        k = name_key(text)
        keys = [key for key in by_key if k and k in key][:n]
    return [by_key[k] for k in keys]


def did_you_mean(text: str, candidates: Iterable[str]) -> str:
    names = closest(text, candidates)
    if not names:
        return ""
    return " Did you mean " + " or ".join(repr(n) for n in names) + "?"
