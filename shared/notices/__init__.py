"""Notices to visitors (their file is ready) behind one port: smtp, webhook or none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Message:
    """One notice as sent: never more personal data than the contact it goes to."""

    to: str
    subject: str
    text: str
    reference: str  # the notice id, so a gateway can drop a repeated delivery


class NoticeFailed(Exception):
    """The notice was not accepted; `detail` says why, for the admin."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Notifier(Protocol):
    def send(self, message: Message) -> None:
        """Deliver the message or raise NoticeFailed; bounded by the configured timeout."""
        ...


class NoNotifier:
    """kind: none. No contact is asked for, so nothing is ever queued to send."""

    def send(self, message: Message) -> None:
        raise NoticeFailed("notices.kind is none: this hub sends no notices")
