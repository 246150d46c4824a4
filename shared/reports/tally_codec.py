"""One day's `PeriodTally` as bytes, to keep beside the day's summary in the store.

A stored tally spares a report the pass over the day's visits. Its counts and keys are a
small JSON header; its minute lists (nearly all of it) one block of native doubles that the
header points into by [start, end]: reading a day is a memory copy and a few slices, not
the parsing of 3,000 decimal numbers (which made a cold semester report three times slower).
The byte order is the machine's: the reader's tag names it, so another machine remakes them.
"""

from __future__ import annotations

import json
from array import array
from collections import defaultdict
from datetime import date
from typing import Any

from shared.domain.catalogue import Catalogue
from shared.reports.bulk import no_collection
from shared.reports.period import DayVolume, PeriodTally, ReportFilters, _StaffTally
from shared.reports.register import VisitOutcome

_OUTCOMES = {o.value: o for o in VisitOutcome}


class _Doubles:
    """The block of minutes being written: each list becomes its [start, end] in it."""

    def __init__(self) -> None:
        self.values = array("d")

    def put(self, values: list[float]) -> list[int]:
        start = len(self.values)
        self.values.extend(values)
        return [start, len(self.values)]

    def put_pairs(self, pairs: list[tuple[float, float]]) -> list[list[int]]:
        return [self.put([m for m, _ in pairs]), self.put([s for _, s in pairs])]


def encode(tally: PeriodTally) -> bytes:
    """The tally as bytes (its catalogue and filters are not part of it)."""
    doubles = _Doubles()
    put = doubles.put
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
        "waits": put(tally.waits),
        "served_times": doubles.put_pairs(tally.served_times),
        "service_visits": [[*k, n] for k, n in tally.service_visits.items()],
        "service_outcomes": [[s, m, o.value, n] for (s, m, o), n in tally.service_outcomes.items()],
        "service_waits": [[*k, put(v)] for k, v in tally.service_waits.items()],
        "service_times": [[*k, put(v)] for k, v in tally.service_times.items()],
        "steps": [[*k, put(v)] for k, v in tally.steps.items()],
        "step_handovers": [[*k, n] for k, n in tally.step_handovers.items()],
        "returns": [[*k, n] for k, n in tally.returns.items()],
        "staff": {
            kind: [
                [key, t.served, t.returned, t.transferred, t.skipped]
                + [doubles.put_pairs(t.times), t.break_minutes]
                for key, t in tallies.items()
            ]
            for kind, tallies in tally.staff.items()
        },
        "priority_visits": list(tally.priority_visits.items()),
        "priority_waits": [[p, put(v)] for p, v in tally.priority_waits.items()],
        "attribute_values": [[*k, n] for k, n in tally.attribute_values.items()],
    }
    header = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return len(header).to_bytes(_SIZE_BYTES, "little") + header + doubles.values.tobytes()


_SIZE_BYTES = 8


def decode(data: bytes, catalogue: Catalogue, filters: ReportFilters) -> PeriodTally:
    """The tally from `encode`'s bytes, for this catalogue and these filters."""
    with no_collection():
        return _decoded(data, catalogue, filters)


def _decoded(data: bytes, catalogue: Catalogue, filters: ReportFilters) -> PeriodTally:
    size = int.from_bytes(data[:_SIZE_BYTES], "little")
    raw: dict[str, Any] = json.loads(data[_SIZE_BYTES : _SIZE_BYTES + size])
    block = array("d")
    block.frombytes(data[_SIZE_BYTES + size :])
    values = block.tolist()

    def take(ref: list[int]) -> list[float]:
        return values[ref[0] : ref[1]]

    def pairs(refs: list[list[int]]) -> list[tuple[float, float]]:
        return list(zip(take(refs[0]), take(refs[1]), strict=True))

    tally = PeriodTally(catalogue, filters)
    tally.first_day = date.fromisoformat(raw["first_day"]) if raw["first_day"] else None
    tally.visits = raw["visits"]
    tally.per_day = [DayVolume(date.fromisoformat(day), *counts) for day, *counts in raw["per_day"]]
    tally.arrivals = raw["arrivals"]
    for outcome, n in raw["outcomes"]:
        tally.outcomes[_OUTCOMES[outcome]] = n
    tally.transferred = raw["transferred"]
    tally.waits = take(raw["waits"])
    tally.served_times = pairs(raw["served_times"])
    for service, month, n in raw["service_visits"]:
        tally.service_visits[(service, month)] = n
    for service, month, outcome, n in raw["service_outcomes"]:
        tally.service_outcomes[(service, month, _OUTCOMES[outcome])] = n
    tally.service_waits = _lists(((s, m), take(v)) for s, m, v in raw["service_waits"])
    tally.service_times = _lists(((s, m), take(v)) for s, m, v in raw["service_times"])
    tally.steps = _lists(((s, n), take(v)) for s, n, v in raw["steps"])
    for service, number, n in raw["step_handovers"]:
        tally.step_handovers[(service, number)] = n
    for service, document, n in raw["returns"]:
        tally.returns[(service, document)] = n
    for kind, rows in raw["staff"].items():
        for key, served, returned, transferred, skipped, times, breaks in rows:
            tally.staff[kind][key] = _StaffTally(
                served, returned, transferred, skipped, pairs(times), breaks
            )
    for priority, n in raw["priority_visits"]:
        tally.priority_visits[priority] = n
    tally.priority_waits = _lists((p, take(v)) for p, v in raw["priority_waits"])
    for service, name, value, n in raw["attribute_values"]:
        tally.attribute_values[(service, name, value)] = n
    return tally


def _lists(pairs) -> defaultdict:
    found: defaultdict = defaultdict(list)
    found.update(pairs)
    return found
