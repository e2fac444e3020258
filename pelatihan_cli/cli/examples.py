"""Examples shown at the end of each command's --help (the commands whose docstring has
none of its own), and the metavars that make usage lines read `NIK`, `DATE`, `FILE`.

Applied by the root group when it builds a command (cli/__init__.py), so the command
modules stay as they are and start-up does not grow."""

from __future__ import annotations

EXAMPLES: dict[str, list[str]] = {
    "info": ["pelatihan info", "pelatihan --db programme.db info --format json"],
    "config list": ["pelatihan config list"],
    "config get": ["pelatihan config get age_max"],
    "config set": ["pelatihan config set doc_officer_name \"Drs. Budi Santoso\"", "pelatihan config set timezone Asia/Makassar"],
    "config unset": ["pelatihan config unset age_min"],
    "kelurahan import": ["pelatihan kelurahan import kelurahan_kota.csv --dry-run", "pelatihan kelurahan import kelurahan_kota.xlsx"],
    "kelurahan rename": ["pelatihan kelurahan rename \"Kali Baros\" Kalibaros"],
    "kelurahan update": ["pelatihan kelurahan update Medono --code 33.75.01.1002", "pelatihan kelurahan update 33.75.01.1002 -K \"Pekalongan Barat\""],
    "kelurahan remove": ["pelatihan kelurahan remove \"Kelurahan Uji\" --yes"],
    "skill list": ["pelatihan skill list"],
    "skill rename": ["pelatihan skill rename Rajut Merajut"],
    "skill merge": ["pelatihan skill merge Merajutt Merajut --yes"],
    "skill remove": ["pelatihan skill remove Sablon --yes"],
    "instructor add": ["pelatihan instructor add \"Siti Aminah\" --skill Merajut --skill Kerajinan --phone 0812-3456-7890"],
    "instructor update": ["pelatihan instructor update \"Siti Aminah\" --add-skill Buket", "pelatihan instructor update \"Siti Aminah\" --tax-category pns --golongan III"],
    "instructor list": ["pelatihan instructor list --skill Merajut", "pelatihan instructor list --all --format csv"],
    "instructor show": ["pelatihan instructor show \"Siti Aminah\""],
    "instructor remove": ["pelatihan instructor remove \"Siti Aminah\""],
    "instructor import": ["pelatihan instructor import data/instructors_2024.csv --dry-run"],
    "holiday add": ["pelatihan holiday add 2024-07-15 \"Hari Jadi Kota\""],
    "holiday list": ["pelatihan holiday list --year 2024"],
    "holiday remove": ["pelatihan holiday remove 2024-07-15"],
    "calendar": ["pelatihan calendar --from 2024-07-01 --to 2024-08-31"],
    "session show": ["pelatihan session show 12", "pelatihan session show 12 --format json"],
    "session move": ["pelatihan session move 12 --start 2024-07-09"],
    "session import": ["pelatihan session import sesi_2025.csv --dry-run", "pelatihan session import sesi_2025.xlsx --programme 2025"],
    "participant enroll": ["pelatihan participant enroll 12 3375014107900001 --name \"Siti Aminah\"",
                           "pelatihan participant enroll 12 3375014107900001 --name \"Siti Aminah\" --phone 0812-3456-7890"],
    "participant withdraw": ["pelatihan participant withdraw 12 3375014107900001 --reason \"diterima kerja\""],
    "participant move": ["pelatihan participant move 12 3375014107900001 --to 14"],
    "participant update": ["pelatihan participant update 3375014107900001 --phone 0857-1111-2222",
                           "pelatihan participant update 3375014107900001 --new-nik 3375014107900002"],
    "participant merge": ["pelatihan participant merge 3375014107900001 3375014107900002 --yes"],
    "participant ak1": ["pelatihan participant ak1 3375014107900001 --number 3375-2024-000123 --date 2024-07-03"],
    "participant show": ["pelatihan participant show 3375014107900001", "pelatihan participant show 3375014107900001 --format json"],
    "participant erase": ["pelatihan participant erase 3375014107900001 --yes"],
    "participant import": ["pelatihan participant import daftar_medono.xlsx --dry-run",
                           "pelatihan participant import daftar_medono.xlsx -k Medono --on-error skip --rejects ditolak.xlsx"],
    "attendance mark": ["pelatihan attendance mark 12 --day 1 --all", "pelatihan attendance mark 12 --day 2 --all --except 3375014107900001"],
    "attendance show": ["pelatihan attendance show 12"],
    "budget show": ["pelatihan budget show --programme 2024"],
    "receipt list": ["pelatihan receipt list --programme 2024"],
    "certificate verify": ["pelatihan certificate verify 7Q2M-XK4P-9RTA"],
    "certificate revoke": ["pelatihan certificate revoke 0001/PKW/DINPERINAKER/2024 --reason \"salah nama\""],
    "certificate list": ["pelatihan certificate list --programme 2024"],
    "followup due": ["pelatihan followup due --months 3", "pelatihan followup due --format xlsx -o telepon.xlsx"],
    "followup import": ["pelatihan followup import survei.csv --dry-run"],
    "followup show": ["pelatihan followup show 3375014107900001"],
    "backup": ["pelatihan backup backups/", "pelatihan backup pelatihan-2024-akhir.db"],
    "restore": ["pelatihan restore backups/pelatihan-20240831-170000.db --yes"],
    "log": ["pelatihan log --limit 10", "pelatihan log --action participant --format json"],
}

