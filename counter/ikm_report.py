"""The IKM report page (supervisor, admin): per period, overall and per service, with its
bar chart, a printable A4 page with a signature block, and the XLSX tabulation."""

from __future__ import annotations

from flask import Response, render_template, request

from counter import bp
from shared.accounts import SUPERVISORS
from shared.hub import current_hub
from shared.ikm_format import date_id
from shared.ikm_report import build_report, chart_bars, chart_lines, period_from
from shared.ikm_xlsx import report_xlsx
from shared.pages import require_page
from shared.survey_hub import current_survey


@bp.get("/laporan/ikm")
@require_page(SUPERVISORS)
def ikm_report():
    hub = current_hub()
    today = hub.queue.office_date()
    period = period_from(request.args, today)
    if isinstance(period, str):
        return render_template("counter/ikm_report.html", error=period, report=None), 400
    survey = current_survey()
    return render_template(
        "counter/ikm_report.html",
        error=None,
        report=build_report(survey, hub.catalogue, period),
        elements=survey.questionnaire,
        printed_on=date_id(today),
        chart_bars=chart_bars,
        chart_lines=chart_lines,
        args=request.args,
    )


@bp.get("/laporan/ikm.xlsx")
@require_page(SUPERVISORS)
def ikm_report_xlsx():
    hub = current_hub()
    period = period_from(request.args, hub.queue.office_date())
    if isinstance(period, str):
        return render_template("counter/ikm_report.html", error=period, report=None), 400
    survey = current_survey()
    report = build_report(survey, hub.catalogue, period)
    body = report_xlsx(report, hub.settings.office.name, survey.questionnaire)
    name = f"ikm-{period.start.isoformat()}-{period.end.isoformat()}.xlsx"
    return Response(
        body,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
