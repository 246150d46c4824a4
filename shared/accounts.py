"""Users (officers, supervisors, admins) and paired devices, kept as events in the store."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from werkzeug.security import check_password_hash, generate_password_hash

from shared.passwords import password_problem
from shared.store.base import EventStore, NewEvent, VersionConflict

ACCOUNTS_STREAM = "accounts"
# The whole name, not a prefix: `$` would also accept a name ending in a newline.
_NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,39}")
# A signed-in browser session lasts one working day; an ended one is remembered that long.
USER_SESSION_MAX_AGE = 12 * 3600


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    KIOSK = "kiosk"
    DISPLAY = "display"
    SURVEY = "survey"  # the satisfaction survey tablet at the exit


USER_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.ADMIN)
DEVICE_KINDS = (Role.KIOSK, Role.DISPLAY, Role.SURVEY)
STAFF = frozenset(USER_ROLES)
# Section heads (kasi/kabid) and admins: they see every counter and may move tickets.
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMIN})


class AccountError(Exception):
    """A user or device request that cannot be done; the message says why."""


@dataclass(frozen=True)
class Grant:
    """What a principal proved itself with, so a later check can tell whether it still holds."""

    device_key: str = ""  # a device's token digest
    epoch: int = 0  # a user's password generation when they signed in
    session: str = ""  # a browser session id; empty for a bearer token


@dataclass(frozen=True)
class Principal:
    """Who is asking: a signed-in user or a paired device."""

    name: str
    role: Role
    # Not part of who it is: the same device or user is equal whatever it proved itself with.
    grant: Grant = field(default=Grant(), compare=False, repr=False)

    @property
    def is_device(self) -> bool:
        return self.role in DEVICE_KINDS


@dataclass(frozen=True)
class _User:
    name: str
    role: Role
    password_hash: str
    # Bumped by every new password and every disabling: older sessions and tokens then fail.
    epoch: int
    enabled: bool = True
    saved_at: str = ""


@dataclass(frozen=True)
class DeviceEntry:
    """A paired device as `antrian device list` shows it."""

    name: str
    kind: Role
    key: str
    paired_at: str


@dataclass(frozen=True)
class UserEntry:
    """A user as `antrian user list` shows it."""

    name: str
    role: Role
    enabled: bool
    saved_at: str


def token_digest(token: str) -> str:
    """The form a device token is stored and remembered in (never the token itself)."""
    # Device tokens are long random strings, so a plain SHA-256 is enough to keep them secret.
    return hashlib.sha256(token.encode()).hexdigest()


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Accounts:
    """Adds, revokes and checks users and devices; only hashes are stored."""

    def __init__(self, store: EventStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._version = 0
        self._users: dict[str, _User] = {}
        self._devices: dict[str, DeviceEntry] = {}  # by name
        self._device_keys: dict[str, str] = {}  # token digest -> name
        self._ended_sessions: dict[str, float] = {}  # session id -> when it would expire
        self._revoked_listeners: list[Callable[[], object]] = []

    # --- changes -------------------------------------------------------------------------

    def add_user(self, name: str, role: str, password: str) -> Principal:
        """Add a user, or set a new password and role (which ends their sessions and tokens)."""
        event = _user_saved(name, role, password)
        self._append(event.type, event.data)
        return Principal(name, Role(role))

    def set_user_enabled(self, name: str, enabled: bool) -> bool:
        """Disable (ending every session and token) or enable a user; False if already so."""
        user = self._existing_user(name)
        if user.enabled == enabled:
            return False
        self._append("UserEnabled" if enabled else "UserDisabled", {"name": name, "at": _now_iso()})
        return True

    def add_device(self, name: str, kind: str) -> str:
        """Pair a kiosk or display, or give it a new token; returns the token, shown only once."""
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

    def remove_device(self, name: str) -> None:
        """Unpair a device: its token and every browser paired with it stop working at once."""
        self._catch_up()
        if name not in self._devices:
            raise AccountError(f"no device named {name!r}; see: antrian device list")
        self._append("DeviceRemoved", {"name": name, "at": _now_iso()})

    def end_session(self, session_id: str, started: float) -> None:
        """Sign a browser session out on the server, so a copy of its cookie is refused too."""
        until = started + USER_SESSION_MAX_AGE
        self._append("SessionEnded", {"session": session_id, "until": until})

    def on_revoked(self, listener: Callable[[], object]) -> None:
        """Call `listener` after something was revoked (from this process or another)."""
        self._revoked_listeners.append(listener)

    # --- questions -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Read what other processes changed (users, devices, sessions ended)."""
        self._catch_up()

    def has_users(self) -> bool:
        """True once anybody can sign in."""
        self._catch_up()
        return bool(self._users)

    def users(self) -> list[UserEntry]:
        """Every user, by name."""
        self._catch_up()
        return [
            UserEntry(u.name, u.role, u.enabled, u.saved_at)
            for u in sorted(self._users.values(), key=lambda u: u.name)
        ]

    def devices(self) -> list[DeviceEntry]:
        """Every paired device, by name."""
        self._catch_up()
        return sorted(self._devices.values(), key=lambda d: d.name)

    def user(self, name: str, epoch: int, session: str = "") -> Principal | None:
        """The user, if enabled and `epoch` (and `session`) are still theirs."""
        self._catch_up()
        user = self._users.get(name)
        if user is None or not user.enabled or user.epoch != epoch:
            return None
        if session and session in self._ended_sessions:
            return None
        return Principal(user.name, user.role, Grant(epoch=epoch, session=session))

    def check_password(self, name: str, password: str) -> Principal | None:
        """The enabled user, if the password is theirs; as slow for an unknown name."""
        self._catch_up()
        user = self._users.get(name)
        # An unknown name is checked against a dummy hash, so the answer's timing does not
        # tell which names exist.
        stored = user.password_hash if user else self._dummy_hash
        if not check_password_hash(stored, password) or user is None or not user.enabled:
            return None
        return Principal(user.name, user.role, Grant(epoch=user.epoch))

    def device_for_token(self, token: str) -> Principal | None:
        """The paired device this token belongs to, if any."""
        return self.device_for_key(token_digest(token))

    def device_for_key(self, key: str) -> Principal | None:
        """The paired device whose token has this digest, if it is still paired."""
        self._catch_up()
        name = self._device_keys.get(key)
        if name is None:
            return None
        return Principal(name, self._devices[name].kind, Grant(device_key=key))

    def current(self, principal: Principal) -> Principal | None:
        """The principal again if what it proved itself with still holds, else None."""
        grant = principal.grant
        if principal.is_device:
            found = self.device_for_key(grant.device_key)
        else:
            found = self.user(principal.name, grant.epoch, grant.session)
        return found if found == principal else None

    @functools.cached_property
    def _dummy_hash(self) -> str:
        return generate_password_hash(secrets.token_urlsafe(16))

    def _existing_user(self, name: str) -> _User:
        self._catch_up()
        user = self._users.get(name)
        if user is None:
            raise AccountError(f"no user named {name!r}; see: antrian user list")
        return user

    # --- the event fold ------------------------------------------------------------------

    def _append(self, event_type: str, data: dict[str, Any]) -> None:
        while True:
            self._catch_up()
            try:
                self._store.append(ACCOUNTS_STREAM, [NewEvent(event_type, data)], self._version)
                break
            except VersionConflict:
                continue  # another process added an account meanwhile; read it and try again
        self._catch_up()  # takes effect in this process at once

    def _catch_up(self) -> None:
        if not self._lock.acquire(blocking=False):
            # Another request is reading the accounts stream this very moment: what it
            # finds covers this request too. Without this, every request of a busy hub
            # queued here for a store read of its own (a tenth of the hub's CPU under load).
            with self._lock:
                return
        try:
            revoked = False
            for stored in self._store.read(ACCOUNTS_STREAM, self._version):
                revoked |= self._apply(stored.type, stored.data)
                self._version = stored.version
            if revoked:
                self._forget_expired_sessions()
        finally:
            self._lock.release()
        if revoked:
            # Outside the lock: a listener asks again who is still signed in.
            for listener in self._revoked_listeners:
                listener()

    def _apply(self, event_type: str, data: dict[str, Any]) -> bool:
        """Fold one event; True when it took something away from someone."""
        name = data.get("name", "")
        if event_type == "UserSaved":
            old = self._users.get(name)
            epoch = old.epoch + 1 if old else 1
            self._users[name] = _User(
                name, Role(data["role"]), data["password_hash"], epoch, True, data.get("at", "")
            )
            return old is not None
        if event_type in ("UserDisabled", "UserEnabled"):
            user = self._users[name]
            disabled = event_type == "UserDisabled"
            epoch = user.epoch + 1 if disabled else user.epoch
            self._users[name] = replace(user, enabled=not disabled, epoch=epoch)
            return disabled
        if event_type == "DevicePaired":
            replaced = self._unpair(name)
            key = data["token_sha256"]
            kind = Role(data["kind"])
            self._devices[name] = DeviceEntry(name, kind, key, data.get("at", ""))
            self._device_keys[key] = name
            return replaced
        if event_type == "DeviceRemoved":
            return self._unpair(name)
        if event_type == "SessionEnded":
            self._ended_sessions[data["session"]] = float(data["until"])
            return True
        return False

    def _unpair(self, name: str) -> bool:
        old = self._devices.pop(name, None)
        if old is not None:
            self._device_keys.pop(old.key, None)
        return old is not None

    def _forget_expired_sessions(self) -> None:
        # An ended session older than a session may live is refused by its age anyway.
        now = time.time()
        for session, until in list(self._ended_sessions.items()):
            if until < now:
                del self._ended_sessions[session]


