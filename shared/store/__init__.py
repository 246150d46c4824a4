"""The event store port and its adapters, chosen by URL."""

from __future__ import annotations

from pathlib import Path

from shared.store.base import (
    EventStore,
    NewEvent,
    StoredEvent,
    StoreUnavailable,
    VersionConflict,
)

__all__ = [
    "EventStore",
    "NewEvent",
    "StoreUnavailable",
    "StoredEvent",
    "VersionConflict",
    "open_store",
]


def open_store(url: str, *, key_prefix: str = "antrian") -> EventStore:
    """An event store for `sqlite:///path.db` or `redis://host:port/db`."""
    if url.startswith("sqlite:///"):
        from shared.store.sqlite import SqliteEventStore

        return SqliteEventStore(Path(url.removeprefix("sqlite:///")))
    if url.startswith(("redis://", "rediss://")):
        from shared.store.redis_store import RedisEventStore

        return RedisEventStore(url, key_prefix=key_prefix)
    raise ValueError(f"store.url scheme must be sqlite:/// or redis://, got {url!r}")
