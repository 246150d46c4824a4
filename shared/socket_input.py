"""Socket.IO input no handler can take still gets an acknowledgement, never silence.

A client that emits with a callback waits for the ack until its own timeout; an unknown
event name, a payload that cannot be decoded, or a handler that failed would leave it
waiting. Each is answered `{"ok": false, "error": ...}` at once instead.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import request
from flask_socketio import SocketIO
from socketio import packet
from socketio.exceptions import ConnectionRefusedError as Refused

from shared import safe_json
from shared.errors_web import MAX_REQUEST_BYTES, STORE_BUSY
from shared.store.base import StoreUnavailable

# The event an unreadable packet is turned into; a client sending it by name is answered
# just the same.
UNREADABLE_COMMAND = "!unreadable"
UNKNOWN_COMMAND = "Perintah tidak dikenal."
NAMELESS_COMMAND = "Perintah tanpa nama tidak dapat dijalankan."
SERVER_FAULT = "Terjadi kesalahan di server. Muat ulang halaman untuk melihat keadaan terbaru."

log = logging.getLogger(__name__)


class CommandPacket(packet.Packet):
    """A Socket.IO packet decoded through shared.safe_json, keeping unreadable events.

    python-socketio drops an event whose JSON does not decode, ack id and all; this keeps
    the ack id (parsed before the payload) and turns the event into UNREADABLE_COMMAND,
    and reads a connect with unreadable auth as one without.
    """

    json = safe_json

    def decode(self, encoded_packet: Any) -> int:
        try:
            attachments = super().decode(encoded_packet)
        except safe_json.UnreadableJson as exc:
            if self.packet_type == packet.CONNECT:
                # Unreadable credentials count as none: the connect handler answers at once
                # (a stranger is refused), where a dropped packet would leave the client waiting.
                self.data = None
                return 0
            if self.packet_type != packet.EVENT:
                raise
            self.data = [UNREADABLE_COMMAND, str(exc)]
            return 0
        if self.packet_type == packet.EVENT and not _names_an_event(self.data):
            self.data = [UNREADABLE_COMMAND, NAMELESS_COMMAND]
        return attachments


def _names_an_event(data: Any) -> bool:
    return isinstance(data, list) and bool(data) and isinstance(data[0], str)


# Passed to SocketIO(): the packet class, and incoming messages no larger than HTTP bodies.
SERVER_OPTIONS: dict[str, Any] = {
    "serializer": CommandPacket,
    "max_http_buffer_size": MAX_REQUEST_BYTES,
}


def register(socketio: SocketIO) -> None:
    """Answer unreadable and unknown events, and events whose handler failed."""
    socketio.on_event(UNREADABLE_COMMAND, refuse_unreadable)
    socketio.on_event("*", refuse_unknown)
    socketio.on_error_default(handler_failed)


def refuse_unreadable(reason: Any = None, *_: Any) -> dict[str, Any]:
    message = reason if isinstance(reason, str) else safe_json.NOT_JSON
    return {"ok": False, "error": message}


def refuse_unknown(event: str, *_: Any) -> dict[str, Any]:
    # The name is not repeated: it is the client's text, of any length.
    return {"ok": False, "error": UNKNOWN_COMMAND}


def handler_failed(exc: Exception) -> dict[str, Any]:
    """The ack of an event whose handler raised; a failed connect is refused at once."""
    event = request.event["message"]  # type: ignore[attr-defined]
    if event == "connect" and isinstance(exc, ConnectionRefusedError):
        # The builtin exception, as connect handlers raise it: a deliberate refusal whose
        # message Flask-SocketIO would pass on only as socketio's own exception.
        raise Refused(*exc.args)
    if isinstance(exc, StoreUnavailable):
        log.error("store unavailable during Socket.IO %s: %s", event, exc)
        message = STORE_BUSY
    else:
        log.error("Socket.IO handler of %s failed", event, exc_info=exc)
        message = SERVER_FAULT
    if event == "connect":
        # Refused now: without an answer the client would wait for its own timeout.
        raise Refused(message)
    return {"ok": False, "error": message}
