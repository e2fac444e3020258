"""`pelatihan kelurahan`: the registry of kelurahan (urban villages)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import (
    FormatOption, NewOption, OutputFormat, YesOption, done, emit, get_db, info, say, to_json, warn,
)

app = typer.Typer(help="Register and list kelurahan and desa (keyed by their Kemendagri code).", no_args_is_help=True)

COLUMNS = ["code", "name", "kecamatan", "kabupaten", "provinsi", "sessions", "participants"]
KabupatenOption = Annotated[Optional[str], typer.Option(
    "--kabupaten", help="Only this kabupaten/kota, e.g. 'Kota Semarang'.")]


@app.command(name="add")
def kelurahan_add(
    ctx: typer.Context,
    name: Annotated[Optional[str], typer.Argument(
        help="Kelurahan name, e.g. 'Bendan Kergon' (optional with a --code of the national list).")] = None,
    kecamatan: Annotated[Optional[str], typer.Option(
        "--kecamatan", "-K", help="Kecamatan (district) it belongs to (from the list with --code).")] = None,
    code: Annotated[Optional[str], typer.Option("--code", help="Kemendagri code NN.NN.NN.NNNN, e.g. 33.75.01.1006.")] = None,
    new: NewOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Add a kelurahan or desa; with a --code of the national list, its name, kecamatan,
    kabupaten/kota and province come from the list.

    Examples:

      pelatihan kelurahan add --code 33.74.02.1004

      pelatihan kelurahan add "Kampung Baru" --kecamatan "Pekalongan Utara"
    """
    from dataclasses import asdict

    from pelatihan_cli.services import kelurahan

    r = kelurahan.add(get_db(ctx), name, kecamatan, code, allow_new=new)
    for w in r["warnings"]:
        warn(w)
    k = r["kelurahan"]
    if fmt is not OutputFormat.table:
        emit([asdict(k)], fmt, columns=["id", "code", "name", "kecamatan", "kabupaten", "provinsi"])
        return
    say(f"Added kelurahan {k.name} ({k.where()}{', ' + k.code if k.code else ''}).")


@app.command(name="list")
def kelurahan_list(
    ctx: typer.Context,
    kecamatan: Annotated[Optional[str], typer.Option("--kecamatan", "-K", help="Only this kecamatan.")] = None,
    kabupaten: KabupatenOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """List kelurahan with their sessions and enrolled participants, by code (province,
    kabupaten/kota, kecamatan).

    Examples:

      pelatihan kelurahan list --kecamatan "Pekalongan Barat"

      pelatihan kelurahan list --kabupaten "Kota Semarang" --kecamatan Mijen --format csv
    """
    from pelatihan_cli.services import kelurahan

    rows = kelurahan.list_kelurahan(get_db(ctx), kecamatan, kabupaten)
    regencies = {r["kabupaten"] for r in rows}
    table_columns = [c for c in COLUMNS if c != "provinsi" and (c != "kabupaten" or len(regencies) > 1)]
    emit(rows, fmt, columns=COLUMNS, table_columns=table_columns, title="Kelurahan",
         empty_message="No kelurahan yet. Add them with `pelatihan kelurahan add`, or "
                       "`pelatihan init --region REGION`.")


@app.command(name="import")
def kelurahan_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV or JSON file with code,name,kecamatan.")],
    new: NewOption = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and print the counts; write nothing.")] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Import kelurahan from a file, all or nothing; rows already present are unchanged."""
    from pelatihan_cli.services import kelurahan

    counts = kelurahan.import_file(get_db(ctx), file, allow_new=new, dry_run=dry_run)
    for w in counts["warnings"][:10]:
        warn(w)
    if len(counts["warnings"]) > 10:
        warn(f"... and {len(counts['warnings']) - 10} more row(s) whose name differs from the national list.")
    head, added = ("Dry run, nothing written. ", "would be added") if dry_run else ("", "added")
    done({k: counts[k] for k in ("read", "added", "unchanged", "dry_run")},
         f"{head}Read {counts['read']} row(s): {counts['added']} {added}, {counts['unchanged']} unchanged.", fmt)


@app.command(name="rename")
def kelurahan_rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="Current name.")],
    new: Annotated[str, typer.Argument(help="New name.")],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Rename a kelurahan."""
    from dataclasses import asdict

    from pelatihan_cli.services import kelurahan

    k = kelurahan.rename(get_db(ctx), old, new)
    done(asdict(k), f"Renamed to {k.name}.", fmt, columns=["id", "code", "name", "kecamatan", "kabupaten"])


@app.command(name="update")
def kelurahan_update(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Kelurahan name (or code).", show_default=False)],
    kecamatan: Annotated[Optional[str], typer.Option("--kecamatan", "-K", help="Corrected kecamatan.")] = None,
    code: Annotated[Optional[str], typer.Option(
        "--code", help="Corrected Kemendagri code NN.NN.NN.NNNN ('' clears it).")] = None,
    new: NewOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Correct a kelurahan's kecamatan or code (to correct its name, use `kelurahan rename`)."""
    from pelatihan_cli.services import kelurahan

    r = kelurahan.update(get_db(ctx), name, kecamatan=kecamatan, code=code, allow_new=new)
    if fmt is OutputFormat.json:
        info(to_json(r))
    elif fmt is OutputFormat.csv:
        emit([r], fmt, columns=["name", "kecamatan", "code", "changed"])
    elif r["changed"]:
        say(f"Updated kelurahan {r['name']}: {', '.join(r['changed'])} "
             f"(now {r['kecamatan']}, code {r['code'] or '-'}).")
    else:
        say(f"Kelurahan {r['name']} already has these values; nothing changed.")


@app.command(name="remove")
def kelurahan_remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Kelurahan name.")],
    yes: YesOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Remove a kelurahan that no session or participant refers to. Asks first (--yes for scripts)."""
    from dataclasses import asdict

    from pelatihan_cli.cli._guards import confirm_or_fail
    from pelatihan_cli.services import kelurahan

    db = get_db(ctx)
    k = kelurahan.resolve(db, name)
    confirm_or_fail(yes, f"Remove kelurahan {k.name} ({k.where()})?", what=f"removing kelurahan {k.name} cannot be undone")
    k = kelurahan.remove(db, name)
    done(asdict(k), f"Removed kelurahan {k.name}.", fmt, columns=["id", "code", "name", "kecamatan", "kabupaten"])
