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
    k = name_key(text)
    scored = []
    for key in by_key:
        m = difflib.SequenceMatcher(None, k, key)
        if m.real_quick_ratio() >= 0.5 and m.quick_ratio() >= 0.5:
            scored.append((m.ratio(), key))
    scored = sorted((s for s in scored if s[0] >= 0.5), reverse=True)
    # offer the best match and those nearly as good, not a long tail of weak ones
    keys = [key for score, key in scored if score >= scored[0][0] - 0.1][:n] if scored else []
    if not keys:
        # also try substring matches ("kergon" -> "Bendan Kergon")
        keys = [key for key in by_key if k and k in key][:n]
    return [by_key[k] for k in keys]


def did_you_mean(text: str, candidates: Iterable[str]) -> str:
    names = closest(text, candidates)
    if not names:
        return ""
    return " Did you mean " + " or ".join(repr(n) for n in names) + "?"
