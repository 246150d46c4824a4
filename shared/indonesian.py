"""Numbers and dates as an Indonesian office writes them, and the Jinja filters that use them.

1.234 (a dot groups thousands), 12,5 (a comma before decimals), 87,5 %, "2 Desember 2026",
08.05 (a dot between hours and minutes). One place, so a page, a chart label and a printed
report never write the same figure two ways.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import Flask

from shared.domain.catalogue import DAY_NAMES

# One list of month names for the whole hub (the office calendar's).
from shared.domain.office_calendar import MONTH_NAMES as MONTHS

# What a report shows where there is no figure (no visits, nothing measured): never "0".
NO_FIGURE = "–"
_TO_INDONESIAN = str.maketrans({",": ".", ".": ","})


def number(value: float | int | None, decimals: int = 0) -> str:
    """1234 -> "1.234", 12.25 with one decimal -> "12,3" (halves round up, as on paper)."""
    if value is None:
        return NO_FIGURE
    step = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0,0"
    return f"{rounded:,.{decimals}f}".translate(_TO_INDONESIAN)


def minutes(value: float | None, decimals: int = 1) -> str:
    """12.5 -> "12,5 menit"."""
    return NO_FIGURE if value is None else f"{number(value, decimals)} menit"


def percent(value: float | None, decimals: int = 1) -> str:
    """A percentage (0-100): 87.5 -> "87,5 %"."""
    return NO_FIGURE if value is None else f"{number(value, decimals)} %"


def share(value: float | None, decimals: int = 1) -> str:
    """A share (0-1): 0.875 -> "87,5 %"."""
    return NO_FIGURE if value is None else percent(value * 100, decimals)


def long_date(day: date | None) -> str:
    """date(2026, 12, 2) -> "2 Desember 2026"."""
    if day is None:
        return NO_FIGURE
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def weekday_date(day: date | None) -> str:
    """date(2026, 12, 2) -> "Rabu, 2 Desember 2026"."""
    if day is None:
        return NO_FIGURE
    return f"{DAY_NAMES[day.weekday()]}, {long_date(day)}"


def month_year(day: date | None) -> str:
    """Any day of November 2026 -> "November 2026"."""
    return NO_FIGURE if day is None else f"{MONTHS[day.month - 1]} {day.year}"


def month_label(key: str | None) -> str:
    """A month's key "2026-11" -> "November 2026"."""
    if not key:
        return NO_FIGURE
    year, month = key.split("-")
    return f"{MONTHS[int(month) - 1]} {int(year)}"


def short_date(day: date | None) -> str:
    """date(2026, 12, 2) -> "2 Des": an axis label where the year is already in the title."""
    return NO_FIGURE if day is None else f"{day.day} {MONTHS[day.month - 1][:3]}"


def clock(moment: datetime | None) -> str:
    """An office-time instant -> "08.05"."""
    return NO_FIGURE if moment is None else f"{moment:%H.%M}"


def date_time(moment: datetime | None) -> str:
    """An office-time instant -> "2 Desember 2026 08.05"."""
    return NO_FIGURE if moment is None else f"{long_date(moment.date())} {clock(moment)}"


FILTERS: dict[str, Any] = {
    "number": number,
    "minutes": minutes,
    "percent": percent,
    "share": share,
    "long_date": long_date,
    "weekday_date": weekday_date,
    "month_year": month_year,
    "month_label": month_label,
    "short_date": short_date,
    "clock": clock,
    "date_time": date_time,
}


def init_app(app: Flask) -> None:
    """Make the formats Jinja filters: {{ visits|number }}, {{ day|long_date }}."""
    app.jinja_env.filters.update(FILTERS)
