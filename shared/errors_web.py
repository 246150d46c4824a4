"""Bad input and an unavailable store, answered plainly: a 4xx or 503, never a 500 or an echo.

JSON routes get `{"error": ...}`; pages (views marked by shared.pages.page) get a styled
page in Bahasa Indonesia. Messages never repeat what the client sent: a lone surrogate
echoed back cannot even be encoded, and a 10 MB value should not come back 10 MB long.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Request, current_app, jsonify, render_template, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest as HttpBadRequest
from werkzeug.exceptions import RequestEntityTooLarge

from shared import safe_json
from shared.command_parsing import BadRequest
from shared.pages import renders_page
from shared.store.base import StoreUnavailable

# The largest request a kiosk or panel sends is well under 1 KiB.
MAX_REQUEST_BYTES = 64 * 1024
STORE_BUSY = (
    "Sistem antrian sedang sibuk dan tidak dapat menyimpan data. "
    "Silakan coba lagi atau hubungi petugas."
)
TOO_LARGE = f"Permintaan terlalu besar (maksimal {MAX_REQUEST_BYTES // 1024} KiB)."
MALFORMED = "Permintaan tidak dapat dibaca."

log = logging.getLogger(__name__)


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON, decoding request bodies through shared.safe_json."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return safe_json.loads(s, **kwargs)


class SafeRequest(Request):
    """A request whose undecodable JSON body is a BadRequest saying why, in Indonesian."""

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if isinstance(e, safe_json.UnreadableJson):
            raise BadRequest(str(e))
        if e is None:
            raise BadRequest("Kirim isi permintaan sebagai JSON (Content-Type: application/json).")
        raise BadRequest(safe_json.NOT_JSON)


def init_app(app: Flask) -> None:
    """Limit request sizes, decode JSON safely and register the error answers."""
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    provider = SafeJSONProvider(app)
    provider.ensure_ascii = app.json.ensure_ascii  # type: ignore[attr-defined]
    provider.sort_keys = app.json.sort_keys  # type: ignore[attr-defined]
    app.json = provider
    app.request_class = SafeRequest
    app.register_error_handler(StoreUnavailable, store_unavailable)
    app.register_error_handler(BadRequest, malformed_command)
    app.register_error_handler(RequestEntityTooLarge, too_large)
    app.register_error_handler(HttpBadRequest, malformed_request)


def store_unavailable(exc: StoreUnavailable) -> Any:
    # The detail (which store, why) is for the administrator's log, never for the screen.
    log.error("store unavailable during %s %s: %s", request.method, request.path, exc)
    return _answer(503, "Sistem sedang sibuk", STORE_BUSY)


def malformed_command(exc: BadRequest) -> Any:
    return _answer(400, "Permintaan tidak sah", str(exc))


def too_large(exc: RequestEntityTooLarge) -> Any:
    return _answer(413, "Permintaan terlalu besar", TOO_LARGE)


def malformed_request(exc: HttpBadRequest) -> Any:
    if exc.response is not None:  # abort(response) from the auth checks: already answered
        return exc.response
    return _answer(400, "Permintaan tidak sah", MALFORMED)


def _answer(status: int, title: str, message: str) -> Any:
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and renders_page(view):
        page = render_template("unavailable.html", title=title, message=message, status=status)
        return page, status
    return jsonify(error=message), status
