"""The complaints recap for the performance evaluation (Rekap Saran dan Pengaduan): pure.

Per month, semester or year: counts by channel, category, kind and state, the median time
to answer in working days, and the share answered within the response target.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shared.domain.complaints import (
    MONTH_NAMES,
    STATE_ORDER,
    Complaint,
    ComplaintPolicy,
    ComplaintRegister,
    ComplaintState,
    answered_within_target,
    is_overdue,
    working_days_to_answer,
)


@dataclass(frozen=True)
class Period:
    """A reporting period: a month, a semester or a year, both ends included."""

    key: str  # as written in the address: 2026-11, 2026-S1, 2026
    label: str
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


class BadPeriod(ValueError):
    """The period asked for cannot be read; the message says how to write one."""


_MONTH = re.compile(r"(\d{4})-(\d{2})")
_SEMESTER = re.compile(r"(\d{4})-[Ss]([12])")
_YEAR = re.compile(r"\d{4}")
MIN_YEAR, MAX_YEAR = 2000, 2999
PERIOD_HELP = "tulis 2026-11 (bulan), 2026-S1 atau 2026-S2 (semester) atau 2026 (tahun)"


def parse_period(text: str) -> Period:
    """A period from its key; BadPeriod says how to write one."""
    text = text.strip()
    year_text = text[:4]
    if year_text.isdigit() and not MIN_YEAR <= int(year_text) <= MAX_YEAR:
        raise BadPeriod(f"Tahun {year_text} di luar jangkauan ({MIN_YEAR}-{MAX_YEAR}).")
    if match := _MONTH.fullmatch(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise BadPeriod(f"Bulan {month} tidak ada; {PERIOD_HELP}.")
        return month_period(year, month)
    if match := _SEMESTER.fullmatch(text):
        return semester_period(int(match[1]), int(match[2]))
    if _YEAR.fullmatch(text):
        return year_period(int(text))
    raise BadPeriod(f"Periode tidak dikenali; {PERIOD_HELP}.")


def month_period(year: int, month: int) -> Period:
    last = date(year, 12, 31) if month == 12 else date(year, month + 1, 1) - timedelta(days=1)
    return Period(
        f"{year}-{month:02d}", f"{MONTH_NAMES[month - 1]} {year}", date(year, month, 1), last
    )


def semester_period(year: int, half: int) -> Period:
    start, end = (1, 6) if half == 1 else (7, 12)
    return Period(
        f"{year}-S{half}",
        f"Semester {'I' * half} {year}",
        date(year, start, 1),
        month_period(year, end).end,
    )


def year_period(year: int) -> Period:
    return Period(str(year), f"Tahun {year}", date(year, 1, 1), date(year, 12, 31))


def period_containing(day: date, kind: str) -> Period:
    """The month, semester or year a day falls in."""
    if kind == "bulan":
        return month_period(day.year, day.month)
    if kind == "semester":
        return semester_period(day.year, 1 if day.month <= 6 else 2)
    return year_period(day.year)


@dataclass(frozen=True)
class ComplaintRecap:
    """What the recap page and its XLSX show for one period."""

    period: Period
    complaints: tuple[Complaint, ...]  # received in the period, in register order
    by_channel: tuple[tuple[str, int], ...]
    by_category: tuple[tuple[str, int], ...]
    by_kind: tuple[tuple[str, int], ...]
    by_state: tuple[tuple[ComplaintState, int], ...]
    answered: int
    overdue_open: int
    median_days_to_answer: float | None
    # Answered within the target, of those whose outcome is known (answered, or past due).
    within_target: int
    target_known: int

    @property
    def within_target_percent(self) -> float | None:
        if not self.target_known:
            return None
        return round(100 * self.within_target / self.target_known, 1)


def recap(
    register: ComplaintRegister,
    policy: ComplaintPolicy,
    period: Period,
    now: datetime,
    channels: tuple[str, ...] = (),
) -> ComplaintRecap:
    """The period's complaints (by date received) counted every way the evaluation asks.

    Every configured category and channel is listed, with 0 where nothing came in, so one
    period's recap lines up with another's.
    """
    chosen = tuple(
        sorted(
            (c for c in register.complaints.values() if c.received_on in period),
            key=lambda c: (c.year, c.seq),
        )
    )
    days = [d for c in chosen if (d := working_days_to_answer(c, policy)) is not None]
    outcomes = [answered_within_target(c, policy) for c in chosen]
    overdue = sum(1 for c in chosen if is_overdue(c, policy, now))
    on_time = sum(1 for o in outcomes if o is True)
    late_answered = sum(1 for o in outcomes if o is False)
    return ComplaintRecap(
        period=period,
        complaints=chosen,
        by_channel=_counts((c.channel for c in chosen), channels),
        by_category=_counts((c.category for c in chosen), policy.categories),
        by_kind=_counts((c.kind for c in chosen), ("pengaduan", "saran")),
        by_state=tuple((s, sum(1 for c in chosen if c.state is s)) for s in STATE_ORDER),
        answered=len(days),
        overdue_open=overdue,
        median_days_to_answer=float(statistics.median(days)) if days else None,
        within_target=on_time,
        target_known=on_time + late_answered + overdue,
    )


def _counts(values, listed: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    counted = Counter(values)
    ordered = list(listed) + sorted(k for k in counted if k not in listed)
    return tuple((name, counted.get(name, 0)) for name in ordered)
