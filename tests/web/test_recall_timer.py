"""The automatic recall seen from a display: ke-2, ke-3, then skipped and the next called."""

from __future__ import annotations

import pytest

from shared.recall_timer import RecallTimer
from tests.web.conftest import PASSWORD, bearer


@pytest.fixture
def auto_app(settings, app_with):
    return app_with(call_rules=settings.call_rules.model_copy(update={"auto_recall_seconds": 30}))


def test_unanswered_call_is_repeated_then_skipped_and_next_called(auto_app, clock):
    hub = auto_app.extensions["antrian"]
    hub.accounts.add_user("budi", "officer", PASSWORD)
    kiosk = hub.accounts.add_device("kiosk-1", "kiosk")
    display = hub.socketio.test_client(
        auto_app, auth={"token": hub.accounts.add_device("tv", "display")}
    )
    client = auto_app.test_client()
    for _ in range(2):
        client.post("/api/tickets", json={"service": "ak1-baru"}, headers=bearer(kiosk))
    officer = client.post("/api/login", json={"username": "budi", "password": PASSWORD}).json
    client.post("/api/counters/1/call-next", headers=bearer(officer["token"]), json={})
    timer = RecallTimer(hub.queue)
    display.get_received()

    clock.advance(29)
    assert timer.tick() == 0  # not yet due
    clock.advance(1)
    assert timer.tick() == 1
    recalled = [m["args"][0] for m in display.get_received() if m["name"] == "ticket_recalled"]
    assert recalled[0]["ticket"]["call_count"] == 2
    assert recalled[0]["event"]["automatic"] is True

    clock.advance(30)
    timer.tick()
    clock.advance(30)
    timer.tick()
    received = display.get_received()
    skipped = [m["args"][0] for m in received if m["name"] == "ticket_skipped"]
    called = [m["args"][0] for m in received if m["name"] == "ticket_called"]
    assert skipped[0]["ticket"]["number"] == "A-001"
    assert skipped[0]["event"]["call_count"] == 3
    assert called[0]["ticket"]["number"] == "A-002"
    display.disconnect()
