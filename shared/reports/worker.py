"""The report worker process: reads the store and folds reports away from the live queue.

Everything here runs in the worker, never in the hub. A semester report or a register export
is seconds of pure-Python work; in the hub's process it would hold the GIL and the officers'
"Panggil berikutnya" would wait behind it (bench/history.py measures both ways).
"""

from __future__ import annotations

import gc
import os
import signal
from datetime import date

from shared.child_process import exit_with_parent
from shared.domain.catalogue import Catalogue
from shared.reports.downloads import Download, DownloadRequest, build
from shared.reports.period import Period, PeriodReport, ReportFilters
from shared.reports.reader import ReportReader
from shared.store import open_store

# Below the hub: when both want the CPU, the queue goes first.
NICENESS = 10

_reader: ReportReader | None = None


def start(store_url: str, key_prefix: str, catalogue: Catalogue) -> None:
    """The worker's initializer: follow the hub's life, lower its priority, open the store."""
    global _reader
    exit_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the hub decides when to stop
    os.nice(NICENESS)
    _reader = ReportReader(open_store(store_url, key_prefix=key_prefix), catalogue)


def reader() -> ReportReader:
    if _reader is None:
        raise RuntimeError("report worker not started")
    return _reader


def report(period: Period, filters: ReportFilters, until: date) -> PeriodReport:
    return reader().report(period, filters, until)


def warm(start_day: date, end_day: date) -> int:
    found = reader().warm(start_day, end_day)
    # What was read stays for the worker's life; the collector need not walk it again on
    # every report (the digests hold no cycles, and refcounting still frees them).
    gc.freeze()
    return found


def download(asked: DownloadRequest) -> Download:
    return make_download(reader(), asked)


def make_download(found: ReportReader, asked: DownloadRequest) -> Download:
    """One download of a report, computing only what the table needs."""
    return build(
        asked.table,
        asked.fmt,
        period=asked.period,
        report=lambda: found.report(asked.period, asked.filters, asked.until),
        register=lambda: found.register(asked.period, asked.filters, asked.until),
        catalogue=found.catalogue,
        office=asked.office,
        made_at=asked.made_at,
        delimiter=asked.delimiter,
    )
