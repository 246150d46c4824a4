"""The shared event store: one Redis list per stream, appended by one Lua script.

Durability is the Redis server's: for "a crash loses no acknowledged ticket" run it with
appendonly yes and appendfsync always (everysec may lose the last second on a power cut).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from shared.store import redact_url
from shared.store.base import NewEvent, StoredEvent, StoreUnavailable, VersionConflict

T = TypeVar("T")

DEFAULT_SOCKET_TIMEOUT_SECONDS = 5.0
DEFAULT_CONNECT_TIMEOUT_SECONDS = 2.0

# Checking the length and pushing in one script makes the version check atomic: Redis runs
# a script to the end before any other command, so no client can append in between.
# Returns {1, new length} or the conflict marker {0, actual length}. RPUSH takes the
# events in chunks because unpack() of more than ~8000 values overflows Lua's C stack.
_APPEND = """
local length = redis.call('LLEN', KEYS[1])
if length ~= tonumber(ARGV[1]) then
  return {0, length}
end
for first = 2, #ARGV, 1000 do
  length = redis.call('RPUSH', KEYS[1], unpack(ARGV, first, math.min(first + 999, #ARGV)))
end
return {1, length}
"""


# Keeps the newer of two checkpoints written by hubs racing each other.
_SAVE_CHECKPOINT = """
local kept = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1')
if tonumber(ARGV[1]) > kept then
  redis.call('HSET', KEYS[1], 'version', ARGV[1], 'data', ARGV[2])
end
return kept
"""


class RedisEventStore:
    """Events in Redis lists; version == list length."""

    def __init__(
        self,
        url: str,
        key_prefix: str = "antrian",
        *,
        socket_timeout: float = DEFAULT_SOCKET_TIMEOUT_SECONDS,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_SECONDS,
    ) -> None:
        self.url = url
        self.key_prefix = key_prefix
        self._safe_url = redact_url(url)
        try:
            # Lazy: building the pool opens no connection, so a hub can start while Redis
            # is down and report StoreUnavailable per request instead.
            self._pool = redis.ConnectionPool.from_url(
                url,
                socket_timeout=socket_timeout,
                socket_connect_timeout=connect_timeout,
                # No automatic retries, said explicitly (redis.Redis() defaults to 10): a
                # re-sent append whose first send had run finds our own events and reports a
                # VersionConflict, which the caller "fixes" by appending them a second time.
                # Idempotent reads are retried by hand below instead.
                retry=Retry(NoBackoff(), 0),
                # Idle pooled connections are PINGed before use, so one silently dropped by
                # a router overnight is replaced before a command is sent on it.
                health_check_interval=30,
            )
        except ValueError as exc:
            raise ValueError(f"invalid Redis URL {self._safe_url}: {exc}") from None
        self._client = redis.Redis(connection_pool=self._pool)
        self._append = self._client.register_script(_APPEND)
        self._save_checkpoint = self._client.register_script(_SAVE_CHECKPOINT)

    def _key(self, stream: str) -> str:
        return f"{self.key_prefix}:stream:{stream}"

    def append(self, stream: str, events: Sequence[NewEvent], expected_version: int) -> int:
        """Append if the list still has expected_version entries; else VersionConflict."""
        payload = [
            json.dumps({"type": e.type, "data": e.data}, ensure_ascii=False, separators=(",", ":"))
            for e in events
        ]
        try:
            appended, version = self._append(
                keys=[self._key(stream)], args=[expected_version, *payload]
            )
        except redis.TimeoutError as exc:
            raise StoreUnavailable(
                f"Redis store {self._safe_url}: no answer within the socket timeout ({exc});"
                f" the append to {stream!r} may or may not have been applied"
            ) from exc
        except redis.RedisError as exc:
            raise StoreUnavailable(f"Redis store {self._safe_url}: {exc}") from exc
        if not appended:
            raise VersionConflict(stream, expected_version, int(version))
        return int(version)

    def read(self, stream: str, after_version: int = 0) -> list[StoredEvent]:
        """Events after a version, oldest first."""
        # LRANGE counts negative indexes from the end; "after -1" means "everything".
        start = max(after_version, 0)
        raw = self._idempotent(lambda: self._client.lrange(self._key(stream), start, -1))
        events = []
        for version, item in enumerate(raw, start=start + 1):
            decoded = json.loads(item)
            events.append(StoredEvent(stream, version, decoded["type"], decoded["data"]))
        return events

    def version(self, stream: str) -> int:
        """The number of events in the stream."""
        return int(self._idempotent(lambda: self._client.llen(self._key(stream))))

    def streams(self, prefix: str) -> list[str]:
        """Found with SCAN (never KEYS, which would stall Redis for everyone else)."""
        head = self._key("")
        pattern = head + re.sub(r"([*?\[\]\\])", r"\\\1", prefix) + "*"

        def scan() -> list[str]:
            keys = self._client.scan_iter(match=pattern, count=1000)
            return sorted(k.decode() if isinstance(k, bytes) else k for k in keys)

        return [key[len(head) :] for key in self._idempotent(scan)]

    def save_checkpoint(self, stream: str, version: int, data: bytes) -> None:
        """Keep a folded state beside the stream; an older one never replaces a newer."""
        try:
            self._save_checkpoint(keys=[self._checkpoint_key(stream)], args=[version, data])
        except redis.RedisError as exc:
            raise StoreUnavailable(f"Redis store {self._safe_url}: {exc}") from exc

    def load_checkpoint(self, stream: str) -> tuple[int, bytes] | None:
        """The stream's latest checkpoint, if any."""
        key = self._checkpoint_key(stream)
        version, data = self._idempotent(lambda: self._client.hmget(key, "version", "data"))
        if version is None or not isinstance(data, bytes):  # the client never decodes here
            return None
        return int(version), data

    def drop_checkpoint(self, stream: str) -> None:
        """Forget the stream's checkpoint, if any."""
        key = self._checkpoint_key(stream)
        self._idempotent(lambda: self._client.delete(key))

    def _checkpoint_key(self, stream: str) -> str:
        return f"{self.key_prefix}:checkpoint:{stream}"

    def save_contact(self, key: str, text: str) -> None:
        """Keep erasable text in a plain key of its own, outside the event lists."""
        # SET is idempotent, so re-sending it on a dropped connection is safe.
        self._idempotent(lambda: self._client.set(self._contact_key(key), text.encode()))

    def load_contact(self, key: str) -> str | None:
        """The text under the key, if any."""
        raw = self._idempotent(lambda: self._client.get(self._contact_key(key)))
        return raw.decode() if isinstance(raw, bytes) else None

    def erase_contact(self, key: str) -> None:
        """Delete the key (the append-only file keeps the old SET until its next rewrite)."""
        self._idempotent(lambda: self._client.delete(self._contact_key(key)))

    def _contact_key(self, key: str) -> str:
        return f"{self.key_prefix}:contact:{key}"

    def ping(self) -> None:
        """Check that Redis answers."""
        self._idempotent(self._client.ping)

    def close(self) -> None:
        """Release the connection pool."""
        self._pool.disconnect()

    def _idempotent(self, command: Callable[[], T]) -> T:
        """Run a read or an idempotent write, once more on a dropped connection."""
        try:
            try:
                return command()
            except redis.ConnectionError:
                return command()
        except redis.RedisError as exc:
            raise StoreUnavailable(f"Redis store {self._safe_url}: {exc}") from exc
