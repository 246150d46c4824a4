"""What an office offers: services with their SOP steps, counters, and the call rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from enum import StrEnum


class Priority(StrEnum):
    """Groups served first under UU 25/2009 Pasal 29 (pelayanan khusus)."""

    LANSIA = "lansia"
    DISABILITAS = "disabilitas"
    IBU_HAMIL = "ibu_hamil"


PRIORITY_LABELS = {
    Priority.LANSIA: "Lansia",
    Priority.DISABILITAS: "Penyandang disabilitas",
    Priority.IBU_HAMIL: "Ibu hamil",
}


@dataclass(frozen=True)
class Step:
    """One SOP step: who does it and how many minutes the standard allows."""

    name: str
    actor: str
    minutes: float
    optional: bool = False
    repeatable: bool = False
    # Done by someone away from the counter (a signature upstairs), so it can be handed over.
    handover: bool = False
    # Working days the step takes after the visit (the camat signs: 1 day); 0 = during it.
    days: int = 0
    # Who may sign instead when the actor is absent (SOP 002: the Kasi or the Kabid).
    substitutes: tuple[str, ...] = ()

    @property
    def signers(self) -> tuple[str, ...]:
        """The actor first, then its substitutes: who a hand-over may go to."""
        return (self.actor, *self.substitutes)


@dataclass(frozen=True)
class VisitAttribute:
    """A statistic the officer may record per visit, from a closed list (never free text)."""

    key: str
    label: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class Service:
    """A service (layanan) as published in the office's service standard."""

    code: str
    prefix: str
    name: str
    requirements: tuple[str, ...]
    steps: tuple[Step, ...]
    total_minutes: float
    daily_quota: int | None = None
    product: str = ""
    cost: str = "Gratis"  # as the public reads it (config turns 0 into "Gratis")
    free: bool = True
    # Working days until the file (berkas) is ready after the visit; None = ready at once.
    finished_later_days: int | None = None
    # The short line for collecting finished files ("Ambil berkas"), issued by pickup code.
    pickup: bool = False
    # Optional statistics per visit (jenis kelamin, pendidikan, baru/perpanjangan).
    attributes: tuple[VisitAttribute, ...] = ()

    def attribute(self, key: str) -> VisitAttribute | None:
        """The visit attribute with this key, or None."""
        return next((a for a in self.attributes if a.key == key), None)

    @property
    def required_step_indexes(self) -> tuple[int, ...]:
        """Indexes of the steps that may not be skipped."""
        return tuple(i for i, step in enumerate(self.steps) if not step.optional)


@dataclass(frozen=True)
class Counter:
    """A counter (loket or meja) and the services its officer serves."""

    id: str
    name: str
    services: tuple[str, ...]


@dataclass(frozen=True)
class CallRules:
    """How calling works: a number called max_calls times without answer is skipped."""

    max_calls: int = 3
    auto_recall_seconds: int = 0
    waiting_standard_minutes: float = 3
    waiting_alert_minutes: float = 30
    # Visits shorter than this are implausible (a number finished by mistake): flagged, and
    # never counted as within the standard.
    minimum_service_minutes: float = 1
    called_alert_minutes: float = 5
    # Where a returned visitor who came back rejoins a line: ORIGINAL_TIME or BACK_OF_LINE.
    returned_rejoin: str = "original_time"


ORIGINAL_TIME = "original_time"
BACK_OF_LINE = "back_of_line"


DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


@dataclass(frozen=True)
class OpeningHours:
    """When tickets are issued on one weekday (0 = Monday), in office local time."""

    weekday: int
    opens: time
    closes: time

    def describe(self) -> str:
        return f"{DAY_NAMES[self.weekday]} {self.opens:%H.%M}-{self.closes:%H.%M}"


@dataclass(frozen=True)
class Holiday:
    """A day the office issues no numbers (libur nasional, cuti bersama, a local closure)."""

    day: date
    name: str


@dataclass(frozen=True)
class Catalogue:
    """Everything the queue rules need to know about one office."""

    office_id: str
    timezone: str
    services: tuple[Service, ...]
    counters: tuple[Counter, ...]
    call_rules: CallRules = field(default_factory=CallRules)
    # Empty means tickets can be taken at any hour (e.g. for a job fair).
    opening_hours: tuple[OpeningHours, ...] = ()
    holidays: tuple[Holiday, ...] = ()
    # No new numbers this many minutes before the day's closing time (0: until closing).
    ticket_cutoff_minutes: int = 0

    def service(self, code: str) -> Service | None:
        """The service with this code, or None."""
        return next((s for s in self.services if s.code == code), None)

    def counter(self, counter_id: str) -> Counter | None:
        """The counter with this id, or None."""
        return next((c for c in self.counters if c.id == counter_id), None)

    def counters_serving(self, service_code: str) -> tuple[Counter, ...]:
        """Counters whose officers serve this service."""
        return tuple(c for c in self.counters if service_code in c.services)
