"""Files finished on a later day (berkas): opened when the visit ends, ready, picked up once.

A service whose product is not handed over at the counter (the AK1 card printed after the
camat signs, seed 004: 3 days) leaves a file behind when its visit is finished. The file
lives in its own stream per office, across days: diproses -> jadi (staff, who and when) ->
diambil (once). The visitor may leave a contact for a notice when it is ready; the text
never enters a stream (it lives in the erasable contact store), only which channel it is.
Notices to send are facts here too, so a hub restart does not lose one.

Pure: no clock, no store, no randomness of its own (codes come from the caller).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar

from shared.domain import errors
from shared.domain.events import DomainEvent
from shared.domain.office_calendar import long_date

# Letters and digits nobody misreads on paper or types wrongly on a kiosk: no 0/O/Q/D,
# 1/I/L/J, 2/Z, 5/S, 8/B, 6/G, U/V. 20 symbols, 6 of them: 64 million codes per office.
PICKUP_CODE_ALPHABET = "34679ACEFHKMNPRTWXY"
PICKUP_CODE_LENGTH = 6
# A pickup ticket is issued with this request id: the day's stream then says which file a
# pickup ticket is for, and a second scan of the same slip the same day is the same ticket.
PICKUP_REQUEST_PREFIX = "berkas:"
CONTACT_CHANNELS = ("email", "phone")


class FileState(StrEnum):
    PROCESSING = "diproses"
    READY = "jadi"
    PICKED_UP = "diambil"


STATE_LABELS = {
    FileState.PROCESSING: "Berkas diproses",
    FileState.READY: "Berkas sudah jadi",
    FileState.PICKED_UP: "Sudah diambil",
}


class NoticeState(StrEnum):
    QUEUED = "antre"
    SENT = "terkirim"
    DROPPED = "dibatalkan"


# ---- events -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileEvent(DomainEvent):
    file_id: str


@dataclass(frozen=True)
class FileOpened(FileEvent):
    """A finished visit left a file to be completed later; file_id is the ticket's id."""

    type_name: ClassVar[str] = "FileOpened"
    number: str
    service: str
    status_token: str
    pickup_code: str
    visit_day: date
    ready_by: date
    counter: str
    officer: str


@dataclass(frozen=True)
class FileReady(FileEvent):
    type_name: ClassVar[str] = "FileReady"
    officer: str


@dataclass(frozen=True)
class FilePickedUp(FileEvent):
    type_name: ClassVar[str] = "FilePickedUp"
    officer: str
    counter: str | None = None
    # The pickup line's ticket it was handed over at, if any.
    pickup_ticket: str | None = None


@dataclass(frozen=True)
class ContactLeft(FileEvent):
    """The visitor left a contact; which channel only, the text is in the contact store."""

    type_name: ClassVar[str] = "ContactLeft"
    channel: str


@dataclass(frozen=True)
class ContactErased(FileEvent):
    type_name: ClassVar[str] = "ContactErased"
    reason: str


@dataclass(frozen=True)
class NoticeQueued(FileEvent):
    type_name: ClassVar[str] = "NoticeQueued"
    notice_id: str
    channel: str


@dataclass(frozen=True)
class NoticeSent(FileEvent):
    type_name: ClassVar[str] = "NoticeSent"
    notice_id: str


@dataclass(frozen=True)
class NoticeFailed(FileEvent):
    """One attempt failed; the notice stays queued until retry_at."""

    type_name: ClassVar[str] = "NoticeFailed"
    notice_id: str
    attempt: int
    error: str
    retry_at: datetime


@dataclass(frozen=True)
class NoticeDropped(FileEvent):
    type_name: ClassVar[str] = "NoticeDropped"
    notice_id: str
    reason: str


_NOTICE_EVENTS = (NoticeQueued, NoticeSent, NoticeFailed, NoticeDropped)

FILE_EVENT_TYPES: dict[str, type[FileEvent]] = {
    cls.type_name: cls
    for cls in (
        FileOpened,
        FileReady,
        FilePickedUp,
        ContactLeft,
        ContactErased,
        NoticeQueued,
        NoticeSent,
        NoticeFailed,
        NoticeDropped,
    )
}


