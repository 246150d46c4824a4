"""The IKM report of a period: overall and per service, against the minimum sample."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.domain.catalogue import Catalogue
from shared.domain.errors import shown
from shared.domain.ikm import (
    IkmResult,
    Period,
    compute_ikm,
    minimum_sample,
    representative,
    semester_of,
)
from shared.domain.survey import PROFILE_CHOICES, PROFILE_LABELS, SurveyAnswered
from shared.ikm_format import date_id
from shared.survey_service import SurveyService

_SEMESTER = re.compile(r"^([1-9]\d{3})-([12])$")  # year 0000 is no date: refused, not a 500
# A range longer than this is refused: a report reads one stream per day of it.
MAX_RANGE_DAYS = 366


@dataclass(frozen=True)
class IkmSection:
    """One unit of the report: every service together, or one service."""

    title: str
    population: int  # visits finished in the period
    responses: tuple[SurveyAnswered, ...]
    result: IkmResult

    @property
    def minimum_sample(self) -> int:
        return minimum_sample(self.population)

    @property
    def representative(self) -> bool:
        return representative(self.result.respondents, self.population)

    @property
    def missing(self) -> int:
        """Respondents still needed to reach the minimum sample."""
        return max(self.minimum_sample - self.result.respondents, 0)


@dataclass(frozen=True)
class IkmReport:
    period: Period
    overall: IkmSection
    services: tuple[IkmSection, ...]
    profile: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    saran: tuple[tuple[date, str, str], ...]  # (day, service name or "", text)
    anonymous: int


def period_from(args: Any, today: date) -> Period | str:
    """The period asked for (?semester=2026-2 or ?dari=&sampai=), or why it cannot be used."""
    semester, start, end = args.get("semester"), args.get("dari"), args.get("sampai")
    if start or end:
        try:
            first, last = date.fromisoformat(start or ""), date.fromisoformat(end or "")
        except ValueError:
            return "Tanggal tidak dikenali; isi 'dari' dan 'sampai' dengan format TTTT-BB-HH."
        if first > last:
            return "Tanggal 'dari' harus sebelum tanggal 'sampai'."
        if (last - first).days >= MAX_RANGE_DAYS:
            return f"Rentang paling lama {MAX_RANGE_DAYS} hari; pilih per semester atau per tahun."
        return Period(first, last, f"{date_id(first)} – {date_id(last)}")
    if semester:
        match = _SEMESTER.match(semester)
        if not match:
            return f"Semester '{shown(semester)}' tidak dikenali; gunakan mis. 2026-2."
        year, half = int(match.group(1)), int(match.group(2))
        return semester_of(date(year, 1 if half == 1 else 7, 1))
    return semester_of(today)


def build_report(survey: SurveyService, catalogue: Catalogue, period: Period) -> IkmReport:
    """Everything the IKM page, its print and its XLSX show for one period."""
    responses = survey.responses_in(period)
    population = survey.finished_visits(period)
    elements = survey.questionnaire

    def section(title: str, chosen: list[SurveyAnswered], visits: int) -> IkmSection:
        result = compute_ikm([r.response.scores for r in chosen], elements)
        return IkmSection(title, visits, tuple(chosen), result)

    by_service: dict[str, list[SurveyAnswered]] = {}
    for response in responses:
        if response.visit is not None:
            by_service.setdefault(response.visit.service, []).append(response)
    names = {s.code: s.name for s in catalogue.services}
    services = tuple(
        section(s.name, by_service.get(s.code, []), population.get(s.code, 0))
        for s in catalogue.services
        if by_service.get(s.code) or population.get(s.code)
    )
    profile = tuple(
        (
            PROFILE_LABELS[key],
            tuple(
                (choice, Counter(r.response.profile.get(key) for r in responses)[choice])
                for choice in (*choices, None)
            ),
        )
        for key, choices in PROFILE_CHOICES.items()
    )
    saran = tuple(
        (r.period_day, names.get(r.visit.service, "") if r.visit else "", r.response.saran)
        for r in responses
        if r.response.saran
    )
    return IkmReport(
        period=period,
        overall=section("Semua layanan", responses, sum(population.values())),
        services=services,
        profile=profile,  # type: ignore[arg-type]
        saran=saran,
        anonymous=sum(1 for r in responses if r.visit is None),
    )


@dataclass(frozen=True)
class ChartBar:
    """One element's bar in the NRR chart, in the chart's own units."""

    label: str
    y: float
    width: float | None  # None: nobody answered it
    value: str


CHART_LEFT, CHART_WIDTH, CHART_ROW = 230.0, 560.0, 34.0
CHART_BOUNDS = (("D", "1,00"), ("C", "2,60"), ("B", "3,0644"), ("A", "3,5324"))


def chart_bars(result: IkmResult) -> list[ChartBar]:
    """Bars of NRR on the 0-4 scale, the geometry done here so the template only draws."""
    from shared.ikm_format import decimal_id

    bars = []
    for i, element in enumerate(result.elements):
        nrr = element.nrr
        bars.append(
            ChartBar(
                label=f"{element.element.code} {element.element.name}",
                y=40 + i * CHART_ROW,
                width=None if nrr is None else round(float(nrr) / 4 * CHART_WIDTH, 1),
                value="" if nrr is None else f"{decimal_id(nrr, 2)} {element.mutu}",
            )
        )
    return bars


def chart_lines() -> list[tuple[float, str, float]]:
    """(x, label, label y) of the dashed mutu boundaries; labels alternate rows to fit."""
    lines = []
    for i, (mutu, bound) in enumerate(CHART_BOUNDS):
        x = CHART_LEFT + float(bound.replace(",", ".")) / 4 * CHART_WIDTH
        lines.append((round(x, 1), f"{mutu} ≥ {bound}", 13.0 if i % 2 == 0 else 28.0))
    return lines
