"""Reports across office days for the Kasi and the admin: /laporan and its downloads."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import Response, jsonify, render_template, request

from counter import bp
from counter import report_view as view
from shared.accounts import SUPERVISORS
from shared.auth import require
from shared.domain.errors import shown
from shared.hub import Hub, current_hub
from shared.pages import require_page
from shared.reports import downloads as files
from shared.reports.desk import ReportsBusy
from shared.reports.period import Period, PeriodError, PeriodReport


def _report(hub: Hub, period: Period, asked: view.ReportRequest) -> PeriodReport:
    return hub.reports.report(period, asked.filters, hub.queue.office_date())


@bp.get("/laporan")
@require_page(SUPERVISORS)
def period_report_page():
    """A period's report with charts and tables (the current semester by default)."""
    hub = current_hub()
    today = hub.queue.office_date()
    asked = view.read_request(request.args, today, hub.catalogue)
    report = None if asked.error else _report(hub, asked.period, asked)
    page = render_template(
        "laporan/period.html",
        asked=asked,
        report=report,
        today=today,
        picker=view.picker(today, hub.catalogue, view.officer_names(hub.accounts.users(), report)),
        charts=view.chart_specs(report) if report else [],
        heatmap=view.heatmap(report) if report else None,
        narrowed=view.filter_text(asked.filters, hub.catalogue),
        short=view.short_names(hub.catalogue),
        quick=view.quick_periods(today),
        filter_query={
            k: v for k, v in view.query_keeping(asked.values).items() if k in view.FILTER_FIELDS
        },
        **(view.figures(report) if report else {}),
        nav=view.report_nav(),
        keep=lambda **changes: view.query_keeping(asked.values, **changes),
    )
    return page, 400 if asked.error else 200


@bp.get("/laporan/unduh/<table>.<fmt>")
@require_page(SUPERVISORS)
def report_download(table: str, fmt: str):
    """One table, every table (XLSX) or the visit register of the report on the page."""
    hub = current_hub()
    today = hub.queue.office_date()
    asked = view.read_request(request.args, today, hub.catalogue)
    if asked.error:
        return _problem(asked.error, 400)
    try:
        download = hub.reports.download(
            files.DownloadRequest(
                table,
                fmt,
                asked.period,
                asked.filters,
                today,
                office=hub.settings.office.name,
                made_at=hub.queue.clock().astimezone(ZoneInfo(hub.catalogue.timezone)),
                delimiter=hub.settings.reports.csv_delimiter,
            )
        )
    except files.NoSuchDownload as missing:
        return _problem(str(missing), 404)
    return Response(
        download.body,
        mimetype=download.media_type,
        headers={"Content-Disposition": f'attachment; filename="{download.filename}"'},
    )


@bp.get("/laporan/data")
@require(SUPERVISORS)
def period_report_data():
    """The charts' series of the same report, for scripts (the page embeds them itself)."""
    hub = current_hub()
    today = hub.queue.office_date()
    asked = view.read_request(request.args, today, hub.catalogue)
    if asked.error:
        return jsonify(error=asked.error), 400
    report = _report(hub, asked.period, asked)
    return jsonify(
        period={
            "label": asked.period.label,
            "start": asked.period.start.isoformat(),
            "end": asked.period.end.isoformat(),
        },
        visits=report.visits,
        charts=view.chart_specs(report),
    )


@bp.get("/laporan/bulanan")
@require_page(SUPERVISORS)
def monthly_report_page():
    """One month on an A4 sheet with the signatures from config (reports.signatories)."""
    hub = current_hub()
    today = hub.queue.office_date()
    month, error = _month(request.args.get("bulan"), today)
    report = None
    if error is None:
        asked = view.ReportRequest(month, view.ReportFilters())
        report = _report(hub, month, asked)
    signed_on = min(month.end, today)
    page = render_template(
        "laporan/monthly.html",
        month=month,
        report=report,
        error=error,
        today=today,
        signed_on=signed_on,
        reports_config=hub.settings.reports,
        nav=view.report_nav(),
        figures=view.figures(report) if report else {},
        often_over=[s for s in report.steps if s.often_over] if report else [],
        max_calls=hub.catalogue.call_rules.max_calls,
    )
    return page, 400 if error else 200


def _month(text: str | None, today: date) -> tuple[Period, str | None]:
    """The month asked for (last month by default: the one to sign), or why not."""
    last_month = today.replace(day=1) - timedelta(days=1)
    default = Period.month(last_month.year, last_month.month)
    if not text:
        return default, None
    try:
        month = Period.parse("bulan", text)
    except PeriodError:
        example = f"{last_month:%Y-%m}"
        return default, f"Bulan '{shown(text)}' tidak dikenali; gunakan TTTT-BB, mis. {example}."
    if month.start > today:
        return month, f"{month.label} belum dimulai."
    return month, None


@bp.errorhandler(ReportsBusy)
def reports_busy(busy: ReportsBusy):
    """A report the worker could not finish in time: say so instead of a bare 500."""
    return _problem(str(busy), 503)


def _problem(message: str, status: int):
    page = render_template("laporan/problem.html", message=message, nav=view.report_nav())
    return page, status
