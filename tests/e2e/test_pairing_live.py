"""Pairing by link and revocation on a live hub: real Chromium, a real socket, the real CLI."""

from __future__ import annotations

import socketio
from playwright.sync_api import expect

from tests.e2e.conftest import antrian, wait_until

REVOCATION_CEILING = 30  # the hub polls every 2 s; generous for a loaded machine


def test_opening_the_pairing_link_pairs_without_a_tap(browser, live_hub):
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)

    page.goto(f"{live_hub.url}/pair#token={live_hub.display_token}")
    expect(page).to_have_url(f"{live_hub.url}/display")
    expect(page.locator("body[data-connected=true]")).to_have_count(1)
    # The token never travelled in a URL, so no access log or proxy could keep it.
    assert requested and not any(live_hub.display_token in url for url in requested)
    assert blocked == []


def test_a_removed_device_is_disconnected_and_refused(live_hub):
    client = socketio.Client(reconnection=False)
    client.connect(live_hub.url, auth={"token": live_hub.display_token}, wait_timeout=30)
    try:
        removed = antrian("device", "remove", "tv-1", config=live_hub.config)
        assert removed.returncode == 0, removed.stderr
        wait_until(lambda: not client.connected, REVOCATION_CEILING, "the socket to be dropped")
    finally:
        client.disconnect()
    assert live_hub.get("/api/queue", token=live_hub.display_token).status_code == 401
    assert live_hub.get("/api/queue", token=live_hub.kiosk_token).status_code == 200
