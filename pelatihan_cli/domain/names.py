"""Matching of names typed by operators: kelurahan, skills, instructors."""

from __future__ import annotations

import functools
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
    import difflib  # only when a name is not found (start-up: bench/startup.py)

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


# --- near-duplicates: a new name that is probably a typo of a stored one ----------------

_TOKEN_SPLIT = re.compile(r"[^\w]+")


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and
    swaps of two neighbouring letters each cost 1."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    return [t for t in _TOKEN_SPLIT.split(text) if t]


def _distinct_words(a: str, b: str) -> bool:
    """Two words that differ by more than a slip of the keyboard: 'barat'/'timur',
    'kaos'/'tas' (more than about a third of the shorter word changed)."""
    return edit_distance(a, b) > max(1, min(len(a), len(b)) // 3)


def is_typo_of(new: str, existing: str) -> bool:
    """Is `new` probably a mistyping of `existing` (and not a name in its own right)?

    Compared on name keys: one slip (a letter added, missing, changed or two swapped:
    'Merajutt', 'Buket' for 'Bucket') in names of 4+ characters, two slips in names of
    8+ characters. Names of several words that differ in a whole word are distinct,
    even when the keys are close: 'Pekalongan Barat' is not 'Pekalongan Timur', and
    'Sablon Kaos' is not 'Sablon Tas'; names that differ in a number ('Kecamatan 1',
    'Kecamatan 2') are distinct. The same key is the same name, not a typo."""
    ka, kb = name_key(new), name_key(existing)
    if not ka or not kb or ka == kb:
        return False
    shorter = min(len(ka), len(kb))
    if shorter < 4:
        return False
    limit = 1 if shorter < 8 else 2
    # the distance is at least the difference in length: the cheap tests first (a
    # province file's kecamatan are each checked against hundreds)
    if abs(len(ka) - len(kb)) > limit:
        return False
    if re.sub(r"\D", "", ka) != re.sub(r"\D", "", kb):
        return False  # numbers name things: 'Blok 1' is not a typo of 'Blok 2'
    if edit_distance(ka, kb) > limit:
        return False
    ta, tb = _tokens(new), _tokens(existing)
    if len(ta) == len(tb) and len(ta) >= 2:
        differing = [(x, y) for x, y in zip(ta, tb) if x != y]
        if differing and all(_distinct_words(x, y) for x, y in differing):
            return False
    return True


def near_duplicate(new: str, existing: Iterable[str]) -> str | None:
    """The stored name that `new` is probably a typo of, or None.

    None as well when `new` has the key of a stored name: it is that name, not a new one."""
    names = list(existing)
    key = name_key(new)
    if any(name_key(n) == key for n in names):
        return None
    typos = [n for n in names if is_typo_of(new, n)]
    if not typos:
        return None
    return min(typos, key=lambda n: (edit_distance(key, name_key(n)), name_key(n)))


def new_name_message(kind: str, new: str, existing: str) -> str:
    """The refusal of a near-duplicate new name, with the fix."""
    return f"{kind} {new!r} is new; did you mean {existing!r}? Add --new to create it."


# --- people's names: is the name on a row the name stored for its NIK? --------------------

#: titles written before a name; dropped when dotted ('H.') or longer than a letter ('Hj')
_TITLES = frozenset({
    "h", "hj", "haji", "hajjah", "kh", "dr", "drs", "dra", "ir", "prof", "ust", "ustadz", "ustadzah",
    "ns", "bd", "apt", "drg", "rm", "raden", "r", "ra", "nyai", "ny", "tn", "sdr", "sdri", "bpk",
})
#: academic degrees (compared without dots and spaces: 'S. Pd.', 'S.Pd' and 'SPd' are 'spd');
#: dropped anywhere, except the short ones that could be a name, which need a dot or a comma
_DEGREES = frozenset({
    "spd", "spdi", "spdsd", "sei", "shi", "sti", "skom", "ssos", "sag", "sip", "sikom",
    "skep", "sked", "ssi", "spsi", "sfarm", "sgz", "sth", "sak", "ssit", "sst", "ssn", "shum", "sipol",
    "sstp", "stp", "spt", "sfil", "sds", "ssy", "sky", "skm", "str", "stat",
    "amd", "amdkeb", "amdkep", "amdkom", "amdak", "amdfarm", "amdgz", "amdpar", "amdtra", "amk", "amkeb",
    "mpd", "mpdi", "msi", "mkes", "mag", "msc", "mba", "mkom", "mhum", "mak", "phd", "dipl",
})
_SHORT_DEGREES = frozenset({"se", "sh", "st", "sp", "sn", "ma", "mm", "mh", "mt", "ba", "lc", "mei", "ak"})
#: how the Muhammad family is written
_MUHAMMAD = frozenset({
    "muhammad", "muhamad", "mohammad", "mohamad", "mohammed", "muhammed", "mochammad", "mochamad",
    "mokhammad", "mukhammad", "muchammad", "muchamad", "mohamed", "muhamat", "moch", "moh", "muh", "much",
    "mhd", "mhmd", "mch", "mochd", "mohd", "muhd",
})
_CONNECTORS = frozenset({"bin", "binti", "bt", "bte", "binte"})
_NAME_TOKEN = re.compile(r"[^\W_]+(?:\.[^\W_]+)*\.?|,", re.UNICODE)


def _plain(text: str) -> str:
    """Case folded, accents and apostrophes dropped: "Ma'ruf" -> 'maruf', 'Zoë' -> 'zoe'."""
    if text.isascii():   # most names: nothing to normalise, no accents to drop
        text = text.lower()
        return _APOSTROPHES.sub("", text) if "'" in text or "`" in text else text
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _APOSTROPHES.sub("", text)


_APOSTROPHES = re.compile(r"['\u2019\u2018`\u02bc]")


@functools.lru_cache(maxsize=8192)
def _spelling(word: str) -> str:
    """Old (Van Ophuijsen / Soewandi) spelling and doubled letters to one form:
    'Soedjono' -> 'sujono', 'Tjahjono' and 'Cahyono' -> 'cahjono', 'Abdullah' -> 'abdulah'."""
    w = word.replace("oe", "u").replace("dj", "j").replace("tj", "c").replace("y", "j").replace("ch", "kh")
    return re.sub(r"(.)\1+", r"\1", w)


def _is_degree(bare: str, dotted: bool) -> bool:
    return bare in _DEGREES or (dotted and bare in _SHORT_DEGREES)


def person_name_words(name: str) -> tuple[str, ...]:
    """The words that identify a person: case, punctuation, titles and degrees, bin/binti
    and spelling variants removed; the Muhammad family is one word ('muhamad').

    'H. Moch. Soedjono bin Salim, S.Pd.' -> ('muhamad', 'sujono', 'salim')"""
    tokens = _NAME_TOKEN.findall(_plain(name))
    words: list[str] = []
    after_comma = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok == ",":
            after_comma = True
            continue
        bare = tok.replace(".", "")
        dotted = "." in tok or after_comma
        # a degree typed with spaces: 'S. Pd.', 'A. Md.'
        if len(bare) == 1 and tok.endswith(".") and i < len(tokens) and tokens[i] != ",":
            joined = bare + tokens[i].replace(".", "")
            if _is_degree(joined, True):
                i += 1
                continue
        if _is_degree(bare, dotted) or (bare in _TITLES and (len(bare) > 1 or dotted)) or bare in _CONNECTORS:
            continue
        if after_comma and "." in tok and len(bare) <= 5:
            continue  # 'Budi, S.Psi.': an abbreviation after the comma is a degree
        if bare in _MUHAMMAD or (bare == "m" and dotted):
            words.append("muhamad")
        elif "." in tok.rstrip("."):
            words.extend(_spelling(p) for p in tok.split(".") if p)   # initials run together: 'A.R.'
        else:
            words.append(_spelling(bare))
    return tuple(words)


@functools.lru_cache(maxsize=65536)
def person_name_key(name: str) -> str:
    """One key for the ways of writing one full name ('Hj. Siti Aminah' and 'SITI AMINAH,
    S.Pd.'); unlike same_person_name a shorter name has another key."""
    return "".join(person_name_words(name)) or name_key(name)


def _covers(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Every word of `short` matches its own word of `long`: the same word, or an initial
    ('A' for 'Abdul'); tried in every assignment (names are a few words long)."""
    if len(short) > len(long):
        return False

    def match(a: str, b: str) -> bool:
        return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))

    def place(i: int, used: frozenset[int]) -> bool:
        if i == len(short):
            return True
        return any(j not in used and match(short[i], long[j]) and place(i + 1, used | {j})
                   for j in range(len(long)))

    return place(0, frozenset())


def same_person_name(a: str, b: str) -> bool:
    """Can names `a` and `b` be one person's? After `person_name_words`, yes when the words
    of one are all among the words of the other ('Siti' / 'Siti Aminah', 'A. Rahman' /
    'Abdul Rahman'), or they are the same letters with the spaces moved ('Nurhayati' /
    'Nur Hayati'); otherwise no ('Siti Aminah' / 'Siti Rahayu')."""
    wa, wb = person_name_words(a), person_name_words(b)
    if not wa or not wb:
        return name_key(a) == name_key(b)
    if "".join(wa) == "".join(wb):
        return True
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return _covers(short, long)
