"""What readers see of one office-day version, each view built once and shared by all.

Views are plain dicts shared between readers and requests: never change one in place,
copy it (`{**view, ...}`) to add to it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from itertools import islice
from typing import Any

from shared.domain.catalogue import Catalogue, Counter
from shared.domain.office_day import Ticket
from shared.domain.rules import (
    SENT_HERE,
    allowed_actions,
    callable_tickets,
    has_callable,
    line_heads,
    optional_step_skip,
)
from shared.presenters import (
    availability_json,
    counter_json,
    service_json,
    service_lines_json,
    ticket_json,
)
from shared.public_board import counter_board, recent_calls
from shared.snapshot import Snapshot
from shared.sop_presenters import parked_json

# What a public screen (TV, kiosk, phone) may learn of a ticket or an event: numbers,
# counters and states; never who served, free-text reasons, or the phone page's token.
PUBLIC_TICKET_FIELDS = (
    "id",
    "number",
    "service",
    "service_name",
    "priority",
    "priority_label",
    "state",
    "state_label",
    "call_count",
    "max_calls",
    "counter",
    "counter_name",
    "target_counter",
    "issued_at",
    "called_at",
    "first_called_at",
    "started_at",
    "ended_at",
    "step",
    "ahead",
    "estimated_wait_minutes",
    "return_reason",
    "call_text",
    "skip_reason",
)
PUBLIC_EVENT_FIELDS = (
    "type",
    "ticket_id",
    "number",
    "service",
    "priority",
    "counter",
    "from_counter",
    "to_counter",
    "to_service",
    "call_count",
    "automatic",
    "from_step",
    "to_step",
    "step",
    "at",
)
PANEL_LINE_NUMBERS = 3


def ticket_view(snapshot: Snapshot, catalogue: Catalogue, ticket: Ticket) -> dict[str, Any]:
    """A ticket's status as staff see it."""
    return snapshot.view(
        ("ticket", ticket.id), lambda: ticket_json(snapshot.day, catalogue, ticket)
    )


def public_ticket_view(snapshot: Snapshot, catalogue: Catalogue, ticket: Ticket) -> dict[str, Any]:
    """A ticket's status as the public may see it (TV, kiosk, phone page)."""
    return snapshot.view(
        ("public-ticket", ticket.id),
        lambda: _only(ticket_view(snapshot, catalogue, ticket), PUBLIC_TICKET_FIELDS),
    )


def public_event(data: dict[str, Any]) -> dict[str, Any]:
    """An event as the public may see it."""
    return _only(data, PUBLIC_EVENT_FIELDS)


def counter_view(snapshot: Snapshot, catalogue: Catalogue, counter: Counter) -> dict[str, Any]:
    """A counter with its ticket, who holds it, who is next; plus its panel's revision."""
    return snapshot.view(("counter", counter.id), lambda: _counter(snapshot, catalogue, counter))


def _counter(snapshot: Snapshot, catalogue: Catalogue, counter: Counter) -> dict[str, Any]:
    day = snapshot.day
    entry = counter_json(day, catalogue, counter)
    waiting, heads = line_heads(day, counter, PANEL_LINE_NUMBERS).get(SENT_HERE, (0, []))
    entry["sent_here"] = {
        "waiting": waiting,
        "next_numbers": [t.number for t in heads],
        "priority_numbers": [t.number for t in heads if t.priority],
    }
    # Its tickets away for a signature ("Tunggu TTD"): part of its revision, so panels refetch.
    entry["parked"] = [parked_json(t, catalogue) for t in day.parked(counter.id)]
    # What the panel fetches its state for: all it shows but the lines' numbers, which
    # come with every queue_changed. A line filling or emptying changes what may be pressed.
    entry["revision"] = _fingerprint(
        {k: v for k, v in entry.items() if k not in ("next_number", "next_reason", "sent_here")},
        sorted(day.outcomes_by_counter.get(counter.id, {}).items()),
        entry["next_number"] is None,
        has_callable(day, counter),
    )
    return entry


def service_lines_view(snapshot: Snapshot, catalogue: Catalogue) -> list[dict[str, Any]]:
    """Each service's line: how many wait, the next numbers, tickets taken against the quota."""
    return snapshot.view("service-lines", lambda: service_lines_json(snapshot.day, catalogue))


def staff_overview(snapshot: Snapshot, catalogue: Catalogue) -> dict[str, Any]:
    """The whole office for staff screens: every line and every counter."""
    return snapshot.view(
        "staff-overview",
        lambda: {
            "office_id": catalogue.office_id,
            "version": snapshot.version,
            "services": service_lines_view(snapshot, catalogue),
            "counters": [counter_view(snapshot, catalogue, k) for k in catalogue.counters],
        },
    )


