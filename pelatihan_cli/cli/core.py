"""`pelatihan init` and `pelatihan info`."""

from __future__ import annotations

from typing import Annotated

import typer

from pelatihan_cli.cli._common import FormatOption, OutputFormat, get_db, info, print_table, to_json


def init(
    ctx: typer.Context,
    pekalongan: Annotated[
        bool, typer.Option("--pekalongan", help="Also load the 27 kelurahan of Kota Pekalongan (idempotent).")
    ] = False,
) -> None:
    """Create the database (or bring it up to date) and optionally load the Pekalongan kelurahan."""
    from pelatihan_cli.db import schema_version
    from pelatihan_cli.services import kelurahan

    db = get_db(ctx, create=True)
    info(f"Database ready: {db.path} (schema {schema_version(db)})")
    if pekalongan:
        counts = kelurahan.load_pekalongan(db)
        info(f"Kota Pekalongan kelurahan: {counts['added']} added, {counts['unchanged']} already present.")


def info_cmd(ctx: typer.Context, fmt: FormatOption = OutputFormat.table) -> None:
    """Show the database path, schema version and row counts."""
    from pelatihan_cli.services import status

    data = status.database_info(get_db(ctx))
    if fmt is OutputFormat.json:
        print(to_json(data))
    elif fmt is OutputFormat.csv:
        from pelatihan_cli.cli._common import write_csv

        write_csv([{"table": t, "rows": n} for t, n in data["counts"].items()], ["table", "rows"])
    else:
        info(f"Database: {data['path']}")
        info(f"Schema:   {data['schema_version']}  (pelatihan {data['pelatihan_version']})")
        print_table([{"table": t, "rows": n} for t, n in data["counts"].items()], ["table", "rows"])


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("info")(info_cmd)
