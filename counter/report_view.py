"""The period report as the pages show it: what was asked, chart series, heatmap, navigation.

The figures come whole from shared.reports (period_report); this module only reads the
request into a period and filters, and lays the figures out for the page and its charts.
Every number a chart writes is formatted here (shared.indonesian), never in the browser.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import current_app
from werkzeug.exceptions import HTTPException

from shared import indonesian as fmt
from shared.accounts import Role
from shared.domain.catalogue import DAY_NAMES, Catalogue
from shared.domain.errors import shown
from shared.reports.period import Period, PeriodError, PeriodKind, PeriodReport, ReportFilters

# The period picker: its choices, in the order an office thinks of them.
PERIOD_KINDS = (
    (PeriodKind.HARI, "Hari"),
    (PeriodKind.MINGGU, "Minggu"),
    (PeriodKind.BULAN, "Bulan"),
    (PeriodKind.SEMESTER, "Semester"),
    (PeriodKind.TAHUN, "Tahun"),
    (PeriodKind.RENTANG, "Rentang bebas"),
)
# The query field each period kind reads its value from.
PERIOD_FIELDS = {
    PeriodKind.HARI: "tanggal",
    PeriodKind.MINGGU: "minggu",
    PeriodKind.BULAN: "bulan",
    PeriodKind.SEMESTER: "semester",
    PeriodKind.TAHUN: "tahun",
    PeriodKind.RENTANG: "dari",
}
FILTER_FIELDS = ("layanan", "loket", "petugas")
# Semesters and years offered by the picker, counting back from this one.
YEARS_BACK = 3
# Reports of the navigation, by path: a page another part of the hub adds (IKM, complaints)
# shows up here once its route exists.
REPORT_PAGES = (
    ("/supervisor", "Pantauan langsung"),
    ("/supervisor/report", "Laporan harian"),
    ("/laporan", "Laporan periode"),
    ("/laporan/bulanan", "Laporan bulanan"),
    ("/laporan/ikm", "IKM"),
    ("/laporan/pengaduan", "Pengaduan"),
)
HEATMAP_LEVELS = 5
# A day-by-day line writes each value only while the labels still fit (about a month).
MAX_LABELLED_POINTS = 31


def current_semester(today: date) -> Period:
    """Semester I (January-June) or II (July-December) of today's year."""
    return Period.semester(today.year, 1 if today.month <= 6 else 2)


@dataclass(frozen=True)
class ReportRequest:
    """What the supervisor asked for: a period and filters, or why it cannot be read."""

    period: Period
    filters: ReportFilters
    # The picker's fields as they should stand on the page (what was asked, or the default).
    values: dict[str, str] = field(default_factory=dict)
    error: str | None = None


def read_request(args: Mapping[str, str], today: date, catalogue: Catalogue) -> ReportRequest:
    """The period and filters of a report page's query; the current semester by default."""
    default = current_semester(today)
    values = {
        "periode": PeriodKind.SEMESTER.value,
        "tanggal": today.isoformat(),
        "minggu": today.isoformat(),
        "bulan": f"{today:%Y-%m}",
        "semester": f"{default.start.year}-{1 if default.start.month == 1 else 2}",
        "tahun": str(today.year),
        "dari": today.replace(day=1).isoformat(),
        "sampai": today.isoformat(),
    }
    values.update({k: v for k, v in args.items() if k in values or k in FILTER_FIELDS})
    filters, problem = _filters(args, catalogue)
    kind = args.get("periode")
    if not kind:
        return ReportRequest(default, filters, values, problem)
    try:
        chosen = PeriodKind(kind)
        period = Period.parse(
            chosen.value, args.get(PERIOD_FIELDS[chosen], ""), args.get("sampai") or None
        )
    except ValueError as exc:  # PeriodError, or a kind that is not in the list
        message = str(exc) if isinstance(exc, PeriodError) else "Jenis periode tidak dikenali."
        values["periode"] = PeriodKind.SEMESTER.value
        return ReportRequest(default, filters, values, message)
    if period.start > today:
        return ReportRequest(period, filters, values, f"{period.label} belum dimulai.")
    return ReportRequest(period, filters, values, problem)


