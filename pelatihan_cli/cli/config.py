"""`pelatihan config`: settings such as age bounds and document letterhead."""

from __future__ import annotations

from typing import Annotated

import typer

from pelatihan_cli.cli._common import FormatOption, OutputFormat, done, emit, get_db, info

app = typer.Typer(help="Show and change settings (age bounds, document letterhead, ...).", no_args_is_help=True)


@app.command(name="list")
def config_list(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """List every setting with its value and default."""
    from pelatihan_cli.services import settings

    emit(settings.list_all(get_db(ctx)), fmt, columns=["key", "value", "default", "is_default", "help"],
         table_columns=["key", "value", "help"])


@app.command(name="get")
def config_get(ctx: typer.Context, key: Annotated[str, typer.Argument(help="Setting name.")],
               fmt: FormatOption = OutputFormat.table) -> None:
    """Print one setting's value."""
    from pelatihan_cli.services import settings

    value = settings.get(get_db(ctx), key)
    if fmt is OutputFormat.table:
        info(str(value))
    else:
        emit([{"key": key, "value": value}], fmt)


@app.command(name="set")
def config_set(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Setting name (see `config list`).")],
    value: Annotated[str, typer.Argument(help="New value.")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Change a setting."""
    from pelatihan_cli.services import settings

    clean = settings.set_value(get_db(ctx), key, value)
    done({"key": key, "value": clean}, f"{key} = {clean}", fmt)


@app.command(name="unset")
def config_unset(ctx: typer.Context, key: Annotated[str, typer.Argument(help="Setting name.")],
                 fmt: FormatOption = OutputFormat.table) -> None:
    """Return a setting to its default."""
    from pelatihan_cli.services import settings

    db = get_db(ctx)
    settings.unset(db, key)
    value = settings.get(db, key)
    done({"key": key, "value": value, "is_default": True}, f"{key} = {value} (default)", fmt)
