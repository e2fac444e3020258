"""`pelatihan init` and `pelatihan info`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import FormatOption, OutputFormat, get_db, info, print_table, to_json, warn


def init(
    ctx: typer.Context,
    region: Annotated[Optional[list[str]], typer.Option(
        "--region", help="Load every desa/kelurahan of this kabupaten/kota or province, by name or code "
                         "('Kota Semarang', 33.74, 'Jawa Tengah', 33); repeatable; idempotent.")] = None,
    pekalongan: Annotated[
        bool, typer.Option("--pekalongan", help="The 27 kelurahan of Kota Pekalongan: --region 33.75.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Create the database (or bring it up to date) and optionally load the desa/kelurahan
    of regions from the built-in national list.

    Examples:

      pelatihan init --region "Kota Semarang"

      pelatihan init --region "Jawa Tengah"

      pelatihan init --region 33.25 --region 33.26
    """
    from pelatihan_cli.db import schema_version

    regions = [*(["33.75"] if pekalongan else []), *(region or [])]
    if regions:  # a typo in a region is reported before the database is created
        from pelatihan_cli.services import regions as regions_service

        regions_service.resolve_all(regions)
    db = get_db(ctx, create=True)
    result = {"database": str(db.path), "schema": schema_version(db)}
    if regions:
        result.update(regions_service.load(db, regions))
        for w in result["warnings"]:
            warn(w)
    if fmt is OutputFormat.json:
        print(to_json(result))
        return
    if fmt is OutputFormat.csv:
        from pelatihan_cli.cli._common import write_csv

        write_csv(result.get("regions", []), ["code", "name", "level", "villages"])
        return
    info(f"Database ready: {db.path} (schema {result['schema']})")
    if regions:
        names = ", ".join(f"{r['name']} ({r['code']})" for r in result["regions"])
        info(f"{names}: {result['added']} added, {result['present']} already present.")


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
