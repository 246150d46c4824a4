"""Files finished on a later day: the staff page /berkas, and the hub's files wiring."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, has_request_context, request

from shared.domain.files import Berkas, FileEvent, FileOpened, FileRegistry
from shared.files_desk import FileDesk
from shared.files_worker import NOTICES_DEVICE, FilesWorker, OfficeWords
from shared.notices import NoNotifier, Notifier

bp = Blueprint(
    "berkas",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/berkas/static",
)

DESK = "antrian_files"
WORKER = "antrian_files_worker"


def init_app(app: Flask, *, tick_seconds: float | None = None) -> None:
    """Give the hub its files desk and, when the office uses files, its worker thread."""
    hub = app.extensions["antrian"]
    settings = hub.settings
    desk = FileDesk(hub.store, hub.catalogue, clock=hub.queue.clock)
    app.extensions[DESK] = desk
    # Derived right after each day append (see shared/files_desk.py for why nothing is lost).
    hub.publisher.listeners.append(desk.after_queue)
    if not desk.enabled:
        return
    worker = FilesWorker(
        desk,
        _notifier(settings, hub.catalogue.office_id),
        settings.notices,
        OfficeWords(
            name=settings.office.name,
            address=settings.office.address,
            service_names={s.code: s.name for s in settings.services},
            status_base_url=settings.server.public_url,
        ),
        day_on=hub.queue.day_on,
        print_slip=_slip_printer(app) if settings.printer.type != "none" else None,
        raise_alert=lambda message, detail: hub.raise_alert(
            NOTICES_DEVICE, message, detail, hub.queue.clock()
        ),
        clear_alert=lambda: hub.clear_alert(NOTICES_DEVICE),
        **({"tick_seconds": tick_seconds} if tick_seconds else {}),
    )
    app.extensions[WORKER] = worker

    def slip_when_opened(events: list[FileEvent], registry: FileRegistry) -> None:
        for event in events:
            if isinstance(event, FileOpened):
                worker.queue_slip(event.file_id, status_url(app, event.status_token))

    desk.listeners.append(slip_when_opened)
    worker.start()


def close_app(app: Flask) -> None:
    worker = app.extensions.get(WORKER)
    if worker is not None:
        worker.stop()


def current_desk() -> FileDesk:
    return current_app.extensions[DESK]


def current_worker() -> FilesWorker | None:
    return current_app.extensions.get(WORKER)


def status_url(app: Flask, status_token: str) -> str:
    """The phone page of a file; from a request when there is one, else the public URL."""
    settings = app.extensions["antrian"].settings
    base = settings.server.public_url
    if base is None and has_request_context():
        base = request.host_url
    if base is None:
        base = f"http://{settings.server.host}:{settings.server.port}"
    return f"{base.rstrip('/')}/t/{status_token}"


def print_pickup(app: Flask, berkas: Berkas, url: str) -> tuple[bool | None, str | None]:
    """(printed, message) like a ticket: a failure raises the printer alert for staff."""
    from kiosk.pickup_slip import pickup_slip_for, print_pickup_slip
    from kiosk.printer import PrinterFault

    hub = app.extensions["antrian"]
    if hub.settings.printer.type == "none":
        return None, None
    try:
        print_pickup_slip(hub.settings.printer, pickup_slip_for(hub.settings, berkas, url))
    except PrinterFault as fault:
        detail = f"pickup slip of {berkas.number}: {fault.detail}"
        hub.raise_alert("printer", fault.user_message, detail, hub.queue.clock())
        return False, fault.user_message
    hub.clear_alert("printer")
    return True, None


def _slip_printer(app: Flask):
    def print_slip(berkas: Berkas, url: str) -> None:
        print_pickup(app, berkas, url)

    return print_slip


def _notifier(settings, office_id: str) -> Notifier:
    kind = settings.notices.kind
    if kind == "smtp":
        from shared.notices.smtp import SmtpNotifier

        return SmtpNotifier(settings.notices)
    if kind == "webhook":
        from shared.notices.webhook import WebhookNotifier

        return WebhookNotifier(settings.notices, office_id)
    return NoNotifier()


from berkas import routes  # noqa: E402,F401  (routes attach themselves to bp)
