"""Benchmark: how fast the counter panel and the supervisor view answer on a busy day.

An officer in a hurry presses a key and the panel fetches `/counter/state` (the counter,
its ticket, the SOP steps, a dry run of every button, today's tally); the supervisor view
fetches `/supervisor/state` (every counter, the lines, long waits, every step's real time).
Both are computed from the whole day, so this prints their latency for days of 200 visits
(a busy Dinas) and 2,000 visits (ten times that), on the SQLite store, through the real app.

    .venv/bin/python -m bench.panel_state [--requests 200]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from shared.app import close_app, create_app
from shared.config import load_settings
from shared.domain import commands as c
from shared.store import open_store

ROOT = Path(__file__).resolve().parents[1]
VISITS = (200, 2_000)
WAITING_AT_END = 30
PASSWORD = "bench-password"
# Which counter serves each service in the shipped config.yaml.
DESKS = {"ak1-baru": "1", "ak1-perpanjangan": "2", "id-ctki": "3"}


class BenchClock:
    """Moves a few seconds per command, so a day of visits has real durations."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # 07:30 WIB

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def fill_day(hub, clock: BenchClock, visits: int) -> int:
    """Serve `visits` visits step by step across three counters, then leave a line waiting."""
    catalogue = hub.catalogue
    services = itertools.cycle(DESKS)
    for _ in range(visits):
        service = next(services)
        counter, officer = DESKS[service], f"petugas-{DESKS[service]}"
        hub.queue.execute(c.IssueTicket(service))
        clock.advance(1)
        hub.queue.execute(c.CallNext(counter, officer))
        hub.queue.execute(c.Start(counter, officer))
        for _ in range(len(catalogue.service(service).steps) - 1):
            clock.advance(2)
            hub.queue.execute(c.NextStep(counter, officer))
        hub.queue.execute(c.Finish(counter, officer))
    for _ in range(WAITING_AT_END):
        hub.queue.execute(c.IssueTicket(next(services)))
    hub.queue.execute(c.CallNext("1", "petugas-1"))
    hub.queue.execute(c.Start("1", "petugas-1"))
    return hub.queue.today().version


def timed(client, url: str, token: str, requests: int) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    client.get(url, headers=headers)  # warm: the day is already cached in the process
    latencies = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        latencies.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.json}")
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    settings = load_settings(ROOT / "config.yaml")
    # The display's voice is not what is measured here, and would render every call.
    settings = settings.model_copy(
        update={"voice": settings.voice.model_copy(update={"enabled": False})}
    )
    print(f"{'visits':>7} {'events':>7}  {'endpoint':<20} {'p50 ms':>7} {'p99 ms':>7} {'req/s':>7}")
    for visits in VISITS:
        with tempfile.TemporaryDirectory() as folder:
            clock = BenchClock()
            store = open_store(f"sqlite:///{Path(folder) / 'bench.db'}")
            app = create_app(settings, store=store, clock=clock, secret_key="bench")
            hub = app.extensions["antrian"]
            hub.accounts.add_user("petugas-1", "officer", PASSWORD)
            hub.accounts.add_user("kasi", "supervisor", PASSWORD)
            events = fill_day(hub, clock, visits)
            client = app.test_client()
            tokens = {
                name: client.post("/api/login", json={"username": name, "password": PASSWORD}).json[
                    "token"
                ]
                for name in ("petugas-1", "kasi")
            }
            for url, token in (
                ("/counter/state?counter=1", tokens["petugas-1"]),
                ("/supervisor/state", tokens["kasi"]),
            ):
                latencies = timed(client, url, token, args.requests)
                p50 = statistics.median(latencies)
                p99 = statistics.quantiles(latencies, n=100)[98]
                rate = len(latencies) / (sum(latencies) / 1000)
                endpoint = url.split("?")[0]
                print(
                    f"{visits:>7} {events:>7}  {endpoint:<20} {p50:>7.2f} {p99:>7.2f} {rate:>7.0f}"
                )
            close_app(app)


if __name__ == "__main__":
    main()
