"""Where each NIK of an import file was first seen: the duplicate-NIK check.

    seen = FirstRows()
    earlier = seen.lookup(chunk_keys)      # {nik: row} of those seen in earlier chunks
    seen.add([(nik, row), ...])           # this chunk's first occurrences

Kept in a dictionary up to `IN_MEMORY` NIKs (a city's list, and the 100,000 rows of the
bench, never touch the disk); past that, everything moves to a private temporary SQLite
file that SQLite deletes when it is closed, so a million-row file keeps its memory flat.
Never in the operator's database: the import's connection only reads and writes
participants. A row is an int, or an importing.report.SheetRow (--all-sheets).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from pelatihan_cli.importing.report import SheetRow, sheet_of

#: NIKs kept in memory before the check moves to a temporary file (~15 MB at most)
IN_MEMORY = 100_000


class FirstRows:
    def __init__(self, in_memory: int | None = None):
        self._limit = IN_MEMORY if in_memory is None else in_memory
        self._mem: dict[str, object] = {}
        self._disk: sqlite3.Connection | None = None

    def lookup(self, keys: list[str]) -> dict[str, object]:
        """{nik: first row} of the `keys` seen before."""
        if self._disk is None:
            mem = self._mem
            return {k: mem[k] for k in keys if k in mem}
        return {nik: (row if sheet is None else SheetRow(row, sheet)) for nik, row, sheet in self._disk.execute(
            "SELECT nik, row, sheet FROM seen WHERE nik IN (SELECT value FROM json_each(?))", [json.dumps(keys)])}

    def add(self, fresh: Iterable[tuple[str, object]]) -> None:
        """Record first occurrences (NIKs not seen before)."""
        if self._disk is None:
            self._mem.update(fresh)
            if len(self._mem) <= self._limit:
                return
            self._disk = sqlite3.connect("")   # '': a private temporary file, deleted on close
            self._disk.execute("CREATE TABLE seen (nik TEXT PRIMARY KEY, row INTEGER NOT NULL, sheet TEXT) "
                               "WITHOUT ROWID")
            fresh, self._mem = list(self._mem.items()), {}
        with self._disk:
            self._disk.executemany("INSERT INTO seen (nik, row, sheet) VALUES (?, ?, ?)",
                                   [(k, int(r), sheet_of(r)) for k, r in fresh])

    def close(self) -> None:
        if self._disk is not None:
            self._disk.close()
            self._disk = None
