"""Numbers and dates as an Indonesian office prints them: 1.234 and 87,52; 2 Desember 2026."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from shared.domain.ikm import rounded
from shared.domain.office_calendar import MONTH_NAMES


def decimal_id(value: Fraction | int | None, places: int) -> str:
    """E.g. 87,52 (comma decimals, dot thousands); a dash for no value."""
    if value is None:
        return "–"
    text = f"{rounded(Fraction(value), places):,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def integer_id(value: int) -> str:
    """E.g. 1.234."""
    return f"{value:,}".replace(",", ".")


def date_id(day: date) -> str:
    """E.g. 2 Desember 2026."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
