"""Where the hub has its reports made: in a worker process of their own, or in-line.

A hub that opened its store from a URL hands every report and export to one worker process
(shared.reports.worker) that opens the same store, keeps the day tallies in its memory and
runs below the hub's priority: the live queue never waits behind a semester report. A hub
given a store object (tests, tools) has nothing to hand over and folds in the caller's thread.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from shared.child_process import kill_pool, one_worker_pool, stop_pool
from shared.domain.catalogue import Catalogue
from shared.reports import worker
from shared.reports.downloads import Download, DownloadRequest
from shared.reports.period import Period, PeriodReport, ReportFilters
from shared.reports.reader import ReportReader
from shared.store import redact_url
from shared.store.base import EventStore

log = logging.getLogger(__name__)

# A report of three years folds in well under this on an office PC; beyond it the page says
# "try again" rather than hold a browser (and a request thread) forever.
RESULT_TIMEOUT_SECONDS = 300
CLOSE_TIMEOUT_SECONDS = 5

T = TypeVar("T")


class ReportsBusy(RuntimeError):
    """The report took too long; the message is for the page, in Bahasa Indonesia."""


class ReportDesk:
    def __init__(
        self,
        store: EventStore,
        catalogue: Catalogue,
        *,
        store_url: str | None = None,
        key_prefix: str = "antrian",
    ) -> None:
        self.catalogue = catalogue
        self.store_url = store_url
        self.key_prefix = key_prefix
        self._local = ReportReader(store, catalogue)
        self._lock = threading.Lock()
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    @property
    def in_worker(self) -> bool:
        return self.store_url is not None

    def report(self, period: Period, filters: ReportFilters, until: date) -> PeriodReport:
        return self._run(worker.report, period, filters, until)

    def download(self, asked: DownloadRequest) -> Download:
        return self._run(worker.download, asked)

    def warm(self, start: date, end: date) -> None:
        """Have the worker read the tallies of these days now, so the first report is quick.

        Only a worker warms up: in-line it would hold up the caller for nothing.
        """
        if not self.in_worker:
            return
        try:
            started = self._worker().submit(worker.warm, start, end)
        except RuntimeError as exc:  # a pool shut down meanwhile: the hub is stopping
            log.info("reports: no warm-up: %s", exc)
            return
        started.add_done_callback(_log_warm_up)

    def close(self) -> None:
        """Stop the worker process; one still folding is killed."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            stop_pool(pool, CLOSE_TIMEOUT_SECONDS)

    def _run(self, task: Callable[..., T], *args: Any) -> T:
        if not self.in_worker:
            return _in_line(self._local, task, *args)
        try:
            future = self._worker().submit(task, *args)
            return future.result(timeout=RESULT_TIMEOUT_SECONDS)
        except concurrent.futures.TimeoutError:
            self._restart(f"a report took over {RESULT_TIMEOUT_SECONDS} s; worker restarted")
            raise ReportsBusy(
                "Laporan ini terlalu lama disusun. Coba periode yang lebih pendek, "
                "atau muat ulang halaman sebentar lagi."
            ) from None
        except concurrent.futures.process.BrokenProcessPool as exc:
            # The worker died (killed, out of memory): this report is made here, the next
            # one by a new worker.
            self._restart(f"report worker died ({exc}); this report made in the hub")
            return _in_line(self._local, task, *args)

    def _worker(self) -> concurrent.futures.ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                if self.store_url is None:
                    raise RuntimeError("reports are made in-line: there is no worker")
                log.info("reports: starting a worker on %s", redact_url(self.store_url))
                self._pool = one_worker_pool(
                    worker.start, self.store_url, self.key_prefix, self.catalogue
                )
            return self._pool

    def _restart(self, reason: str) -> None:
        log.error("reports: %s", reason)
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            kill_pool(pool)


def _in_line(reader: ReportReader, task: Callable[..., T], *args: Any) -> T:
    """The worker's task, done in this thread on this process's reader."""
    if task is worker.report:
        return reader.report(*args)  # type: ignore[return-value]
    if task is worker.download:
        return worker.make_download(reader, *args)  # type: ignore[return-value]
    raise ValueError(f"no in-line way to run {task.__name__}")


def _log_warm_up(done: concurrent.futures.Future[int]) -> None:
    if done.cancelled():
        return
    failure = done.exception()
    if failure is not None:
        log.error("reports: warm-up failed: %s", failure)
    else:
        log.info("reports: %d office days ready for reports", done.result())
