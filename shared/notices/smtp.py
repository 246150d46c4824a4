"""E-mail notices over SMTP (smtplib), with STARTTLS and a login when configured."""

from __future__ import annotations

import re
import smtplib
import ssl
from email.message import EmailMessage

from shared.notices import Message, NoticeFailed
from shared.notices.config import NoticesConfig


class SmtpNotifier:
    def __init__(self, config: NoticesConfig) -> None:
        self.config = config

    def send(self, message: Message) -> None:
        config = self.config
        mail = EmailMessage()
        mail["From"] = config.sender or ""
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail["Message-ID"] = f"<{message.reference}@antrian>"
        mail.set_content(message.text)
        where = f"SMTP {config.smtp_host}:{config.smtp_port}"
        try:
            with smtplib.SMTP(
                config.smtp_host or "", config.smtp_port, timeout=config.timeout_seconds
            ) as server:
                if config.smtp_starttls:
                    server.starttls(context=ssl.create_default_context())
                if config.smtp_user:
                    password = config.secret(config.smtp_password_env)
                    if password is None:
                        raise NoticeFailed(
                            f"{where}: environment variable {config.smtp_password_env} is not set"
                        )
                    server.login(config.smtp_user, password)
                server.send_message(mail)
        except NoticeFailed:
            raise
        except smtplib.SMTPRecipientsRefused as exc:
            # The server's words without the address it repeats (redacted before the cut, so
            # no half address survives it).
            refused = exc.recipients.values()
            replies = "; ".join(f"{code} {text.decode(errors='replace')}" for code, text in refused)
            address = re.compile(re.escape(message.to), re.IGNORECASE)
            shown = _first(RuntimeError(address.sub("<kontak>", replies)))
            raise NoticeFailed(f"{where} refused the recipient: {shown}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise NoticeFailed(f"{where}: {_first(exc)}") from exc


def _first(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
