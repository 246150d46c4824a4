"""One day's `PeriodTally` as compact JSON, to keep beside the day's summary in the store.

A stored tally spares a report the pass over the day's visits: decoding it is one
`json.loads` of lists of numbers, and merging it a few list extensions.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any

from shared.domain.catalogue import Catalogue
from shared.reports.bulk import no_collection
from shared.reports.period import DayVolume, PeriodTally, ReportFilters, _StaffTally
from shared.reports.register import VisitOutcome

_OUTCOMES = {o.value: o for o in VisitOutcome}


def to_json(tally: PeriodTally) -> bytes:
    """The tally as compact JSON bytes (its catalogue and filters are not part of it)."""
    data = {
        "first_day": tally.first_day.isoformat() if tally.first_day else None,
        "visits": tally.visits,
        "per_day": [
            [d.day.isoformat(), d.visits, d.served, d.returned, d.transferred]
            + [d.skipped, d.cancelled, d.open]
            for d in tally.per_day
        ],
        "arrivals": tally.arrivals,
        "outcomes": [[o.value, n] for o, n in tally.outcomes.items()],
        "transferred": tally.transferred,
        "waits": tally.waits,
        "served_times": tally.served_times,
        "service_visits": [[*k, n] for k, n in tally.service_visits.items()],
        "service_outcomes": [[s, m, o.value, n] for (s, m, o), n in tally.service_outcomes.items()],
        "service_waits": [[*k, v] for k, v in tally.service_waits.items()],
        "service_times": [[*k, v] for k, v in tally.service_times.items()],
        "steps": [[*k, v] for k, v in tally.steps.items()],
        "step_handovers": [[*k, n] for k, n in tally.step_handovers.items()],
        "returns": [[*k, n] for k, n in tally.returns.items()],
        "staff": {
            kind: [
                [key, t.served, t.returned, t.transferred, t.skipped, t.times, t.break_minutes]
                for key, t in tallies.items()
            ]
            for kind, tallies in tally.staff.items()
        },
        "priority_visits": list(tally.priority_visits.items()),
        "priority_waits": list(tally.priority_waits.items()),
        "attribute_values": [[*k, n] for k, n in tally.attribute_values.items()],
    }
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def from_json(data: bytes, catalogue: Catalogue, filters: ReportFilters) -> PeriodTally:
    """The tally from `to_json`'s bytes, for this catalogue and these filters."""
    with no_collection():
        return _decoded(data, catalogue, filters)


def _decoded(data: bytes, catalogue: Catalogue, filters: ReportFilters) -> PeriodTally:
    raw: dict[str, Any] = json.loads(data)
    tally = PeriodTally(catalogue, filters)
    tally.first_day = date.fromisoformat(raw["first_day"]) if raw["first_day"] else None
    tally.visits = raw["visits"]
    tally.per_day = [DayVolume(date.fromisoformat(day), *counts) for day, *counts in raw["per_day"]]
    tally.arrivals = raw["arrivals"]
    for outcome, n in raw["outcomes"]:
        tally.outcomes[_OUTCOMES[outcome]] = n
    tally.transferred = raw["transferred"]
    tally.waits = raw["waits"]
    tally.served_times = [(m, s) for m, s in raw["served_times"]]
    for service, month, n in raw["service_visits"]:
        tally.service_visits[(service, month)] = n
    for service, month, outcome, n in raw["service_outcomes"]:
        tally.service_outcomes[(service, month, _OUTCOMES[outcome])] = n
    tally.service_waits = _lists(((s, m), v) for s, m, v in raw["service_waits"])
    tally.service_times = _lists(((s, m), v) for s, m, v in raw["service_times"])
    tally.steps = _lists(((s, n), v) for s, n, v in raw["steps"])
    for service, number, n in raw["step_handovers"]:
        tally.step_handovers[(service, number)] = n
    for service, document, n in raw["returns"]:
        tally.returns[(service, document)] = n
    for kind, rows in raw["staff"].items():
        for key, served, returned, transferred, skipped, times, breaks in rows:
            tally.staff[kind][key] = _StaffTally(
                served, returned, transferred, skipped, [(m, s) for m, s in times], breaks
            )
    for priority, n in raw["priority_visits"]:
        tally.priority_visits[priority] = n
    tally.priority_waits = _lists((p, v) for p, v in raw["priority_waits"])
    for service, name, value, n in raw["attribute_values"]:
        tally.attribute_values[(service, name, value)] = n
    return tally


def _lists(pairs) -> defaultdict:
    found: defaultdict = defaultdict(list)
    found.update(pairs)
    return found