def _filters(args: Mapping[str, str], catalogue: Catalogue) -> tuple[ReportFilters, str | None]:
    """Only known services and counters; an officer is any name (the log keeps who served)."""
    service = args.get("layanan") or None
    counter = args.get("loket") or None
    officer = (args.get("petugas") or "").strip() or None
    if service is not None and catalogue.service(service) is None:
        return ReportFilters(), f"Layanan '{shown(service)}' tidak dikenal; pilih dari daftar."
    if counter is not None and catalogue.counter(counter) is None:
        return ReportFilters(), f"Loket '{shown(counter)}' tidak dikenal; pilih dari daftar."
    if officer is not None and len(officer) > 40:
        return ReportFilters(), "Nama petugas terlalu panjang; pilih dari daftar."
    return ReportFilters(service=service, counter=counter, officer=officer), None


def picker(today: date, catalogue: Catalogue, officers: list[str]) -> dict[str, Any]:
    """The choices of the period picker and the filters."""
    years = list(range(today.year, today.year - YEARS_BACK, -1))
    semesters = [
        (f"{y}-{half}", Period.semester(y, half).label)
        for y in years
        for half in (2, 1)
        if Period.semester(y, half).start <= today
    ]
    return {
        "kinds": [(k.value, label) for k, label in PERIOD_KINDS],
        "semesters": semesters,
        "years": [str(y) for y in years],
        "services": [(s.code, f"{s.prefix} · {s.name}") for s in catalogue.services],
        "counters": [(c.id, c.name) for c in catalogue.counters],
        "officers": officers,
    }


def quick_periods(today: date) -> list[tuple[str, dict[str, str]]]:
    """One-click periods a Kasi asks for most, as (label, query)."""
    last_month = today.replace(day=1) - timedelta(days=1)
    semester = current_semester(today)
    return [
        ("Hari ini", {"periode": "hari", "tanggal": today.isoformat()}),
        ("Minggu ini", {"periode": "minggu", "minggu": today.isoformat()}),
        ("Bulan ini", {"periode": "bulan", "bulan": f"{today:%Y-%m}"}),
        ("Bulan lalu", {"periode": "bulan", "bulan": f"{last_month:%Y-%m}"}),
        (
            "Semester ini",
            {
                "periode": "semester",
                "semester": f"{today.year}-{2 if semester.start.month > 1 else 1}",
            },
        ),
        ("Tahun ini", {"periode": "tahun", "tahun": str(today.year)}),
    ]


def officer_names(users: list[Any], report: PeriodReport | None) -> list[str]:
    """Officers to filter by: every officer account and anyone who served in the period."""
    names = {u.name for u in users if u.role is Role.OFFICER}
    if report is not None:
        names.update(row.id for row in report.officers)
    return sorted(names)


def query_keeping(values: Mapping[str, str], **changes: str) -> dict[str, str]:
    """The current period and filters as query arguments, for links that must keep them."""
    kind = values.get("periode", PeriodKind.SEMESTER.value)
    value_field = PERIOD_FIELDS[PeriodKind(kind)]
    kept = {"periode": kind, value_field: values.get(value_field, "")}
    if kind == PeriodKind.RENTANG.value:
        kept["sampai"] = values.get("sampai", "")
    kept.update({k: values[k] for k in FILTER_FIELDS if values.get(k)})
    kept.update(changes)
    return kept


def report_nav() -> list[tuple[str, str]]:
    """The report pages that exist in this hub, with their paths."""
    adapter = current_app.url_map.bind("localhost")
    found = []
    for path, label in REPORT_PAGES:
        try:
            adapter.match(path, method="GET")
        except HTTPException:
            continue
        found.append((path, label))
    return found


