"""Device alerts and hub starts survive a hub restart: they live in the store, not in memory."""

from __future__ import annotations

from shared.app import close_app, create_app
from shared.store import open_store
from tests.web.conftest import bearer


def test_an_alert_raised_before_a_restart_is_still_shown_after_it(
    app, hub, client, tokens, tmp_path
):
    tv = hub.socketio.test_client(app, auth={"token": tokens.display})
    tv.disconnect()
    hub.note_start()
    # Another hub process on the same store: what a restart sees.
    store = open_store(f"sqlite:///{tmp_path / 'antrian.db'}")
    again = create_app(hub.settings, store=store, clock=hub.queue.clock, secret_key="x")
    try:
        other = again.extensions["antrian"]
        assert list(other.alerts) == ["display:tv-1"]
        assert other.alerts["display:tv-1"]["message"] == "Layar TV 'tv-1' terputus dari hub."
        assert len(other.alert_log.state().starts) == 1
    finally:
        close_app(again)
    view = client.get("/supervisor/state", headers=bearer(tokens.supervisor)).json
    assert [a["device"] for a in view["alerts"]] == ["display:tv-1"]


def test_a_cleared_alert_stays_cleared_for_every_process(app, hub, client, tokens):
    tv = hub.socketio.test_client(app, auth={"token": tokens.display})
    tv.disconnect()
    back = hub.socketio.test_client(app, auth={"token": tokens.display})
    assert hub.alerts == {}
    back.disconnect()
