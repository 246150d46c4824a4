"""Socket.IO input no handler can take is acknowledged with a reason, never left unanswered."""

from __future__ import annotations

import json

import pytest
import websocket

from shared.socket_input import NAMELESS_COMMAND, UNKNOWN_COMMAND
from tests.web.conftest import refusal


@pytest.fixture
def kiosk_socket(app, hub, tokens):
    client = hub.socketio.test_client(app, auth={"token": tokens.kiosk})
    assert client.is_connected()
    yield client
    client.disconnect()


def send_raw(client, packet: str):
    """Send a Socket.IO packet as text, as a client with a broken encoder would; its ack."""
    # The test client has no raw send: hand the packet to the server as its transport does.
    client.socketio.server._handle_eio_message(client.eio_sid, packet)
    ack, client.acks = client.acks, None
    return ack["args"][0] if ack else None


def test_an_unknown_event_is_acknowledged_without_echoing_its_name(kiosk_socket):
    ack = kiosk_socket.emit("x" * 10_000, {"service": "ak1-baru"}, callback=True)
    assert ack == {"ok": False, "error": UNKNOWN_COMMAND}


@pytest.mark.parametrize(
    ("packet", "error"),
    [
        ('27["issue_ticket",' + "[" * 5000 + "]" * 5000 + "]", "terlalu bertingkat"),
        ('27["issue_ticket",{"service":"\\ud800"}]', "surrogate"),
        ('27["\\udfff",{}]', "surrogate"),
        ('27["issue_ticket",{"service":', "bukan JSON"),
        ("27[]", NAMELESS_COMMAND),
        ('27[42,{"service":"ak1-baru"}]', NAMELESS_COMMAND),
    ],
)
def test_an_undecodable_payload_is_acknowledged_with_the_reason(kiosk_socket, hub, packet, error):
    ack = send_raw(kiosk_socket, packet)
    assert ack is not None, "no acknowledgement: the client would wait for its own timeout"
    assert ack["ok"] is False
    assert error in ack["error"]
    assert hub.queue.today().version == 0
    # The connection stays usable.
    issued = kiosk_socket.emit("issue_ticket", {"service": "ak1-baru"}, callback=True)
    assert issued["ok"] is True


def test_socket_commands_have_the_same_field_limits(app, hub, tokens, kiosk_socket):
    long_request = kiosk_socket.emit(
        "issue_ticket", {"service": "ak1-baru", "request_id": "r" * 65}, callback=True
    )
    assert long_request == {
        "ok": False,
        "error": "Kolom 'request_id' terlalu panjang (maksimal 64 karakter).",
    }
    officer = hub.socketio.test_client(app, auth={"token": tokens.officer})
    kiosk_socket.emit("issue_ticket", {"service": "ak1-baru"}, callback=True)
    officer.emit("call_next", {"counter": "1"}, callback=True)
    before = hub.queue.today().version
    huge = officer.emit(
        "cancel", {"counter": "1", "ticket": "A-001", "reason": "x" * 60_000}, callback=True
    )
    assert huge == {"ok": False, "error": "Kolom 'reason' terlalu panjang (maksimal 200 karakter)."}
    long_counter = officer.emit("call_next", {"counter": "1" * 65}, callback=True)
    assert long_counter["error"] == "Kolom 'counter' terlalu panjang (maksimal 64 karakter)."
    assert hub.queue.today().version == before
    officer.disconnect()


def next_starting(ws, prefix: str) -> str:
    """The next WebSocket message starting with prefix, skipping facts; '' once closed."""
    while True:
        try:
            message = ws.recv()
        except websocket.WebSocketConnectionClosedException:
            return ""
        if not message or message.startswith(prefix):
            return message


def test_incoming_socket_messages_over_64_kib_close_the_connection(app, tokens, serve):
    url = serve(app).replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    ws = websocket.create_connection(url, timeout=60)  # a generous ceiling, not a wait
    try:
        assert ws.recv().startswith("0")  # Engine.IO's open packet
        ws.send("40" + json.dumps({"token": tokens.kiosk}))
        assert next_starting(ws, "40").startswith("40{")  # connected
        ws.send('421["hello",{"pad":"' + "x" * 100 + '"}]')
        assert next_starting(ws, "431").startswith("431")  # a small message is answered
        ws.send('422["hello",{"pad":"' + "x" * (64 * 1024) + '"}]')
        # Engine.IO closes the connection instead of decoding the message.
        assert next_starting(ws, "432") == ""
    finally:
        ws.shutdown()  # close() skips the socket once the server has closed the connection


def test_a_refused_connect_carries_the_hubs_reason(app, serve):
    url = serve(app)
    assert refusal(url, {"token": "forged"}) == {
        "message": "Silakan masuk atau pasangkan perangkat terlebih dahulu."
    }
    assert refusal(url, {"ticket": "guess"}) == {"message": "Nomor antrian tidak ditemukan."}
    # Unreadable credentials (a lone surrogate) are none: refused at once, not ignored.
    assert refusal(url, {"token": "\ud800"}) == {
        "message": "Silakan masuk atau pasangkan perangkat terlebih dahulu."
    }