def file_event_to_data(event: FileEvent) -> dict[str, Any]:
    data = event.to_data()
    for name, value in data.items():
        if isinstance(value, date):
            data[name] = value.isoformat()
    return data


# Per event type, its fields stored as ISO text: looked up once, not per event read.
_PARSED_FIELDS: dict[str, tuple[tuple[str, Callable[[str], Any]], ...]] = {
    name: tuple(
        (f.name, datetime.fromisoformat if f.type == "datetime" else date.fromisoformat)
        for f in dataclasses.fields(cls)
        if f.type in ("datetime", "date")
    )
    for name, cls in FILE_EVENT_TYPES.items()
}


def file_event_from_data(type_name: str, data: dict[str, Any]) -> FileEvent:
    """Rebuild a file event from its stored type name and data."""
    values = dict(data)
    for name, parse in _PARSED_FIELDS[type_name]:
        if values.get(name) is not None:
            values[name] = parse(values[name])
    return FILE_EVENT_TYPES[type_name](**values)


# ---- state --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    id: str
    file_id: str
    channel: str
    queued_at: datetime
    state: NoticeState = NoticeState.QUEUED
    attempts: int = 0
    last_error: str = ""
    retry_at: datetime | None = None
    done_at: datetime | None = None


@dataclass(frozen=True)
class Berkas:
    """One file and where it stands."""

    id: str
    number: str
    service: str
    status_token: str
    pickup_code: str
    visit_day: date
    ready_by: date
    opened_at: datetime
    opened_by: str
    counter: str
    state: FileState = FileState.PROCESSING
    ready_at: datetime | None = None
    ready_officer: str | None = None
    picked_up_at: datetime | None = None
    picked_up_by: str | None = None
    pickup_ticket: str | None = None
    contact_channel: str | None = None