def staff_changes(snapshot: Snapshot, catalogue: Catalogue) -> dict[str, Any]:
    """What every staff screen gets after a change: the lines, and per counter only what a
    panel needs to decide whether to fetch its state (a few KB, not the whole overview)."""

    def build() -> dict[str, Any]:
        counters = []
        for counter in catalogue.counters:
            entry = counter_view(snapshot, catalogue, counter)
            keys = ("id", "revision", "next_number", "next_reason", "sent_here")
            counters.append({k: entry[k] for k in keys})
        return {
            "office_id": catalogue.office_id,
            "version": snapshot.version,
            "services": service_lines_view(snapshot, catalogue),
            "counters": counters,
        }

    return snapshot.view("staff-changes", build)


def public_overview(snapshot: Snapshot, catalogue: Catalogue) -> dict[str, Any]:
    """What a TV or kiosk draws: waiting per service and the number at each counter."""

    def build() -> dict[str, Any]:
        day = snapshot.day
        counters = []
        for counter in catalogue.counters:
            active = day.active_ticket(counter.id)
            ticket = public_ticket_view(snapshot, catalogue, active) if active else None
            counters.append({"id": counter.id, "name": counter.name, "ticket": ticket})
        return {
            "office_id": catalogue.office_id,
            "version": snapshot.version,
            "services": public_counts(snapshot, catalogue)["services"],
            "counters": counters,
            "board": public_counts(snapshot, catalogue)["board"],
            "recent_calls": recent_calls(day, catalogue),
        }

    return snapshot.view("public-overview", build)


def public_counts(snapshot: Snapshot, catalogue: Catalogue) -> dict[str, Any]:
    """The small news every public screen gets after a change: how many wait per service,
    and each counter's number or state (the TV's "now serving" row)."""
    return snapshot.view(
        "public-counts",
        lambda: {
            "version": snapshot.version,
            "services": [
                {k: line[k] for k in ("code", "name", "prefix", "waiting", "closed_reason")}
                for line in service_lines_view(snapshot, catalogue)
            ],
            "board": counter_board(snapshot.day, catalogue),
        },
    )


def availability_view(
    snapshot: Snapshot, catalogue: Catalogue, now: datetime
) -> list[dict[str, Any]]:
    """The kiosk's buttons; opening hours change by the minute, so the minute is in the key."""
    minute = now.replace(second=0, microsecond=0)
    return snapshot.view(
        ("availability", minute), lambda: availability_json(snapshot.day, catalogue, now)
    )


def panel_view(
    snapshot: Snapshot, catalogue: Catalogue, counter: Counter, officer: str, now: datetime
) -> dict[str, Any]:
    """A counter as its officer's panel shows it, but for what moves with the clock."""
    return snapshot.view(
        ("panel", counter.id, officer),
        lambda: _panel(snapshot, catalogue, counter, officer, now),
    )


def _panel(
    snapshot: Snapshot, catalogue: Catalogue, counter: Counter, officer: str, now: datetime
) -> dict[str, Any]:
    day = snapshot.day
    body = dict(counter_view(snapshot, catalogue, counter))
    ticket = body["ticket"]
    service = catalogue.service(ticket["service"]) if ticket else None
    body["service"] = service_json(service, catalogue) if service else None
    body["me"] = officer
    active = day.active_ticket(counter.id)
    body["visit_attributes"] = dict(active.attributes) if active else {}
    body["allowed"] = allowed_actions(day, catalogue, counter, officer, now)
    past_optional = optional_step_skip(day, catalogue, counter)
    body["skip_optional_to"] = None if past_optional is None else past_optional + 1
    body["waiting_standard_minutes"] = catalogue.call_rules.waiting_standard_minutes
    lines = line_heads(day, counter, PANEL_LINE_NUMBERS)
    body["waiting"] = [
        {
            "code": s.code,
            "name": s.name,
            "prefix": s.prefix,
            "waiting": lines.get(s.code, (0, []))[0],
            "next_numbers": [t.number for t in lines.get(s.code, (0, []))[1]],
            "priority_numbers": [t.number for t in lines.get(s.code, (0, []))[1] if t.priority],
        }
        for s in catalogue.services
        if s.code in counter.services
    ]
    body["callable"] = [
        {"number": t.number, "state": t.state.value}
        for t in islice(callable_tickets(day, counter), 30)
    ]
    body["transfer_to"] = {
        "services": [{"code": s.code, "name": s.name} for s in catalogue.services],
        "counters": [{"id": k.id, "name": k.name} for k in catalogue.counters if k != counter],
    }
    return body


def _only(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {k: data[k] for k in fields if k in data}


def _fingerprint(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
