"""Real servers for notice tests: an SMTP server (aiosmtpd) and an HTTP gateway, on loopback."""

from __future__ import annotations

import json
import socket
import threading
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


START_CEILING = 60  # seconds


class MailServer:
    """An SMTP server that keeps every message it accepts."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[Message] = []
        self.received = threading.Event()
        self.port = _free_port()
        # aiosmtpd gives its thread 5 s to be ready: too few on a loaded machine running the
        # suite in parallel workers; this ceiling matters only when the server cannot start.
        self._controller = Controller(
            self, hostname="127.0.0.1", port=self.port, ready_timeout=START_CEILING
        )

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        self.received.set()
        return "250 OK"

    def __enter__(self) -> MailServer:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()


class Gateway:
    """An SMS/WhatsApp gateway: answers each POST with the next status of `answers`."""

    def __init__(self, answers: list[int] | None = None) -> None:
        self.answers = list(answers or [200])
        self.requests: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                gateway.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
                )
                status = gateway.answers.pop(0) if len(gateway.answers) > 1 else gateway.answers[0]
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if status < 300 else b'{"error": "busy"}')

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/api/send"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Gateway:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
