"""Benchmark: the files stream (berkas) as it grows over a year, on SQLite.

Prints: a fresh process folding the whole files stream (cold start), one "Tandai jadi"
(read the new events, decide, append) p50/p99, and the cost a finished AK1 visit pays for
deriving its file (QueueService.execute(Finish) with and without the files hook).

    .venv/bin/python -m bench.files [--files 10000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from shared.config import load_settings
from shared.domain import commands as c
from shared.domain.files import FileOpened, FileReady, MarkReady, file_event_to_data
from shared.files_desk import FileDesk, random_code
from shared.queue_service import QueueService
from shared.store import open_store
from shared.store.base import NewEvent

START = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]


def _catalogue():
    base = load_settings(ROOT / "config.yaml").catalogue()  # AK1 Baru made 3 days, as seed 004
    return replace(
        base, services=(replace(base.services[0], finished_later_days=3), *base.services[1:])
    )


def _year_of_files(store, stream: str, count: int) -> None:
    batch = []
    for i in range(count):
        at = START + timedelta(minutes=i)
        opened = FileOpened(
            at=at,
            file_id=f"f{i}",
            number=f"A-{i % 999 + 1:03d}",
            service="ak1-baru",
            status_token=f"tok{i}",
            pickup_code=f"{random_code()}",
            visit_day=date(2026, 1, 5),
            ready_by=date(2026, 1, 8),
            counter="1",
            officer="budi",
        )
        batch.append(NewEvent(opened.type_name, file_event_to_data(opened)))
        if i % 3:  # two in three are ready by now
            ready = FileReady(at=at, file_id=f"f{i}", officer="siti")
            batch.append(NewEvent(ready.type_name, file_event_to_data(ready)))
    store.append(stream, batch, 0)


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered) * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args()
    catalogue = _catalogue()
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'files.db'}")
        desk = FileDesk(store, catalogue, clock=lambda: START)
        _year_of_files(store, desk.stream, args.files)
        events = store.version(desk.stream)

        fresh = FileDesk(store, catalogue, clock=lambda: START)
        started = time.perf_counter()
        fresh.current()
        cold = time.perf_counter() - started
        print(f"{args.files:,} files ({events:,} events): cold fold {cold:.3f} s")

        waiting = [f"f{i}" for i in range(0, args.files, 3)][:300]
        samples = []
        for file_id in waiting:
            started = time.perf_counter()
            fresh.execute(MarkReady(file_id, "budi"))
            samples.append(time.perf_counter() - started)
        print(f"Tandai jadi with {args.files:,} files: {_percentiles(samples)}")

        for hook in (False, True):
            queue = QueueService(
                store,
                catalogue,
                clock=lambda: START,
                publish=(lambda e, a, b: fresh.after_queue(e, a.day)) if hook else None,
            )
            timings = []
            for _ in range(100):
                ticket = queue.execute(c.IssueTicket("ak1-baru")).ticket
                queue.execute(c.CallTicket("1", "budi", ticket=ticket.number))
                queue.execute(c.Start("1", "budi"))
                for _ in range(7):  # the AK1's eight required steps
                    queue.execute(c.NextStep("1", "budi"))
                started = time.perf_counter()
                queue.execute(c.Finish("1", "budi"))
                timings.append(time.perf_counter() - started)
            label = "with the files hook" if hook else "without files     "
            print(f"Finish an AK1 visit {label}: {_percentiles(timings)}")
        store.close()


if __name__ == "__main__":
    main()
