"""Notices through real servers: e-mail over SMTP, the gateway webhook with retries; on both
stores, since a queued notice is a fact in the files stream and must survive a restart."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.domain.files import LeaveContact, MarkReady, NoticeState, PickUp
from shared.files_desk import contact_key
from shared.files_worker import FilesWorker, OfficeWords
from shared.notices import NoticeFailed
from shared.notices.config import NoticesConfig
from shared.notices.smtp import SmtpNotifier
from shared.notices.webhook import WebhookNotifier
from tests.contract.test_files_stream import Clock, hub, office, serve
from tests.notice_servers import Gateway, MailServer

WORDS = OfficeWords(
    name="Dinas Tenaga Kerja Kabupaten Lamongan",
    address="Jl. Kombespol M. Duryat",
    service_names={"ak1-baru": "AK1 Baru"},
    status_base_url="http://192.168.1.10:5000",
)


class Alerts:
    def __init__(self) -> None:
        self.current: str | None = None

    def raise_(self, message: str, detail: str) -> None:
        self.current = f"{message} | {detail}"

    def clear(self) -> None:
        self.current = None


def worker_for(desk, queue, notifier, config, alerts=None) -> FilesWorker:
    alerts = alerts or Alerts()
    return FilesWorker(
        desk,
        notifier,
        config,
        WORDS,
        day_on=queue.day_on,
        raise_alert=alerts.raise_,
        clear_alert=alerts.clear,
    )


def ready_file_with_contact(store, clock, channel: str, contact: str):
    queue, desk = hub(store, clock)
    file_id = serve(queue)
    store.save_contact(contact_key(file_id), contact)
    desk.execute(LeaveContact(file_id, channel))
    desk.execute(MarkReady(file_id, "siti"))
    return queue, desk, file_id


def test_an_email_reaches_a_real_smtp_server(store):
    with MailServer() as mail:
        config = NoticesConfig(
            kind="smtp",
            smtp_host="127.0.0.1",
            smtp_port=mail.port,
            smtp_starttls=False,
            sender="disnaker@lamongankab.go.id",
        )
        clock = Clock()
        queue, desk, file_id = ready_file_with_contact(
            store, clock, "email", "pencaker@example.com"
        )
        worker_for(desk, queue, SmtpNotifier(config), config).run_once()
        assert len(mail.messages) == 1
        sent = mail.messages[0]
        assert sent["X-Envelope-To"] == "pencaker@example.com"
        assert sent["From"] == "disnaker@lamongankab.go.id"
        assert sent["Subject"] == "Berkas Anda sudah jadi - Dinas Tenaga Kerja Kabupaten Lamongan"
        body = sent.get_payload(decode=True).decode()
        berkas = desk.current().files[file_id]
        assert f"{berkas.pickup_code[:3]}-{berkas.pickup_code[3:]}" in body
        assert "http://192.168.1.10:5000/t/" in body and "AK1 Baru nomor A-001" in body
        assert desk.current().queued_notices() == []
        assert [n.state for n in desk.current().notices.values()] == [NoticeState.SENT]
        # Sent once: another round sends nothing more.
        worker_for(desk, queue, SmtpNotifier(config), config).run_once()
        assert len(mail.messages) == 1


def test_an_unreachable_smtp_server_is_a_failure_saying_where():
    config = NoticesConfig(
        kind="smtp",
        smtp_host="127.0.0.1",
        smtp_port=9,
        smtp_starttls=False,
        sender="a@b.go.id",
        timeout_seconds=2,
    )
    from shared.notices import Message

    with pytest.raises(NoticeFailed, match="SMTP 127.0.0.1:9"):
        SmtpNotifier(config).send(Message("x@y.id", "s", "t", "r1"))


def test_the_gateway_gets_the_documented_request_with_the_token_from_the_environment(
    store, monkeypatch
):
    monkeypatch.setenv("TEST_GATEWAY_TOKEN", "Bearer s3cret")
    with Gateway([200]) as gateway:
        config = NoticesConfig(
            kind="webhook", webhook_url=gateway.url, webhook_token_env="TEST_GATEWAY_TOKEN"
        )
        clock = Clock()
        queue, desk, file_id = ready_file_with_contact(store, clock, "phone", "6281234567890")
        worker_for(desk, queue, WebhookNotifier(config, "disnaker-lamongan"), config).run_once()
    [request] = gateway.requests
    assert request["path"] == "/api/send"
    assert request["headers"]["Authorization"] == "Bearer s3cret"
    assert request["headers"]["Content-Type"].startswith("application/json")
    body = request["json"]
    assert set(body) == {"to", "message", "reference", "office"}
    assert body["to"] == "6281234567890" and body["office"] == "disnaker-lamongan"
    assert body["reference"] == desk.current().notices[body["reference"]].id
    assert "sudah jadi" in body["message"]


def test_a_gateway_that_is_down_keeps_the_notice_queued_with_backoff_across_a_restart(store):
    with Gateway([503]) as gateway:
        config = NoticesConfig(
            kind="webhook", webhook_url=gateway.url, retry_first_seconds=30, retry_max_seconds=100
        )
        clock = Clock()
        queue, desk, file_id = ready_file_with_contact(store, clock, "phone", "6281234567890")
        alerts = Alerts()
        worker = worker_for(desk, queue, WebhookNotifier(config, "o"), config, alerts)
        worker.run_once()
        assert len(gateway.requests) == 1
        [notice] = desk.current().queued_notices()
        assert (notice.attempts, notice.retry_at) == (1, clock.now + timedelta(seconds=30))
        assert "1 pemberitahuan berkas jadi belum terkirim" in alerts.current
        assert "answered 503" in alerts.current  # the admin's detail
        # Not before its time: backoff, not a hammering loop.
        clock.now += timedelta(seconds=29)
        worker.run_once()
        assert len(gateway.requests) == 1
        clock.now += timedelta(seconds=1)
        worker.run_once()
        assert len(gateway.requests) == 2
        assert desk.current().queued_notices()[0].retry_at == clock.now + timedelta(seconds=60)
        clock.now += timedelta(seconds=60)
        worker.run_once()
        assert desk.current().queued_notices()[0].retry_at == clock.now + timedelta(seconds=100)

        # The hub restarts (a new desk and worker on the same store); the gateway is back.
        gateway.answers = [200]
        clock.now += timedelta(seconds=100)
        restarted_queue, restarted_desk = hub(store, clock)
        assert [n.attempts for n in restarted_desk.current().queued_notices()] == [3]
        alerts_after = Alerts()
        alerts_after.current = "stale"
        worker_for(
            restarted_desk, restarted_queue, WebhookNotifier(config, "o"), config, alerts_after
        ).run_once()
        assert len(gateway.requests) == 4
        assert restarted_desk.current().queued_notices() == []
        assert alerts_after.current is None  # the supervisor's alert is cleared


def test_a_file_collected_before_its_notice_went_out_drops_the_notice(store):
    with Gateway([503]) as gateway:
        config = NoticesConfig(kind="webhook", webhook_url=gateway.url)
        clock = Clock()
        queue, desk, file_id = ready_file_with_contact(store, clock, "phone", "6281234567890")
        desk.pick_up(PickUp(file_id, "budi"))
        worker_for(desk, queue, WebhookNotifier(config, "o"), config).run_once()
    assert gateway.requests == []
    assert [n.state for n in desk.current().notices.values()] == [NoticeState.DROPPED]
    assert store.load_contact(contact_key(file_id)) is None


def test_the_worker_thread_sends_when_nudged_and_ends_with_the_hub(store):
    with MailServer() as mail:
        config = NoticesConfig(
            kind="smtp",
            smtp_host="127.0.0.1",
            smtp_port=mail.port,
            smtp_starttls=False,
            sender="disnaker@lamongankab.go.id",
        )
        clock = Clock()
        queue, desk = hub(store, clock)
        worker = worker_for(desk, queue, SmtpNotifier(config), config)
        worker.tick_seconds = 600  # only a nudge can make it send within the test
        worker.start()
        try:
            file_id = serve(queue)
            store.save_contact(contact_key(file_id), "pencaker@example.com")
            desk.execute(LeaveContact(file_id, "email"))
            desk.execute(MarkReady(file_id, "siti"))  # queues the notice and nudges
            assert mail.received.wait(30), "the worker thread sent nothing"
        finally:
            worker.stop()
        assert not worker.running


def test_config_refuses_a_kind_without_what_it_needs():
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="smtp_host is required"):
        NoticesConfig(kind="smtp", sender="a@b.id")
    with pytest.raises(ValidationError, match="webhook_url must be"):
        NoticesConfig(kind="webhook")
    with pytest.raises(ValidationError, match="never write the password"):
        NoticesConfig(kind="smtp", smtp_host="h", sender="a@b.id", smtp_user="u")
    with pytest.raises(ValidationError):
        NoticesConfig(kind="smtp", smtp_host="h", sender="a@b.id", smtp_password="x")
    assert office() is not None


class RefusingMailServer(MailServer):
    """A real SMTP server whose mailbox does not exist: it names the address as it refuses."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        return f"550 5.1.1 <{address}>: Recipient address rejected"


