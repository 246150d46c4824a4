"""The complaints and suggestions register (pengaduan dan saran): events, fold and decisions.

A complaint moves one way only: diterima -> diteruskan (to a named supervisor) ->
ditindaklanjuti (the follow-up written) -> selesai (the answer to the complainant), each
step with who and when. The register is the fold of one event stream per office; numbers
(PGD-2026-0042) run per year without gaps and are decided against that fold, so the
store's optimistic concurrency keeps them unique. Pure: time, ids and tokens are passed in.

Personal data never enters an event: a contact the complainant chose to give is kept in
the erasable contact store, and the event only says that one exists (`has_contact`).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from shared.domain import errors
from shared.domain.office_calendar import MONTH_NAMES

NUMBER_PREFIX = "PGD"
KINDS = ("pengaduan", "saran")
# What the public form records as its channel; staff record the office's other channels.
PUBLIC_CHANNEL = "Aplikasi (formulir daring)"
DEFAULT_CATEGORIES = (
    "Pelayanan petugas",
    "Waktu pelayanan",
    "Persyaratan",
    "Sarana dan prasarana",
    "Pungutan liar",
    "Lainnya",
)
TEXT_MIN = 10
TEXT_MAX = 2000
NOTE_MIN = 5
CONTACT_MAX = 120
# A complaint recorded late (a letter opened after a holiday) may be dated back this far.
RECEIVED_BACK_DAYS = 366


class ComplaintState(StrEnum):
    RECEIVED = "diterima"
    FORWARDED = "diteruskan"
    FOLLOWED_UP = "ditindaklanjuti"
    CLOSED = "selesai"


STATE_ORDER = tuple(ComplaintState)
# For staff.
STATE_LABELS = {
    ComplaintState.RECEIVED: "Diterima",
    ComplaintState.FORWARDED: "Diteruskan",
    ComplaintState.FOLLOWED_UP: "Ditindaklanjuti",
    ComplaintState.CLOSED: "Selesai",
}
# For the complainant's tracking page: what happened, never who did it.
PUBLIC_STATE_LABELS = {
    ComplaintState.RECEIVED: "Diterima",
    ComplaintState.FORWARDED: "Diteruskan ke penanggung jawab",
    ComplaintState.FOLLOWED_UP: "Ditindaklanjuti oleh petugas",
    ComplaintState.CLOSED: "Selesai: jawaban kantor tersedia",
}


def indonesian_date(day: date) -> str:
    """E.g. "2 Desember 2026"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def indonesian_count(value: int) -> str:
    """E.g. "10.000": thousands as Indonesians write them."""
    return f"{value:,}".replace(",", ".")


# ---- policy: the office's rules for complaints, from its config ---------------------------