#: usage metavars of arguments by parameter name
ARGUMENT_METAVARS = {
    "session_id": "SESSION", "session": "SESSION", "nik": "NIK", "niks": "NIK", "keep_nik": "KEEP_NIK",
    "other_nik": "OTHER_NIK", "date": "DATE", "file": "FILE", "name": "NAME", "old": "OLD", "new": "NEW",
    "programme": "PROGRAMME", "key": "KEY", "value": "VALUE", "number": "NUMBER", "code": "CODE",
    "text": "TEXT", "source": "FILE", "target": "FILE", "output": "FILE", "kelurahan": "KELURAHAN",
}


def decorate(command, path: str) -> None:
    """Add the examples (as epilog) and readable metavars to `command` and its sub-commands."""
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name, sub in subcommands.items():
            decorate(sub, f"{path} {name}".strip())
        return
    if getattr(command, "_pelatihan_decorated", False):
        return
    command._pelatihan_decorated = True
    if command.help and not command.short_help:
        # the group's list of commands shows the first paragraph; typer's rich mode keeps its
        # line breaks, which cut a sentence in the middle of the column: one line, wrapped there
        first = command.help.strip().split("\n\n", 1)[0]
        command.short_help = " ".join(first.split())
    lines = EXAMPLES.get(path)
    if lines and "Examples" not in (command.help or "") and not command.epilog:
        command.epilog = "Examples:\n\n" + "\n\n".join(f"  {line}" for line in lines)
    for p in command.params:
        if getattr(p, "param_type_name", "") == "argument":
            _plain_metavar(p, p.metavar or ARGUMENT_METAVARS.get(p.name, p.name.upper()))
        elif getattr(p, "param_type_name", "") == "option" and not p.metavar:
            choices = getattr(p.type, "choices", None)
            if choices and len("|".join(map(str, choices))) > 16:
                # a long choice list would wrap in the middle of a word: name it, and list
                # the choices in the help text
                p.metavar = max(p.opts, key=len).lstrip("-").upper()
                listed = ", ".join(str(c) for c in choices)
                if listed not in (p.help or "") and all(str(c) not in (p.help or "") for c in choices):
                    p.help = f"{p.help or ''} One of: {listed}.".strip()


def _plain_metavar(param, base: str) -> None:
    """Usage lines read `SESSION NIK`, `[DATE]`, `NIK…` (not typer's `{nik}`)."""
    text = base + ("…" if param.nargs == -1 else "")

    def make_metavar(ctx=None, *, usage: bool = False) -> str:
        return f"[{text}]" if usage and not param.required else text

    param.metavar = text
    param.make_metavar = make_metavar
