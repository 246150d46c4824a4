"""Benchmark: how long the IKM report of a semester takes, and a survey response's append.

A semester is about 120 office days; a busy Dinas finishes 200 visits a day (24,000 in
the semester, the population) and collects a few thousand responses. The report counts
the finished visits from each day's stored events (cached per past day after the first
report) and folds the survey stream. Prints the first (cold) and later (warm) report time
and the time to store one response, on the SQLite store, through the real service.

    .venv/bin/python -m bench.ikm_report [--days 120] [--visits 200] [--responses 3000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from shared.config import load_settings
from shared.domain.ikm import semester_of
from shared.domain.survey import SurveyAnswered, SurveyResponse, VisitLink
from shared.ikm_report import build_report
from shared.queue_service import QueueService
from shared.store import NewEvent, open_store
from shared.survey_service import SurveyService

ROOT = Path(__file__).resolve().parents[1]


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _fill(store, office: str, days: list[date], visits: int, responses: int) -> None:
    """Raw events as the queue stores them: issued then finished, per visit; then responses."""
    for day in days:
        events = []
        for n in range(visits):
            ticket = f"{day:%Y%m%d}-{n}"
            at = datetime(day.year, day.month, day.day, 1, tzinfo=UTC).isoformat()
            events.append(
                NewEvent("TicketIssued", {"ticket_id": ticket, "service": "ak1-baru", "at": at})
            )
            events.append(NewEvent("TicketFinished", {"ticket_id": ticket, "at": at}))
        store.append(f"office:{office}:day:{day.isoformat()}", events, 0)
    batch = []
    for i in range(responses):
        day = days[i % len(days)]
        answered = SurveyAnswered(
            f"r{i}",
            datetime(day.year, day.month, day.day, 3, tzinfo=UTC),
            day,
            "ponsel",
            SurveyResponse(tuple((i + k) % 4 + 1 for k in range(9)), {}, f"Saran nomor {i}"),
            VisitLink(f"{day:%Y%m%d}-{i}", day, "A-001", "ak1-baru", "1"),
        )
        batch.append(NewEvent(answered.type_name, answered.to_data()))
    store.append(f"office:{office}:survey", batch, 0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--visits", type=int, default=200)
    parser.add_argument("--responses", type=int, default=3000)
    args = parser.parse_args()
    settings = load_settings(ROOT / "config.yaml")
    catalogue = settings.catalogue()
    period = semester_of(date(2026, 7, 1))
    days = [period.start + timedelta(days=i) for i in range(args.days)]
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'bench.db'}")
        _fill(store, catalogue.office_id, days, args.visits, args.responses)
        clock = FixedClock(datetime(2026, 12, 31, 3, tzinfo=UTC))
        queue = QueueService(store, catalogue, clock=clock)
        survey = SurveyService(store, catalogue, queue, settings.survey.questionnaire())
        started = time.perf_counter()
        report = build_report(survey, catalogue, period)
        cold = time.perf_counter() - started
        warm = []
        for _ in range(5):
            started = time.perf_counter()
            build_report(survey, catalogue, period)
            warm.append(time.perf_counter() - started)
        appends = []
        for _ in range(50):
            started = time.perf_counter()
            survey.submit({"scores": [4] * 9}, None, "tablet")
            appends.append(time.perf_counter() - started)
        store.close()
    print(
        f"semester of {args.days} days x {args.visits} visits "
        f"(population {report.overall.population:,}), {args.responses:,} responses"
    )
    print(f"  IKM {float(report.overall.result.ikm or 0):.2f}")
    print(f"  report, first (reads {args.days} day streams): {cold * 1000:.0f} ms")
    print(f"  report, later (median of 5): {statistics.median(warm) * 1000:.0f} ms")
    print(f"  one response stored (median of 50): {statistics.median(appends) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
