"""The satisfaction survey for visitors: on the phone page of a finished ticket, and on the
survey tablet at the exit (a paired `survey` device)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, render_template

from kiosk import bp
from shared.accounts import Role
from shared.api import json_object
from shared.auth import check_csrf, require
from shared.domain import errors
from shared.domain.survey import PROFILE_CHOICES, PROFILE_LABELS, SARAN_MAX_CHARS, SurveyAnswered
from shared.hub import current_hub
from shared.pages import page, require_page
from shared.survey_hub import SURVEY_PROMPT, current_survey

SURVEY_DEVICES = (Role.SURVEY, Role.ADMIN)


@bp.app_template_global("survey_questionnaire")
def questionnaire() -> dict[str, Any]:
    """What a survey form shows: the nine questions, the profile lists, the saran limit."""
    survey = current_survey()
    return {
        "elements": [
            {"code": e.code, "name": e.name, "question": e.question, "answers": list(e.answers)}
            for e in survey.questionnaire
        ],
        "profile": [
            {"key": key, "label": PROFILE_LABELS[key], "choices": list(choices)}
            for key, choices in PROFILE_CHOICES.items()
        ],
        "saran_max": SARAN_MAX_CHARS,
    }


class SurveyOff(errors.NotFound):
    def __init__(self) -> None:
        super().__init__("Survei kepuasan tidak diadakan di kantor ini.")


def _survey_on() -> None:
    if not current_hub().settings.survey.enabled:
        raise SurveyOff()


def _thanks(event: SurveyAnswered) -> Any:
    # Nothing of the response is echoed back: the page already shows what was chosen.
    return jsonify(ok=True, message="Terima kasih atas penilaian Anda."), 201


# ---- the phone page ------------------------------------------------------------------------


@bp.get("/t/<status_token>/survei")
@page
def phone_survey(status_token: str):
    """The survey of one ticket on its own page (also for yesterday's ticket)."""
    window = current_survey().window(status_token)
    if window is None:
        return render_template("kiosk/survey_gone.html"), 404
    return render_template(
        "kiosk/survey_page.html", window=window, token=status_token, form=questionnaire()
    )


@bp.get("/t/<status_token>/survei.json")
def phone_survey_state(status_token: str):
    """Whether this ticket's visit may be rated now (the phone page asks once it is done)."""
    window = current_survey().window(status_token)
    if window is None:
        return jsonify(error="Nomor antrian tidak ditemukan."), 404
    return jsonify(state=window.state)


@bp.post("/t/<status_token>/survei")
def phone_survey_answer(status_token: str):
    check_csrf()  # the visitor has no account, but the page's session still signs its form
    _survey_on()
    survey = current_survey()
    visit = survey.visit_for_token(status_token)
    return _thanks(survey.submit(json_object(), visit, "ponsel"))


# ---- the survey tablet -----------------------------------------------------------------------


@bp.get("/survei")
@require_page(SURVEY_DEVICES)
def survey_tablet():
    hub = current_hub()
    return render_template(
        "kiosk/survey_tablet.html",
        form=questionnaire(),
        idle_seconds=hub.settings.survey.tablet_idle_seconds,
        prompt_event=SURVEY_PROMPT,
        show_prompt=hub.settings.survey.prompt_after_finish in ("tablet", "both"),
    )


@bp.post("/survei/kunjungan")
@require(SURVEY_DEVICES)
def survey_tablet_visit():
    """The visit a typed or scanned ticket names: its number and service, for the screen."""
    _survey_on()
    ref = json_object().get("ref")
    visit = current_survey().visit_for_reference(ref if isinstance(ref, str) else "")
    service = current_hub().catalogue.service(visit.service)
    return jsonify(number=visit.number, service_name=service.name if service else visit.service)


@bp.post("/survei/jawaban")
@require(SURVEY_DEVICES)
def survey_tablet_answer():
    _survey_on()
    data = json_object()
    survey = current_survey()
    ref = data.get("ref")
    # Decided again here, not trusted from the first look: the visit may have been rated since.
    visit = survey.visit_for_reference(ref) if isinstance(ref, str) and ref.strip() else None
    return _thanks(survey.submit(data, visit, "tablet"))
