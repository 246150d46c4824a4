"""Benchmark: the phone page's "N orang di depan Anda" and its wait estimate.

People ahead are counted by replaying the calling order over the lines the ticket's
counters share (shared/domain/waiting.py), so the cost grows with the line. Prints, for
lines of growing length (A and B mixed, one in 17 a priority ticket, the config's office):
the time to present the last ticket of the line (count and estimate, as the phone's JSON
does once per version) and to present every waiting ticket once.

    .venv/bin/python -m bench.people_ahead
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from shared.config import load_settings
from shared.domain import commands as c
from shared.domain.office_day import OfficeDay
from shared.domain.rules import decide
from shared.presenters import ticket_json

ROOT = Path(__file__).resolve().parents[1]


def day_with(catalogue, waiting: int) -> OfficeDay:
    day = OfficeDay()
    now = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    for i in range(waiting):
        service = ("ak1-baru", "ak1-perpanjangan")[i % 2]
        command = c.IssueTicket(service, "lansia" if i % 17 == 0 else None)
        events = decide(day, catalogue, command, now, lambda i=i: f"t{i}", lambda i=i: f"k{i}")
        day = day.after(events)
        now += timedelta(seconds=20)
    return day


def main() -> None:
    catalogue = load_settings(ROOT / "config.yaml").catalogue()
    print("waiting  last ticket (ms, median of 20)  every waiting ticket once (ms)")
    for waiting in (50, 200, 500):
        day = day_with(catalogue, waiting)
        tickets = sorted(day.waiting(), key=lambda t: t.seq)
        last = tickets[-1]
        times = []
        for _ in range(20):
            start = time.perf_counter()
            ticket_json(day, catalogue, last)
            times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        for ticket in tickets:
            ticket_json(day, catalogue, ticket)
        every = (time.perf_counter() - start) * 1000
        print(f"{waiting:7d}  {statistics.median(times):30.2f}  {every:30.0f}")


if __name__ == "__main__":
    main()
