"""Import rules of the layers (STYLE.md): domain is pure; render knows no typer or
sqlite_utils; start-up imports no heavy library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "pelatihan_cli"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_domain_imports_no_framework():
    for path in (PKG / "domain").glob("*.py"):
        bad = _imports(path) & {"typer", "rich", "sqlite_utils", "click", "sqlite3"}
        assert not bad, f"{path.name} imports {bad}"


def test_render_imports_no_typer_or_sqlite_utils():
    for path in (PKG / "render").glob("*.py"):
        bad = _imports(path) & {"typer", "sqlite_utils", "click"}
        assert not bad, f"{path.name} imports {bad}"


def test_nothing_imports_click_directly():
    for path in PKG.rglob("*.py"):
        assert "click" not in _imports(path), f"{path} imports click"


def test_startup_does_not_import_heavy_libraries():
    heavy = ["rich", "holidays", "phonenumbers", "babel", "openpyxl", "fpdf", "stdnum", "pydantic"]
    code = (
        "import sys, io, contextlib\n"
        "from pelatihan_cli.cli import app\n"
        "buf = io.StringIO()\n"
        "try:\n"
        "    with contextlib.redirect_stdout(buf):\n"
        "        app(['--db', sys.argv[1], 'kelurahan', 'list', '--format', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", code, str(Path(tmp) / "x.db")],
                             capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr


def test_only_the_invoked_command_module_is_imported():
    code = (
        "import sys, io, contextlib\n"
        "from pelatihan_cli.cli import app\n"
        "try:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        app(['--db', sys.argv[1], 'kelurahan', 'list', '--format', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('pelatihan_cli.cli.')))\n"
    )
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", code, str(Path(tmp) / "x.db")],
                             capture_output=True, text=True, check=True)
    # examples: the help text and usage metavars every command gets (a dict, no imports)
    assert out.stdout.strip().splitlines()[-1] == (
        "['pelatihan_cli.cli._common', 'pelatihan_cli.cli.examples', 'pelatihan_cli.cli.kelurahan']")
