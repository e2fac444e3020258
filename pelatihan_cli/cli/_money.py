"""Tables of money for people: amounts as `Rp 1.250.000`, right-aligned and never wrapped
(a wrapped amount misreads); text columns wrap at words. rich is imported when used."""

from __future__ import annotations

from typing import Sequence

WRAP_KEYS = {"name", "label", "kelurahan", "kecamatan", "skill", "reissue_reason", "unit"}
MONEY_KEYS = {"rate", "planned", "realised", "remaining", "gross", "tax", "net", "total", "now", "ceiling"}


def rp(value) -> str:
    from pelatihan_cli.domain.money import format_rupiah

    return "-" if value is None else format_rupiah(value)


def money_table(rows: Sequence[dict], columns: Sequence[str], headers: dict[str, str] | None = None, *,
                title: str | None = None, footer: dict | None = None) -> None:
    """Print rows with money columns (MONEY_KEYS, int values) as `Rp ...`; `footer`: a
    totals row with the same keys."""
    from rich.markup import escape
    from rich.table import Table

    from pelatihan_cli.cli._common import console

    headers = headers or {}
    table = Table(title=title, show_footer=footer is not None)
    for c in columns:
        money = c in MONEY_KEYS
        foot = ""
        if footer is not None and c in footer:
            foot = rp(footer[c]) if money else str(footer[c])
        table.add_column(headers.get(c, c.replace("_", " ").capitalize()), footer=foot,
                         justify="right" if money or c in ("no", "jp", "percent", "sessions", "day", "version")
                         else "left", no_wrap=c not in WRAP_KEYS, overflow="fold",
                         min_width=12 if c in WRAP_KEYS else None)
    for r in rows:
        cells = []
        for c in columns:
            v = r.get(c)
            if c in MONEY_KEYS and (isinstance(v, int) or v is None):
                cells.append(rp(v) if v is not None else "")
            else:
                cells.append(escape("" if v is None else str(v)))
        table.add_row(*cells)
    console().print(table)
