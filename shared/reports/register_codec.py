"""One day's visit register as compact JSON, kept beside the day's summary in the store.

The semester register export reads these instead of folding 450,000 events again. Each
step's fixed facts (service, number, name, actor, standard) are written once per day and
referred to by index; times are seconds since the epoch, read back in office time.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.reports.register import CounterLeg, LegOutcome, StepTime, VisitOutcome, VisitRow

_OUTCOMES = {o.value: o for o in VisitOutcome}
_LEG_OUTCOMES = {o.value: o for o in LegOutcome}


def to_json(visits: tuple[VisitRow, ...] | list[VisitRow]) -> bytes:
    """The day's visits as compact JSON bytes."""
    kinds: dict[tuple[str, int, str, str, float], int] = {}

    def step(s: StepTime) -> list[Any]:
        kind = (s.service, s.number, s.name, s.actor, s.standard_minutes)
        index = kinds.setdefault(kind, len(kinds))
        return [index, s.minutes, s.handed_over]

    rows = [
        [
            v.office_day.isoformat(),
            v.ticket_id,
            v.number,
            v.service,
            v.service_name,
            v.issued_service,
            v.priority,
            _seconds(v.issued_at),
            _seconds(v.first_called_at),
            _seconds(v.started_at),
            _seconds(v.finished_at),
            v.calls,
            v.counters,
            v.officers,
            v.outcome.value,
            v.missing_document,
            v.missing_document_listed,
            v.transferred_to,
            v.wait_minutes,
            v.service_minutes,
            v.service_standard_minutes,
            [step(s) for s in v.steps],
            [[g.counter, g.officer, g.outcome.value, g.service_minutes] for g in v.legs],
            v.attributes,
            v.entered_afterwards,
        ]
        for v in visits
    ]
    data = {"steps": list(kinds), "visits": rows}
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


def from_json(data: bytes, timezone: str) -> tuple[VisitRow, ...]:
    """The visits from `to_json`'s bytes, their times in the office's time zone."""
    raw: dict[str, Any] = json.loads(data)
    zone = ZoneInfo(timezone)
    kinds = [tuple(k) for k in raw["steps"]]
    days: dict[str, date] = {}

    def moment(seconds: float | None) -> datetime | None:
        return None if seconds is None else datetime.fromtimestamp(seconds, zone)

    return tuple(
        VisitRow(
            days.get(day) or days.setdefault(day, date.fromisoformat(day)),
            ticket_id,
            number,
            service,
            service_name,
            issued_service,
            priority,
            datetime.fromtimestamp(issued, zone),
            moment(called),
            moment(started),
            moment(finished),
            calls,
            tuple(counters),
            tuple(officers),
            _OUTCOMES[outcome],
            missing,
            listed,
            tuple(transferred),
            wait,
            minutes,
            standard,
            tuple(StepTime(*kinds[k], m, h) for k, m, h in steps),  # type: ignore[misc]
            tuple(CounterLeg(c, o, _LEG_OUTCOMES[r], m) for c, o, r, m in legs),
            tuple((k, v) for k, v in attributes),
            afterwards,
        )
        for (
            day,
            ticket_id,
            number,
            service,
            service_name,
            issued_service,
            priority,
            issued,
            called,
            started,
            finished,
            calls,
            counters,
            officers,
            outcome,
            missing,
            listed,
            transferred,
            wait,
            minutes,
            standard,
            steps,
            legs,
            attributes,
            afterwards,
        ) in raw["visits"]
    )


def _seconds(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()
