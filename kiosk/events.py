"""Ticket issuing over Socket.IO, for a kiosk that keeps its connection open."""

from __future__ import annotations

from typing import Any

from flask_socketio import SocketIO

from shared.accounts import STAFF, Role
from shared.command_parsing import issue_command
from shared.hub import current_hub
from shared.queue_service import Outcome
from shared.realtime import ISSUE_TICKET
from shared.socket_commands import run_for
from shared.views import ticket_view

ISSUERS = frozenset({Role.KIOSK, *STAFF})


def register(socketio: SocketIO) -> None:
    socketio.on_event(ISSUE_TICKET, on_issue_ticket)


def on_issue_ticket(data: Any = None) -> dict[str, Any]:
    return run_for(
        ISSUERS, lambda who, body: issue_command(body, issued_by=who.name), _present, data
    )


def _present(outcome: Outcome, command: object) -> dict[str, Any]:
    hub = current_hub()
    ticket = outcome.ticket
    if ticket is None:  # an issue either yields a ticket or is refused
        raise RuntimeError("issue produced no ticket")
    body = ticket_view(outcome.snapshot, hub.catalogue, ticket)
    return {"ticket": {**body, "status_url": hub.status_url(ticket.status_token)}}
