"""Counter commands over Socket.IO: each parses, runs through the queue service, acks."""

from __future__ import annotations

from typing import Any

from flask_socketio import SocketIO

from shared.accounts import STAFF, SUPERVISORS, Principal
from shared.command_parsing import counter_command, text_field
from shared.domain.commands import Command, CounterCommand
from shared.hub import current_hub
from shared.queue_service import Outcome
from shared.realtime import COUNTER_COMMANDS
from shared.socket_commands import run_for
from shared.views import counter_view


def register(socketio: SocketIO) -> None:
    """One handler per counter command; the data carries the counter id."""
    for action in COUNTER_COMMANDS:
        socketio.on_event(action, _handler(action))


def _handler(action: str):
    def handle(data: Any = None) -> dict[str, Any]:
        return run_for(STAFF, lambda who, body: _build(action, who, body), _present, data)

    handle.__name__ = f"on_{action}"
    return handle


def _build(action: str, who: Principal, body: dict[str, Any]):
    counter = text_field(body, "counter", required=True) or ""
    return counter_command(action, counter, who.name, body, supervisor=who.role in SUPERVISORS)


def _present(outcome: Outcome, command: Command) -> dict[str, Any]:
    hub = current_hub()
    counter = (
        hub.catalogue.counter(command.counter) if isinstance(command, CounterCommand) else None
    )
    return {"counter": counter_view(outcome.snapshot, hub.catalogue, counter) if counter else None}
