"""The display page, its call audio (chime and voice) and its service-standard data."""

from __future__ import annotations

from flask import Response, current_app, jsonify, render_template, request, send_file

from display.blueprint import bp
from display.board import running_text
from display.chime import chime_wav
from display.voice import VoiceUnavailable
from shared.accounts import STAFF, Role
from shared.auth import require
from shared.hub import current_hub
from shared.pages import require_page
from shared.presenters import service_json

DISPLAY_ROLES = (Role.DISPLAY, Role.ADMIN)
LISTENERS = (Role.DISPLAY, *STAFF)


@bp.get("/display")
@require_page(DISPLAY_ROLES)
def index():
    hub = current_hub()
    return render_template(
        "display/index.html",
        services=[service_json(s, hub.catalogue) for s in hub.catalogue.services],
        counters=[{"id": c.id, "name": c.name} for c in hub.catalogue.counters],
        timezone=hub.catalogue.timezone,
        voice=hub.settings.voice,
        running_text=running_text(hub.settings),
    )


@bp.get("/display/chime.wav")
def chime():
    return Response(chime_wav(), mimetype="audio/wav", headers={"Cache-Control": "max-age=86400"})


@bp.get("/display/voice.wav")
@require(LISTENERS)
def voice():
    """The spoken call for ?number=A-012&counter=2; 503 with the phrase when TTS is down."""
    announcer = current_app.extensions["antrian_announcer"]
    phrase = announcer.phrase(request.args.get("number", ""), request.args.get("counter", ""))
    if phrase is None:
        return jsonify(error="Nomor atau loket tidak dikenal."), 404
    if not current_hub().settings.voice.enabled:
        return jsonify(error="Suara server dimatikan (voice.enabled: false).", phrase=phrase), 503
    try:
        path = announcer.wav(phrase)
    except VoiceUnavailable as exc:
        # The display then speaks the phrase with the browser's own voice (lang id-ID).
        return jsonify(error=str(exc), phrase=phrase), 503
    return send_file(path, mimetype="audio/wav", max_age=86400)
