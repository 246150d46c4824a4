"""Benchmark: the report pages over a realistic history, as the Kasi's browser asks for them.

Writes the history of bench.history (130 office days of 300 visits by default) into a SQLite
file, then times through the Flask test client, signed in as a supervisor: /laporan for
Semester II 2026 (cold: summaries read from the store; warm: asked again), the same page
filtered by a service, /laporan/bulanan for November 2026, one table as CSV, every table as
XLSX and the semester's visit register as XLSX. The figures include rendering the page (the
charts' data block, the tables) on top of the report itself (bench.history times that).

    .venv/bin/python -m bench.report_pages [--days 130] [--visits 300]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bench.history import bench_office, office_days, write_history
from shared.app import close_app, create_app
from shared.config import load_settings
from shared.store import open_store

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-kasi-2026"
TODAY = datetime(2026, 12, 31, 9, 0, tzinfo=UTC)
SEMESTER = "periode=semester&semester=2026-2"
PAGES = (
    ("/laporan semester (warm)", f"/laporan?{SEMESTER}"),
    ("/laporan semester, one service", f"/laporan?{SEMESTER}&layanan=ak1-baru"),
    ("/laporan/bulanan November", "/laporan/bulanan?bulan=2026-11"),
    ("CSV one table (semester)", f"/laporan/unduh/petugas.csv?{SEMESTER}"),
    ("XLSX every table (semester)", f"/laporan/unduh/semua.xlsx?{SEMESTER}"),
    ("XLSX visit register (semester)", f"/laporan/unduh/register-kunjungan.xlsx?{SEMESTER}"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=130)
    parser.add_argument("--visits", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        shipped = load_settings(ROOT / "config.yaml")
        url = f"sqlite:///{Path(folder) / 'history.db'}"
        # The hub opens the store from its URL, as `antrian run` does: reports are made by
        # its worker process.
        settings = shipped.model_copy(
            update={
                "config_path": Path(folder) / "config.yaml",
                "store": shipped.store.model_copy(update={"url": url}),
            }
        )
        store = open_store(url)
        catalogue = bench_office(settings.catalogue())
        started = time.perf_counter()
        days = office_days(args.days, date(2026, 7, 1))
        events = write_history(store, catalogue, days, args.visits)
        print(
            f"history: {len(days)} days, {events:,} events in {time.perf_counter() - started:.0f} s"
        )
        store.close()
        # First: no summary yet, every day folded from its events (and its summary stored).
        close_app(_first_request(settings, "/laporan semester, summaries made", True))
        # A fresh hub: its worker reads the tallies from the store, not from memory.
        app = _first_request(settings, "/laporan semester (cold, from store)")
        try:
            _measure(app)
        finally:
            close_app(app)


def _first_request(settings, label: str, add_user: bool = False):
    app = create_app(settings, clock=lambda: TODAY, secret_key="bench")
    if add_user:
        app.extensions["antrian"].accounts.add_user("kasi", "supervisor", PASSWORD)
    client = _signed_in(app)
    started = time.perf_counter()
    assert client.get(f"/laporan?{SEMESTER}").status_code == 200
    print(f"{label:34} {(time.perf_counter() - started) * 1000:8,.0f} ms")
    return app


def _signed_in(app):
    client = app.test_client()
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"username": "kasi", "password": PASSWORD, "csrf_token": csrf})
    return client


def _measure(app) -> None:
    client = _signed_in(app)
    for label, path in PAGES:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            answer = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200, (path, answer.status_code)
        size = len(answer.data) / 1024
        print(f"{label:34} {statistics.median(times):8,.0f} ms  ({size:,.0f} KiB)")


if __name__ == "__main__":
    main()
