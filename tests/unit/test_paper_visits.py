"""Visits served on paper numbers during an outage, entered afterwards."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shared.domain import commands as c
from shared.domain import errors
from shared.domain.events import event_from_data
from shared.domain.office_day import OfficeDay, TicketState
from tests.unit.office import Desk

DAY = date(2026, 11, 23)  # the Desk's day; its clock starts at 08:00 WIB


def wib(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 23, hour - 7, minute, tzinfo=UTC)


def paper(**changes) -> c.RecordPaperVisit:
    fields = {
        "recorded_by": "budi",
        "office_day": DAY,
        "service": "ak1-baru",
        "number": "a-012",
        "outcome": "selesai",
        "issued_at": wib(7, 40),
        "started_at": wib(7, 50),
        "finished_at": wib(7, 58),
        "counter": "1",
    }
    return c.RecordPaperVisit(**{**fields, **changes})


def test_a_paper_visit_is_a_finished_visit_marked_as_entered_afterwards():
    desk = Desk()
    (event,) = desk.run(paper())
    ticket = desk.day.tickets[event.ticket_id]
    assert ticket.entered_afterwards
    assert (ticket.number, ticket.state, ticket.counter) == ("A-012", TicketState.DONE, "1")
    assert (ticket.issued_at, ticket.started_at, ticket.ended_at) == (
        wib(7, 40),
        wib(7, 50),
        wib(7, 58),
    )


def test_paper_numbers_never_take_the_place_of_the_days_own_numbers():
    desk = Desk()
    desk.run(paper(number="A-001"))
    own = desk.issue()
    assert desk.number(own) == "A-001"  # the hub's numbering is untouched
    assert desk.day.find("A-001").id == own  # and typing A-001 finds the hub's ticket
    assert desk.day.waiting() == [desk.day.tickets[own]]


def test_a_paper_visit_cannot_be_called_or_moved():
    desk = Desk()
    (event,) = desk.run(paper(outcome="terlewat", started_at=None, finished_at=None))
    with pytest.raises(errors.Conflict, match="hanya dicatat untuk laporan"):
        desk.run(c.CallTicket("1", "budi", ticket=event.ticket_id))


def test_the_same_paper_number_is_entered_once_per_service():
    desk = Desk()
    desk.run(paper())
    with pytest.raises(errors.Conflict, match="sudah dicatat"):
        desk.run(paper(number="A-012 "))
    desk.run(paper(service="ak1-perpanjangan"))  # another service's paper list


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"number": ""}, "Tulis nomor seperti tertulis"),
        ({"number": "<b>12</b>"}, "Tulis nomor seperti tertulis"),
        ({"service": "paspor"}, None),
        ({"outcome": "hilang"}, "Hasil layanan harus"),
        ({"counter": "9"}, None),
        ({"started_at": wib(7, 30)}, "Urutan jam"),
        ({"finished_at": wib(9, 0)}, "masa depan"),
        ({"issued_at": datetime(2026, 11, 22, 3, 0, tzinfo=UTC)}, "tanggal kunjungan"),
        ({"finished_at": None}, "isi jam mulai dan jam selesai"),
        ({"outcome": "dikembalikan"}, "dokumen yang kurang"),
    ],
)
def test_bad_entries_are_refused_and_write_nothing(changes, message):
    desk = Desk()
    with pytest.raises(errors.QueueError) as refused:
        desk.run(paper(**changes))
    if message:
        assert message in refused.value.message
    assert desk.log == []


def test_a_returned_paper_visit_keeps_the_missing_document():
    desk = Desk()
    (event,) = desk.run(paper(outcome="dikembalikan", finished_at=None, return_reason="KTP"))
    assert desk.day.tickets[event.ticket_id].return_reason == "KTP"
    assert desk.day.tickets[event.ticket_id].state is TicketState.RETURNED


def test_a_paper_visit_survives_storing_and_folding_again():
    desk = Desk()
    (event,) = desk.run(paper())
    refolded = OfficeDay()
    refolded.apply(event_from_data(event.type_name, event.to_data()))
    assert refolded.tickets[event.ticket_id] == desk.day.tickets[event.ticket_id]
    assert refolded.paper_numbers == {("ak1-baru", "A-012")}
