"""The notices section of config.yaml: how a visitor hears that their file is ready.

Secrets (the SMTP password, the gateway token) are never written in config.yaml: the
config names the environment variable that holds them.
"""

from __future__ import annotations

import os
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ENV_NAME = r"^[A-Z_][A-Z0-9_]*$"


class NoticesConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["none", "smtp", "webhook"] = "none"
    # smtp: the office's mail server (or its provider's relay).
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_starttls: bool = True
    smtp_user: str | None = None
    smtp_password_env: str | None = Field(default=None, pattern=ENV_NAME)
    sender: str | None = None
    # webhook: the SMS/WhatsApp gateway the office contracts; a JSON POST per notice.
    webhook_url: str | None = None
    webhook_header: str = Field(default="Authorization", pattern=r"^[A-Za-z0-9-]+$")
    webhook_token_env: str | None = Field(default=None, pattern=ENV_NAME)
    timeout_seconds: float = Field(default=10, gt=0, le=60)
    # A failed notice is tried again after retry_first_seconds, then twice as long each
    # time, at most retry_max_seconds apart, until it is sent or the file is collected.
    retry_first_seconds: float = Field(default=30, gt=0)
    retry_max_seconds: float = Field(default=1800, gt=0)

    @model_validator(mode="after")
    def _kind_needs(self) -> NoticesConfig:
        problems = []
        if self.kind == "smtp":
            if not self.smtp_host:
                problems.append(
                    "notices.smtp_host is required for kind smtp, e.g. mail.example.go.id"
                )
            if not self.sender or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", self.sender):
                problems.append(
                    "notices.sender must be the From address for kind smtp, "
                    "e.g. disnaker@lamongankab.go.id"
                )
            if self.smtp_user and not self.smtp_password_env:
                problems.append(
                    "notices.smtp_password_env must name the environment variable holding "
                    "the password of smtp_user (e.g. ANTRIAN_SMTP_PASSWORD); "
                    "never write the password in config.yaml"
                )
        if self.kind == "webhook" and (
            not self.webhook_url or not re.match(r"^https?://[^/\s]+", self.webhook_url)
        ):
            problems.append(
                "notices.webhook_url must be the gateway's address for kind webhook, "
                "e.g. https://sms-gateway.example.id/api/send"
            )
        if self.retry_max_seconds < self.retry_first_seconds:
            problems.append("notices.retry_max_seconds must be >= retry_first_seconds")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @property
    def contact_channel(self) -> str | None:
        """What the visitor may leave: an e-mail address (smtp), a phone number (webhook)."""
        return {"smtp": "email", "webhook": "phone"}.get(self.kind)

    def secret(self, env_name: str | None) -> str | None:
        """The secret held by the named environment variable, read when it is needed."""
        return os.environ.get(env_name) if env_name else None
