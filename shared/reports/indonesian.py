"""Numbers and dates written the Indonesian way: 1.234; 12,5; "2 Desember 2026"."""

from __future__ import annotations

from datetime import date

from shared.domain.office_calendar import MONTH_NAMES

MONTHS = MONTH_NAMES
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def long_date(day: date) -> str:
    """ "2 Desember 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_name(year: int, month: int) -> str:
    """ "November 2026"."""
    return f"{MONTHS[month - 1]} {year}"


def integer(value: int) -> str:
    """1234 as "1.234"."""
    return f"{value:,}".replace(",", ".")


def decimal(value: float | None, places: int = 1) -> str:
    """12.5 as "12,5" (thousands with dots); None as "-"."""
    if value is None:
        return "-"
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(share: float | None, places: int = 1) -> str:
    """0.925 as "92,5 %"; None as "-"."""
    return "-" if share is None else f"{decimal(share * 100, places)} %"