def _user_saved(name: str, role: str, password: str) -> NewEvent:
    _check_name(name, "user")
    user_role = _role(role, USER_ROLES)
    problem = password_problem(password, name)
    if problem:
        raise AccountError(problem)
    data = {
        "name": name,
        "role": user_role.value,
        "password_hash": generate_password_hash(password),
        "at": _now_iso(),
    }
    return NewEvent("UserSaved", data)


def _device_paired(name: str, kind: str) -> tuple[NewEvent, str]:
    """The pairing event and the device's token, which is shown only this once."""
    _check_name(name, "device")
    device_kind = _role(kind, DEVICE_KINDS)
    token = secrets.token_urlsafe(24)
    data = {"name": name, "kind": device_kind.value, "token_sha256": token_digest(token)}
    return NewEvent("DevicePaired", {**data, "at": _now_iso()}), token


def _check_name(name: str, what: str) -> None:
    if not _NAME_PATTERN.fullmatch(name):
        raise AccountError(
            f"invalid {what} name {name!r}: use 2-40 letters, digits, dots, dashes or underscores"
            " (no spaces or control characters)"
        )


def _role(value: str, allowed: tuple[Role, ...]) -> Role:
    if value not in {r.value for r in allowed}:
        choices = ", ".join(r.value for r in allowed)
        raise AccountError(f"unknown role {value!r}: choose one of {choices}")
    return Role(value)
