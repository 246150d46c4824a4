"""The complaints recap (Rekap Saran dan Pengaduan): a printable A4 page and an XLSX file."""

from __future__ import annotations

from datetime import date

from flask import Response, render_template, request

from counter import bp
from counter.complaint_xlsx import recap_workbook
from shared.accounts import SUPERVISORS
from shared.complaints_web import current_complaints, staff_complaint_view
from shared.domain.complaint_recap import (
    BadPeriod,
    Period,
    month_period,
    parse_period,
    period_containing,
    recap,
    semester_period,
    year_period,
)
from shared.domain.complaints import PUBLIC_CHANNEL, STATE_LABELS, indonesian_date
from shared.hub import current_hub
from shared.pages import require_page

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/laporan/pengaduan")
@require_page(SUPERVISORS)
def complaint_recap():
    """Per month, semester or year: counts, the time to answer, and every complaint."""
    service = current_complaints()
    now = service.clock()
    today = service.policy.office_date(now)
    chosen = _period(today)
    if isinstance(chosen, str):
        page = render_template(
            "counter/complaint_recap.html", error=chosen, choices=_choices(today), key=""
        )
        return page, 400
    result = recap(service.register(), service.policy, chosen, now, _channels())
    services = {s.code: s.name for s in current_hub().catalogue.services}
    return render_template(
        "counter/complaint_recap.html",
        error=None,
        key=chosen.key,
        choices=_choices(today),
        recap=result,
        rows=[staff_complaint_view(c, service.policy, now, services) for c in result.complaints],
        state_labels=STATE_LABELS,
        response_days=service.policy.response_days,
        span=f"{indonesian_date(chosen.start)} s.d. {indonesian_date(chosen.end)}",
        printed_on=indonesian_date(today),
        place=current_hub().settings.office.address.split(",")[0].strip(),
    )


@bp.get("/laporan/pengaduan.xlsx")
@require_page(SUPERVISORS)
def complaint_recap_xlsx():
    """The same recap as a workbook: a summary sheet and the list with follow-ups."""
    service = current_complaints()
    now = service.clock()
    chosen = _period(service.policy.office_date(now))
    if isinstance(chosen, str):
        return render_template(
            "unavailable.html", title="Periode tidak dikenali", message=chosen, status=400
        ), 400
    result = recap(service.register(), service.policy, chosen, now, _channels())
    hub = current_hub()
    services = {s.code: s.name for s in hub.catalogue.services}
    rows = [staff_complaint_view(c, service.policy, now, services) for c in result.complaints]
    data = recap_workbook(hub.settings.office.name, result, rows, service.policy.response_days)
    filename = f"rekap-pengaduan-{chosen.key}.xlsx"
    return Response(
        data,
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _channels() -> tuple[str, ...]:
    return (*current_complaints().policy.channels, PUBLIC_CHANNEL)


def _period(today: date) -> Period | str:
    """The period asked for (this semester by default), or why it cannot be read."""
    text = request.args.get("periode", "").strip()
    if not text:
        return period_containing(today, "semester")
    if len(text) > 16:
        return "Periode tidak dikenali; pilih dari daftar."
    try:
        chosen = parse_period(text)
    except BadPeriod as exc:
        return str(exc)
    if chosen.start > today:
        return f"{chosen.label} belum dimulai."
    return chosen


def _choices(today: date) -> list[Period]:
    """Recent months, semesters and years for the period picker, newest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(12):
        months.append(month_period(year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    half = 1 if today.month <= 6 else 2
    semesters = []
    year = today.year
    for _ in range(4):
        semesters.append(semester_period(year, half))
        year, half = (year, 1) if half == 2 else (year - 1, 2)
    years = [year_period(today.year - i) for i in range(3)]
    return [*semesters[:2], *months, *semesters[2:], *years]