@dataclass
class FileRegistry:
    """Every file of one office, folded from its stream. A registry handed out is not changed."""

    version: int = 0
    files: dict[str, Berkas] = field(default_factory=dict)
    ids_by_code: dict[str, str] = field(default_factory=dict)
    ids_by_token: dict[str, str] = field(default_factory=dict)
    notices: dict[str, Notice] = field(default_factory=dict)

    def after(self, events: Iterable[FileEvent]) -> FileRegistry:
        """A successor with these events applied; this registry stays as it is.

        Files and notices are frozen, so copying the dicts suffices, and only the dicts the
        events change are copied (a year of files makes them 10,000 entries long).
        """
        events = list(events)
        opens = any(isinstance(e, FileOpened) for e in events)
        notices = any(isinstance(e, _NOTICE_EVENTS) for e in events)
        successor = FileRegistry(
            self.version,
            dict(self.files),
            dict(self.ids_by_code) if opens else self.ids_by_code,
            dict(self.ids_by_token) if opens else self.ids_by_token,
            dict(self.notices) if notices else self.notices,
        )
        for event in events:
            successor.apply(event)
        return successor

    def apply(self, event: FileEvent) -> None:
        self.version += 1
        if isinstance(event, FileOpened):
            self.files[event.file_id] = Berkas(
                id=event.file_id,
                number=event.number,
                service=event.service,
                status_token=event.status_token,
                pickup_code=event.pickup_code,
                visit_day=event.visit_day,
                ready_by=event.ready_by,
                opened_at=event.at,
                opened_by=event.officer,
                counter=event.counter,
            )
            self.ids_by_code[event.pickup_code] = event.file_id
            self.ids_by_token[event.status_token] = event.file_id
            return
        if isinstance(event, _NOTICE_EVENTS):
            self._apply_notice(event)
            return
        berkas = self.files[event.file_id]
        if isinstance(event, FileReady):
            berkas = dataclasses.replace(
                berkas, state=FileState.READY, ready_at=event.at, ready_officer=event.officer
            )
        elif isinstance(event, FilePickedUp):
            berkas = dataclasses.replace(
                berkas,
                state=FileState.PICKED_UP,
                picked_up_at=event.at,
                picked_up_by=event.officer,
                pickup_ticket=event.pickup_ticket,
            )
        elif isinstance(event, ContactLeft):
            berkas = dataclasses.replace(berkas, contact_channel=event.channel)
        elif isinstance(event, ContactErased):
            berkas = dataclasses.replace(berkas, contact_channel=None)
        self.files[event.file_id] = berkas

    def _apply_notice(self, event: FileEvent) -> None:
        if isinstance(event, NoticeQueued):
            self.notices[event.notice_id] = Notice(
                event.notice_id, event.file_id, event.channel, event.at, retry_at=event.at
            )
            return
        notice = self.notices[event.notice_id]  # type: ignore[attr-defined]
        if isinstance(event, NoticeSent):
            notice = dataclasses.replace(notice, state=NoticeState.SENT, done_at=event.at)
        elif isinstance(event, NoticeFailed):
            notice = dataclasses.replace(
                notice, attempts=event.attempt, last_error=event.error, retry_at=event.retry_at
            )
        elif isinstance(event, NoticeDropped):
            notice = dataclasses.replace(
                notice, state=NoticeState.DROPPED, done_at=event.at, last_error=event.reason
            )
        self.notices[notice.id] = notice

    def find(self, ref: str) -> Berkas | None:
        """A file by pickup code (as typed: any case, spaces or dashes), id or status token."""
        code = normalise_code(ref)
        file_id = self.ids_by_code.get(code) or self.ids_by_token.get(ref.strip())
        if file_id is None and ref in self.files:
            file_id = ref
        return self.files.get(file_id) if file_id else None

    def by_state(self, state: FileState) -> list[Berkas]:
        return sorted(
            (f for f in self.files.values() if f.state is state), key=lambda f: f.opened_at
        )

    def queued_notices(self) -> list[Notice]:
        return sorted(
            (n for n in self.notices.values() if n.state is NoticeState.QUEUED),
            key=lambda n: n.queued_at,
        )

    def due_notices(self, now: datetime) -> list[Notice]:
        return [n for n in self.queued_notices() if n.retry_at is None or n.retry_at <= now]


