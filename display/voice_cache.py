"""The folder of rendered calls: leftovers of dead workers removed, its size bounded."""

from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path

log = logging.getLogger(__name__)

# About 300 calls of 5 s (22,050 Hz, 16 bit, mono); an evicted call is simply rendered
# again (about 11 ms with a warm worker). A display token can ask for any number at any
# counter, so without a bound the folder grows for ever.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
# A render takes well under this; an older partial file belongs to a worker that died.
PARTIAL_MAX_AGE_SECONDS = 120
_RENDERED = re.compile(r"^[0-9a-f]{32}\.wav$")


def purge_partials(folder: Path, older_than: float = PARTIAL_MAX_AGE_SECONDS) -> int:
    """Delete half-written renders left by a worker that died; returns how many."""
    cutoff = time.time() - older_than
    purged = 0
    for partial in folder.glob("*.part.wav*"):
        try:
            if partial.stat().st_mtime < cutoff:
                partial.unlink()
                purged += 1
        except FileNotFoundError:
            continue  # another hub process on this folder purged it first
    return purged


def mark_used(path: Path) -> None:
    """Note that a rendered call was used again, so eviction takes older ones first.

    The access time says it, set explicitly (mounts often skip it): the modification time
    stays the time it was rendered.
    """
    try:
        os.utime(path, ns=(time.time_ns(), path.stat().st_mtime_ns))
    except OSError:
        pass  # evicted meanwhile: it is rendered again on the next request


def evict(folder: Path, max_bytes: int, keep: Path | None = None) -> int:
    """Delete the least recently used renders until the folder fits; returns how many.

    `keep` (the render just made, about to be sent) is never deleted.
    """
    entries = []
    for path in folder.iterdir():
        if _RENDERED.match(path.name) and path != keep:
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            entries.append((stat.st_atime, stat.st_size, path))
    total = sum(size for _, size, _ in entries) + _size(keep)
    evicted = 0
    for _, size, path in sorted(entries):
        if total <= max_bytes:
            break
        try:
            path.unlink()
        except OSError as exc:  # e.g. Windows, while it is being sent to a display
            log.debug("voice cache: cannot evict %s: %s", path, exc)
            continue
        total -= size
        evicted += 1
    return evicted


def _size(path: Path | None) -> int:
    try:
        return path.stat().st_size if path else 0
    except FileNotFoundError:
        return 0
