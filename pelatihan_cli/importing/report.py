"""The report stage of an import: warnings as data, never dropped, and the tallies of
where the rows went (skill value -> track, session -> enrolled/waitlisted).

    w = Warnings()
    w.add("session 7 started on 2024-07-05; ...", row=2, column="sesi", value=7)
    w.objects()  # [{"rows": [2, 3, ...], "column": "sesi", "value": 7, "message": "..."}]
    w.lines()    # ["session 7 started on 2024-07-05; ...: rows 2-41"]

Every warning is kept: the JSON objects group identical (message, column, value) and
list every row; the table lines group identical messages and write the rows as ranges.
Pure data, no I/O.
"""

from __future__ import annotations

from array import array
from typing import Any, Iterable


def row_ranges(rows: Iterable[int]) -> str:
    """[2, 3, 4, 7, 9, 10] -> '2–4, 7, 9–10'."""
    out: list[str] = []
    start = prev = None
    for r in sorted(set(rows)):
        if start is None:
            start = prev = r
        elif r == prev + 1:
            prev = r
        else:
            out.append(f"{start}–{prev}" if prev != start else str(start))
            start = prev = r
    if start is not None:
        out.append(f"{start}–{prev}" if prev != start else str(start))
    return ", ".join(out)


class SheetRow(int):
    """A row number of one sheet of a workbook read with --all-sheets: the sheet goes with
    it. Messages read `3 (sheet 'Medono')`; an override names it `Medono:3` (`target`); two
    sheets' row 3 are two rows (equality and hash include the sheet, and a bare number is no
    sheet's row); JSON writes the number, and the objects carry a `sheet` key beside it."""

    sheet: str

    def __new__(cls, number: int, sheet: str) -> "SheetRow":
        row = super().__new__(cls, number)
        row.sheet = sheet
        return row

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SheetRow) and int(self) == int(other) and self.sheet == other.sheet

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((int(self), self.sheet))

    def __format__(self, spec: str) -> str:
        return f"{int(self):{spec}} (sheet {self.sheet!r})"

    def __str__(self) -> str:
        return format(self, "")

    def __repr__(self) -> str:
        return f"SheetRow({int(self)}, {self.sheet!r})"

    def __reduce__(self):
        return SheetRow, (int(self), self.sheet)

    def target(self) -> str:
        """How an override option names this row: 'Medono:3'."""
        return f"{self.sheet}:{int(self)}"


def sheet_of(row: Any) -> str | None:
    """The sheet of a row number (SheetRow), None for a plain one."""
    return row.sheet if isinstance(row, SheetRow) else None


class Warnings:
    """Warnings of an import, each with its row (None: about the file), column and value;
    a SheetRow's sheet is kept with it (the rows of one warning are listed per sheet)."""

    def __init__(self) -> None:
        # (message, column, value, sheet) -> rows, in the order first seen
        self._groups: dict[tuple[str, str | None, Any, str | None], list[int]] = {}

    def add(self, message: str, row: int | None = None, column: str | None = None, value: Any = None) -> None:
        key = (str(message), column, _hashable(value), sheet_of(row))
        rows = self._groups.get(key)
        if rows is None:
            rows = self._groups[key] = array("l")   # 8 bytes a row: a million rows' warning stays small
        if row is not None:
            rows.append(row)

    def __len__(self) -> int:
        return len(self._groups)

    def rows_of(self, message_part: str) -> list[int]:
        """The rows of the warnings whose message contains `message_part` (for tests and callers)."""
        return sorted({r for (m, _c, _v, _s), rows in self._groups.items() if message_part in m for r in rows})

    def objects(self) -> list[dict]:
        """JSON: {row, column, value, message} for one row (row None: the file), {rows: [...], ...}
        for several rows with the same message, column and value."""
        out = []
        for (message, column, value, sheet), rows in self._groups.items():
            obj: dict[str, Any] = {"rows": list(rows)} if len(rows) > 1 else {"row": rows[0] if rows else None}
            if sheet is not None:
                obj["sheet"] = sheet
            obj.update(column=column, value=value, message=message)
            out.append(obj)
        return out

    def lines(self) -> list[str]:
        """Table output: one line per message, with every row it concerns as ranges."""
        by_message: dict[str, dict[str | None, array]] = {}
        for (message, _column, _value, sheet), rows in self._groups.items():
            by_message.setdefault(message, {}).setdefault(sheet, array("l")).extend(rows)
        out = []
        for message, by_sheet in by_message.items():
            parts = []
            for sheet, rows in by_sheet.items():
                if rows:
                    label = "row" if len(set(rows)) == 1 else "rows"
                    parts.append(f"{label} {row_ranges(rows)}" if sheet is None else
                                 f"sheet {sheet!r} {label} {row_ranges(rows)}")
            out.append(f"{message.rstrip()} ({'; '.join(parts)})" if parts else message)
        return out


def _hashable(value: Any) -> Any:
    if isinstance(value, (list, dict, set)):
        return repr(value)
    return value


class Tally:
    """Where the rows went: each distinct skill value -> the track it named, and per session
    how many rows were enrolled or waitlisted."""

    def __init__(self) -> None:
        self._skills: dict[tuple[str | None, str], int] = {}
        self._sessions: dict[int, dict] = {}

    def skill(self, value: str | None, track: str) -> None:
        key = (value, track)
        self._skills[key] = self._skills.get(key, 0) + 1

    def session(self, session_id: int, kelurahan: str, skill: str, status: str) -> None:
        entry = self._sessions.get(session_id)
        if entry is None:
            entry = self._sessions[session_id] = {"session_id": session_id, "kelurahan": kelurahan, "skill": skill,
                                                  "enrolled": 0, "waitlisted": 0}
        if status in ("enrolled", "waitlisted"):
            entry[status] += 1

    def skills(self) -> list[dict]:
        """[{value, track, rows}] in the order first seen (value None: the row named no skill)."""
        return [{"value": v, "track": t, "rows": n} for (v, t), n in self._skills.items()]

    def sessions(self) -> list[dict]:
        """[{session_id, kelurahan, skill, enrolled, waitlisted}] by session id."""
        return [self._sessions[k] for k in sorted(self._sessions)]
