"""Shared pieces of the command layer: option aliases, consoles, fail(), emit().

Commands stay thin: resolve options, open the database, call one service, render.
rich is imported only when a table is actually printed, so JSON/CSV output and
start-up stay fast.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import json
import sys
from pathlib import Path
from typing import Annotated, Any, Iterable, NoReturn, Optional, Sequence

from pelatihan_cli.domain.cells import formula_safe

import typer



class OutputFormat(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"


FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", help="Output format: table for people, csv or json for scripts."),
]
class InputFormat(str, enum.Enum):
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    xlsx = "xlsx"
    xls = "xls"
    ods = "ods"


# options of every command that reads an input file through importing.readers
SheetOption = Annotated[Optional[str], typer.Option(
    "--sheet", help="xlsx/xls/ods: the sheet to read (default: the first with the expected header).")]
InputFormatOption = Annotated[Optional[InputFormat], typer.Option(
    "--input-format", help="csv, tsv, json, jsonl, xlsx, xls or ods when the extension does not say (required for -).")]
ShowNikOption = Annotated[
    bool,
    typer.Option(
        "--show-nik",
        help="Show full NIK, birth date and phone instead of masked values (the use is logged).",
    ),
]
# corrections: a new name close to a stored one needs --new; destructive actions need --yes
# (cli/_guards.confirm_or_fail asks on a terminal)
NewOption = Annotated[bool, typer.Option(
    "--new", help="Create a new skill or kecamatan even when its name is close to a stored one.")]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (for scripts).")]
DateArg = Annotated[dt.datetime, typer.Argument(formats=["%Y-%m-%d"], help="Date, YYYY-MM-DD.")]

_console = None
_err_console = None


def console():
    """rich Console on stdout (imported lazily)."""
    global _console
    if _console is None:
        from rich.console import Console

        _console = Console(highlight=False)
    return _console


def err_console():
    """rich Console on stderr, for warnings, progress and colour."""
    global _err_console
    if _err_console is None:
        from rich.console import Console

        _err_console = Console(stderr=True, highlight=False)
    return _err_console


def fail(message: str, code: int = 1) -> NoReturn:
    """Print `Error: message` on stderr (one line, no markup, NIKs masked) and exit with `code`."""
    from pelatihan_cli.cli import masked

    sys.stderr.write(masked(f"Error: {message}\n"))
    sys.stderr.flush()
    raise typer.Exit(code)


def warn(message: str) -> None:
    from pelatihan_cli.cli import masked

    sys.stderr.write(masked(f"Warning: {message}\n"))
    sys.stderr.flush()


def info(message: str) -> None:
    """A human-readable line on stdout: what a reading command shows (for table-format
    commands). A write command's sentence is said with say(), its value with result()."""
    sys.stdout.write(message + "\n")


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def say(message: str) -> None:
    """The sentence of a write command ('Planned session 12: ...'): on stdout at a
    terminal; in a pipe or `$(...)` on stderr, so that stdout carries only the result."""
    stream = sys.stdout if stdout_is_terminal() else sys.stderr
    stream.write(message + "\n")
    stream.flush()


def result(value: Any) -> None:
    """What a write command produced, for scripts (the new id, or the JSON): always stdout."""
    sys.stdout.write(f"{value}\n")
    sys.stdout.flush()


def done(obj: Any, message: str, fmt: "OutputFormat | str", *, columns: Sequence[str] | None = None,
         value: Any = None) -> None:
    """The output of a write command: JSON describing what was done, one CSV row, or the
    sentence (say) plus, when there is one, the value a script captures (result: a new id)."""
    fmt = OutputFormat(fmt)
    if fmt is OutputFormat.json:
        result(to_json(obj))
    elif fmt is OutputFormat.csv:
        rows = obj if isinstance(obj, list) else [obj]
        write_csv([flat(r) for r in rows], columns or (list(flat(rows[0])) if rows else []))
    else:
        if value is not None:
            result(value)
        say(message)


def flat(obj: dict, prefix: str = "") -> dict:
    """One CSV row of a nested object: {"a": {"b": 1}} -> {"a_b": 1}; a list of scalars
    joined with '; ', a list of objects as its count (the JSON has them whole)."""
    out: dict = {}
    for k, v in obj.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flat(v, key + "_"))
        elif isinstance(v, (list, tuple)) and any(isinstance(x, dict) for x in v):
            out[key] = len(v)
        else:
            out[key] = v
    return out


def rows_refused(bad: int, read: int, refused: str, where: str, done: str) -> str:
    """The line that opens a bulk command's row errors when it went on without them:
    '3 row(s) of 40 rejected, written to r.csv; the other rows were imported.' (and
    'no row was imported' when every row was refused: no 'other rows' then)."""
    rest = f"the other rows were {done}" if bad < read else f"no row was {done}"
    return f"{bad} row(s) of {read} {refused}{where}; {rest}."