@dataclass(frozen=True)
class ComplaintPolicy:
    """Categories, channels and the response target, as the office configured them."""

    timezone: str
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    # Channels staff record from (SMS, telepon, surat...); the public form is PUBLIC_CHANNEL.
    channels: tuple[str, ...] = ()
    response_days: int = 5
    holidays: frozenset[date] = frozenset()

    def office_date(self, moment: datetime) -> date:
        """The office's calendar day at this instant."""
        return moment.astimezone(ZoneInfo(self.timezone)).date()

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday, not a holiday (hari kerja)."""
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (start itself never counts)."""
        current, counted = start, 0
        while counted < days:
            current += timedelta(days=1)
            if self.is_working_day(current):
                counted += 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 on the same day)."""
        if end <= start:
            return 0
        # Whole weeks at once: a register spans years, the recap asks this per complaint.
        weeks, rest = divmod((end - start).days, 7)
        count = weeks * 5
        current = start + timedelta(days=weeks * 7)
        for _ in range(rest):
            current += timedelta(days=1)
            count += current.weekday() < 5
        return count - sum(1 for h in self.holidays if start < h <= end and h.weekday() < 5)


# ---- events ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintEvent:
    """Something that happened to one complaint, at a server time."""

    type_name: ClassVar[str] = ""
    at: datetime
    complaint_id: str

    def to_data(self) -> dict[str, Any]:
        """JSON-ready fields: datetimes and dates as ISO strings."""
        data: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            data[f.name] = value.isoformat() if isinstance(value, date | datetime) else value
        return data


@dataclass(frozen=True)
class ComplaintReceived(ComplaintEvent):
    type_name: ClassVar[str] = "ComplaintReceived"
    number: str
    year: int
    seq: int
    tracking_token: str
    kind: str
    category: str
    channel: str
    text: str
    received_on: date
    recorded_by: str | None  # None: the complainant filed it on the public form
    anonymous: bool
    has_contact: bool
    # The visit it is about, when filed from that ticket's status page (not anonymous).
    visit_number: str | None = None
    visit_service: str | None = None
    visit_date: date | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class ComplaintForwarded(ComplaintEvent):
    type_name: ClassVar[str] = "ComplaintForwarded"
    by: str
    to: str


@dataclass(frozen=True)
class ComplaintFollowedUp(ComplaintEvent):
    type_name: ClassVar[str] = "ComplaintFollowedUp"
    by: str
    text: str


@dataclass(frozen=True)
class ComplaintClosed(ComplaintEvent):
    type_name: ClassVar[str] = "ComplaintClosed"
    by: str
    answer: str


EVENT_TYPES: dict[str, type[ComplaintEvent]] = {
    cls.type_name: cls
    for cls in (ComplaintReceived, ComplaintForwarded, ComplaintFollowedUp, ComplaintClosed)
}
_DATE_FIELDS = {"received_on", "visit_date"}


def complaint_event_from_data(type_name: str, data: Mapping[str, Any]) -> ComplaintEvent:
    """An event as stored, back into its class."""
    cls = EVENT_TYPES[type_name]
    values = dict(data)
    values["at"] = datetime.fromisoformat(values["at"])
    for name in _DATE_FIELDS & values.keys():
        if values[name] is not None:
            values[name] = date.fromisoformat(values[name])
    return cls(**values)


# ---- the fold -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """One step of a complaint's life: the state it entered, when, by whom, with what."""

    state: ComplaintState
    at: datetime
    by: str | None
    to: str | None = None
    text: str | None = None


@dataclass(frozen=True)
class Complaint:
    """One entry of the register (a line of the Buku Pengaduan)."""

    id: str
    number: str
    year: int
    seq: int
    tracking_token: str
    kind: str
    category: str
    channel: str
    text: str
    received_on: date
    recorded_at: datetime
    recorded_by: str | None
    anonymous: bool
    has_contact: bool
    visit_number: str | None
    visit_service: str | None
    visit_date: date | None
    history: tuple[Transition, ...]

    @property
    def state(self) -> ComplaintState:
        return self.history[-1].state

    @property
    def is_closed(self) -> bool:
        return self.state is ComplaintState.CLOSED

    def reached(self, state: ComplaintState) -> Transition | None:
        """The transition into `state`, if the complaint got there."""
        return next((t for t in self.history if t.state is state), None)

    @property
    def forwarded_to(self) -> str | None:
        step = self.reached(ComplaintState.FORWARDED)
        return step.to if step else None

    @property
    def follow_up(self) -> str | None:
        step = self.reached(ComplaintState.FOLLOWED_UP)
        return step.text if step else None

    @property
    def answer(self) -> str | None:
        step = self.reached(ComplaintState.CLOSED)
        return step.text if step else None

    @property
    def closed_at(self) -> datetime | None:
        step = self.reached(ComplaintState.CLOSED)
        return step.at if step else None

    @property
    def contact_key(self) -> str:
        """Its key in the erasable contact store."""
        return contact_key(self.id)


def contact_key(complaint_id: str) -> str:
    """The contact store key of a complaint's contact."""
    return f"complaint:{complaint_id}"