def filter_text(filters: ReportFilters, catalogue: Catalogue) -> str:
    """What the report is narrowed to, in words ("" for the whole office)."""
    parts = []
    if filters.service and (service := catalogue.service(filters.service)):
        parts.append(f"layanan {service.name}")
    if filters.counter and (counter := catalogue.counter(filters.counter)):
        parts.append(counter.name)
    if filters.officer:
        parts.append(f"petugas {filters.officer}")
    return ", ".join(parts)


def figures(report: PeriodReport) -> dict[str, Any]:
    """The few figures the page picks out of the report's rows by name."""
    return {
        "outcome_counts": {r.outcome: r.count for r in report.outcomes},
        "outcome_shares": {r.outcome: r.share for r in report.outcomes},
        "busiest": busiest_hour(report),
    }


def busiest_hour(report: PeriodReport) -> str | None:
    """ "Senin 09.00-10.00 (45 nomor)": the hour the most tickets were taken."""
    count, day, hour = max(
        ((c, d, h) for d, row in enumerate(report.arrivals) for h, c in enumerate(row)),
        default=(0, 0, 0),
    )
    if not count:
        return None
    return f"{DAY_NAMES[day]} {hour:02d}.00-{hour + 1:02d}.00 ({fmt.number(count)} nomor)"


# ---- charts ---------------------------------------------------------------------------------


def _series(name: str, values: Sequence[float | None], labels: list[str] | None) -> dict[str, Any]:
    return {"name": name, "values": values, "value_labels": labels}


def chart_specs(report: PeriodReport) -> list[dict[str, Any]]:
    """What laporan.js draws: one spec per chart, every label already written out."""
    return [
        _visits_per_day(report),
        _outcomes(report),
        _waits(report),
        _service_times(report),
        _compliance_by_month(report),
        _returns(report),
    ]


def _visits_per_day(report: PeriodReport) -> dict[str, Any]:
    days = report.per_day
    labelled = len(days) <= MAX_LABELLED_POINTS

    def labels(values: list[int]) -> list[str] | None:
        return [fmt.number(v) for v in values] if labelled else None

    visits = [d.visits for d in days]
    served = [d.served for d in days]
    return {
        "id": "chart-visits",
        "kind": "line",
        "labels": [fmt.short_date(d.day) for d in days],
        "series": [
            _series("Kunjungan (nomor diambil)", visits, labels(visits)),
            _series("Selesai dilayani", served, None),
        ],
        "axis_label": "kunjungan per hari",
        "whole_numbers": True,
        "standard": None,
    }


def _outcomes(report: PeriodReport) -> dict[str, Any]:
    rows = [r for r in report.outcomes if r.count or r.outcome == "selesai"]
    return {
        "id": "chart-outcomes",
        "kind": "hbar",
        "labels": [_wrapped(r.label, 26) for r in rows],
        "series": [
            _series(
                "Kunjungan",
                [r.count for r in rows],
                [f"{fmt.number(r.count)} ({fmt.share(r.share)})" for r in rows],
            )
        ],
        "axis_label": "kunjungan",
        "whole_numbers": True,
        "standard": None,
    }


def _minutes_bars(
    chart_id: str, names: list[list[str]], spreads: list[Any], standards: list[float | None]
) -> dict[str, Any]:
    medians = [_rounded(s.median) for s in spreads]
    p90s = [_rounded(s.p90) for s in spreads]
    return {
        "id": chart_id,
        "kind": "bar",
        "labels": names,
        "series": [
            _series("Median", medians, _decimals(medians)),
            _series("P90 (9 dari 10 tidak lebih dari)", p90s, _decimals(p90s)),
        ],
        "axis_label": "menit",
        "standard": {"name": "Standar", "values": standards},
    }


def _waits(report: PeriodReport) -> dict[str, Any]:
    rows = report.services
    return _minutes_bars(
        "chart-waits",
        [_service_short(r.service, r.name) for r in rows],
        [r.wait for r in rows],
        [report.waiting_standard_minutes for _ in rows],
    )