def check_output(path: Path, force: bool, kind: str | None = None) -> Path:
    """The one rule for every file a command writes (-o/--output, backups, exports,
    rejects): an existing file is refused unless --force, which overwrites it without asking.
    `kind` 'pdf' or 'xlsx': the name must end so (such a file under another name does not open)."""
    from pelatihan_cli.errors import Conflict

    path = Path(path)
    if kind is not None:
        check_suffix(path, kind)
    if path.is_dir():
        raise Conflict(f"{path} is a directory; give a file name.")
    if path.exists() and not force:
        raise Conflict(f"{path} already exists; choose another file name, or add --force to overwrite it.")
    return path


def check_suffix(path: Path, kind: str) -> None:
    """A pdf or xlsx file must be named so: under another name it opens in no viewer."""
    from pelatihan_cli.errors import ValidationError

    if Path(path).suffix.casefold() != f".{kind}":
        raise ValidationError(f"{path} would hold a {kind} file under another name, which would not open; "
                              f"give a file name ending in .{kind}.", field="output", value=str(path))


ForceOutputOption = Annotated[bool, typer.Option("--force", help="Overwrite the output file if it already exists.")]


def get_db(ctx: typer.Context, *, create: bool = False):
    """Open the database chosen by --db / PELATIHAN_DB / the default location.

    A missing database is an error (`no database at PATH; create it with ... init`);
    only `init` passes create=True (`restore` creates through its service)."""
    from pelatihan_cli.db import open_db

    root = ctx.find_root()
    path = (root.obj or {}).get("db_path") if isinstance(root.obj, dict) else None
    db = open_db(path, create=create)
    # close when the command ends, so that the WAL is checkpointed and nothing lingers
    root.call_on_close(db.conn.close)
    _use_office_timezone(db)
    # a backup killed before its file was in place gets its log entry; the module is
    # imported only when a note is pending (start-up: bench/startup.py)
    if not db.read_only and db.execute(
            "SELECT 1 FROM setting WHERE key LIKE 'backup.pending.%' LIMIT 1").fetchone():
        from pelatihan_cli.services.backup import reconcile

        reconcile(db)
    return db


def _use_office_timezone(db) -> None:
    """Today and the times shown follow the office's `timezone` setting (pelatihan_cli/clock.py)."""
    row = db.execute("SELECT value FROM setting WHERE key = 'timezone'").fetchone()
    if row:
        from pelatihan_cli import clock
        from pelatihan_cli.errors import ValidationError

        try:
            clock.set_timezone(row[0])
        except clock.ClockError as e:
            raise ValidationError(f"Setting timezone: {e}. Fix it with `pelatihan config set timezone Asia/Jakarta`.") \
                from None


# --- formula-safe plain output --------------------------------------------------------





def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(_plain(value))


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_plain)


