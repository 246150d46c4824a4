"""The files' background work, off every request thread: slips, notices, reconciliation.

One small thread per hub process. It wakes when nudged (a file opened, a notice queued) or
every `tick_seconds`, and ends with the hub (`stop()` joins it; it is a daemon thread too,
so a hub killed with -9 leaves nothing). Notices are facts in the files stream: a notice
queued and not yet sent is sent by whichever hub runs next, so a restart loses none.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shared.domain.files import (
    Berkas,
    DropNotice,
    FileEvent,
    FileRegistry,
    FileState,
    Notice,
    NoticeQueued,
    RecordNoticeFailed,
    RecordNoticeSent,
    describe_day,
    format_code,
)
from shared.domain.office_day import OfficeDay
from shared.files_desk import FileDesk, contact_key
from shared.notices import Message, NoticeFailed, Notifier
from shared.notices.config import NoticesConfig
from shared.store.base import StoreUnavailable

log = logging.getLogger(__name__)

NOTICES_DEVICE = "pemberitahuan"
DEFAULT_TICK_SECONDS = 5.0


@dataclass(frozen=True)
class OfficeWords:
    """What a notice says about the office, and the page a visitor can open."""

    name: str
    address: str
    service_names: dict[str, str]
    status_base_url: str | None


@dataclass(frozen=True)
class SlipJob:
    file_id: str
    status_url: str


class FilesWorker:
    def __init__(
        self,
        desk: FileDesk,
        notifier: Notifier,
        config: NoticesConfig,
        words: OfficeWords,
        *,
        day_on: Callable[[date], OfficeDay],
        print_slip: Callable[[Berkas, str], None] | None = None,
        raise_alert: Callable[[str, str], None] = lambda message, detail: None,
        clear_alert: Callable[[], None] = lambda: None,
        tick_seconds: float = DEFAULT_TICK_SECONDS,
    ) -> None:
        self.desk = desk
        self.notifier = notifier
        self.config = config
        self.words = words
        self.day_on = day_on
        self.print_slip = print_slip
        self.raise_alert = raise_alert
        self.clear_alert = clear_alert
        self.tick_seconds = tick_seconds
        self._slips: deque[SlipJob] = deque()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._reconciled = False
        desk.listeners.append(self._on_file_events)

    # ---- life ------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="antrian-files", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def nudge(self) -> None:
        self._wake.set()

    def queue_slip(self, file_id: str, status_url: str) -> None:
        self._slips.append(SlipJob(file_id, status_url))
        self.nudge()

    def _on_file_events(self, events: list[FileEvent], registry: FileRegistry) -> None:
        if any(isinstance(e, NoticeQueued) for e in events):
            self.nudge()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except StoreUnavailable as exc:
                log.warning("files worker: store unavailable, trying again later: %s", exc)
            except Exception:
                log.exception("files worker: round failed")
            self._wake.wait(self.tick_seconds)
            self._wake.clear()

    # ---- one round -------------------------------------------------------------------------

    def run_once(self) -> None:
        """Reconcile if needed, print waiting slips, send due notices, update the alert."""
        if not self._reconciled or self.desk.needs_reconcile.is_set():
            self.desk.reconcile(self.day_on)
            self._reconciled = True
        self._print_slips()
        self.send_due_notices()
        self._update_alert()

    def _print_slips(self) -> None:
        if self.print_slip is None:
            self._slips.clear()
            return
        while self._slips:
            job = self._slips.popleft()
            berkas = self.desk.current().files.get(job.file_id)
            if berkas is not None:
                self.print_slip(berkas, job.status_url)  # raises its own printer alert

    def send_due_notices(self) -> None:
        now = self.desk.clock()
        registry = self.desk.current()
        for notice in registry.due_notices(now):
            if self._stop.is_set():
                return
            self._send(registry, notice)

    def _send(self, registry: FileRegistry, notice: Notice) -> None:
        berkas = registry.files[notice.file_id]
        if berkas.state is FileState.PICKED_UP:
            self.desk.execute(DropNotice(notice.id, "berkas sudah diambil"))
            return
        contact = self.desk.store.load_contact(contact_key(berkas.id))
        if contact is None:
            self.desk.execute(DropNotice(notice.id, "kontak sudah dihapus"))
            return
        try:
            self.notifier.send(self.message(berkas, notice, contact))
        except NoticeFailed as failed:
            retry_at = self.desk.clock() + timedelta(seconds=self.backoff(notice.attempts))
            # A server's refusal often repeats the address; the failure is kept for good in
            # the files stream and shown to staff, the contact only until the pickup.
            detail = without_contact(failed.detail, contact)
            log.warning("notice %s (attempt %d) failed: %s", notice.id, notice.attempts + 1, detail)
            self.desk.execute(RecordNoticeFailed(notice.id, detail, retry_at))
            return
        self.desk.execute(RecordNoticeSent(notice.id))

    def backoff(self, failed_before: int) -> float:
        """Seconds until the next attempt: first, then doubling, capped."""
        first, cap = self.config.retry_first_seconds, self.config.retry_max_seconds
        return min(first * 2 ** min(failed_before, 30), cap)

    def message(self, berkas: Berkas, notice: Notice, contact: str) -> Message:
        words = self.words
        service = words.service_names.get(berkas.service, berkas.service)
        where = f"{words.name}, {words.address}" if words.address else words.name
        lines = [
            f"Berkas {service} nomor {berkas.number} (kunjungan {describe_day(berkas.visit_day)}) "
            "sudah jadi.",
            f"Silakan ambil di {where} pada jam layanan: pilih AMBIL BERKAS di mesin antrean "
            f"dan pindai bukti pengambilan atau ketik kode {format_code(berkas.pickup_code)}.",
        ]
        if words.status_base_url:
            lines.append(f"Status: {words.status_base_url.rstrip('/')}/t/{berkas.status_token}")
        lines.append("Kontak Anda dipakai hanya untuk berkas ini dan dihapus saat berkas diambil.")
        return Message(
            to=contact,
            subject=f"Berkas Anda sudah jadi - {words.name}",
            text="\n".join(lines),
            reference=notice.id,
        )

    def _update_alert(self) -> None:
        failing = [n for n in self.desk.current().queued_notices() if n.attempts > 0]
        if not failing:
            self.clear_alert()
            return
        last = max(failing, key=lambda n: n.retry_at or n.queued_at)
        self.raise_alert(
            f"{len(failing)} pemberitahuan berkas jadi belum terkirim; dicoba lagi otomatis.",
            f"last error: {last.last_error} (attempt {last.attempts}, next {_iso(last.retry_at)})",
        )


def without_contact(detail: str, contact: str) -> str:
    """The detail of a failure with the visitor's contact (in any case) replaced."""
    return re.sub(re.escape(contact), "<kontak>", detail, flags=re.IGNORECASE)


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else "-"
