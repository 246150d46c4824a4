"""What the waiting room reads off the day besides the lines: each counter's state and the
latest calls, public facts only (numbers, counters, states; never who serves)."""

from __future__ import annotations

import heapq
from typing import Any

from shared.domain.catalogue import Catalogue
from shared.domain.office_day import OfficeDay, TicketState

RECENT_CALLS = 8


def counter_board(day: OfficeDay, catalogue: Catalogue) -> list[dict[str, Any]]:
    """Each counter as the TV's "now serving" row shows it.

    `status` is "closed" (nobody holds the counter: "tutup"), "paused" (a break:
    "istirahat"), "serving" (a number is there, called or being served), or "open" (held, no
    number now). Called and served read alike, so the start of a service or a step sends the
    TVs nothing.
    """
    board = []
    for counter in catalogue.counters:
        session = day.session(counter.id)
        ticket = day.active_ticket(counter.id)
        if session is None and ticket is None:
            status = "closed"
        elif session is not None and session.pause is not None:
            status = "paused"
        elif ticket is not None:
            status = "serving"
        else:
            status = "open"
        board.append(
            {
                "id": counter.id,
                "name": counter.name,
                "status": status,
                "number": ticket.number if ticket is not None else None,
            }
        )
    return board


def recent_calls(day: OfficeDay, catalogue: Catalogue, limit: int = RECENT_CALLS) -> list[dict]:
    """The latest calls, newest first, by the time of each ticket's last call (a recall is a
    call; starting or finishing the service is not, so it moves nothing)."""
    called = (t for t in day.tickets.values() if t.last_called_at is not None)
    latest = heapq.nlargest(limit, called, key=lambda t: (t.last_called_at, t.seq))
    calls = []
    for ticket in latest:
        skipped = ticket.state is TicketState.SKIPPED
        counter = catalogue.counter(ticket.counter) if ticket.counter else None
        if counter is None and not skipped:
            continue  # sent back to a line (transferred): its call is over, not missed
        calls.append(
            {
                "id": ticket.id,
                "number": ticket.number,
                "service": ticket.service,
                "counter": counter.id if counter else None,
                "counter_name": counter.name if counter else None,
                "called_at": ticket.last_called_at.isoformat() if ticket.last_called_at else None,
                "skipped": skipped,
            }
        )
    return calls