def _empty() -> Mapping[Any, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class ComplaintRegister:
    """Every complaint of one office, as of `version` events; never changed, only succeeded."""

    version: int = 0
    complaints: Mapping[str, Complaint] = field(default_factory=_empty)
    by_token: Mapping[str, str] = field(default_factory=_empty)
    by_number: Mapping[str, str] = field(default_factory=_empty)
    by_request: Mapping[str, str] = field(default_factory=_empty)
    last_seq: Mapping[int, int] = field(default_factory=_empty)  # per year

    def after(self, events: Sequence[ComplaintEvent]) -> ComplaintRegister:
        """The register once these events happened (a new object; this one stays as it is)."""
        if not events:
            return self
        complaints = dict(self.complaints)
        by_token, by_number = dict(self.by_token), dict(self.by_number)
        by_request, last_seq = dict(self.by_request), dict(self.last_seq)
        for event in events:
            if isinstance(event, ComplaintReceived):
                complaints[event.complaint_id] = _received(event)
                by_token[event.tracking_token] = event.complaint_id
                by_number[event.number] = event.complaint_id
                if event.request_id:
                    by_request[event.request_id] = event.complaint_id
                last_seq[event.year] = max(last_seq.get(event.year, 0), event.seq)
            else:
                before = complaints[event.complaint_id]
                complaints[event.complaint_id] = dataclasses.replace(
                    before, history=(*before.history, _transition(event))
                )
        return ComplaintRegister(
            version=self.version + len(events),
            complaints=MappingProxyType(complaints),
            by_token=MappingProxyType(by_token),
            by_number=MappingProxyType(by_number),
            by_request=MappingProxyType(by_request),
            last_seq=MappingProxyType(last_seq),
        )

    def get(self, complaint_id: str) -> Complaint | None:
        return self.complaints.get(complaint_id)

    def find(self, ref: str) -> Complaint | None:
        """A complaint by id or by number as typed (pgd-2026-0042)."""
        found = self.complaints.get(ref)
        if found is None:
            found_id = self.by_number.get(ref.strip().upper())
            found = self.complaints.get(found_id) if found_id else None
        return found

    def by_tracking_token(self, token: str) -> Complaint | None:
        complaint_id = self.by_token.get(token)
        return self.complaints.get(complaint_id) if complaint_id else None

    def by_request_id(self, request_id: str) -> Complaint | None:
        complaint_id = self.by_request.get(request_id)
        return self.complaints.get(complaint_id) if complaint_id else None

    def next_number(self, year: int) -> tuple[int, str]:
        """(seq, number) the next complaint of `year` gets: one after the last, no gaps."""
        seq = self.last_seq.get(year, 0) + 1
        return seq, format_number(year, seq)


def format_number(year: int, seq: int) -> str:
    return f"{NUMBER_PREFIX}-{year}-{seq:04d}"


def _received(event: ComplaintReceived) -> Complaint:
    return Complaint(
        id=event.complaint_id,
        number=event.number,
        year=event.year,
        seq=event.seq,
        tracking_token=event.tracking_token,
        kind=event.kind,
        category=event.category,
        channel=event.channel,
        text=event.text,
        received_on=event.received_on,
        recorded_at=event.at,
        recorded_by=event.recorded_by,
        anonymous=event.anonymous,
        has_contact=event.has_contact,
        visit_number=event.visit_number,
        visit_service=event.visit_service,
        visit_date=event.visit_date,
        history=(Transition(ComplaintState.RECEIVED, event.at, event.recorded_by),),
    )


def _transition(event: ComplaintEvent) -> Transition:
    if isinstance(event, ComplaintForwarded):
        return Transition(ComplaintState.FORWARDED, event.at, event.by, to=event.to)
    if isinstance(event, ComplaintFollowedUp):
        return Transition(ComplaintState.FOLLOWED_UP, event.at, event.by, text=event.text)
    if isinstance(event, ComplaintClosed):
        return Transition(ComplaintState.CLOSED, event.at, event.by, text=event.answer)
    raise TypeError(f"not a transition: {type(event).__name__}")


# ---- commands -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceiveComplaint:
    kind: str
    category: str
    channel: str
    text: str
    # None: filed on the public form (channel PUBLIC_CHANNEL, received today).
    recorded_by: str | None = None
    received_on: date | None = None
    anonymous: bool = False
    has_contact: bool = False
    visit_number: str | None = None
    visit_service: str | None = None
    visit_date: date | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class ForwardComplaint:
    complaint: str
    by: str
    to: str


@dataclass(frozen=True)
class FollowUpComplaint:
    complaint: str
    by: str
    text: str


@dataclass(frozen=True)
class CloseComplaint:
    complaint: str
    by: str
    answer: str


ComplaintCommand = ReceiveComplaint | ForwardComplaint | FollowUpComplaint | CloseComplaint


# ---- refusals -------------------------------------------------------------------------------


class ComplaintNotFound(errors.NotFound):
    def __init__(self, ref: str) -> None:
        super().__init__(f"Pengaduan '{errors.shown(ref)}' tidak ditemukan.")


class WrongComplaintState(errors.Conflict):
    """The complaint is not in the state this step comes after."""


class InvalidComplaint(errors.Invalid):
    """A field of a complaint or of a step is missing, too long or not on the list."""


# ---- text checks (also used for the contact, which never reaches an event) ------------------

# Control characters other than newline and tab: invisible, and some break stores or logs.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def clean_text(
    value: object, *, what: str, minimum: int, maximum: int, multiline: bool = True
) -> str:
    """The text as it will be kept: trimmed, line ends made \\n; refused with a reason."""
    if not isinstance(value, str):
        raise InvalidComplaint(f"{what} harus berupa teks.")
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not multiline:
        text = " ".join(text.split())
    if _CONTROL.search(text) or any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise InvalidComplaint(f"{what} memuat karakter yang tidak dapat disimpan.")
    if len(text) < minimum:
        if not text:
            raise InvalidComplaint(f"{what} belum diisi.")
        raise InvalidComplaint(f"{what} terlalu pendek (minimal {minimum} karakter).")
    if len(text) > maximum:
        raise InvalidComplaint(
            f"{what} terlalu panjang: {indonesian_count(len(text))} karakter, "
            f"maksimal {indonesian_count(maximum)}."
        )
    return text


