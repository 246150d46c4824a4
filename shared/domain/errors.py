"""Refusals of the queue rules, each with a message an officer or job seeker can read."""

from __future__ import annotations


class QueueError(Exception):
    """A command the queue rules refuse; `message` is in Bahasa Indonesia."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(QueueError):
    """The service, counter or ticket named does not exist (today)."""


class Conflict(QueueError):
    """The command does not fit the current state of the ticket or counter."""


class Invalid(QueueError):
    """The command itself is malformed (missing reason, bad step number...)."""


# What a refusal repeats of the name it was given: enough to recognise a typo, never a
# whole payload (a URL or an API client can send a name megabytes long).
SHOWN_LENGTH = 40


def shown(name: str) -> str:
    """The name as a refusal repeats it, cut short with an ellipsis."""
    return name if len(name) <= SHOWN_LENGTH else name[:SHOWN_LENGTH] + "…"


class UnknownService(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__(f"Layanan '{shown(code)}' tidak dikenal.")


class UnknownCounter(NotFound):
    def __init__(self, counter_id: str) -> None:
        super().__init__(f"Loket '{shown(counter_id)}' tidak dikenal.")


class TicketNotFound(NotFound):
    def __init__(self, ref: str) -> None:
        super().__init__(f"Nomor antrian '{shown(ref)}' tidak ditemukan hari ini.")


class NoTicketWaiting(Conflict):
    def __init__(self) -> None:
        super().__init__("Tidak ada nomor antrian yang menunggu untuk loket ini.")


class StillCalling(Conflict):
    def __init__(self, number: str, call_count: int, max_calls: int) -> None:
        super().__init__(
            f"Nomor {number} baru dipanggil {call_count} dari {max_calls} kali: "
            "panggil ulang atau lewati dulu."
        )


class CounterBusy(Conflict):
    def __init__(self, number: str) -> None:
        super().__init__(f"Loket sedang melayani nomor {number}: selesaikan dulu.")


class NoActiveTicket(Conflict):
    def __init__(self) -> None:
        super().__init__("Belum ada nomor yang dipanggil di loket ini.")


class WrongTicketState(Conflict):
    """The counter's ticket is not in the state the command needs."""


class CallLimitReached(Conflict):
    def __init__(self, number: str, max_calls: int) -> None:
        super().__init__(
            f"Nomor {number} sudah dipanggil {max_calls} kali: "
            "lewati, atau tekan Panggil berikutnya."
        )


class OfficeClosed(Conflict):
    def __init__(self, hours: str) -> None:
        super().__init__(f"Layanan sedang tutup. Jam pengambilan nomor: {hours}.")


class OfficeHoliday(Conflict):
    def __init__(self, holiday: str, reopens: str | None) -> None:
        then = f" Pengambilan nomor dibuka kembali {reopens}." if reopens else ""
        super().__init__(f"Hari ini libur: {holiday}.{then}")


class TicketCutoff(Conflict):
    def __init__(self, cutoff: str, closes: str) -> None:
        super().__init__(
            f"Pengambilan nomor hari ini sudah ditutup pukul {cutoff} "
            f"(layanan berakhir pukul {closes}). Silakan datang kembali pada hari kerja berikutnya."
        )


class ServiceClosedToday(Conflict):
    def __init__(self, service_name: str, reason: str) -> None:
        super().__init__(f"Layanan {service_name} ditutup untuk hari ini: {reason}.")


class ServiceNotClosed(Conflict):
    def __init__(self, service_name: str) -> None:
        super().__init__(f"Layanan {service_name} tidak sedang ditutup.")


class QuotaReached(Conflict):
    def __init__(self, service_name: str, quota: int) -> None:
        super().__init__(
            f"Kuota harian layanan {service_name} ({quota} nomor) sudah habis. "
            "Silakan datang kembali pada hari kerja berikutnya."
        )


class CounterHeld(Conflict):
    def __init__(self, counter_name: str, officer: str, since: str) -> None:
        super().__init__(
            f"{counter_name} sedang dipegang petugas '{officer}' sejak pukul {since}. "
            "Minta petugas itu keluar, atau minta kepala seksi melepaskan loket."
        )


class CounterOnBreak(Conflict):
    def __init__(self, counter_name: str) -> None:
        super().__init__(
            f"{counter_name} sedang istirahat: tekan Lanjut bertugas untuk memanggil lagi."
        )


class StillServing(Conflict):
    def __init__(self, number: str, counter_name: str) -> None:
        super().__init__(
            f"Nomor {number} masih di {counter_name}: selesaikan, lewati atau alihkan dulu."
        )


class NotYourTicket(Conflict):
    def __init__(self, why: str, doing: str) -> None:
        super().__init__(
            f"{why} Hanya petugas loket yang melayaninya atau kepala seksi yang dapat {doing} "
            "nomor ini."
        )
