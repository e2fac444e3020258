"""Operator settings (`pelatihan config`): a registry of known keys with defaults and
validators; stored in the `setting` table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlite_utils import Database

from pelatihan_cli.db import write_transaction
from pelatihan_cli.errors import NotFound, ValidationError
from pelatihan_cli.services import audit


def int_between(lo: int, hi: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        try:
            n = int(value.strip())
        except ValueError:
            raise ValidationError(f"must be a whole number, got {value!r}") from None
        if not lo <= n <= hi:
            raise ValidationError(f"must be between {lo} and {hi}, got {n}")
        return str(n)

    return check


def _text(value: str) -> str:
    return value.strip()


@dataclass(frozen=True)
class Setting:
    key: str
    default: str
    help: str
    check: Callable[[str], str] = _text


SETTINGS: dict[str, Setting] = {}


def register(key: str, default: str, help: str, check: Callable[[str], str] = _text) -> None:
    """Declare a setting. Each area registers its keys at import time of its service."""
    SETTINGS[key] = Setting(key, default, help, check)


register("age_min", "15", "Youngest age allowed on a session's first day (BPS 'usia produktif': 15).", int_between(0, 120))
register("age_max", "64", "Oldest age allowed on a session's first day (BPS 'usia produktif': 64).", int_between(0, 120))


def _load_all_areas() -> None:
    # services register their own keys; import them so `config list` sees every key
    import importlib

    for name in ("documents", "programmes", "clock", "sessions", "certificates", "followups", "budget"):
        try:
            importlib.import_module(f"pelatihan_cli.services.{name}")
        except ModuleNotFoundError:
            pass


def _known(key: str) -> Setting:
    _load_all_areas()
    if key in ("doc_programme_title", "doc_funding"):
        option = "--title" if key == "doc_programme_title" else "--funding"
        raise ValidationError(
            f"{key} is now set per programme (documents print it with the programme's year): "
            f"use `pelatihan programme update PROGRAMME {option} TEXT`.", field=key)
    if key not in SETTINGS:
        import difflib

        close = difflib.get_close_matches(key, SETTINGS, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else " See `pelatihan config list`."
        raise NotFound(f"Unknown setting {key!r}.{hint}")
    return SETTINGS[key]


def get(db: Database, key: str) -> str:
    setting = _known(key)
    row = db.execute("SELECT value FROM setting WHERE key = ?", [key]).fetchone()
    return row[0] if row else setting.default


def get_int(db: Database, key: str) -> int:
    return int(get(db, key))


def set_value(db: Database, key: str, value: str) -> str:
    setting = _known(key)
    try:
        clean = setting.check(value)
    except ValidationError as e:
        raise ValidationError(f"Setting {key}: {e}.", field=key, value=value) from None
    with write_transaction(db):
        if key == "age_min" and int(clean) > get_int(db, "age_max"):
            raise ValidationError(f"Setting age_min: {clean} is above age_max ({get(db, 'age_max')}).")
        if key == "age_max" and int(clean) < get_int(db, "age_min"):
            raise ValidationError(f"Setting age_max: {clean} is below age_min ({get(db, 'age_min')}).")
        db.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, clean],
        )
        audit.record(db, "config.set", {"key": key})
    return clean


def unset(db: Database, key: str) -> None:
    _known(key)
    with write_transaction(db):
        db.execute("DELETE FROM setting WHERE key = ?", [key])
        audit.record(db, "config.unset", {"key": key})


def list_all(db: Database) -> list[dict]:
    _load_all_areas()
    stored = dict(db.execute("SELECT key, value FROM setting").fetchall())
    return [
        {"key": s.key, "value": stored.get(s.key, s.default), "default": s.default, "is_default": s.key not in stored, "help": s.help}
        for s in sorted(SETTINGS.values(), key=lambda s: s.key)
    ]
