"""Signing in under attack: backoff per user and per address, and few hash checks at once."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

from shared.accounts import Accounts, Principal
from shared.passwords import MAX_PASSWORD_LENGTH

WRONG_PASSWORD = "Nama pengguna atau kata sandi salah."  # noqa: S105 (a message)
# Longer than any real name: kept short so a flood of huge names cannot fill memory.
_LONGEST_NAME = 64


class LoginRefused(Exception):
    """A sign-in that is refused; `status` 401 (wrong) or 429 (wait `retry_after` seconds)."""

    def __init__(self, status: int, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class GuardLimits:
    """How forgiving the guard is; the defaults suit an office of a few dozen officers."""

    user_free: int = 5  # wrong passwords for one name before it must wait
    address_free: int = 20  # for one PC, which may be shared by several officers
    max_lock_seconds: float = 15 * 60
    forget_after_seconds: float = 15 * 60  # a quiet quarter of an hour starts afresh
    # Password hashing takes a core for ~0.2 s: one at a time keeps the other core for the
    # queue, however many sign-ins arrive. The others wait their turn, but not for ever.
    hash_slots: int = 1
    hash_wait_seconds: float = 10.0  # a morning rush of officers waits rather than fails
    capacity: int = 10_000  # remembered names and addresses; the oldest are dropped


@dataclass
class _Failures:
    count: int
    last: float
    locked_until: float


class LoginGuard:
    """Checks passwords for sign-in, refusing early whoever has failed too often."""

    def __init__(
        self, accounts: Accounts, clock: Callable[[], float], limits: GuardLimits | None = None
    ) -> None:
        self.accounts = accounts
        self.clock = clock
        self.limits = limits or GuardLimits()
        self._lock = threading.Lock()
        self._failures: OrderedDict[tuple[str, str], _Failures] = OrderedDict()
        self._slots = threading.BoundedSemaphore(self.limits.hash_slots)

    def sign_in(self, username: str, password: str, address: str) -> Principal:
        """The user if the password is right; LoginRefused with 401 or 429 otherwise."""
        keys = (("user", username.lower()[:_LONGEST_NAME]), ("address", address))
        self._refuse_if_waiting(keys)
        principal = self._check(username, password, keys)
        if principal is None:
            for key, free in zip(keys, self._free_failures(), strict=True):
                self._fail(key, free)
            raise LoginRefused(401, WRONG_PASSWORD)
        with self._lock:
            self._failures.pop(keys[0], None)  # the address keeps its count: one PC, many names
        return principal

    def _free_failures(self) -> tuple[int, int]:
        return self.limits.user_free, self.limits.address_free

    def _refuse_if_waiting(self, keys: tuple[tuple[str, str], ...]) -> None:
        wait = max(self._wait(key) for key in keys)
        if wait > 0:
            raise LoginRefused(429, too_many(wait), math.ceil(wait))

    def _check(
        self, username: str, password: str, keys: tuple[tuple[str, str], ...]
    ) -> Principal | None:
        if len(username) > _LONGEST_NAME or len(password) > MAX_PASSWORD_LENGTH:
            return None  # nobody has such a name or password; never hold the slot hashing it
        if not self._slots.acquire(timeout=self.limits.hash_wait_seconds):
            raise LoginRefused(429, "Sistem sedang sibuk. Coba masuk lagi sebentar lagi.", 5)
        try:
            # Asked again: a flood queued at the slot may have earned a wait meanwhile.
            self._refuse_if_waiting(keys)
            return self.accounts.check_password(username, password)
        finally:
            self._slots.release()

    def _wait(self, key: tuple[str, str]) -> float:
        now = self.clock()
        with self._lock:
            entry = self._failures.get(key)
            return max(0.0, entry.locked_until - now) if entry else 0.0

    def _fail(self, key: tuple[str, str], free: int) -> None:
        now = self.clock()
        with self._lock:
            entry = self._failures.pop(key, None)
            if entry is None or now - entry.last > self.limits.forget_after_seconds:
                entry = _Failures(0, now, now)
            entry.count += 1
            entry.last = now
            if entry.count >= free:
                # Doubling from one second: a person who mistypes waits little, a guesser
                # gets a handful of tries an hour.
                delay = min(self.limits.max_lock_seconds, 2.0 ** (entry.count - free))
                entry.locked_until = now + delay
            self._failures[key] = entry  # re-inserted last, so the oldest go first
            while len(self._failures) > self.limits.capacity:
                self._failures.popitem(last=False)


def too_many(seconds: float) -> str:
    """The Indonesian message for a sign-in refused until `seconds` have passed."""
    if seconds > 90:
        return (
            "Terlalu banyak percobaan masuk yang gagal. "
            f"Coba lagi dalam {math.ceil(seconds / 60)} menit."
        )
    return f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {math.ceil(seconds)} detik."


def init_app(app: Flask) -> None:
    """Give the app its guard, on the hub's clock so tests can move time."""
    hub = app.extensions["antrian"]
    app.extensions["antrian_login_guard"] = LoginGuard(
        hub.accounts, lambda: hub.queue.clock().timestamp()
    )


def current_guard() -> LoginGuard:
    """The guard of the app handling the current request."""
    return current_app.extensions["antrian_login_guard"]
