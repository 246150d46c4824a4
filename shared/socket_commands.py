"""Running a command from a Socket.IO event, answered by an acknowledgement."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import request

from shared.accounts import Principal, Role
from shared.command_parsing import BadRequest
from shared.connections import connection_principal
from shared.domain import commands as c
from shared.domain.errors import QueueError
from shared.errors_web import STORE_BUSY
from shared.hub import current_hub
from shared.queue_service import Outcome
from shared.store.base import StoreUnavailable

Ack = dict[str, Any]
log = logging.getLogger(__name__)


def run_for(
    roles: frozenset[Role],
    build: Callable[[Principal, dict[str, Any]], c.Command],
    present: Callable[[Outcome, c.Command], Ack],
    data: Any,
) -> Ack:
    """Check the connection's role, build and run the command, and answer with an ack."""
    hub = current_hub()
    principal = connection_principal(request.sid)  # type: ignore[attr-defined]
    if principal is None:
        return {"ok": False, "error": "Silakan masuk terlebih dahulu."}
    if principal.role not in roles:
        return {"ok": False, "error": "Anda tidak berwenang melakukan ini."}
    try:
        body = data if isinstance(data, dict) else {}
        command = build(principal, body)
        outcome = hub.queue.execute(command)
    except (QueueError, BadRequest) as exc:
        return {"ok": False, "error": getattr(exc, "message", str(exc))}
    except StoreUnavailable as exc:
        log.error("store unavailable during Socket.IO command: %s", exc)
        return {"ok": False, "error": STORE_BUSY}
    return {"ok": True, **present(outcome, command)}
