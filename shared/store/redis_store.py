"""The shared event store: one Redis list per stream, appended by one Lua script."""

from __future__ import annotations

import json
from collections.abc import Sequence

import redis

from shared.store.base import NewEvent, StoredEvent, StoreUnavailable, VersionConflict

# Checking the length and pushing in one script makes the version check atomic:
# no other client can append between the two.
_APPEND = """
local length = redis.call('LLEN', KEYS[1])
if length ~= tonumber(ARGV[1]) then
  return {0, length}
end
for i = 2, #ARGV do
  redis.call('RPUSH', KEYS[1], ARGV[i])
end
return {1, length + #ARGV - 1}
"""


class RedisEventStore:
    """Events in Redis lists; version == list length."""

    def __init__(self, url: str, key_prefix: str = "antrian") -> None:
        self.url = url
        self.key_prefix = key_prefix
        self._client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self._append = self._client.register_script(_APPEND)

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
        except redis.RedisError as exc:
            raise StoreUnavailable(f"Redis store {self._safe_url}: {exc}") from exc
        if not appended:
            raise VersionConflict(stream, expected_version, int(version))
        return int(version)

    def read(self, stream: str, after_version: int = 0) -> list[StoredEvent]:
        """Events after a version, oldest first."""
        try:
            raw = self._client.lrange(self._key(stream), after_version, -1)
        except redis.RedisError as exc:
            raise StoreUnavailable(f"Redis store {self._safe_url}: {exc}") from exc
        events = []
        for offset, item in enumerate(raw, start=after_version + 1):
            decoded = json.loads(item)
            events.append(StoredEvent(stream, offset, decoded["type"], decoded["data"]))
        return events

    def version(self, stream: str) -> int:
        """The number of events in the stream."""
        try:
            return int(self._client.llen(self._key(stream)))
        except redis.RedisError as exc:
            raise StoreUnavailable(f"Redis store {self._safe_url}: {exc}") from exc

    def ping(self) -> None:
        """Check that Redis answers."""
        try:
            self._client.ping()
        except redis.RedisError as exc:
            raise StoreUnavailable(f"Redis store {self._safe_url}: {exc}") from exc

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()

    @property
    def _safe_url(self) -> str:
        # Never print a password that the URL may carry.
        if "@" in self.url:
            scheme, _, rest = self.url.partition("://")
            return f"{scheme}://***@{rest.split('@', 1)[1]}"
        return self.url
