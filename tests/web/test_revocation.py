"""Revocation: removed devices, disabled users, signed-out sessions and new passwords."""

from __future__ import annotations

import base64
import json
import zlib

import pytest

from shared.accounts import AccountError, Accounts
from shared.store import open_store
from tests.web.conftest import PASSWORD, bearer

NEW_PASSWORD = "kopi-tubruk-pagi"


@pytest.fixture
def other_process(tmp_path):
    """The accounts as the `antrian` command sees them: another connection to the same file."""
    store = open_store(f"sqlite:///{tmp_path / 'antrian.db'}")
    yield Accounts(store)
    store.close()


def _csrf_from(html: str) -> str:
    marker = 'name="csrf-token" content="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def sign_in(client, user: str = "budi", password: str = PASSWORD):
    csrf = _csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": user, "password": password, "csrf_token": csrf}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def pair_browser(client, token: str):
    csrf = _csrf_from(client.get("/pair").get_data(as_text=True))
    response = client.post("/pair", data={"token": token, "csrf_token": csrf})
    assert response.status_code == 302
    return response


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def cookie_payload(cookie: str) -> str:
    """What anyone holding the cookie can read: Flask signs it, it does not encrypt it."""
    compressed = cookie.startswith(".")
    data = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode()


def with_cookie(app, cookie: str):
    """A second browser holding a copy of the cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


# --- devices ---------------------------------------------------------------------------


def test_removed_device_token_and_cookie_stop_at_once(app, client, hub, tokens, other_process):
    pair_browser(client, tokens.kiosk)
    assert client.get("/kiosk/availability").status_code == 200
    other_process.remove_device("kiosk-1")  # `antrian device remove kiosk-1`
    assert client.get("/kiosk/availability").status_code == 401
    assert client.get("/api/queue", headers=bearer(tokens.kiosk)).status_code == 401
    assert client.get("/kiosk").headers["Location"].startswith("/pair")


def test_removed_device_socket_is_dropped_in_this_process(connect, hub, tokens):
    display = connect({"token": tokens.display})
    other = connect({"token": tokens.kiosk})
    assert display.is_connected()
    hub.accounts.remove_device("tv-1")
    assert not display.is_connected()
    assert other.is_connected()


def test_removed_device_socket_is_dropped_when_the_hub_catches_up(
    connect, hub, tokens, other_process
):
    display = connect({"token": tokens.display})
    kiosk = connect({"token": tokens.kiosk})
    other_process.remove_device("tv-1")
    other_process.remove_device("kiosk-1")
    # What the hub's poll does every REVOCATION_POLL_SECONDS (and any request does too).
    hub.accounts.refresh()
    assert not display.is_connected()
    assert not kiosk.is_connected()
    assert "kiosk:kiosk-1" not in hub.alerts  # removed on purpose: no "terputus" alert


def test_socket_command_of_a_removed_device_is_refused(connect, hub, tokens, other_process):
    kiosk = connect({"token": tokens.kiosk})
    # Removed behind the hub's back; the hub has not polled yet, the command itself checks.
    other_process.remove_device("kiosk-1")
    ack = kiosk.emit("issue_ticket", {"service": "ak1-baru"}, callback=True)
    assert ack["ok"] is False
    assert not kiosk.is_connected()


def test_repairing_a_device_replaces_its_token(client, hub, tokens):
    new_token = hub.accounts.add_device("kiosk-1", "kiosk")
    assert client.get("/api/queue", headers=bearer(tokens.kiosk)).status_code == 401
    assert client.get("/api/queue", headers=bearer(new_token)).status_code == 200


def test_removing_an_unknown_device_says_so(hub):
    with pytest.raises(AccountError, match="no device named 'nope'"):
        hub.accounts.remove_device("nope")


def test_device_cookie_does_not_carry_the_token(client, tokens):
    pair_browser(client, tokens.kiosk)
    readable = cookie_payload(session_cookie(client))
    assert tokens.kiosk not in readable
    assert "device_key" in json.loads(readable)


def test_a_browser_paired_with_an_old_cookie_is_moved_to_the_digest(app, client, tokens):
    with client.session_transaction() as session:
        session["device_token"] = tokens.kiosk  # as cookies were before this change
    assert client.get("/kiosk/availability").status_code == 200
    assert tokens.kiosk not in cookie_payload(session_cookie(client))


# --- users -----------------------------------------------------------------------------


def test_logout_ends_the_session_on_the_server(app, client, tokens):
    sign_in(client)
    copied = session_cookie(client)
    assert with_cookie(app, copied).get("/counter/state?counter=1").status_code == 200
    csrf = _csrf_from(client.get("/counter").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": csrf}).status_code == 302
    assert with_cookie(app, copied).get("/counter/state?counter=1").status_code == 401


def test_logout_in_one_browser_keeps_the_other_signed_in(app, client, tokens):
    sign_in(client)
    second = app.test_client()
    sign_in(second)
    csrf = _csrf_from(client.get("/counter").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": csrf})
    assert second.get("/counter/state?counter=1").status_code == 200


def test_new_password_ends_sessions_and_tokens(app, client, hub, tokens, other_process):
    sign_in(client)
    other_process.add_user("budi", "officer", NEW_PASSWORD)  # `antrian user add budi`
    assert client.get("/counter/state?counter=1").status_code == 401
    assert client.get("/api/queue", headers=bearer(tokens.officer)).status_code == 401
    assert client.get("/api/queue", headers=bearer(tokens.supervisor)).status_code == 200
    login = client.post("/api/login", json={"username": "budi", "password": NEW_PASSWORD})
    assert client.get("/api/queue", headers=bearer(login.json["token"])).status_code == 200


def test_disabled_user_cannot_sign_in_and_enabled_does_not_revive_old_tokens(
    client, hub, tokens, other_process
):
    assert other_process.set_user_enabled("budi", False) is True
    assert client.get("/api/queue", headers=bearer(tokens.officer)).status_code == 401
    refused = client.post("/api/login", json={"username": "budi", "password": PASSWORD})
    assert refused.status_code == 401
    assert other_process.set_user_enabled("budi", False) is False  # already disabled
    other_process.set_user_enabled("budi", True)
    assert client.get("/api/queue", headers=bearer(tokens.officer)).status_code == 401
    login = client.post("/api/login", json={"username": "budi", "password": PASSWORD})
    assert login.status_code == 200


def test_signed_out_officer_socket_is_dropped(app, client, connect, hub, tokens):
    sign_in(client)
    panel = connect({"counter": "1"}, flask_client=client)
    assert panel.is_connected()
    csrf = _csrf_from(client.get("/counter").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": csrf})
    assert not panel.is_connected()


def test_disabled_user_socket_is_dropped(connect, hub, tokens):
    officer = connect({"token": tokens.officer, "counter": "1"})
    hub.accounts.set_user_enabled("budi", False)
    assert not officer.is_connected()


@pytest.mark.parametrize("name", ["budi\n", "budi\r", "bu di", "budi\x00", "kiosk-1\n"])
def test_names_with_control_characters_are_refused(hub, name):
    with pytest.raises(AccountError, match="invalid"):
        hub.accounts.add_user(name, "officer", PASSWORD)
    with pytest.raises(AccountError, match="invalid"):
        hub.accounts.add_device(name, "kiosk")


def test_trivial_password_is_refused_when_saving(hub):
    with pytest.raises(AccountError, match="common"):
        hub.accounts.add_user("budi", "officer", "password")
