"""The automatic recall: unanswered calls are repeated, then skipped after max_calls."""

from __future__ import annotations

import logging

from flask_socketio import SocketIO

from shared.domain import commands as c
from shared.domain.errors import QueueError
from shared.domain.rules import calls_due
from shared.queue_service import QueueService
from shared.store.base import StoreUnavailable

log = logging.getLogger(__name__)
SYSTEM_OFFICER = "sistem"


class RecallTimer:
    """Finds calls that are due and lets the rules recall or skip them."""

    def __init__(self, queue: QueueService) -> None:
        self.queue = queue

    def tick(self) -> int:
        """Handle every due call once; returns how many counters were acted on."""
        day = self.queue.today()
        acted = 0
        for counter in calls_due(day, self.queue.catalogue, self.queue.clock()):
            ticket = day.active_ticket(counter)
            officer = ticket.officer if ticket and ticket.officer else SYSTEM_OFFICER
            try:
                self.queue.execute(c.ExpireCall(counter, officer))
                acted += 1
            except QueueError:
                # The officer acted meanwhile (perhaps through another hub process): fine.
                continue
        return acted

    def run_forever(self, socketio: SocketIO, period_seconds: float = 1.0) -> None:
        """The hub's background loop; a failing store is logged and retried, never fatal."""
        while True:
            socketio.sleep(period_seconds)
            try:
                self.tick()
            except StoreUnavailable as exc:
                log.error("automatic recall paused: %s", exc)


def start_recall_timer(app) -> None:
    """Start the loop if the office configured an automatic recall interval."""
    hub = app.extensions["antrian"]
    if hub.catalogue.call_rules.auto_recall_seconds > 0:
        hub.socketio.start_background_task(RecallTimer(hub.queue).run_forever, hub.socketio)
