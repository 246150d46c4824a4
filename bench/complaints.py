"""Benchmark: the complaints register on each store.

Prints, per store: filing a complaint with a contact (append + the contact saved), one
step (forward), closing (append + the contact erased: on SQLite a secure delete and a WAL
checkpoint with truncation), and the first read of a register of N complaints by a fresh
process (fold + the one-time sweep for contacts of closed complaints), p50/p99 in ms.

    .venv/bin/python -m bench.complaints [--redis redis://127.0.0.1:6379/14] [--count 300]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from shared.complaint_service import ComplaintService
from shared.domain.complaints import (
    PUBLIC_CHANNEL,
    CloseComplaint,
    ComplaintPolicy,
    FollowUpComplaint,
    ForwardComplaint,
    ReceiveComplaint,
)
from shared.store import open_store

POLICY = ComplaintPolicy("Asia/Jakarta")
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def service(store) -> ComplaintService:
    return ComplaintService(store, "bench", POLICY, clock=lambda: NOW, supervisors=lambda: ["kasi"])


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def summary(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"  {name:<38} p50 {statistics.median(ordered):7.2f} ms   p99 {p99:7.2f} ms"


def run(label: str, url: str, prefix: str, count: int) -> None:
    store = open_store(url, key_prefix=prefix)
    hub = service(store)
    filed, forwarded, closed = [], [], []
    ids = []
    for i in range(count):
        command = ReceiveComplaint(
            "pengaduan", "Waktu pelayanan", PUBLIC_CHANNEL, f"Antrean terlalu lama nomor {i}"
        )
        filed.append(timed(lambda c=command, i=i: ids.append(hub.receive(c, f"08{i:09d}"))))
    for received in ids:
        complaint_id = received.complaint.id
        forwarded.append(timed(lambda k=complaint_id: hub.act(ForwardComplaint(k, "kasi", "kasi"))))
        hub.act(FollowUpComplaint(complaint_id, "kasi", "sudah dibahas"))
        closed.append(timed(lambda k=complaint_id: hub.act(CloseComplaint(k, "kasi", "dijawab"))))
    fresh = open_store(url, key_prefix=prefix)
    first_read = timed(lambda: service(fresh).register())
    fresh.close()
    store.close()
    print(f"{label}: {count} complaints, each filed with a contact, forwarded, followed up, closed")
    print(summary("file (append + save contact)", filed))
    print(summary("forward (append)", forwarded))
    print(summary("close (append + erase contact)", closed))
    print(f"  first read by a fresh process ({4 * count} events): {first_read:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--no-redis", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}", "antrian", args.count)
    if not args.no_redis:
        prefix = f"bench-complaints-{uuid.uuid4().hex[:8]}"
        run("Redis", args.redis, prefix, args.count)
        import redis

        client = redis.Redis.from_url(args.redis)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
        client.close()


if __name__ == "__main__":
    main()
