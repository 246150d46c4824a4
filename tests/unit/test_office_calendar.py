"""Holidays, the cut-off before closing, and a service closed for the rest of the day."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from shared.domain import commands as c
from shared.domain import errors
from shared.domain.catalogue import Holiday, OpeningHours
from shared.domain.events import ServiceClosed, ServiceReopened
from shared.domain.office_calendar import long_date, next_open_day
from shared.domain.rules import issue_refusal
from tests.unit.office import Desk, small_office

WEEKDAY_HOURS = tuple(OpeningHours(d, time(7, 30), time(15, 0)) for d in range(4)) + (
    OpeningHours(4, time(7, 30), time(11, 0)),
)
CHRISTMAS = Holiday(date(2026, 12, 25), "Hari Raya Natal")
CUTI_BERSAMA = Holiday(date(2026, 12, 28), "Cuti bersama Hari Raya Natal")


def office(**changes):
    return replace(small_office(), opening_hours=WEEKDAY_HOURS, **changes)


def wib(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    """An instant given in WIB (UTC+7) on a day of 2026."""
    return datetime(2026, month, day, hour - 7, minute, tzinfo=UTC)


def test_a_holiday_refuses_numbers_and_says_when_the_office_opens_again():
    desk = Desk(office(holidays=(CHRISTMAS, CUTI_BERSAMA)))
    desk.now = wib(25, 9)  # Friday, Christmas
    with pytest.raises(errors.OfficeHoliday) as refused:
        desk.issue()
    # The weekend is closed by the opening hours and Monday 28 is cuti bersama.
    assert refused.value.message == (
        "Hari ini libur: Hari Raya Natal. "
        "Pengambilan nomor dibuka kembali Selasa, 29 Desember 2026."
    )
    desk.now = wib(24, 9)  # the day before is an ordinary Thursday
    desk.issue()


def test_a_holiday_closes_an_office_that_has_no_opening_hours_either():
    catalogue = replace(small_office(), holidays=(CHRISTMAS,))
    desk = Desk(catalogue)
    desk.now = wib(25, 9)
    with pytest.raises(errors.OfficeHoliday, match="dibuka kembali Sabtu, 26 Desember 2026"):
        desk.issue()


def test_no_numbers_in_the_cut_off_before_closing():
    desk = Desk(office(ticket_cutoff_minutes=30))
    desk.now = wib(2, 14, 29)  # Wednesday, 31 minutes before 15.00
    desk.issue()
    desk.now = wib(2, 14, 30)
    with pytest.raises(errors.TicketCutoff) as refused:
        desk.issue()
    assert "ditutup pukul 14.30 (layanan berakhir pukul 15.00)" in refused.value.message
    desk.now = wib(4, 10, 31)  # Friday closes at 11.00: the cut-off follows the day's hours
    with pytest.raises(errors.TicketCutoff, match="pukul 10.30"):
        desk.issue()


def test_without_a_cut_off_numbers_are_given_until_closing():
    desk = Desk(office())
    desk.now = wib(2, 14, 59)
    desk.issue()


def test_a_supervisor_closes_one_service_for_the_day_with_the_reason_the_kiosk_shows():
    desk = Desk()
    (closed,) = desk.run(c.CloseService("kasi", service="ak1-baru", reason="Blangko kartu habis"))
    assert isinstance(closed, ServiceClosed) and closed.by == "kasi"
    with pytest.raises(errors.ServiceClosedToday) as refused:
        desk.issue("ak1-baru")
    assert refused.value.message == "Layanan AK1 Baru ditutup untuk hari ini: Blangko kartu habis."
    desk.issue("ak1-perpanjangan")  # the other services go on
    (reopened,) = desk.run(c.ReopenService("kasi", service="ak1-baru"))
    assert isinstance(reopened, ServiceReopened)
    desk.issue("ak1-baru")


def test_closing_twice_for_the_same_reason_writes_nothing_and_reopening_an_open_one_is_refused():
    desk = Desk()
    desk.run(c.CloseService("kasi", service="ak1-baru", reason="Blangko kartu habis"))
    assert desk.run(c.CloseService("kasi", service="ak1-baru", reason="Blangko kartu habis")) == []
    desk.run(c.ReopenService("kasi", service="ak1-baru"))
    with pytest.raises(errors.ServiceNotClosed):
        desk.run(c.ReopenService("kasi", service="ak1-baru"))


@pytest.mark.parametrize("reason", ["", "   ", "x" * 201])
def test_a_closure_needs_a_short_reason(reason):
    desk = Desk()
    with pytest.raises(errors.Invalid):
        desk.run(c.CloseService("kasi", service="ak1-baru", reason=reason))
    assert desk.day.closed_services == {}


def test_closing_an_unknown_service_is_refused():
    with pytest.raises(errors.UnknownService):
        Desk().run(c.CloseService("kasi", service="paspor", reason="x"))


def test_a_closure_is_folded_like_any_event_and_the_day_before_keeps_its_state():
    desk = Desk()
    before = desk.day
    desk.run(c.CloseService("kasi", service="id-ctki", reason="Sistem Siskotkln gangguan"))
    assert before.closed_services == {}
    refusal = issue_refusal(desk.day, desk.catalogue, desk.catalogue.service("id-ctki"), desk.now)
    assert isinstance(refusal, errors.ServiceClosedToday)


def test_next_open_day_and_long_date():
    catalogue = office(holidays=(CHRISTMAS, CUTI_BERSAMA))
    assert next_open_day(catalogue, date(2026, 12, 24)) == date(2026, 12, 29)
    assert long_date(date(2026, 12, 2)) == "Rabu, 2 Desember 2026"
