"""Counts read straight from an office day's stored events, without folding the day."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any


def finished_by_service(events: Iterable[tuple[str, dict[str, Any]]]) -> Counter[str]:
    """Visits finished that day, per service (the one the ticket had when it finished)."""
    service_of: dict[str, str] = {}
    finished: dict[str, str] = {}
    for type_name, data in events:
        if type_name == "TicketIssued":
            service_of[data["ticket_id"]] = data["service"]
        elif type_name == "TicketTransferred":
            service_of[data["ticket_id"]] = data["to_service"]
        elif type_name == "TicketFinished":
            # Keyed by ticket: a visit counts once however it came to be finished.
            finished[data["ticket_id"]] = service_of.get(data["ticket_id"], "")
    return Counter(finished.values())
