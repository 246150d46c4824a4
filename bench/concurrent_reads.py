"""Benchmark: the read endpoints while kiosks issue tickets, on a 2,000-visit day.

Eight kiosk threads take tickets through `/kiosk/tickets` while four screens read
`/api/queue`, `/counter/state`, `/supervisor/state` and `/kiosk/availability`, on SQLite
and on Redis, through the real app. Prints each endpoint's p50/p99, the number of answers
of 500 or more (must be 0), and what a new version of the day costs: the copy-on-write
successor every command makes, against the presenters that would otherwise have to run
under the writers' lock.

    .venv/bin/python -m bench.concurrent_reads [--visits 2000] [--tickets 400]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

import redis

from bench.panel_state import PASSWORD, ROOT, BenchClock, fill_day
from shared.app import close_app, create_app
from shared.config import load_settings
from shared.domain import commands as c
from shared.presenters import queue_json
from shared.store import open_store

WRITERS, READERS = 8, 4
WAITING = 700
REDIS_URL = "redis://127.0.0.1:6379/0"
READS = (
    ("/api/queue", "kasi"),
    ("/counter/state?counter=1", "petugas-1"),
    ("/supervisor/state", "kasi"),
    ("/kiosk/availability", "kiosk"),
)


def build_hub(store_url: str, prefix: str, visits: int):
    settings = load_settings(ROOT / "config.yaml")
    settings = settings.model_copy(
        update={"voice": settings.voice.model_copy(update={"enabled": False})}
    )
    clock = BenchClock()
    store = open_store(store_url, key_prefix=prefix)
    app = create_app(settings, store=store, clock=clock, secret_key="bench")
    hub = app.extensions["antrian"]
    hub.accounts.add_user("petugas-1", "officer", PASSWORD)
    hub.accounts.add_user("kasi", "supervisor", PASSWORD)
    fill_day(hub, clock, visits)
    for i in range(WAITING):
        hub.queue.execute(c.IssueTicket(("ak1-baru", "ak1-perpanjangan", "id-ctki")[i % 3]))
    client = app.test_client()
    tokens = {
        name: client.post("/api/login", json={"username": name, "password": PASSWORD}).json["token"]
        for name in ("petugas-1", "kasi")
    }
    tokens["kiosk"] = hub.accounts.add_device("kiosk-1", "kiosk")
    return app, hub, tokens


def load(app, tokens: dict[str, str], tickets: int):
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    writing = threading.Event()
    writing.set()

    def write(writer: int) -> None:
        client = app.test_client()
        headers = {"Authorization": f"Bearer {tokens['kiosk']}"}
        for n in range(tickets // WRITERS):
            start = time.perf_counter()
            answer = client.post(
                "/kiosk/tickets",
                json={"service": "ak1-baru", "request_id": f"{writer}-{n}"},
                headers=headers,
            )
            latencies["POST /kiosk/tickets"].append((time.perf_counter() - start) * 1000)
            if answer.status_code >= 500:
                errors.append(f"POST {answer.status_code}")

    def read() -> None:
        client = app.test_client()
        while writing.is_set():
            for url, who in READS:
                start = time.perf_counter()
                answer = client.get(url, headers={"Authorization": f"Bearer {tokens[who]}"})
                latencies[f"GET {url.split('?')[0]}"].append((time.perf_counter() - start) * 1000)
                if answer.status_code >= 500:
                    errors.append(f"GET {url} {answer.status_code}")

    writers = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    readers = [threading.Thread(target=read) for _ in range(READERS)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    writing.clear()
    for thread in readers:
        thread.join()
    return latencies, errors


def version_costs(hub) -> tuple[float, float]:
    """(ms to fold one event into a successor, ms to build the overview once)."""
    day = hub.queue.today()
    event = hub.queue.execute(c.IssueTicket("ak1-baru")).events
    rounds = 200
    start = time.perf_counter()
    for _ in range(rounds):
        day.after(event)
    successor = (time.perf_counter() - start) * 1000 / rounds
    start = time.perf_counter()
    for _ in range(20):
        queue_json(day, hub.catalogue)
    overview = (time.perf_counter() - start) * 1000 / 20
    return successor, overview


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=2_000)
    parser.add_argument("--tickets", type=int, default=400)
    args = parser.parse_args()
    print(
        f"day: {args.visits} visits served, {WAITING} waiting; {WRITERS} kiosks, {READERS} screens"
    )
    print(f"{'store':<7} {'request':<26} {'count':>6} {'p50 ms':>8} {'p99 ms':>8}")
    with tempfile.TemporaryDirectory() as folder:
        prefix = f"bench-{uuid.uuid4().hex[:8]}"
        for name, url in (
            ("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}"),
            ("redis", REDIS_URL),
        ):
            app, hub, tokens = build_hub(url, prefix, args.visits)
            try:
                latencies, errors = load(app, tokens, args.tickets)
                for request, values in sorted(latencies.items()):
                    p50 = statistics.median(values)
                    p99 = statistics.quantiles(values, n=100)[98]
                    print(f"{name:<7} {request:<26} {len(values):>6} {p50:>8.1f} {p99:>8.1f}")
                print(f"{name:<7} answers >= 500: {len(errors)}")
                successor, overview = version_costs(hub)
                print(
                    f"{name:<7} per new version: successor {successor:.3f} ms;"
                    f" one overview built under a lock instead: {overview:.2f} ms per reader"
                )
            finally:
                close_app(app)
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
        client.close()


if __name__ == "__main__":
    main()
