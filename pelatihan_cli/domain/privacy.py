"""Masking of personal data in what is printed or exported (unless --show-nik)."""

from __future__ import annotations


def mask_nik(nik: str | None) -> str | None:
    """'3375014107900001' -> '337501******0001' (first 6 digits are only the issuing region)."""
    if not nik:
        return nik
    if len(nik) != 16:
        return "*" * len(nik)
    return f"{nik[:6]}******{nik[-4:]}"


def mask_phone(display: str | None) -> str | None:
    """'0812-3456-7890' -> '0812-****-7890', '0813-4567-291' -> '0813-****-291': the
    middle groups are hidden, so the operator can still tell numbers apart."""
    if not display:
        return display
    groups = display.split("-")
    if len(groups) >= 3:
        return "-".join([groups[0], *("*" * len(g) for g in groups[1:-1]), groups[-1]])
    digits = [i for i, ch in enumerate(display) if ch.isdigit()]
    if len(digits) <= 8:
        return display
    hide = set(digits[4:-4])
    return "".join("*" if i in hide else ch for i, ch in enumerate(display))


def phone_for_display(e164: str | None, *, reveal: bool = False) -> str | None:
    """A stored phone as people read it ('0812-3456-7890'), masked unless `reveal`."""
    from pelatihan_cli.domain.phone import format_phone

    shown = format_phone(e164)
    return shown if reveal else mask_phone(shown)


def mask_birth_date(iso: str | None) -> str | None:
    """'1990-07-02' -> '1990-**-**' (the year keeps the age band readable)."""
    if not iso:
        return iso
    return iso[:4] + "-**-**"


def mask_account(value: str | None) -> str | None:
    """'1234567890' -> '******7890': the treasurer can still tell accounts apart."""
    if not value:
        return value
    digits = "".join(ch for ch in value if ch.isalnum())
    return "*" * max(len(digits) - 4, 0) + digits[-4:]
