"""Users (officers, supervisors, admins) and paired devices, kept as events in the store."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from werkzeug.security import check_password_hash, generate_password_hash

from shared.store.base import EventStore, NewEvent, VersionConflict

ACCOUNTS_STREAM = "accounts"
MIN_PASSWORD_LENGTH = 8
_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$")


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    KIOSK = "kiosk"
    DISPLAY = "display"


USER_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.ADMIN)
DEVICE_KINDS = (Role.KIOSK, Role.DISPLAY)
STAFF = frozenset(USER_ROLES)
# Section heads (kasi/kabid) and admins: they see every counter and may move tickets.
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMIN})


class AccountError(Exception):
    """A user or device request that cannot be done; the message says why."""


@dataclass(frozen=True)
class Principal:
    """Who is asking: a signed-in user or a paired device."""

    name: str
    role: Role

    @property
    def is_device(self) -> bool:
        return self.role in DEVICE_KINDS


@dataclass(frozen=True)
class _User:
    name: str
    role: Role
    password_hash: str


def _token_digest(token: str) -> str:
    # Device tokens are long random strings, so a plain SHA-256 is enough to keep them secret.
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """Adds and checks users and devices; only hashes are stored."""

    def __init__(self, store: EventStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._version = 0
        self._users: dict[str, _User] = {}
        self._devices: dict[str, Principal] = {}

    def add_user(self, name: str, role: str, password: str) -> Principal:
        """Add a user, or set a new password and role for an existing one."""
        event = _user_saved(name, role, password)
        self._append(event.type, event.data)
        return Principal(name, Role(role))

    def add_device(self, name: str, kind: str) -> str:
        """Pair a kiosk or display; returns its token, which is shown only this once."""
        event, token = _device_paired(name, kind)
        self._append(event.type, event.data)
        return token

    def first_accounts(
        self, admin: str, password: str, devices: Sequence[tuple[str, str]]
    ) -> dict[str, str] | None:
        """While nobody can sign in, add the first admin and devices in one append.

        Returns the device tokens, or None when some user exists already. Appended at the
        version at which no user was seen: of several hub processes starting on one new
        store, one adds them and the others find them made, so one password is valid.
        """
        events = [_user_saved(admin, Role.ADMIN.value, password)]
        tokens: dict[str, str] = {}
        for name, kind in devices:
            event, tokens[name] = _device_paired(name, kind)
            events.append(event)
        while True:
            self._catch_up()
            if self._users:
                return None
            try:
                self._store.append(ACCOUNTS_STREAM, events, self._version)
                return tokens
            except VersionConflict:
                continue  # another process wrote meanwhile: look again for users

    def has_users(self) -> bool:
        """True once anybody can sign in."""
        self._catch_up()
        return bool(self._users)

    def user(self, name: str) -> Principal | None:
        """The user with this name, if any."""
        self._catch_up()
        user = self._users.get(name)
        return Principal(user.name, user.role) if user else None

    def check_password(self, name: str, password: str) -> Principal | None:
        """The user, if the password is theirs."""
        self._catch_up()
        user = self._users.get(name)
        if user is None or not check_password_hash(user.password_hash, password):
            return None
        return Principal(user.name, user.role)

    def device_for_token(self, token: str) -> Principal | None:
        """The paired device this token belongs to, if any."""
        self._catch_up()
        return self._devices.get(_token_digest(token))

    def _append(self, event_type: str, data: dict[str, str]) -> None:
        while True:
            self._catch_up()
            try:
                self._store.append(ACCOUNTS_STREAM, [NewEvent(event_type, data)], self._version)
                return
            except VersionConflict:
                continue  # another process added an account meanwhile; read it and try again

    def _catch_up(self) -> None:
        with self._lock:
            for stored in self._store.read(ACCOUNTS_STREAM, self._version):
                data = stored.data
                if stored.type == "UserSaved":
                    self._users[data["name"]] = _User(
                        data["name"], Role(data["role"]), data["password_hash"]
                    )
                elif stored.type == "DevicePaired":
                    self._devices[data["token_sha256"]] = Principal(
                        data["name"], Role(data["kind"])
                    )
                self._version = stored.version


def _user_saved(name: str, role: str, password: str) -> NewEvent:
    _check_name(name, "user")
    user_role = _role(role, USER_ROLES)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password too short: use at least {MIN_PASSWORD_LENGTH} characters")
    data = {
        "name": name,
        "role": user_role.value,
        "password_hash": generate_password_hash(password),
    }
    return NewEvent("UserSaved", data)


def _device_paired(name: str, kind: str) -> tuple[NewEvent, str]:
    """The pairing event and the device's token, which is shown only this once."""
    _check_name(name, "device")
    device_kind = _role(kind, DEVICE_KINDS)
    token = secrets.token_urlsafe(24)
    data = {"name": name, "kind": device_kind.value, "token_sha256": _token_digest(token)}
    return NewEvent("DevicePaired", data), token


def _check_name(name: str, what: str) -> None:
    if not _NAME_PATTERN.match(name):
        raise AccountError(
            f"invalid {what} name {name!r}: use 2-40 letters, digits, dots, dashes or underscores"
        )


def _role(value: str, allowed: tuple[Role, ...]) -> Role:
    if value not in {r.value for r in allowed}:
        choices = ", ".join(r.value for r in allowed)
        raise AccountError(f"unknown role {value!r}: choose one of {choices}")
    return Role(value)
