"""Files finished later, in the pure domain: states, pickup once, codes, working days."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.domain.errors import QueueError
from shared.domain.files import (
    PICKUP_CODE_ALPHABET,
    ContactErased,
    DropNotice,
    EraseContact,
    FileAlreadyPickedUp,
    FileAlreadyReady,
    FileNotFound,
    FileNotReady,
    FilePickedUp,
    FileReady,
    FileRegistry,
    FileState,
    LeaveContact,
    MarkReady,
    NoticeDropped,
    NoticeQueued,
    NoticeState,
    OpenFile,
    PickUp,
    RecordNoticeFailed,
    RecordNoticeSent,
    decide_file,
    file_event_from_data,
    file_event_to_data,
    format_code,
    normalise_code,
    pickup_file_id,
    ready_date,
)

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 08.00 WIB
WEEKEND = frozenset({5, 6})


class Codes:
    """Codes from a fixed list, so a test can force a collision."""

    def __init__(self, *codes: str) -> None:
        self._codes = itertools.cycle(codes) if codes else None
        self._n = itertools.count(1)

    def __call__(self) -> str:
        if self._codes is not None:
            return next(self._codes)
        return f"{next(self._n):06d}".translate(str.maketrans("0123456789", "AC3E4F6H7K"))


def run(registry: FileRegistry, command, now=T0, codes=None) -> FileRegistry:
    ids = itertools.count(1)
    events = decide_file(registry, command, now, codes or Codes(), lambda: f"n{next(ids)}")
    return registry.after(events)


def opened(file_id: str = "t1", token: str = "tok1", registry=None, codes=None) -> FileRegistry:
    command = OpenFile(
        file_id=file_id,
        number="A-001",
        service="ak1-baru",
        status_token=token,
        visit_day=date(2026, 11, 23),
        ready_by=date(2026, 11, 26),
        counter="1",
        officer="budi",
    )
    return run(registry or FileRegistry(), command, codes=codes)


def test_a_finished_visit_opens_one_file_in_processing_with_a_code():
    registry = opened(codes=Codes("K7MAPX"))
    berkas = registry.files["t1"]
    assert berkas.state is FileState.PROCESSING
    assert berkas.pickup_code == "K7MAPX"
    assert registry.find("k7m-apx") is berkas  # as typed at the kiosk
    assert registry.find("tok1") is berkas  # as scanned from the phone page's token
    assert registry.find("t1") is berkas


def test_opening_again_for_the_same_ticket_yields_nothing():
    registry = opened()
    again = decide_file(
        registry,
        OpenFile(
            "t1", "A-001", "ak1-baru", "tok1", date(2026, 11, 23), date(2026, 11, 26), "1", "budi"
        ),
        T0,
        Codes(),
        lambda: "n",
    )  # noqa: E501
    assert again == []


def test_a_code_in_use_is_never_given_twice():
    first = opened("t1", "tok1", codes=Codes("AAAAAA"))
    second = opened("t2", "tok2", registry=first, codes=Codes("AAAAAA", "CCCCCC"))
    assert second.files["t2"].pickup_code == "CCCCCC"
    assert len(second.ids_by_code) == 2


def test_ready_then_picked_up_records_who_and_when():
    registry = run(opened(), MarkReady("t1", "siti"), now=T0 + timedelta(days=1))
    berkas = registry.files["t1"]
    assert (berkas.state, berkas.ready_officer, berkas.ready_at) == (
        FileState.READY,
        "siti",
        T0 + timedelta(days=1),
    )
    registry = run(registry, PickUp("t1", "budi", counter="4", pickup_ticket="p1"))
    berkas = registry.files["t1"]
    assert (berkas.state, berkas.picked_up_by, berkas.pickup_ticket) == (
        FileState.PICKED_UP,
        "budi",
        "p1",
    )


def test_refusals_say_why():
    registry = opened()
    with pytest.raises(FileNotReady, match="belum jadi. Perkiraan jadi Kamis, 26 November 2026"):
        run(registry, PickUp("t1", "budi"))
    registry = run(registry, MarkReady("t1", "siti"))
    with pytest.raises(FileAlreadyReady, match="sudah ditandai jadi oleh siti"):
        run(registry, MarkReady("t1", "budi"))
    registry = run(registry, PickUp("t1", "budi"))
    with pytest.raises(FileAlreadyPickedUp, match="sudah diambil"):
        run(registry, PickUp("t1", "budi"))
    with pytest.raises(FileAlreadyPickedUp):
        run(registry, MarkReady("t1", "budi"))
    with pytest.raises(FileNotFound, match="tidak dikenal"):
        run(registry, PickUp("ZZZZZZ", "budi"))


def test_a_contact_queues_a_notice_when_ready_and_is_erased_at_pickup():
    registry = run(opened(), LeaveContact("t1", "email"))
    assert registry.files["t1"].contact_channel == "email"
    events = decide_file(registry, MarkReady("t1", "siti"), T0, Codes(), lambda: "n1")
    assert [type(e) for e in events] == [FileReady, NoticeQueued]
    registry = registry.after(events)
    assert [n.id for n in registry.due_notices(T0)] == ["n1"]
    events = decide_file(registry, PickUp("t1", "budi"), T0, Codes(), lambda: "x")
    assert [type(e) for e in events] == [FilePickedUp, NoticeDropped, ContactErased]
    registry = registry.after(events)
    assert registry.files["t1"].contact_channel is None
    assert registry.notices["n1"].state is NoticeState.DROPPED


def test_no_contact_no_notice():
    events = decide_file(opened(), MarkReady("t1", "siti"), T0, Codes(), lambda: "n1")
    assert [type(e) for e in events] == [FileReady]


def test_a_failed_notice_waits_until_its_retry_time_then_is_sent_once():
    registry = run(run(opened(), LeaveContact("t1", "phone")), MarkReady("t1", "siti"))
    notice_id = registry.queued_notices()[0].id
    later = T0 + timedelta(seconds=30)
    registry = run(registry, RecordNoticeFailed(notice_id, "gateway down", later))
    assert registry.due_notices(T0) == []
    assert [n.attempts for n in registry.due_notices(later)] == [1]
    registry = run(registry, RecordNoticeSent(notice_id))
    assert registry.notices[notice_id].state is NoticeState.SENT
    # A second "sent" (another hub process) or a late drop change nothing.
    assert decide_file(registry, RecordNoticeSent(notice_id), T0, Codes(), str) == []
    assert decide_file(registry, DropNotice(notice_id, "x"), T0, Codes(), str) == []


def test_erasing_a_contact_drops_its_pending_notice():
    registry = run(run(opened(), LeaveContact("t1", "email")), MarkReady("t1", "siti"))
    registry = run(registry, EraseContact("t1", "pengunjung"))
    assert registry.queued_notices() == []
    assert registry.files["t1"].contact_channel is None


def test_events_round_trip_through_their_stored_form():
    registry = run(run(opened(), LeaveContact("t1", "email")), MarkReady("t1", "siti"))
    notice_id = registry.queued_notices()[0].id
    events = decide_file(
        registry, RecordNoticeFailed(notice_id, "x", T0 + timedelta(minutes=1)), T0, Codes(), str
    )
    for event in events:
        assert file_event_from_data(event.type_name, file_event_to_data(event)) == event


def test_codes_are_read_as_typed_and_printed_in_two_groups():
    assert normalise_code(" k7m-apx\n") == "K7MAPX"
    assert format_code("K7MAPX") == "K7M-APX"
    # No character that reads as another on paper.
    assert not set("0O1IL2Z5S8B") & set(PICKUP_CODE_ALPHABET)
    assert pickup_file_id("berkas:abc") == "abc"
    assert pickup_file_id("some-tap-id") is None


def test_working_days_skip_weekends_and_holidays():
    wednesday = date(2026, 12, 2)
    assert ready_date(wednesday, 3, WEEKEND, frozenset()) == date(2026, 12, 7)  # Mon
    monday = date(2026, 11, 23)
    assert ready_date(monday, 3, WEEKEND, frozenset()) == date(2026, 11, 26)  # Thu
    holiday = frozenset({date(2026, 11, 25)})
    assert ready_date(monday, 3, WEEKEND, holiday) == date(2026, 11, 27)
    saturday_open = frozenset({6})
    assert ready_date(date(2026, 11, 27), 1, saturday_open, frozenset()) == date(2026, 11, 28)


@settings(max_examples=200, deadline=None)
@given(start=st.dates(date(2026, 1, 1), date(2030, 1, 1)), days=st.integers(1, 30))
def test_a_ready_date_is_a_working_day_exactly_n_working_days_on(start, days):
    holidays = frozenset({start + timedelta(days=d) for d in (2, 9, 11)})
    end = ready_date(start, days, WEEKEND, holidays)
    assert end.weekday() not in WEEKEND and end not in holidays
    between = [start + timedelta(days=d) for d in range(1, (end - start).days + 1)]
    assert sum(1 for d in between if d.weekday() not in WEEKEND and d not in holidays) == days


# ---- properties: a file is never lost, and is collected at most once -----------------------

FILE_IDS = ("t1", "t2", "t3")
commands = st.one_of(
    st.builds(
        lambda f: OpenFile(
            f, "A-001", "ak1-baru", f"tok-{f}", date(2026, 11, 23), date(2026, 11, 26), "1", "budi"
        ),  # noqa: E501
        st.sampled_from(FILE_IDS),
    ),
    st.builds(MarkReady, st.sampled_from(FILE_IDS), st.sampled_from(["siti", "budi"])),
    st.builds(PickUp, st.sampled_from(FILE_IDS), st.sampled_from(["siti", "budi"])),
    st.builds(LeaveContact, st.sampled_from(FILE_IDS), st.sampled_from(["email", "phone"])),
    st.builds(EraseContact, st.sampled_from(FILE_IDS), st.just("pengunjung")),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(commands, max_size=40))
def test_files_are_never_lost_and_picked_up_at_most_once(sequence):
    registry = FileRegistry()
    all_events = []
    codes, ids = Codes(), itertools.count(1)
    for command in sequence:
        try:
            events = decide_file(registry, command, T0, codes, lambda: f"n{next(ids)}")
        except QueueError:
            continue
        all_events += events
        registry = registry.after(events)
    opened_ids = {e.file_id for e in all_events if type(e).__name__ == "FileOpened"}
    # Never lost: every opened file is there, findable by code and by token.
    assert set(registry.files) == opened_ids
    for berkas in registry.files.values():
        assert registry.find(berkas.pickup_code) is berkas
        assert registry.find(berkas.status_token) is berkas
    # Collected at most once, only after it was ready.
    pickups = [e.file_id for e in all_events if isinstance(e, FilePickedUp)]
    assert len(pickups) == len(set(pickups))
    ready = [e.file_id for e in all_events if isinstance(e, FileReady)]
    assert set(pickups) <= set(ready) and len(ready) == len(set(ready))
    # A collected file keeps no contact and has no notice left to send.
    for file_id in pickups:
        assert registry.files[file_id].contact_channel is None
        assert not [n for n in registry.queued_notices() if n.file_id == file_id]
    # Folding the events again from nothing gives the same registry.
    assert FileRegistry().after(all_events) == registry
    assert len({b.pickup_code for b in registry.files.values()}) == len(registry.files)
