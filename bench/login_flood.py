"""Benchmark: does a flood of wrong sign-ins slow the queue down?

Serves the real app on a real port (SQLite, threaded Werkzeug) and measures `GET /api/queue`
as a display polls it: quiet, then while 32 threads send wrong passwords to `/api/login`,
from one address and from 32 addresses (127.0.0.2-33, so the per-address backoff does not
stop them all at once), and once more with the guard opened up as the hub was before it
(every request hashing at once). Also prints how long a wrong password takes for a known
and for an unknown name, which should be the same.

    .venv/bin/python -m bench.login_flood [--requests 300]
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import statistics
import tempfile
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path

import requests
from werkzeug.serving import make_server

from shared.app import close_app, create_app
from shared.config import load_settings
from shared.login_guard import GuardLimits, LoginGuard
from shared.store import open_store

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-kata-sandi"
THREADS = 32
UNGUARDED = GuardLimits(user_free=10**9, address_free=10**9, hash_slots=THREADS)


def percentiles(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered):6.1f} ms   p99 {p99:6.1f} ms"


def queue_latencies(url: str, token: str, count: int) -> list[float]:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    session.get(f"{url}/api/queue", timeout=30)
    latencies = []
    for _ in range(count):
        start = time.perf_counter()
        response = session.get(f"{url}/api/queue", timeout=30)
        latencies.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"/api/queue answered {response.status_code}")
    return latencies


def wrong_login(port: int, source: str) -> int:
    """One wrong sign-in from `source`, under a name nobody has; returns the status."""
    body = json.dumps({"username": f"tamu-{uuid.uuid4().hex[:8]}", "password": "salah-sekali"})
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=60, source_address=(source, 0)
    )
    try:
        connection.request("POST", "/api/login", body, {"Content-Type": "application/json"})
        return connection.getresponse().status
    finally:
        connection.close()


class Flood:
    """THREADS threads sending wrong sign-ins until stopped; counts the answers."""

    def __init__(self, port: int, sources: list[str]) -> None:
        self.port = port
        self.sources = sources
        self.stop = threading.Event()
        self.answers: dict[int, int] = {}
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self.run, args=(sources[i % len(sources)],), daemon=True)
            for i in range(THREADS)
        ]

    def run(self, source: str) -> None:
        while not self.stop.is_set():
            status = wrong_login(self.port, source)
            with self.lock:
                self.answers[status] = self.answers.get(status, 0) + 1

    def __enter__(self) -> Flood:
        for thread in self.threads:
            thread.start()
        time.sleep(1)  # bench, not test: let the flood build up before measuring
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)


def login_time(url: str, name: str, count: int = 10) -> float:
    latencies = []
    for n in range(count):
        start = time.perf_counter()
        requests.post(
            f"{url}/api/login",
            json={"username": name, "password": f"salah-{n}"},
            timeout=30,
        )
        latencies.append((time.perf_counter() - start) * 1000)
    return statistics.median(latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one access-log line per request
    settings = load_settings(ROOT / "config.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'antrian.db'}")
        app = create_app(settings, store=store, secret_key="bench")
        hub = app.extensions["antrian"]
        hub.accounts.add_user("petugas-1", "officer", PASSWORD)
        display = hub.accounts.add_device("tv-1", "display")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}"
        try:
            run_scenarios(app, url, display, args.requests)
        finally:
            server.shutdown()
            close_app(app)


def run_scenarios(app, url: str, display: str, count: int) -> None:
    port = int(url.rsplit(":", 1)[1])
    shipped = app.extensions["antrian_login_guard"].limits
    print(f"GET /api/queue, {count} requests, {THREADS} threads of wrong sign-ins")
    print(f"  quiet:                          {percentiles(queue_latencies(url, display, count))}")
    scenarios = (
        ("flood from one address", ["127.0.0.1"], shipped),
        ("flood from 32 addresses", [f"127.0.0.{n}" for n in range(2, 34)], shipped),
        ("flood, guard off (as before)", [f"127.0.0.{n}" for n in range(2, 34)], UNGUARDED),
    )
    for label, sources, limits in scenarios:
        use_limits(app, limits)
        with Flood(port, sources) as flood:
            latencies = queue_latencies(url, display, count)
        answers = ", ".join(f"{n} x {status}" for status, n in sorted(flood.answers.items()))
        print(f"  {label + ':':<31} {percentiles(latencies)}   sign-ins: {answers}")
    use_limits(app, replace(UNGUARDED, hash_slots=1))
    known, unknown = login_time(url, "petugas-1"), login_time(url, "tidak-ada")
    print(f"wrong password, median of 10: known name {known:.0f} ms, unknown name {unknown:.0f} ms")


def use_limits(app, limits: GuardLimits) -> None:
    """Start a scenario afresh: a new guard with these limits and no remembered failures."""
    old = app.extensions["antrian_login_guard"]
    app.extensions["antrian_login_guard"] = LoginGuard(old.accounts, old.clock, limits)


if __name__ == "__main__":
    main()
