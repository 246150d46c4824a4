"""Who stands before a waiting ticket, counted over the line its counters really call from.

Loket 1 and Loket 2 both serve AK1 Baru (A) and AK1 Perpanjangan (B), so an A ticket
waits behind the B tickets those counters will call first, not only behind other A
tickets. The order is the one `next_in_line` calls in, replayed over the union of the
lines of every counter that may call the ticket.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterator
from datetime import datetime

from shared.domain.catalogue import Catalogue, Counter
from shared.domain.office_day import LineKey, OfficeDay, Ticket, TicketState
from shared.domain.rules import line_keys, serves


def callers(catalogue: Catalogue, ticket: Ticket) -> list[Counter]:
    """The counters that may call this ticket."""
    return [k for k in catalogue.counters if serves(k, ticket)]


def shared_lines(day: OfficeDay, counters: list[Counter]) -> dict[str, list[LineKey]]:
    """The lines these counters call from together, by line name (service or counter)."""
    lines: dict[str, list[LineKey]] = {}
    for counter in counters:
        for name, keys in line_keys(day, counter).items():
            # A counter's own "sent here" line is its own: name it by the counter.
            own = f"{name}:{counter.id}" if name not in counter.services else name
            lines.setdefault(own, [])
            lines[own].extend(k for k in keys if k not in lines[own])
    return lines


def calling_order(day: OfficeDay, lines: dict[str, list[LineKey]]) -> Iterator[Ticket]:
    """The waiting tickets of these lines in the order next_in_line would call them.

    Each time: the line whose oldest ticket came first gives its head (priority first
    within a line), exactly as rules.next_in_line chooses for one counter. A line is kept
    as its priority tickets and its plain tickets, each in issue order, so each step costs
    a look at the few lines' heads, not a scan of the lines.
    """
    queues: dict[str, tuple[deque[Ticket], deque[Ticket]]] = {}
    for name, keys in lines.items():
        tickets = sorted(
            (day.tickets[i] for key in keys for i in day.lines.get(key, ())),
            key=lambda t: t.queue_key,
        )
        if tickets:
            queues[name] = (
                deque(t for t in tickets if t.priority),
                deque(t for t in tickets if not t.priority),
            )
    while queues:
        name = min(queues, key=lambda n: _oldest(*queues[n]))
        priority, plain = queues[name]
        yield (priority or plain).popleft()
        if not priority and not plain:
            del queues[name]


def _oldest(priority: deque[Ticket], plain: deque[Ticket]) -> tuple[datetime, int]:
    # As rules._oldest_in: the first priority ticket or the first ticket without priority.
    return min((q[0].issued_at, q[0].seq) for q in (priority, plain) if q)


def tickets_before(day: OfficeDay, catalogue: Catalogue, ticket: Ticket) -> list[Ticket]:
    """The waiting tickets its counters will call before this one ([] unless it waits)."""
    if ticket.state is not TicketState.WAITING:
        return []
    ahead: list[Ticket] = []
    for other in calling_order(day, shared_lines(day, callers(catalogue, ticket))):
        if other.id == ticket.id:
            return ahead
        ahead.append(other)
    return ahead  # not in its counters' lines (no counter serves it): everyone waiting


def people_ahead(day: OfficeDay, catalogue: Catalogue, ticket: Ticket) -> int:
    """How many people will be called before this ticket by the counters that serve it."""
    return len(tickets_before(day, catalogue, ticket))


def estimated_wait(
    day: OfficeDay,
    catalogue: Catalogue,
    ticket: Ticket,
    minutes_per_visit: Callable[[str], float],
    ahead: list[Ticket] | None = None,
) -> int:
    """Minutes until this ticket is likely called: the expected visits of everyone ahead,
    shared among its counters not on a break, rounded up; 0 when nobody is ahead."""
    if ahead is None:
        ahead = tickets_before(day, catalogue, ticket)
    if not ahead:
        return 0
    working = [k for k in callers(catalogue, ticket) if not day.is_paused(k.id)]
    work = sum(minutes_per_visit(t.service) for t in ahead)
    return math.ceil(work / max(1, len(working)))