def clean_contact(value: object) -> str | None:
    """The contact a complainant chose to give (for a reply), or None when left empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return clean_text(value, what="Kontak", minimum=4, maximum=CONTACT_MAX, multiline=False)


# ---- decisions ------------------------------------------------------------------------------


def decide_complaint(
    register: ComplaintRegister,
    policy: ComplaintPolicy,
    command: ComplaintCommand,
    now: datetime,
    new_id: Callable[[], str],
    new_token: Callable[[], str],
    supervisors: Iterable[str] = (),
) -> list[ComplaintEvent]:
    """The events a command yields against the register, or a refusal; [] when already done.

    `supervisors` are the names a complaint may be forwarded to.
    """
    if isinstance(command, ReceiveComplaint):
        return _receive(register, policy, command, now, new_id, new_token)
    complaint = register.find(command.complaint)
    if complaint is None:
        raise ComplaintNotFound(command.complaint)
    if isinstance(command, ForwardComplaint):
        _expect(complaint, ComplaintState.RECEIVED, "diteruskan", policy)
        to = command.to.strip()
        if to not in set(supervisors):
            raise InvalidComplaint(
                f"'{errors.shown(to)}' bukan penanggung jawab yang dapat menerima pengaduan; "
                "pilih seorang kepala seksi (supervisor) dari daftar."
            )
        return [ComplaintForwarded(now, complaint.id, command.by, to)]
    if isinstance(command, FollowUpComplaint):
        _expect(complaint, ComplaintState.FORWARDED, "ditindaklanjuti", policy)
        text = clean_text(command.text, what="Tindak lanjut", minimum=NOTE_MIN, maximum=TEXT_MAX)
        return [ComplaintFollowedUp(now, complaint.id, command.by, text)]
    _expect(complaint, ComplaintState.FOLLOWED_UP, "dijawab dan ditutup", policy)
    answer = clean_text(command.answer, what="Jawaban", minimum=NOTE_MIN, maximum=TEXT_MAX)
    return [ComplaintClosed(now, complaint.id, command.by, answer)]


def _expect(
    complaint: Complaint, needed: ComplaintState, doing: str, policy: ComplaintPolicy
) -> None:
    """Refuse a step unless the complaint is in the state it follows, saying why."""
    state = complaint.state
    if state is needed:
        return
    last = complaint.history[-1]
    when = indonesian_date(policy.office_date(last.at))
    if state is ComplaintState.CLOSED:
        raise WrongComplaintState(
            f"Pengaduan {complaint.number} sudah selesai: dijawab oleh {last.by} pada {when}."
        )
    if STATE_ORDER.index(state) > STATE_ORDER.index(needed):
        by = f" oleh {last.by}" if last.by else ""
        raise WrongComplaintState(
            f"Pengaduan {complaint.number} sudah {state.value}{by} pada {when}; "
            f"tidak dapat {doing} lagi."
        )
    missing = {
        ComplaintState.RECEIVED: "",
        ComplaintState.FORWARDED: "teruskan dulu ke penanggung jawab",
        ComplaintState.FOLLOWED_UP: "tulis dulu tindak lanjutnya",
    }[needed]
    raise WrongComplaintState(
        f"Pengaduan {complaint.number} masih berstatus {state.value}: {missing} sebelum {doing}."
    )


def _receive(
    register: ComplaintRegister,
    policy: ComplaintPolicy,
    command: ReceiveComplaint,
    now: datetime,
    new_id: Callable[[], str],
    new_token: Callable[[], str],
) -> list[ComplaintEvent]:
    if command.request_id and register.by_request_id(command.request_id) is not None:
        return []  # a repeated submit (double tap, retry): the complaint already stands
    today = policy.office_date(now)
    if command.kind not in KINDS:
        raise InvalidComplaint("Pilih jenis: pengaduan atau saran.")
    if command.category not in policy.categories:
        raise InvalidComplaint("Pilih kategori dari daftar.")
    if command.recorded_by is None:
        if command.channel != PUBLIC_CHANNEL:
            raise InvalidComplaint("Pengaduan dari formulir daring tercatat lewat Aplikasi.")
        received_on = today
    else:
        if command.channel not in policy.channels:
            raise InvalidComplaint("Pilih saluran pengaduan dari daftar.")
        received_on = command.received_on or today
        if received_on > today:
            raise InvalidComplaint("Tanggal diterima tidak boleh setelah hari ini.")
        if (today - received_on).days > RECEIVED_BACK_DAYS:
            raise InvalidComplaint(
                "Tanggal diterima lebih dari setahun yang lalu; periksa tahunnya."
            )
    if command.anonymous and command.has_contact:
        raise InvalidComplaint(
            "Pengaduan tanpa identitas (anonim) tidak dapat disertai kontak: "
            "kosongkan kontak, atau hapus centang anonim agar kami dapat membalas."
        )
    if command.anonymous and command.visit_number:
        raise InvalidComplaint("Pengaduan anonim tidak dikaitkan dengan nomor antrian.")
    text = clean_text(command.text, what="Isi pengaduan", minimum=TEXT_MIN, maximum=TEXT_MAX)
    year = today.year
    seq, number = register.next_number(year)
    return [
        ComplaintReceived(
            at=now,
            complaint_id=new_id(),
            number=number,
            year=year,
            seq=seq,
            tracking_token=new_token(),
            kind=command.kind,
            category=command.category,
            channel=command.channel,
            text=text,
            received_on=received_on,
            recorded_by=command.recorded_by,
            anonymous=command.anonymous,
            has_contact=command.has_contact,
            visit_number=command.visit_number,
            visit_service=command.visit_service,
            visit_date=command.visit_date,
            request_id=command.request_id,
        )
    ]


# ---- the response target ----------------------------------------------------------------------


def due_date(complaint: Complaint, policy: ComplaintPolicy) -> date:
    """The last working day by which the complainant should have the answer."""
    return policy.add_working_days(complaint.received_on, policy.response_days)


def is_overdue(complaint: Complaint, policy: ComplaintPolicy, now: datetime) -> bool:
    """Still unanswered after its due date (office time)."""
    return not complaint.is_closed and policy.office_date(now) > due_date(complaint, policy)


def answered_on(complaint: Complaint, policy: ComplaintPolicy) -> date | None:
    closed_at = complaint.closed_at
    return policy.office_date(closed_at) if closed_at else None


def working_days_to_answer(complaint: Complaint, policy: ComplaintPolicy) -> int | None:
    """Working days from receipt to the answer (0: answered the same day)."""
    answered = answered_on(complaint, policy)
    return (
        None if answered is None else policy.working_days_between(complaint.received_on, answered)
    )


def answered_within_target(complaint: Complaint, policy: ComplaintPolicy) -> bool | None:
    """True/False once answered; None while open."""
    answered = answered_on(complaint, policy)
    return None if answered is None else answered <= due_date(complaint, policy)


def work_list(
    register: ComplaintRegister, policy: ComplaintPolicy, now: datetime
) -> list[Complaint]:
    """The complaints as staff work them: overdue first, then open by due date, then closed."""

    def order(complaint: Complaint) -> tuple[int, int, str]:
        if complaint.is_closed:  # the newest first
            return 2, -complaint.received_on.toordinal(), complaint.number
        rank = 0 if is_overdue(complaint, policy, now) else 1
        return rank, due_date(complaint, policy).toordinal(), complaint.number

    return sorted(register.complaints.values(), key=order)