def _service_times(report: PeriodReport) -> dict[str, Any]:
    rows = report.services
    return _minutes_bars(
        "chart-service-times",
        [_service_short(r.service, r.name) for r in rows],
        [r.service_time for r in rows],
        [r.service_time.standard for r in rows],
    )


def _compliance_by_month(report: PeriodReport) -> dict[str, Any]:
    months = sorted({r.month for r in report.services_by_month if r.month})
    services = list(dict.fromkeys((r.service, r.name) for r in report.services_by_month))
    found = {(r.service, r.month): r.service_time.within_share for r in report.services_by_month}
    series = []
    for code, name in services:
        values = [_percent(found.get((code, m))) for m in months]
        # Several lines meet at 100 %: their values are in the table beneath, not on the lines.
        series.append(_series(short_name(name), values, None))
    return {
        "id": "chart-compliance",
        "kind": "line",
        "labels": [fmt.month_year(date.fromisoformat(f"{m}-01")) for m in months],
        "series": series,
        "axis_label": "% selesai dalam standar waktu",
        "standard": None,
        "max": 100,
    }


def _returns(report: PeriodReport) -> dict[str, Any]:
    rows = report.returns[:8]
    short = {r.service: short_name(r.name) for r in report.services}
    # The same document is forgotten for several services: the label says for which one.
    several = len({r.service for r in rows}) > 1
    return {
        "id": "chart-returns",
        "kind": "hbar",
        "labels": [
            _wrapped(r.document, 36) + ([short.get(r.service, r.service)] if several else [])
            for r in rows
        ],
        "series": [
            _series(
                "Dikembalikan",
                [r.count for r in rows],
                [f"{fmt.number(r.count)} ({fmt.share(r.share)})" for r in rows],
            )
        ],
        "axis_label": "kunjungan dikembalikan",
        "whole_numbers": True,
        "standard": None,
    }


def _decimals(values: list[float | None]) -> list[str]:
    return [fmt.number(v, 1) if v is not None else "" for v in values]


def short_name(name: str) -> str:
    """A service's name without its explanation in brackets: "Kartu AK1 - Baru", "ID CTKI"."""
    return re.sub(r"\s*\([^)]*\)", "", name).strip() or name


def short_names(catalogue: Catalogue) -> dict[str, str]:
    """Every service's short name, by code, for tables where the full name would wrap."""
    return {s.code: short_name(s.name) for s in catalogue.services}


def _service_short(code: str, name: str) -> list[str]:
    return _wrapped(short_name(name))


def _wrapped(text: str, width: int = 22) -> list[str]:
    """A chart label as lines of about `width` characters (Chart.js draws a list as lines)."""
    return textwrap.wrap(text, width) or [text]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


# ---- arrivals by hour and weekday ------------------------------------------------------------


@dataclass(frozen=True)
class HeatmapCell:
    count: int
    level: int  # 0 (none) to HEATMAP_LEVELS (the busiest hour)


def heatmap(report: PeriodReport) -> dict[str, Any]:
    """Weekdays by hours, trimmed to the hours and days anything arrived (office hours)."""
    arrivals = report.arrivals
    busiest = max((count for row in arrivals for count in row), default=0)
    hours = [h for h in range(24) if any(row[h] for row in arrivals)]
    days = [d for d in range(7) if any(arrivals[d]) or d < 5]  # Senin-Jumat always shown
    if not hours:
        return {"hours": [], "rows": []}
    span = range(min(hours), max(hours) + 1)
    return {
        "hours": [f"{h:02d}.00" for h in span],
        "rows": [
            (DAY_NAMES[d], [_cell(arrivals[d][h], busiest) for h in span], sum(arrivals[d]))
            for d in days
        ],
    }


def _cell(count: int, busiest: int) -> HeatmapCell:
    level = math.ceil(HEATMAP_LEVELS * count / busiest) if count and busiest else 0
    return HeatmapCell(count, level)
