"""SMS/WhatsApp notices through the office's gateway: one JSON POST per notice.

The body is {"to", "message", "reference", "office"}; the configured header (by default
Authorization) carries the token from the environment variable the config names. Any
2xx answer is a delivery; anything else, or no answer within the timeout, is a failure
the worker tries again later.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import urlsplit, urlunsplit

from shared.notices import Message, NoticeFailed
from shared.notices.config import NoticesConfig


class WebhookNotifier:
    def __init__(self, config: NoticesConfig, office_id: str) -> None:
        self.config = config
        self.office_id = office_id

    def send(self, message: Message) -> None:
        config = self.config
        body = json.dumps(
            {
                "to": message.to,
                "message": message.text,
                "reference": message.reference,
                "office": self.office_id,
            },
            ensure_ascii=False,
        ).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        token = config.secret(config.webhook_token_env)
        if config.webhook_token_env and token is None:
            raise NoticeFailed(
                f"gateway {_shown_url(config.webhook_url)}: environment variable "
                f"{config.webhook_token_env} is not set"
            )
        if token is not None:
            headers[config.webhook_header] = token
        request = urllib.request.Request(  # noqa: S310 (an http(s) URL, checked by the config)
            config.webhook_url or "", data=body, headers=headers, method="POST"
        )
        where = _shown_url(config.webhook_url)
        try:
            with urllib.request.urlopen(request, timeout=config.timeout_seconds) as answer:  # noqa: S310
                status = answer.status
        except urllib.error.HTTPError as exc:
            raise NoticeFailed(f"gateway {where} answered {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise NoticeFailed(f"gateway {where} unreachable: {reason}") from exc
        if not 200 <= status < 300:
            raise NoticeFailed(f"gateway {where} answered {status}")


def _shown_url(url: str | None) -> str:
    """The gateway's address as a failure names it: without a key in its query or a login
    in it, since a failure is stored for good and shown to staff."""
    parts = urlsplit(url or "")
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))
