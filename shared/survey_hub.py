"""The survey's place in the hub: its service, the "Silakan isi survei" prompt after a
finished visit, and the published IKM line for the TV and the kiosk."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from flask import Flask, current_app

from shared.domain.events import DomainEvent, TicketFinished
from shared.domain.ikm import compute_ikm, previous_semester
from shared.domain.office_day import OfficeDay
from shared.hub import Hub
from shared.ikm_format import date_id, decimal_id, integer_id
from shared.realtime import public_room
from shared.survey_service import SurveyService, SurveyWindow

SURVEY_PROMPT = "survey_prompt"  # mirrored in kiosk/static/survey_prompt.js
_KEY = "antrian_survey"


def init_app(app: Flask) -> None:
    """Build the survey service beside the queue and hook the optional prompt."""
    hub: Hub = app.extensions["antrian"]
    config = hub.settings.survey
    service = SurveyService(hub.store, hub.catalogue, hub.queue, config.questionnaire())
    app.extensions[_KEY] = service
    app.extensions[_KEY + "_published"] = PublishedIkm(service)
    if config.enabled and config.prompt_after_finish != "off":
        hub.publisher.listeners.append(_prompt_after_finish(hub, config.prompt_after_finish))
    app.add_template_global(survey_window, "survey_window")
    app.add_template_global(published_ikm, "published_ikm")
    app.jinja_env.globals["config_survey"] = config
    app.add_template_filter(decimal_id, "decimal_id")
    app.add_template_filter(integer_id, "integer_id")
    app.add_template_filter(date_id, "date_id")


def current_survey() -> SurveyService:
    """The survey service of the app handling this request."""
    return current_app.extensions[_KEY]


def survey_window(status_token: str) -> SurveyWindow | None:
    """For the phone page's template: may this ticket's visit be rated now?"""
    if not current_app.extensions["antrian"].settings.survey.enabled:
        return None
    return current_survey().window(status_token)


def published_ikm() -> str | None:
    """The last closed semester's IKM line, when the office publishes it (config)."""
    if not current_app.extensions["antrian"].settings.survey.publish:
        return None
    return current_app.extensions[_KEY + "_published"].line()


class PublishedIkm:
    """Computed once per closed semester, and again only if a late response arrives (a visit
    of its last day may be rated on the next office day, already in the new semester)."""

    def __init__(self, service: SurveyService) -> None:
        self._service = service
        self._lock = threading.Lock()
        self._cached: tuple[tuple[date, int], str | None] | None = None

    def line(self) -> str | None:
        period = previous_semester(self._service.queue.office_date())
        key = (period.start, self._service.book().version)
        with self._lock:
            if self._cached is None or self._cached[0] != key:
                self._cached = (key, self._compute(period))
            return self._cached[1]

    def _compute(self, period: Any) -> str | None:
        responses = self._service.responses_in(period)
        result = compute_ikm([r.response.scores for r in responses], self._service.questionnaire)
        if result.ikm is None:
            return None  # nothing to publish for a semester nobody rated
        return f"IKM {period.label}: {decimal_id(result.ikm, 2)} - {result.mutu} ({result.kinerja})"


def _prompt_after_finish(hub: Hub, where: str):
    screens = ["tv", "tablet"] if where == "both" else [where]
    room = public_room(hub.catalogue.office_id)

    def listener(events: list[DomainEvent], day: OfficeDay) -> None:
        for event in events:
            if isinstance(event, TicketFinished):
                number = day.tickets[event.ticket_id].number
                # The number only: a public fact already shown when it was called.
                hub.publisher.publish(SURVEY_PROMPT, {"number": number, "on": screens}, [room])

    return listener
