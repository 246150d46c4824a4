"""The first start of a hub on a new store: the first admin, one kiosk and one display."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from shared.accounts import Accounts

FIRST_ADMIN = "admin"
FIRST_DEVICES = (("kiosk-1", "kiosk"), ("display-1", "display"))
PASSWORD_FILE = "admin-password.txt"  # noqa: S105 (a file name, not a password)


@dataclass(frozen=True)
class FirstStart:
    """What the first start made; the password and tokens exist nowhere else in clear."""

    admin: str
    password: str
    device_tokens: dict[str, str]  # device name -> token

    def kind_of(self, device: str) -> str:
        return dict(FIRST_DEVICES)[device]


def first_start(accounts: Accounts) -> FirstStart | None:
    """Make the first accounts if nobody can sign in yet; None if they exist (made by us or
    by another hub process starting at the same time)."""
    password = secrets.token_urlsafe(9)
    tokens = accounts.first_accounts(FIRST_ADMIN, password, FIRST_DEVICES)
    return None if tokens is None else FirstStart(FIRST_ADMIN, password, tokens)


def save_password(instance: Path, made: FirstStart) -> Path:
    """Write the first admin's password to a file only its owner can read; returns its path.

    Printed once, a password scrolls away; the file keeps it until the admin deletes it.
    """
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / PASSWORD_FILE
    # A fresh file, so it gets 0600 whatever made an older one (umask only removes bits).
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(f"user: {made.admin}\npassword: {made.password}\n")
    return path


def password_box(made: FirstStart, saved: Path, change_command: str) -> str:
    """The one-time credentials framed so they stand out at the end of the start-up output."""
    lines = [
        "Akun administrator pertama - hanya ditampilkan sekali",
        "First administrator account - shown only this once",
        "",
        f"  user:     {made.admin}",
        f"  password: {made.password}",
        "",
        f"Also saved in {saved} (readable by its owner only);",
        f"delete it after changing the password with: {change_command}",
    ]
    width = max(len(line) for line in lines)
    border = "+" + "-" * (width + 4) + "+"
    return "\n".join([border, *(f"|  {line.ljust(width)}  |" for line in lines), border])
