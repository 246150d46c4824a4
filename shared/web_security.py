"""Browser-side protections on every answer: CSP, no framing, no sniffing, no referrer."""

from __future__ import annotations

from flask import Flask, Response, request

# Scripts and styles come only from the hub's own files, never inline, so an injected
# string cannot run. data: images for the ticket's QR code; blob: audio for the voice call.
_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self' blob:; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    """Send the security headers on every answer; Secure cookies when served over HTTPS."""
    settings = app.extensions["antrian"].settings
    app.config["SESSION_COOKIE_SECURE"] = settings.server.secure_cookies
    app.after_request(_add_headers)


def content_security_policy(host: str) -> str:
    """The policy for a page served from `host`; Socket.IO may reach back to that host only."""
    return f"{_POLICY}; connect-src 'self' ws://{host} wss://{host}"


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(request.host))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # Status pages carry the ticket's token in their path: never pass it on in a Referer.
    headers.setdefault("Referrer-Policy", "no-referrer")
    return response