def test_a_refused_address_is_not_kept_in_the_stream_or_the_alert(store):
    """The server's refusal repeats the visitor's address: the failure recorded (in the files
    stream, for good) and the supervisor's alert say what failed without it."""
    with RefusingMailServer() as mail:
        config = NoticesConfig(
            kind="smtp",
            smtp_host="127.0.0.1",
            smtp_port=mail.port,
            smtp_starttls=False,
            sender="disnaker@lamongankab.go.id",
        )
        clock = Clock()
        queue, desk, file_id = ready_file_with_contact(
            store, clock, "email", "Pencaker.Ku@Example.com"
        )
        alerts = Alerts()
        worker_for(desk, queue, SmtpNotifier(config), config, alerts).run_once()
        [notice] = desk.current().notices.values()
        assert notice.attempts == 1 and "refused the recipient" in notice.last_error
        stored = str([e.data for e in store.read(desk.stream)]).lower()
        assert "pencaker" not in stored
        assert alerts.current is not None and "pencaker" not in alerts.current.lower()


def test_a_gateway_key_in_its_url_is_not_kept_in_the_stream_or_the_alert(store):
    """Many SMS gateways take their key in the query string: a failure names the gateway by
    its address without it, since the failure is stored for good and shown to staff."""
    with Gateway([500]) as gateway:
        config = NoticesConfig(kind="webhook", webhook_url=f"{gateway.url}?userkey=RAHASIA123")
        clock = Clock()
        queue, desk, _ = ready_file_with_contact(store, clock, "phone", "6281234567890")
        alerts = Alerts()
        worker_for(desk, queue, WebhookNotifier(config, "o"), config, alerts).run_once()
        assert len(gateway.requests) == 1 and "RAHASIA123" in gateway.requests[0]["path"]
        [notice] = desk.current().queued_notices()
        assert "answered 500" in notice.last_error and gateway.url in notice.last_error
        assert "RAHASIA123" not in str([e.data for e in store.read(desk.stream)])
        assert "RAHASIA123" not in alerts.current
