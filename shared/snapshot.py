"""One version of an office day as readers get it: never changed, each view built once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from shared.domain.office_day import OfficeDay

T = TypeVar("T")


class Snapshot:
    """A day no writer touches any more, with the views derived from it.

    Every reader of this version shares one build of each view: fifty panels asking
    at once after an event cost one computation, not fifty. A build that fails is
    not kept, so the next reader tries again.
    """

    def __init__(self, day: OfficeDay) -> None:
        self.day = day
        self._views: dict[Hashable, Any] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    @property
    def version(self) -> int:
        return self.day.version

    def view(self, key: Hashable, build: Callable[[], T]) -> T:
        """The view under this key, built by the first reader that asks for it."""
        try:
            return self._views[key]
        except KeyError:
            pass
        with self._lock:
            key_lock = self._locks.setdefault(key, threading.Lock())
        with key_lock:
            if key not in self._views:
                self._views[key] = build()
        return self._views[key]
