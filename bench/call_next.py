"""Benchmark: call-next throughput and latency on each store, for days of growing length.

Prints, per store and day length: the cold catch-up of a fresh process (it reads the whole
day once), the restart of a process once a checkpoint of the folded day is stored, then
commands per second and p50/p99 latency of "call next" (each followed by an untimed "skip"
and "reinstate", so the line never runs dry; each round adds 3 events).

    .venv/bin/python -m bench.call_next [--redis redis://127.0.0.1:6379/14] [--calls 300]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from shared.checkpoints import CHECKPOINT_EVERY
from shared.config import load_settings
from shared.domain import commands as c
from shared.domain.office_day import OfficeDay
from shared.domain.rules import decide
from shared.queue_service import QueueService
from shared.store import open_store
from shared.store.base import NewEvent

ROOT = Path(__file__).resolve().parents[1]
DAY_LENGTHS = (100, 10_000, 100_000)
WAITING_AT_END = 50
BATCH = 2_000


def day_events(catalogue, length: int, start: datetime):
    """A plausible office day of `length` events: visits served step by step, then a queue."""
    day, now, ids = OfficeDay(), start, itertools.count()
    events = []

    def run(command):
        nonlocal now
        now += timedelta(seconds=0.1)  # 100,000 events stay within one office day
        new = decide(day, catalogue, command, now, lambda: f"b{next(ids)}", lambda: "tok")
        day.apply_all(new)
        events.extend(new)

    steps = len(catalogue.service("ak1-baru").steps)
    while len(events) < length - WAITING_AT_END:
        run(c.IssueTicket("ak1-baru"))
        run(c.CallNext("1", "bench"))
        run(c.Start("1", "bench"))
        for _ in range(steps - 1):
            run(c.NextStep("1", "bench"))
        run(c.Finish("1", "bench"))
    while len(events) < length:
        run(c.IssueTicket("ak1-baru"))
    return events[:length], now


def fill(store, stream: str, events) -> None:
    version = 0
    for i in range(0, len(events), BATCH):
        batch = [NewEvent(e.type_name, e.to_data()) for e in events[i : i + BATCH]]
        version = store.append(stream, batch, version)


def measure(store_url: str, prefix: str, length: int, calls: int) -> dict[str, float]:
    catalogue = load_settings(ROOT / "config.yaml").catalogue()
    start = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    events, last = day_events(catalogue, length, start)
    clock_now = [last]
    store = open_store(store_url, key_prefix=prefix)
    queue = QueueService(store, catalogue, clock=lambda: clock_now[0])
    fill(store, queue.stream_name(start.date()), events)

    t0 = time.perf_counter()
    queue.today()
    catch_up = time.perf_counter() - t0
    restart = _restart_from_checkpoint(store, catalogue, queue, clock_now)

    latencies = []
    for _ in range(calls):
        clock_now[0] += timedelta(seconds=1)
        t0 = time.perf_counter()
        outcome = queue.execute(c.CallNext("2", "bench"))
        latencies.append(time.perf_counter() - t0)
        queue.execute(c.Skip("2", "bench"))
        queue.execute(c.Reinstate("2", "bench", ticket=outcome.ticket.id))
    store.close()
    latencies.sort()
    return {
        "catch_up_s": catch_up,
        "restart_s": restart,
        "per_second": len(latencies) / sum(latencies),
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


def _restart_from_checkpoint(store, catalogue, queue, clock_now) -> float:
    """Seconds a new process takes to today's state once the cold fold saved its checkpoint."""
    stream = queue.stream_name(queue.office_date())
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        saved = store.load_checkpoint(stream)
        if saved or queue.today().version < CHECKPOINT_EVERY:
            break
        time.sleep(0.05)
    t0 = time.perf_counter()
    QueueService(store, catalogue, clock=lambda: clock_now[0]).today()
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    print(f"call-next, {args.calls} calls per row (each followed by untimed skip + reinstate)")
    print(
        f"{'store':8} {'events/day':>10} {'cold catch-up':>14} {'restart':>10}"
        f" {'cmd/s':>8} {'p50':>9} {'p99':>9}"
    )
    # On the project disk, not /tmp, which may be RAM-backed and hide the cost of fsync.
    with tempfile.TemporaryDirectory(dir=ROOT / "instance") as tmp:
        for name, length in itertools.product(("sqlite", "redis"), DAY_LENGTHS):
            prefix = f"bench-{uuid.uuid4().hex[:8]}"
            url = f"sqlite:///{Path(tmp) / f'{prefix}.db'}" if name == "sqlite" else args.redis
            row = measure(url, prefix, length, args.calls)
            print(
                f"{name:8} {length:>10,} {row['catch_up_s'] * 1000:>11.0f} ms "
                f"{row['restart_s'] * 1000:>7.0f} ms "
                f"{row['per_second']:>8.0f} {row['p50_ms']:>6.2f} ms {row['p99_ms']:>6.2f} ms",
                flush=True,
            )
            if name == "redis":
                _drop_redis_keys(args.redis, prefix)
    return 0


def _drop_redis_keys(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


if __name__ == "__main__":
    sys.exit(main())