def _csv_cell(value: Any) -> str:
    """A CSV cell: numbers as they are (a negative number is not a formula), text formula-safe."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return formula_safe(_cell(value))


def write_csv(rows: Sequence[dict], columns: Sequence[str], out=None) -> None:
    out = out or sys.stdout
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])


def emit(
    rows: Sequence[dict],
    fmt: OutputFormat | str,
    *,
    columns: Sequence[str] | None = None,
    headers: dict[str, str] | None = None,
    title: str | None = None,
    table_columns: Sequence[str] | None = None,
    empty_message: str | None = None,
    drop: Sequence[str] = (),
    wide: bool = False,
) -> None:
    """Print rows as a rich table, CSV or JSON.

    JSON is a list of objects with the rows' keys; CSV has the same columns (`columns`,
    default: the keys of the first row). The table shows `table_columns` (default
    `columns`) with `headers` as titles; on a narrow terminal the columns of `drop` go
    first (in that order) unless `wide` (see print_table)."""
    fmt = OutputFormat(fmt)
    rows = list(rows)
    if columns is None:
        columns = list(rows[0].keys()) if rows else []
    if fmt is OutputFormat.json:
        sys.stdout.write(to_json([{c: r.get(c) for c in columns} for r in rows]) + "\n")
        return
    if fmt is OutputFormat.csv:
        write_csv(rows, columns)
        return
    if not rows and empty_message:
        err_console().print(empty_message)
        return
    print_table(rows, table_columns or columns, headers=headers, title=title, drop=drop, wide=wide)


#: columns people compare: never wrapped, never cut (NIK, phone, codes, dates)
NO_WRAP_COLUMNS = {"nik", "phone", "code", "date", "start_date", "end_date", "seats", "at", "dates", "from", "to",
                   "issued_on", "number"}

WideOption = Annotated[bool, typer.Option("--wide", help="Show every column, even on a narrow terminal.")]


def min_width(column: str, natural: int, header: str) -> int:
    """How narrow a column may get: whole for identifiers and dates; others wrap at
    words, but never narrower than the longest word of their header."""
    if column in NO_WRAP_COLUMNS:
        return natural
    longest_word = max((len(w) for w in header.split()), default=1)
    return max(min(natural, 8), longest_word)


def fit_columns(columns: Sequence[str], natural: dict[str, int], width: int, drop: Sequence[str],
                labels: dict[str, str] | None = None) -> list[str]:
    """The columns that fit `width`: those of `drop` go first, in that order, until the
    whole columns (identifiers, dates) plus a readable share for the others fit."""
    shown = list(columns)
    labels = labels or {}

    def need(cols: list[str]) -> int:
        # borders and padding: 3 per column + 1
        return 1 + sum(3 + min_width(c, natural[c], labels.get(c, c)) for c in cols)

    for c in drop:
        if need(shown) <= width:
            break
        if c in shown:
            shown.remove(c)
    # still too wide: text columns from the right go, but never the first one (the name)
    text_cols = [c for c in shown if c not in NO_WRAP_COLUMNS]
    while need(shown) > width and len(text_cols) > 1:
        shown.remove(text_cols.pop())
    return shown


def print_table(
    rows: Iterable[dict],
    columns: Sequence[str],
    *,
    headers: dict[str, str] | None = None,
    title: str | None = None,
    caption: str | None = None,
    drop: Sequence[str] = (),
    wide: bool = False,
) -> None:
    """A table that reads at 80 columns and stays usable at 60: NIK, phone, codes and
    dates are never wrapped or cut; names and other text wrap at words (never '…');
    numbers are right-aligned; when the terminal is too narrow the columns of `drop` are
    left out first, in that order (`wide`: keep them all)."""
    from rich.markup import escape
    from rich.table import Table

    headers = headers or {}
    rows = list(rows)
    label = {c: headers.get(c, c.replace("_", " ").capitalize()) for c in columns}
    text = [[_cell(row.get(c)) for c in columns] for row in rows]
    natural = {c: max([len(label[c])] + [len(line) for r in text for line in (r[i].splitlines() or [""])])
               for i, c in enumerate(columns)}
    shown = list(columns) if wide else fit_columns(columns, natural, console().width, drop, label)
    numeric = {c for c in shown if rows and all(isinstance(r.get(c), (int, float)) and not isinstance(r.get(c), bool)
                                               or r.get(c) is None for r in rows)}
    table = Table(title=title, caption=caption)
    for c in shown:
        if c in NO_WRAP_COLUMNS:
            table.add_column(label[c], no_wrap=True, min_width=natural[c])
        else:
            table.add_column(label[c], overflow="fold", justify="right" if c in numeric else "left",
                             min_width=min_width(c, natural[c], label[c]))
    index = [columns.index(c) for c in shown]
    for r in text:
        table.add_row(*[escape(r[i]) for i in index])
    if wide:  # every column at its natural width, wider than the terminal if need be
        console().print(table, width=max(console().width, 1 + sum(3 + natural[c] for c in shown)), crop=False)
    else:
        console().print(table)


# --- programmes ------------------------------------------------------------------------

def _complete_programme(ctx, incomplete):
    from pelatihan_cli.cli import _complete

    return _complete.programme(ctx, incomplete)


ProgrammeOption = Annotated[Optional[str], typer.Option(
    "--programme", "-p", autocompletion=_complete_programme,
    help="Programme: name, year or id (default: the pinned current_programme, else the one running "
         "today, else the most recent; see `pelatihan programme list`).")]


def programme_for(db, programme: Optional[str], fmt: "OutputFormat | str | None" = None, *, required: bool = False):
    """The programme a command works on (None when the database has none and not `required`).

    With more than one programme in the database and no --programme, the default is named
    on stderr, so that a script's log says what its numbers are about."""
    from pelatihan_cli.services import programmes

    chosen = programmes.choose(db, programme)
    if chosen is None:
        if required:
            from pelatihan_cli.errors import NotFound

            raise NotFound("There is no programme yet; plan a session (its year's programme is created) or "
                           "add one with `pelatihan programme add NAME --year YEAR`.")
        return None
    if not (programme and str(programme).strip()) and programmes.count(db) > 1:
        sys.stderr.write(f"Programme: {chosen.name} (the default; choose another with --programme)\n")
        sys.stderr.flush()
    return chosen


# --- days as operators say them ------------------------------------------------------------

DAY_WORDS = {"today": 0, "hari-ini": 0, "hari ini": 0, "hariini": 0, "tomorrow": 1, "besok": 1,
             "yesterday": -1, "kemarin": -1, "lusa": 2}


def day_words(value: Optional[str]) -> Optional[str]:
    """Typer callback for date options and arguments: today, tomorrow, yesterday (and
    hari-ini, besok, kemarin, lusa) become the date by the one clock; other text is left
    for the service to parse (YYYY-MM-DD, DD/MM/YYYY, 2 Juli 2024)."""
    if value is None or not isinstance(value, str):
        return value
    shift = DAY_WORDS.get(" ".join(value.strip().lower().split()))
    if shift is None:
        return value
    from pelatihan_cli import clock

    try:
        return (clock.today() + dt.timedelta(days=shift)).isoformat()
    except clock.ClockError as e:
        raise typer.BadParameter(str(e)) from None
