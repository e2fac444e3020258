"""Skill tracks: which of a kelurahan's tracks a clerk's skill cell names.

A value names a track when, after normalising case, spaces, punctuation and `&`/`dan`,
it equals the track, its words are all among the track's words (`Desain Kemasan` ->
Desain Produk & Kemasan), or it is a known short form (`Rajut` -> Merajut: the table
below works word by word, on both sides). A value that names no track, or more than one,
is refused naming the tracks: never the closest guess.

    match_tracks('Desain Kemasan', ['Merajut', 'Desain Produk & Kemasan'])
    -> ['Desain Produk & Kemasan']

Pure functions, no I/O; the import's resolve stage calls `resolve_track`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

from pelatihan_cli.errors import ValidationError

#: short forms clerks write for a word of a track's name (word -> word). Only forms that
#: can mean one thing: 'rajut' is always 'merajut'; 'kue' is not added for 'Roti & Masakan'
#: (a kelurahan may offer 'Kue Kering').
SHORT_FORMS: dict[str, str] = {
    "rajut": "merajut",
    "rajutan": "merajut",
    "jahit": "menjahit",
    "jahitan": "menjahit",
    "bordir": "membordir",
    "batik": "membatik",
    "masak": "memasak",
    "sablon": "menyablon",
    "anyam": "menganyam",
    "anyaman": "menganyam",
    "rias": "merias",
    "design": "desain",
    "packaging": "kemasan",
}

#: words that join, not name: '&', 'dan', 'and', 'serta'
_JOINERS = frozenset({"dan", "and", "serta"})
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def track_words(text: str) -> frozenset[str]:
    """'Desain Produk & Kemasan' -> {'desain', 'produk', 'kemasan'}; 'Rajut' -> {'merajut'}."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return frozenset(SHORT_FORMS.get(w, w) for w in _WORD.findall(text) if w not in _JOINERS)


def match_tracks(value: str, tracks: Iterable[str]) -> list[str]:
    """The tracks `value` names: those it equals when there are any, else those whose words
    include all of its words. Empty or several: the caller refuses the row."""
    names = list(dict.fromkeys(tracks))
    words = track_words(value)
    if not words:
        return []
    keyed = [(t, track_words(t)) for t in names]
    equal = [t for t, w in keyed if w == words]
    if equal:
        return equal
    return [t for t, w in keyed if words < w]


def resolve_track(value: str, tracks: Iterable[str], *, where: str = "") -> str:
    """The one track `value` names among `tracks`, else a ValidationError (field 'skill')
    naming the tracks. `where`: ' in Bendan Kergon', for the message."""
    names = sorted(dict.fromkeys(tracks))
    found = match_tracks(value, names)
    if len(found) == 1:
        return found[0]
    offered = ", ".join(names) if names else "none"
    if not found:
        raise ValidationError(
            f"skill {value!r} names none of the tracks{where} ({offered}); write one of them in the cell.",
            field="skill", value=value)
    raise ValidationError(
        f"skill {value!r} could be {' or '.join(found)}{where}; write the track in full.",
        field="skill", value=value)
