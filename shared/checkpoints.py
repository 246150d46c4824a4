"""The folded office day kept beside its stream, so a restart need not refold the whole day.

A checkpoint is tagged with a digest of the code that folds events: after an upgrade that
changes the fold, old checkpoints are ignored and the day is folded from its events again.
The store is the hub's own (only hubs write to it), so its bytes are trusted like its events.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import threading
from pathlib import Path

from shared.domain import events, office_day
from shared.domain.office_day import OfficeDay
from shared.store.base import EventStore, StoreUnavailable

log = logging.getLogger(__name__)

# A restart folds at most this many events on top of the latest checkpoint.
CHECKPOINT_EVERY = 5_000
_FORMAT = hashlib.sha256(
    b"".join(Path(m.__file__ or "").read_bytes() for m in (office_day, events))
).digest()[:16]


def encode(day: OfficeDay) -> bytes:
    """The day's bytes, tagged with the fold's code."""
    return _FORMAT + pickle.dumps(day, protocol=pickle.HIGHEST_PROTOCOL)


def decode(data: bytes) -> OfficeDay | None:
    """The day, or None when another version of the code folded it."""
    if not data.startswith(_FORMAT):
        return None
    day = pickle.loads(data[len(_FORMAT) :])  # noqa: S301 (written by this hub's code only)
    return day if isinstance(day, OfficeDay) else None


def restore(store: EventStore, stream: str) -> OfficeDay:
    """The stream's latest usable checkpoint, or an empty day to fold from the start."""
    try:
        found = store.load_checkpoint(stream)
    except StoreUnavailable as exc:
        log.warning("checkpoint of %s unavailable, folding the whole day: %s", stream, exc)
        return OfficeDay()
    day = decode(found[1]) if found else None
    if day is None or day.version != found[0]:  # type: ignore[index]
        return OfficeDay()
    return day


class Checkpointer:
    """Saves a checkpoint every CHECKPOINT_EVERY events, off the command path.

    A snapshot is never changed once handed out, so it can be pickled in a background
    thread while commands go on.
    """

    def __init__(self, store: EventStore, every: int = CHECKPOINT_EVERY) -> None:
        self._store = store
        self._every = every
        self._saved: dict[str, int] = {}
        self._lock = threading.Lock()

    def restored(self, stream: str) -> OfficeDay:
        """The day to start folding this stream from."""
        day = restore(self._store, stream)
        with self._lock:
            self._saved[stream] = day.version
        return day

    def consider(self, stream: str, day: OfficeDay) -> threading.Thread | None:
        """Start saving this version if enough events passed since the last checkpoint."""
        with self._lock:
            if day.version - self._saved.get(stream, 0) < self._every:
                return None
            self._saved[stream] = day.version
        thread = threading.Thread(target=self._save, args=(stream, day), daemon=True)
        thread.start()
        return thread

    def _save(self, stream: str, day: OfficeDay) -> None:
        try:
            self._store.save_checkpoint(stream, day.version, encode(day))
        except StoreUnavailable as exc:
            log.warning("checkpoint of %s at version %d not saved: %s", stream, day.version, exc)