def normalise_code(typed: str) -> str:
    """What a visitor or scanner typed, as a stored pickup code: "k7m-4px " -> "K7M4PX"."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def format_code(code: str) -> str:
    """A code as printed and shown: two groups of three, "K7M-4PX"."""
    return f"{code[:3]}-{code[3:]}" if len(code) == PICKUP_CODE_LENGTH else code


def pickup_file_id(request_id: str | None) -> str | None:
    """The file a pickup ticket is for, read from its request id ("berkas:<id>[:<n>]")."""
    if request_id and request_id.startswith(PICKUP_REQUEST_PREFIX):
        return request_id.removeprefix(PICKUP_REQUEST_PREFIX).split(":", 1)[0]
    return None


def pickup_request_id(file_id: str, ended: Callable[[str], bool]) -> str:
    """The request id of a file's pickup number today: the same while its number is live (a
    second scan is the same ticket), a fresh one once that number ended without the file
    changing hands (cancelled), so the visitor can get back in line.

    `ended(request_id)` says whether the ticket issued under that request id has ended.
    """
    request_id = f"{PICKUP_REQUEST_PREFIX}{file_id}"
    attempt = 1
    while ended(request_id):
        attempt += 1
        request_id = f"{PICKUP_REQUEST_PREFIX}{file_id}:{attempt}"
    return request_id


# ---- working days -------------------------------------------------------------------------


def ready_date(
    visit_day: date, days: int, closed_weekdays: frozenset[int], holidays: frozenset[date]
) -> date:
    """The working day `days` working days after the visit (weekends and holidays skipped)."""
    if len(closed_weekdays) >= 7:
        raise ValueError("an office closed on every weekday has no working days")
    moment = visit_day
    left = days
    while left > 0:
        moment += timedelta(days=1)
        if moment.weekday() not in closed_weekdays and moment not in holidays:
            left -= 1
    return moment


# ---- commands and decisions ---------------------------------------------------------------


class FileNotFound(errors.NotFound):
    def __init__(self, ref: str) -> None:
        # Repeats only the letters and digits, as a code is read: never markup or a payload.
        code = normalise_code(ref)[: PICKUP_CODE_LENGTH + 2]
        shown = f" {format_code(code)}" if code else ""
        super().__init__(
            f"Kode pengambilan{shown} tidak dikenal. "
            "Periksa kembali kode pada bukti pengambilan berkas."
        )


class FileNotReady(errors.Conflict):
    def __init__(self, berkas: Berkas, ready_text: str) -> None:
        super().__init__(f"Berkas {berkas.number} belum jadi. Perkiraan jadi {ready_text}.")


class FileAlreadyReady(errors.Conflict):
    def __init__(self, berkas: Berkas, when: str) -> None:
        super().__init__(
            f"Berkas {berkas.number} sudah ditandai jadi oleh {berkas.ready_officer} ({when})."
        )


class FileAlreadyPickedUp(errors.Conflict):
    def __init__(self, berkas: Berkas, when: str) -> None:
        super().__init__(f"Berkas {berkas.number} sudah diambil ({when}).")


class BadContact(errors.Invalid):
    pass


@dataclass(frozen=True)
class FileCommand:
    pass


@dataclass(frozen=True)
class OpenFile(FileCommand):
    file_id: str
    number: str
    service: str
    status_token: str
    visit_day: date
    ready_by: date
    counter: str
    officer: str


@dataclass(frozen=True)
class MarkReady(FileCommand):
    ref: str
    officer: str


@dataclass(frozen=True)
class PickUp(FileCommand):
    ref: str
    officer: str
    counter: str | None = None
    pickup_ticket: str | None = None


@dataclass(frozen=True)
class LeaveContact(FileCommand):
    file_id: str
    channel: str


@dataclass(frozen=True)
class EraseContact(FileCommand):
    file_id: str
    reason: str


@dataclass(frozen=True)
class RecordNoticeSent(FileCommand):
    notice_id: str


@dataclass(frozen=True)
class RecordNoticeFailed(FileCommand):
    notice_id: str
    error: str
    retry_at: datetime


@dataclass(frozen=True)
class DropNotice(FileCommand):
    notice_id: str
    reason: str


Describe = Callable[[datetime], str]


def decide_file(
    registry: FileRegistry,
    command: FileCommand,
    now: datetime,
    new_code: Callable[[], str],
    new_id: Callable[[], str],
    describe: Describe = lambda moment: moment.isoformat(),
) -> list[FileEvent]:
    """Events a file command yields; raises a QueueError when it is refused.

    `describe` writes a moment for a refusal ("3 Desember 2026 10.15 WIB").
    """
    if isinstance(command, OpenFile):
        return _open(registry, command, now, new_code)
    if isinstance(command, RecordNoticeSent | RecordNoticeFailed | DropNotice):
        return _notice_outcome(registry, command, now)
    if isinstance(command, MarkReady | PickUp):
        berkas = registry.find(command.ref)
        if berkas is None:
            raise FileNotFound(command.ref)
    else:
        berkas = registry.files.get(command.file_id)  # type: ignore[attr-defined]
        if berkas is None:
            raise FileNotFound(command.file_id)  # type: ignore[attr-defined]
    if isinstance(command, MarkReady):
        return _mark_ready(berkas, command, now, new_id, describe)
    if isinstance(command, PickUp):
        return _pick_up(registry, berkas, command, now, describe)
    if isinstance(command, LeaveContact):
        if command.channel not in CONTACT_CHANNELS:
            raise BadContact(f"Jenis kontak '{errors.shown(command.channel)}' tidak dikenal.")
        if berkas.state is FileState.PICKED_UP:
            raise FileAlreadyPickedUp(berkas, describe(berkas.picked_up_at or now))
        return [ContactLeft(at=now, file_id=berkas.id, channel=command.channel)]
    if isinstance(command, EraseContact):
        if berkas.contact_channel is None:
            return []
        return [
            *_drop_pending_notices(registry, berkas.id, now, "kontak dihapus"),
            ContactErased(at=now, file_id=berkas.id, reason=command.reason),
        ]
    raise TypeError(f"not a file command: {command!r}")


def _open(
    registry: FileRegistry, command: OpenFile, now: datetime, new_code: Callable[[], str]
) -> list[FileEvent]:
    if command.file_id in registry.files:
        return []  # derived again after a restart: the file is already there
    code = new_code()
    for _ in range(1000):
        if code not in registry.ids_by_code:
            break
        code = new_code()
    else:
        raise RuntimeError("no free pickup code after 1000 tries: the code space is exhausted")
    return [
        FileOpened(
            at=now,
            file_id=command.file_id,
            number=command.number,
            service=command.service,
            status_token=command.status_token,
            pickup_code=code,
            visit_day=command.visit_day,
            ready_by=command.ready_by,
            counter=command.counter,
            officer=command.officer,
        )
    ]


def _mark_ready(
    berkas: Berkas, command: MarkReady, now: datetime, new_id: Callable[[], str], describe: Describe
) -> list[FileEvent]:
    if berkas.state is FileState.READY:
        raise FileAlreadyReady(berkas, describe(berkas.ready_at or now))
    if berkas.state is FileState.PICKED_UP:
        raise FileAlreadyPickedUp(berkas, describe(berkas.picked_up_at or now))
    events: list[FileEvent] = [FileReady(at=now, file_id=berkas.id, officer=command.officer)]
    if berkas.contact_channel is not None:
        events.append(
            NoticeQueued(
                at=now, file_id=berkas.id, notice_id=new_id(), channel=berkas.contact_channel
            )
        )
    return events


def _pick_up(
    registry: FileRegistry, berkas: Berkas, command: PickUp, now: datetime, describe: Describe
) -> list[FileEvent]:
    if berkas.state is FileState.PICKED_UP:
        raise FileAlreadyPickedUp(berkas, describe(berkas.picked_up_at or now))
    if berkas.state is FileState.PROCESSING:
        raise FileNotReady(berkas, describe_day(berkas.ready_by))
    events: list[FileEvent] = [
        FilePickedUp(
            at=now,
            file_id=berkas.id,
            officer=command.officer,
            counter=command.counter,
            pickup_ticket=command.pickup_ticket,
        )
    ]
    if berkas.contact_channel is not None:
        # Used for this file only: once it is collected, the contact has no purpose left.
        events += _drop_pending_notices(registry, berkas.id, now, "berkas sudah diambil")
        events.append(ContactErased(at=now, file_id=berkas.id, reason="diambil"))
    return events


def _drop_pending_notices(
    registry: FileRegistry, file_id: str, now: datetime, reason: str
) -> list[FileEvent]:
    return [
        NoticeDropped(at=now, file_id=file_id, notice_id=n.id, reason=reason)
        for n in registry.queued_notices()
        if n.file_id == file_id
    ]


def _notice_outcome(
    registry: FileRegistry,
    command: RecordNoticeSent | RecordNoticeFailed | DropNotice,
    now: datetime,
) -> list[FileEvent]:
    notice = registry.notices.get(command.notice_id)
    if notice is None or notice.state is not NoticeState.QUEUED:
        return []  # already settled (another hub process sent or dropped it)
    if isinstance(command, RecordNoticeSent):
        return [NoticeSent(at=now, file_id=notice.file_id, notice_id=notice.id)]
    if isinstance(command, DropNotice):
        return [
            NoticeDropped(
                at=now, file_id=notice.file_id, notice_id=notice.id, reason=command.reason
            )
        ]
    return [
        NoticeFailed(
            at=now,
            file_id=notice.file_id,
            notice_id=notice.id,
            attempt=notice.attempts + 1,
            error=command.error[:300],
            retry_at=command.retry_at,
        )
    ]


def describe_day(day: date) -> str:
    """E.g. "Kamis, 3 Desember 2026", as the rest of the office writes a date."""
    return long_date(day)
