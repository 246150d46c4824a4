"""The event store port and its adapters, chosen by URL."""

from __future__ import annotations

import re
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
    "redact_url",
]

SQLITE_SCHEME = "sqlite:///"
REDIS_SCHEMES = ("redis://", "rediss://")
# scheme://user:PASSWORD@host — greedy up to the last "@" before the path, as URL parsers do.
_USERINFO_PASSWORD = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*):[^/]*@")
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


def open_store(url: str, *, key_prefix: str = "antrian") -> EventStore:
    """An event store for `sqlite:///relative.db`, `sqlite:////abs/path.db` or `redis://...`.

    key_prefix namespaces the Redis keys; a SQLite file holds one office, so it is unused.
    """
    # The adapters are imported on demand: a SQLite-only office need not load redis-py.
    if url.startswith(SQLITE_SCHEME):
        path = url.removeprefix(SQLITE_SCHEME)
        if not path:
            raise ValueError(f"store.url {url!r} names no file; e.g. sqlite:///instance/antrian.db")
        from shared.store.sqlite import SqliteEventStore

        # Relative paths are taken from the current directory, now (see SqliteEventStore).
        return SqliteEventStore(Path(path))
    if url.startswith(REDIS_SCHEMES):
        from shared.store.redis_store import RedisEventStore

        return RedisEventStore(url, key_prefix=key_prefix)
    raise ValueError(f"store.url scheme must be sqlite:/// or redis://, got {redact_url(url)!r}")


def redact_url(url: str) -> str:
    """The URL with any password masked, fit for logs and error messages."""
    # Regexes rather than urlsplit/urlunsplit, which would rewrite sqlite://// URLs.
    url = _USERINFO_PASSWORD.sub(r"\1:***@", url)
    return _QUERY_PASSWORD.sub(r"\1***", url)
