"""The hub's parts for one office, attached to the Flask app."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app, request
from flask_socketio import SocketIO

from shared.accounts import Accounts, Principal
from shared.config import Settings
from shared.domain.catalogue import Catalogue
from shared.online_backlog_service import OnlineBacklogService
from shared.queue_service import QueueService
from shared.realtime import DEVICE_ALERT, Publisher, staff_room
from shared.store.base import EventStore


@dataclass
class Hub:
    """Everything a request or socket handler needs, built once by create_app."""

    settings: Settings
    catalogue: Catalogue
    store: EventStore
    queue: QueueService
    accounts: Accounts
    socketio: SocketIO
    publisher: Publisher
    backlog: OnlineBacklogService
    # Who holds each Socket.IO connection: checked at connect, again on each command and
    # whenever a revocation is read (shared/connections.py).
    connections: dict[str, Principal] = field(default_factory=dict)
    # Device problems (printer out of paper, unreachable) for supervisors, by device name.
    alerts: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Tickets whose slip this process has begun to print, so a retried tap prints only once.
    _slips_claimed: set[str] = field(default_factory=set)
    _slips_lock: threading.Lock = field(default_factory=threading.Lock)

    def claim_slip(self, ticket_id: str) -> bool:
        """True for the one request that should print this ticket's slip."""
        with self._slips_lock:
            if ticket_id in self._slips_claimed:
                return False
            self._slips_claimed.add(ticket_id)
            return True

    def raise_alert(self, device: str, message: str, detail: str, at: datetime) -> None:
        """Record a device problem and tell every staff screen at once (never the public ones)."""
        alert = {"device": device, "message": message, "detail": detail, "at": at.isoformat()}
        self.alerts[device] = alert
        self.publisher.publish(DEVICE_ALERT, alert, [staff_room(self.catalogue.office_id)])

    def clear_alert(self, device: str) -> None:
        """The device works again."""
        if self.alerts.pop(device, None) is not None:
            self.publisher.publish(
                DEVICE_ALERT,
                {"device": device, "cleared": True},
                [staff_room(self.catalogue.office_id)],
            )

    def status_url(self, status_token: str) -> str:
        """The phone status page of a ticket, as printed in its QR code."""
        base = self.settings.server.public_url or request.host_url
        return f"{base.rstrip('/')}/t/{status_token}"


def current_hub() -> Hub:
    """The hub of the app handling the current request."""
    return current_app.extensions["antrian"]
