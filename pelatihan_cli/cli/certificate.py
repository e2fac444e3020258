"""`pelatihan certificate`: issue (number), print, verify, revoke, list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from pelatihan_cli.cli._common import (
    FormatOption, OutputFormat, ProgrammeOption, ShowNikOption, emit, get_db, info, programme_for, to_json, warn,
)
from pelatihan_cli.cli._documents import ForceOption, check_output, write_whole

app = typer.Typer(help="Certificates (sertifikat): issue numbers, print, verify, revoke, list.",
                  no_args_is_help=True)

SessionOpt = Annotated[Optional[int], typer.Argument(
    metavar="[SESSION]", help="Session id (default: every session of --programme).", show_default=False)]


def _scope(db, session_id: Optional[int], programme: Optional[str], fmt) -> dict:
    if session_id is not None:
        return {"session_id": session_id}
    return {"programme_id": programme_for(db, programme, fmt, required=True).id}


@app.command(name="issue")
def certificate_issue(
    ctx: typer.Context,
    session_id: SessionOpt = None,
    programme: ProgrammeOption = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Number every completer (present on every day) who has no certificate yet.

    Numbers follow `config set certificate_number_pattern` (default
    {seq:04d}/PKW/DINPERINAKER/{year}, seq per programme); an issued number never changes
    and is never reused.

    Examples:

      pelatihan certificate issue 1

      pelatihan certificate issue --programme 2024
    """
    from pelatihan_cli.services import certificates

    db = get_db(ctx)
    r = certificates.issue(db, **_scope(db, session_id, programme, fmt))
    if r["erased"]:
        warn(f"{r['erased']} completer(s) whose data was erased get no certificate.")
    if r.get("hint"):
        warn(r["hint"])
    if fmt is OutputFormat.table:
        for c in r["certificates"]:
            info(f"{c['number']}  session {c['session_id']}  {c['name']}")
        info(f"Issued {r['issued']} certificate(s); {r['already']} already had one.")
    elif fmt is OutputFormat.json:
        info(to_json(r))
    else:
        emit(r["certificates"], fmt, columns=["number", "session_id", "name"])


@app.command(name="print")
def certificate_print(
    ctx: typer.Context,
    target: Annotated[Optional[str], typer.Argument(
        metavar="[SESSION|NUMBER]", help="A session id (digits) or one certificate number; default: "
        "every certificate of --programme.", show_default=False)] = None,
    programme: ProgrammeOption = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="PDF file to write (default: sertifikat.pdf).")] = None,
    force: ForceOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Print certificates: one A4 landscape page per person, with the QR code of its
    verification code. The page shows the full place and date of birth (it is given to
    the person), so every print is logged like --show-nik.

    Examples:

      pelatihan certificate print 1 -o sertifikat-sesi-1.pdf

      pelatihan certificate print 0007/PKW/DINPERINAKER/2024 -o ulang.pdf
    """
    from pelatihan_cli.render.certificate_pdf import render_certificates_pdf
    from pelatihan_cli.services import certificates

    path = check_output(output or Path("sertifikat.pdf"), force, kind="pdf")
    db = get_db(ctx)
    if target is not None and target.strip().isdigit():
        scope = {"session_id": int(target)}
    elif target is not None:
        scope = {"number": target}
    else:
        scope = _scope(db, None, programme, fmt)
    r = certificates.for_print(db, **scope)
    certs = r["certificates"]
    if not certs:
        message = "No certificates to print: issue them first (`pelatihan certificate issue`)."
        if fmt is OutputFormat.json:
            info(to_json({"file": None, "certificates": 0, "pages": 0}))
        warn(message + " No file was written.")
        return
    data, facts = render_certificates_pdf(certs)
    write_whole(path, lambda p: p.write_bytes(data))
    if facts["missing_chars"]:
        warn(f"characters the font lacks were printed as '?': {' '.join(facts['missing_chars'])}")
    if r["skipped_revoked"]:
        warn(f"{r['skipped_revoked']} revoked certificate(s) not printed.")
    obj = {"file": str(path), "certificates": len(certs), "pages": facts["pages"],
           "numbers": [c["number"] for c in certs], "skipped_revoked": r["skipped_revoked"]}
    if fmt is OutputFormat.json:
        info(to_json(obj))
    elif fmt is OutputFormat.csv:
        emit([{k: obj[k] for k in ("file", "certificates", "pages")}], fmt)
    else:
        info(f"Wrote {len(certs)} certificate(s) to {path} ({certs[0]['number']} .. {certs[-1]['number']}).")


@app.command(name="verify")
def certificate_verify(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The verification code printed under the QR code.", show_default=False)],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Check a certificate's verification code against the database (offline).

    Exit code 0: valid; 1: revoked or unknown (a code that was altered is unknown).
    The holder's name is shown masked.
    """
    from pelatihan_cli.services import certificates

    r = certificates.verify(get_db(ctx), code)
    if fmt is OutputFormat.json:
        info(to_json(r))
    elif fmt is OutputFormat.csv:
        emit([r], fmt)
    elif r["status"] == "unknown":
        info(f"UNKNOWN: no certificate has the code {r['code']!r}.")
    else:
        head = "VALID" if r["status"] == "valid" else f"REVOKED on {r['revoked_on']} ({r['reason']})"
        info(f"{head}: certificate {r['number']}, {r['name']}, {r['skill']} in {r['kelurahan']}, "
             f"{r['start_date']} to {r['end_date']} ({r['programme']}).")
    if r["status"] != "valid":
        raise typer.Exit(1)


@app.command(name="revoke")
def certificate_revoke(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="The certificate number.", show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept with the certificate).", show_default=False)],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Revoke a certificate: `verify` then reports it revoked; its number is never reused."""
    from pelatihan_cli.services import certificates

    r = certificates.revoke(get_db(ctx), number, reason)
    if fmt is OutputFormat.table:
        info(f"Revoked certificate {r['number']}: {r['reason']}.")
    elif fmt is OutputFormat.json:
        info(to_json(r))
    else:
        emit([r], fmt)


@app.command(name="list")
def certificate_list(
    ctx: typer.Context,
    session_id: SessionOpt = None,
    programme: ProgrammeOption = None,
    show_nik: ShowNikOption = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Issued certificates of a session or programme: number, person, skill, status."""
    from pelatihan_cli.services import certificates

    db = get_db(ctx)
    rows = certificates.list_certificates(db, **_scope(db, session_id, programme, fmt), show_nik=show_nik)
    emit(rows, fmt, columns=certificates.LIST_KEYS,
         table_columns=["number", "session_id", "nik", "name", "kelurahan", "skill", "status"],
         headers={"session_id": "Session", "nik": "NIK"}, title="Certificates",
         empty_message="No certificates issued yet: `pelatihan certificate issue SESSION`.")
