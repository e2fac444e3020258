"""Possible duplicates: a new NIK whose person has the name and birth date of someone
registered under another NIK (one of the two NIKs is likely mistyped). Pure: the caller
reads the registered people (services.enrollment.registered_twin_rows) and says what to
do with a hit (a warning on the row).

A chunk of an import is looked up in one go, as a list of entries in file order:

    (birth date, name, NIK, None)          a row to check: its person would be new
    (birth date, name, None, (NIK, name))  a person the chunk registers (rows after it
                                           are compared with them too)

`wanted(entries)` are the (birth date, name key) pairs to read; `found(...)` groups what
was read by pair; `match(entries, found)` gives, per row to check, the person it
duplicates: an earlier new person of the chunk first, else the first registered one.
Names are compared by domain.names.person_name_key ('Hj. Siti Aminah' = 'SITI AMINAH, S.Pd.').
"""

from __future__ import annotations

from pelatihan_cli.domain.names import person_name_key

Entry = tuple   # (birth iso, name, nik | None, (nik, name) | None)


def keyed(entries: list[Entry]) -> list[tuple[str, str, str | None, tuple | None]]:
    """The entries with the name replaced by its key."""
    return [(b, person_name_key(name), nik, new) for b, name, nik, new in entries]


def wanted(entries: list[tuple]) -> list[tuple[str, str]]:
    """The (birth date, key) pairs of the keyed entries to check, to read from the database."""
    return [(e[0], e[1]) for e in entries if e[2] is not None]


def found(wanted_pairs: list[tuple[str, str]], keyed_rows: list, unkeyed_rows: list,
          ) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(birth date, key) -> [(nik, name)] in the order they were registered, from the rows
    (id, birth, key, nik, name) of people stored with a key and (id, birth, nik, name) of
    those stored without one (by another tool), whose key is computed from the name."""
    out: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
    for pid, b, k, nik, name in keyed_rows:
        out.setdefault((b, k), []).append((pid, nik, name))
    if unkeyed_rows:
        pairs = set(wanted_pairs)
        for pid, b, nik, name in unkeyed_rows:
            k = person_name_key(name)
            if (b, k) in pairs:
                out.setdefault((b, k), []).append((pid, nik, name))
    return {bk: [(nik, name) for _pid, nik, name in sorted(hits)] for bk, hits in out.items()}


def match(keyed_entries: list[tuple], registered: dict[tuple[str, str], list[tuple[str, str]]],
          ) -> list[tuple[int, tuple[str, str]]]:
    """[(index of the entry, (nik, name) it duplicates)] for the entries to check that
    have a twin: the first registered with another NIK, in the order they were
    registered: the people registered before the chunk, then the chunk's earlier new
    people (as `participant enroll` one by one would name them)."""
    earlier: dict[tuple[str, str], list[tuple[str, str]]] = {}
    hits: list[tuple[int, tuple[str, str]]] = []
    for i, (b, k, nik, new) in enumerate(keyed_entries):
        if nik is None:   # one of the chunk's new people, registered from here on
            earlier.setdefault((b, k), []).append(new)
            continue
        hit = next((h for h in (*registered.get((b, k), ()), *earlier.get((b, k), ())) if h[0] != nik), None)
        if hit is not None:
            hits.append((i, hit))
    return hits
