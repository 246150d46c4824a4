"""Device alerts and hub starts kept in the event store, so the Kasi still sees them after
the hub restarts, and sees the restart itself ("Hub dimulai ulang pukul 10.32").

One small stream per office day (`office:<id>:alerts:<date>`) in the same store as the
queue: both adapters already keep streams, so nothing new is stored. Every hub process
sharing the store reads the same alerts. Staff see the device's name and what is wrong,
in Indonesian; the technical detail goes to the log only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from shared.domain.office_day import office_day_of
from shared.store.base import EventStore, NewEvent, StoreUnavailable, VersionConflict

log = logging.getLogger(__name__)

RAISED, CLEARED, HUB_STARTED = "DeviceAlertRaised", "DeviceAlertCleared", "HubStarted"


@dataclass(frozen=True)
class AlertState:
    """Open alerts by device key, and today's hub starts (oldest first)."""

    alerts: dict[str, dict[str, Any]]
    starts: list[str]


def fold(events: list[tuple[str, dict[str, Any]]]) -> AlertState:
    """Open alerts and hub starts from a day's alert events."""
    alerts: dict[str, dict[str, Any]] = {}
    starts: list[str] = []
    for kind, data in events:
        if kind == RAISED:
            alerts[data["device"]] = {k: data[k] for k in ("device", "message", "at")}
        elif kind == CLEARED:
            alerts.pop(data["device"], None)
        elif kind == HUB_STARTED:
            starts.append(data["at"])
    return AlertState(alerts, starts)


class AlertLog:
    """Appends and reads one office's alert stream; falls back to memory if the store is down."""

    ATTEMPTS = 20

    def __init__(
        self, store: EventStore, office_id: str, timezone: str, clock: Callable[[], datetime]
    ) -> None:
        self._store = store
        self._office_id = office_id
        self._timezone = timezone
        self._clock = clock
        # What this process knows even while the store is unreachable.
        self._memory: list[tuple[str, dict[str, Any]]] = []
        self._memory_day: date | None = None

    def stream(self, day: date) -> str:
        return f"office:{self._office_id}:alerts:{day.isoformat()}"

    def record(self, kind: str, data: dict[str, Any]) -> None:
        today = office_day_of(self._clock(), self._timezone)
        if self._memory_day != today:
            self._memory, self._memory_day = [], today
        self._memory.append((kind, data))
        stream = self.stream(today)
        try:
            for _ in range(self.ATTEMPTS):
                try:
                    self._store.append(stream, [NewEvent(kind, data)], self._store.version(stream))
                    return
                except VersionConflict:
                    continue
            log.warning("alert %s not stored: the alert stream kept changing", kind)
        except StoreUnavailable as exc:
            log.warning("alert %s kept in memory only, store unavailable: %s", kind, exc)

    def state(self) -> AlertState:
        """Today's open alerts and hub starts, as every process sharing the store sees them."""
        today = office_day_of(self._clock(), self._timezone)
        try:
            stored = self._store.read(self.stream(today))
        except StoreUnavailable:
            return fold(self._memory if self._memory_day == today else [])
        return fold([(e.type, e.data) for e in stored])
