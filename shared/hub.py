"""The hub's parts for one office, attached to the Flask app."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app, request
from flask_socketio import SocketIO

from shared.accounts import Accounts, Principal
from shared.alert_log import CLEARED, HUB_STARTED, RAISED, AlertLog
from shared.config import Settings
from shared.domain.catalogue import Catalogue
from shared.online_backlog_service import OnlineBacklogService
from shared.queue_service import QueueService
from shared.realtime import DEVICE_ALERT, Publisher, staff_room
from shared.reports.desk import ReportDesk
from shared.store.base import EventStore

log = logging.getLogger(__name__)


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
    # Period reports and their downloads, made in a worker process (shared/reports/desk.py).
    reports: ReportDesk
    # Who holds each Socket.IO connection: checked at connect, again on each command and
    # whenever a revocation is read (shared/connections.py).
    connections: dict[str, Principal] = field(default_factory=dict)
    # Device problems (printer out of paper, a kiosk gone) and hub starts, kept in the store.
    alert_log: AlertLog = field(init=False)
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

    def __post_init__(self) -> None:
        self.alert_log = AlertLog(
            self.store, self.catalogue.office_id, self.catalogue.timezone, self.queue.clock
        )

    @property
    def alerts(self) -> dict[str, dict[str, Any]]:
        """Open device alerts by device key, as every hub process sharing the store has them."""
        return self.alert_log.state().alerts

    def raise_alert(self, device: str, message: str, detail: str, at: datetime) -> None:
        """Record a device problem and tell every staff screen at once (never the public ones).

        Staff read `message` (Indonesian, the device's name only); `detail` (addresses,
        protocol errors) is for the administrator's log.
        """
        log.warning("device alert %s: %s (%s)", device, message, detail)
        alert = {"device": device, "message": message, "at": at.isoformat()}
        self.alert_log.record(RAISED, alert)
        self.publisher.publish(DEVICE_ALERT, alert, [staff_room(self.catalogue.office_id)])

    def note_start(self) -> None:
        """Record that this hub process started, so a restart is reported to the Kasi."""
        self.alert_log.record(HUB_STARTED, {"at": self.queue.clock().isoformat()})

    def clear_alert(self, device: str) -> None:
        """The device works again."""
        if device in self.alerts:
            self.alert_log.record(CLEARED, {"device": device, "at": self.queue.clock().isoformat()})
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
