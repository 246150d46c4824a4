"""When the office gives out numbers: opening hours, holidays and the cut-off before closing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from shared.domain import errors
from shared.domain.catalogue import DAY_NAMES, Catalogue, Holiday

MONTH_NAMES = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
# How an Indonesian office names its time zone; another zone is printed by its own abbreviation.
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
# A search horizon for the next open day: long enough for Lebaran's cuti bersama.
_LOOKAHEAD_DAYS = 31


def long_date(day: date) -> str:
    """E.g. "Senin, 28 Desember 2026", as an Indonesian office writes a date."""
    return f"{DAY_NAMES[day.weekday()]}, {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def holiday_on(catalogue: Catalogue, day: date) -> Holiday | None:
    """The holiday that closes the office on this date, if any."""
    return next((h for h in catalogue.holidays if h.day == day), None)


def is_open_day(catalogue: Catalogue, day: date) -> bool:
    """True if numbers are given out on this date at some hour."""
    if holiday_on(catalogue, day) is not None:
        return False
    if not catalogue.opening_hours:
        return True
    return any(h.weekday == day.weekday() for h in catalogue.opening_hours)


def next_open_day(catalogue: Catalogue, after: date) -> date | None:
    """The first date after `after` on which the office gives out numbers."""
    for offset in range(1, _LOOKAHEAD_DAYS + 1):
        candidate = after + timedelta(days=offset)
        if is_open_day(catalogue, candidate):
            return candidate
    return None


def closed_refusal(catalogue: Catalogue, now: datetime) -> errors.QueueError | None:
    """Why the office gives out no numbers at this instant (holiday, hours, cut-off), or None."""
    local = now.astimezone(ZoneInfo(catalogue.timezone))
    holiday = holiday_on(catalogue, local.date())
    if holiday is not None:
        reopens = next_open_day(catalogue, local.date())
        return errors.OfficeHoliday(holiday.name, long_date(reopens) if reopens else None)
    if not catalogue.opening_hours:
        return None
    today = [h for h in catalogue.opening_hours if h.weekday == local.weekday()]
    if not any(h.opens <= local.time() < h.closes for h in today):
        return errors.OfficeClosed(", ".join(h.describe() for h in catalogue.opening_hours))
    cutoff = timedelta(minutes=catalogue.ticket_cutoff_minutes)
    for hours in today:
        closes = datetime.combine(local.date(), hours.closes, local.tzinfo)
        if cutoff and hours.opens <= local.time() < hours.closes and local >= closes - cutoff:
            return errors.TicketCutoff(f"{closes - cutoff:%H.%M}", f"{hours.closes:%H.%M}")
    return None
