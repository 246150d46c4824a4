"""The event store port: append with an expected version, read after a version."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class NewEvent:
    """An event about to be appended: its type name and JSON-serialisable data."""

    type: str
    data: dict[str, Any]


@dataclass(frozen=True)
class StoredEvent:
    """An event as stored: its stream and its 1-based position (version) in it."""

    stream: str
    version: int
    type: str
    data: dict[str, Any]


class VersionConflict(Exception):
    """Another writer appended to the stream since the caller read it."""

    def __init__(self, stream: str, expected: int, actual: int) -> None:
        super().__init__(f"stream {stream!r}: expected version {expected}, found {actual}")
        self.stream = stream
        self.expected = expected
        self.actual = actual


class StoreUnavailable(Exception):
    """The store cannot be reached or opened; the message says which and why."""


class EventStore(Protocol):
    """An append-only log of streams with optimistic concurrency."""

    def append(self, stream: str, events: Sequence[NewEvent], expected_version: int) -> int:
        """Append events if the stream is at expected_version; return the new version.

        Raises VersionConflict, and appends nothing, when the stream has moved on.
        An empty `events` writes nothing but still checks: it returns expected_version
        or raises VersionConflict.
        """
        ...

    def read(self, stream: str, after_version: int = 0) -> list[StoredEvent]:
        """Events of the stream with version > after_version, oldest first."""
        ...

    def version(self, stream: str) -> int:
        """The stream's current version (0 for a stream never written)."""
        ...

    def streams(self, prefix: str) -> list[str]:
        """Names of the streams with events whose name starts with prefix, in order."""
        ...

    def save_checkpoint(self, stream: str, version: int, data: bytes) -> None:
        """Keep a folded state of the stream's first `version` events (the latest wins).

        A checkpoint is only a shortcut: the events stay the truth, and a reader that cannot
        use a checkpoint folds the events instead.
        """
        ...

    def load_checkpoint(self, stream: str) -> tuple[int, bytes] | None:
        """(version, data) of the stream's latest checkpoint, if any."""
        ...

    def save_contact(self, key: str, text: str) -> None:
        """Keep a piece of personal text (a contact a visitor chose to give) under `key`.

        Unlike events, it can be erased: personal data never goes into a stream, only the
        key does. Saving again under the same key replaces the text (and erases the old).
        """
        ...

    def load_contact(self, key: str) -> str | None:
        """The text saved under `key`, or None if there is none (never saved, or erased)."""
        ...

    def erase_contact(self, key: str) -> None:
        """Erase the text under `key` for good: gone from the store's files, not just hidden.

        Erasing a key with no text is not an error (a retried erase succeeds).
        """
        ...

    def drop_checkpoint(self, stream: str) -> None:
        """Forget the stream's checkpoint, if any (a rebuild then saves one at any version)."""
        ...

    def ping(self) -> None:
        """Raise StoreUnavailable if the store cannot serve requests now."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
