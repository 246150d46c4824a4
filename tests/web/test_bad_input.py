"""Bad input over HTTP: a clear 400 or 413 in Indonesian, nothing stored, nothing echoed."""

from __future__ import annotations

import json

import pytest

from shared.errors_web import MAX_REQUEST_BYTES
from tests.web.conftest import bearer

LONE_SURROGATE = '"\\ud800"'  # JSON text: an escape Python decodes to an unencodable str


def post_raw(client, path: str, text: str, token: str):
    headers = {**bearer(token), "Content-Type": "application/json"}
    return client.post(path, data=text.encode(), headers=headers)


def stored_events(hub) -> int:
    return hub.queue.today().version


def test_a_body_over_the_limit_is_413_and_stores_nothing(api, client, hub, tokens):
    api.issue()
    api.counter("1", "call-next")
    before = stored_events(hub)
    huge_reason = json.dumps({"ticket": "A-001", "reason": "x" * (10 * 1024 * 1024)})
    response = post_raw(client, "/api/counters/1/cancel", huge_reason, tokens.officer)
    assert response.status_code == 413
    assert response.json == {"error": "Permintaan terlalu besar (maksimal 64 KiB)."}
    assert stored_events(hub) == before
    kiosk = post_raw(client, "/kiosk/tickets", "x" * (MAX_REQUEST_BYTES + 1), tokens.kiosk)
    assert (kiosk.status_code, kiosk.json["error"]) == (413, response.json["error"])


@pytest.mark.parametrize(
    ("action", "body", "field", "limit"),
    [
        ("cancel", {"ticket": "A-001", "reason": "x" * 201}, "reason", 200),
        ("return", {"reason": "x" * 201}, "reason", 200),
        ("pause", {"reason": "x" * 201}, "reason", 200),
        ("cancel", {"ticket": "A" * 65}, "ticket", 64),
        ("call-next", {"ticket": "A" * 65}, "ticket", 64),
        ("transfer", {"service": "s" * 65}, "service", 64),
        ("transfer", {"counter": "9" * 65}, "counter", 64),
    ],
)
def test_free_text_fields_have_a_length_limit(api, hub, action, body, field, limit):
    api.issue()
    api.counter("1", "call-next")
    api.counter("1", "start")
    before = stored_events(hub)
    response = api.counter("1", action, body)
    assert (response.status_code, response.json["error"]) == (
        400,
        f"Kolom '{field}' terlalu panjang (maksimal {limit} karakter).",
    )
    assert stored_events(hub) == before


def test_a_long_request_id_or_service_is_refused_not_stored_or_echoed(api, client, hub, tokens):
    long_request = api.issue(request_id="r" * 65)
    assert (long_request.status_code, long_request.json["error"]) == (
        400,
        "Kolom 'request_id' terlalu panjang (maksimal 64 karakter).",
    )
    long_service = client.post(
        "/kiosk/tickets", json={"service": "s" * 60_000}, headers=bearer(tokens.kiosk)
    )
    assert long_service.status_code == 400
    assert len(long_service.data) < 200
    assert stored_events(hub) == 0
    # Names in the URL are not limited by a field; the refusal still repeats only a little.
    unknown = api.counter("c" * 5000, "call-next")
    assert unknown.status_code == 404
    assert unknown.json["error"] == f"Loket '{'c' * 40}…' tidak dikenal."


@pytest.mark.parametrize(
    ("path", "token"),
    [
        ("/api/tickets", "kiosk"),
        ("/kiosk/tickets", "kiosk"),
        ("/api/counters/1/cancel", "officer"),
        ("/api/login", "kiosk"),
    ],
)
def test_deeply_nested_json_is_400_or_413_never_500(client, tokens, path, token):
    # Within the size limit: deep enough to exhaust Python's recursion limit when decoding.
    within = post_raw(client, path, "[" * 30_000 + "]" * 30_000, getattr(tokens, token))
    assert within.status_code == 400
    assert within.json == {"error": "Isi permintaan terlalu bertingkat (maksimal 32 tingkat)."}
    beyond = post_raw(client, path, "[" * 100_000 + "]" * 100_000, getattr(tokens, token))
    assert beyond.status_code == 413


@pytest.mark.parametrize(
    ("path", "text", "token"),
    [
        ("/api/tickets", f'{{"service": {LONE_SURROGATE}}}', "kiosk"),
        ("/api/tickets", f'{{"service": "ak1-baru", "request_id": {LONE_SURROGATE}}}', "kiosk"),
        ("/kiosk/tickets", f'{{"service": {LONE_SURROGATE}}}', "kiosk"),
        ("/api/counters/1/cancel", f'{{"ticket": "A-001", "reason": {LONE_SURROGATE}}}', "officer"),
        ("/api/login", f'{{"username": {LONE_SURROGATE}, "password": "x"}}', "kiosk"),
        ("/api/tickets", f'{{{LONE_SURROGATE}: 1, "service": "ak1-baru"}}', "kiosk"),
    ],
)
def test_lone_surrogates_are_400_and_never_stored(api, client, hub, tokens, path, text, token):
    api.issue()
    before = stored_events(hub)
    response = post_raw(client, path, text, getattr(tokens, token))
    assert response.status_code == 400
    assert "surrogate" in response.json["error"]
    assert stored_events(hub) == before


def test_a_body_that_is_not_json_says_so_in_indonesian(client, tokens):
    response = post_raw(client, "/kiosk/tickets", '{"service": "ak1-baru"', tokens.kiosk)
    assert response.json == {"error": "Isi permintaan bukan JSON yang sah."}
    untyped = client.post(
        "/api/tickets", data=b'{"service": "ak1-baru"}', headers=bearer(tokens.kiosk)
    )
    assert untyped.status_code == 400
    assert "Content-Type: application/json" in untyped.json["error"]


def test_a_report_date_that_is_not_a_date_is_not_echoed_at_length(client, tokens):
    page = client.get(f"/supervisor/report?date={'9' * 5000}", headers=bearer(tokens.supervisor))
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert f"Tanggal &#39;{'9' * 40}…&#39; tidak dikenali" in text  # HTML-escaped quotes
    assert "9" * 41 not in text
