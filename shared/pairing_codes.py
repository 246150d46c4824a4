"""Pairing a touch screen with a short code: 6 digits, made by staff, valid 10 minutes, used once.

A kiosk or TV has no keyboard for a 32-character token. Staff make a code (`antrian device
add NAME --kind kiosk --code`, or the admin home); the device's pairing page takes it on a
big keypad. Codes are events in the accounts stream, so a code made by the CLI works in every
hub process, and using one appends the device's pairing and the code's use together, at the
version the code was seen unused: of two screens typing the same code at once, one wins.
Wrong codes are rate-limited per address and in all, so 6 digits cannot be guessed in 10
minutes.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.accounts import (
    ACCOUNTS_STREAM,
    DEVICE_KINDS,
    Accounts,
    Principal,
    _check_name,
    _device_paired,
    _role,
)
from shared.store.base import EventStore, NewEvent, VersionConflict

CODE_DIGITS = 6
CODE_VALID = timedelta(minutes=10)
CODE_ISSUED = "PairingCodeIssued"
CODE_USED = "PairingCodeUsed"

WRONG_CODE = "Kode pemasangan salah atau sudah kedaluwarsa. Minta kode baru kepada admin."
TOO_MANY_CODES = (
    "Terlalu banyak kode yang salah. Tunggu {wait} lalu coba lagi, atau minta bantuan admin."
)


def code_digest(code: str) -> str:
    return hashlib.sha256(f"antrian-pairing-code:{code}".encode()).hexdigest()


@dataclass(frozen=True)
class _Code:
    name: str
    kind: str
    expires_at: datetime
    used: bool = False


class PairingCodes:
    """Makes and redeems short pairing codes, kept as events beside the accounts."""

    def __init__(self, store: EventStore, accounts: Accounts) -> None:
        self._store = store
        self._accounts = accounts
        self._lock = threading.Lock()
        self._version = 0
        self._codes: dict[str, _Code] = {}  # by digest

    def issue(self, name: str, kind: str, made_by: str, now: datetime) -> str:
        """A new code that pairs a device named `name` of this kind; shown once."""
        _check_name(name, "device")
        _role(kind, DEVICE_KINDS)
        while True:
            code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
            digest = code_digest(code)
            with self._lock:
                self._catch_up()
                if self._active(digest, now) is not None:
                    continue  # the same digits are live for another device: draw again
                data = {
                    "name": name,
                    "kind": kind,
                    "code_sha256": digest,
                    "expires_at": (now + CODE_VALID).isoformat(),
                    "by": made_by,
                    "at": now.isoformat(timespec="seconds"),
                }
                try:
                    self._store.append(
                        ACCOUNTS_STREAM, [NewEvent(CODE_ISSUED, data)], self._version
                    )
                except VersionConflict:
                    continue  # another process wrote meanwhile: read it and try again
                self._catch_up()
                return code

    def redeem(self, code: str, now: datetime) -> Principal | None:
        """Pair the device this code was made for and return it; None for a wrong or
        expired code, or one already used."""
        if len(code) != CODE_DIGITS or not code.isdigit():
            return None
        digest = code_digest(code)
        while True:
            with self._lock:
                self._catch_up()
                found = self._active(digest, now)
                if found is None:
                    return None
                paired, token = _device_paired(found.name, found.kind)
                used = NewEvent(CODE_USED, {"code_sha256": digest, "at": now.isoformat()})
                try:
                    self._store.append(ACCOUNTS_STREAM, [paired, used], self._version)
                except VersionConflict:
                    continue  # maybe the same code, typed on another screen: look again
                self._catch_up()
            self._accounts.refresh()
            return self._accounts.device_for_token(token)

    def _active(self, digest: str, now: datetime) -> _Code | None:
        found = self._codes.get(digest)
        if found is None or found.used or found.expires_at <= now:
            return None
        return found

    def _catch_up(self) -> None:
        for stored in self._store.read(ACCOUNTS_STREAM, self._version):
            self._apply(stored.type, stored.data)
            self._version = stored.version

    def _apply(self, event_type: str, data: dict[str, Any]) -> None:
        if event_type == CODE_ISSUED:
            self._codes[data["code_sha256"]] = _Code(
                data["name"], data["kind"], datetime.fromisoformat(data["expires_at"])
            )
        elif event_type == CODE_USED:
            old = self._codes.get(data["code_sha256"])
            if old is not None:
                self._codes[data["code_sha256"]] = _Code(
                    old.name, old.kind, old.expires_at, used=True
                )
        elif event_type == "DeviceRemoved":
            # An unpaired name's open codes stop too: removing a device undoes its pairing.
            for digest, entry in list(self._codes.items()):
                if entry.name == data.get("name"):
                    self._codes[digest] = _Code(entry.name, entry.kind, entry.expires_at, True)


@dataclass
class _Misses:
    count: int = 0
    locked_until: float = 0.0
    last: float = 0.0


class CodeAttempts:
    """Limits wrong codes: per address after a few (waits doubling), and in all.

    With at most `total_per_window` wrong codes in all per code lifetime, guessing one of a
    few live 6-digit codes succeeds about once in 30,000 tries' worth of windows.
    """

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        free_per_address: int = 5,
        total_per_window: int = 30,
        window_seconds: float = CODE_VALID.total_seconds(),
        max_wait_seconds: float = 15 * 60,
    ) -> None:
        self.clock = clock
        self.free_per_address = free_per_address
        self.total_per_window = total_per_window
        self.window_seconds = window_seconds
        self.max_wait_seconds = max_wait_seconds
        self._lock = threading.Lock()
        self._by_address: OrderedDict[str, _Misses] = OrderedDict()
        self._recent: list[float] = []  # when each wrong code of the window came

    def wait_seconds(self, address: str) -> int:
        """Seconds this address must wait before trying a code; 0 when it may try now."""
        now = self.clock()
        with self._lock:
            self._recent = [t for t in self._recent if now - t < self.window_seconds]
            waits = [0.0]
            if len(self._recent) >= self.total_per_window:
                waits.append(self._recent[0] + self.window_seconds - now)
            misses = self._by_address.get(address)
            if misses is not None:
                waits.append(misses.locked_until - now)
            return max(0, int(max(waits) + 0.999))

    def missed(self, address: str) -> None:
        now = self.clock()
        with self._lock:
            self._recent.append(now)
            misses = self._by_address.pop(address, None) or _Misses()
            if now - misses.last > self.window_seconds:
                misses = _Misses()
            misses.count += 1
            misses.last = now
            # The free tries used up: wait 30 s, then 1, 2, 4 ... minutes per further miss.
            over = misses.count - self.free_per_address + 1
            if over > 0:
                misses.locked_until = now + min(self.max_wait_seconds, 30 * 2 ** (over - 1))
            self._by_address[address] = misses
            while len(self._by_address) > 10_000:
                self._by_address.popitem(last=False)

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._by_address.pop(address, None)


def wait_text(seconds: int) -> str:
    """How long to wait, in Indonesian (40 detik, 3 menit)."""
    if seconds < 60:
        return f"{seconds} detik"
    return f"{(seconds + 59) // 60} menit"


def utc_now() -> datetime:
    return datetime.now(UTC)
