"""The application factory: one hub for one office."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, jsonify, request
from flask_socketio import SocketIO

from shared import complaints_web
from shared.accounts import Accounts
from shared.complaint_service import build_complaint_service
from shared.config import Settings
from shared.domain.events import DomainEvent
from shared.hub import Hub
from shared.online_backlog_service import OnlineBacklogService
from shared.queue_service import Clock, Publish, QueueService, utc_now
from shared.realtime import Publisher
from shared.reports.desk import ReportDesk
from shared.snapshot import Snapshot
from shared.socket_input import SERVER_OPTIONS as SOCKET_INPUT_OPTIONS
from shared.store import open_store
from shared.store.base import EventStore

SECRET_KEY_ENV = "ANTRIAN_SECRET_KEY"  # noqa: S105 (the variable name, not a secret)


def create_app(
    settings: Settings,
    *,
    store: EventStore | None = None,
    clock: Clock = utc_now,
    secret_key: str | None = None,
) -> Flask:
    """Build the hub: store, queue service, Socket.IO, blueprints and socket handlers."""
    app = Flask(__name__)
    app.secret_key = secret_key or _secret_key(settings)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_SORT_KEYS=False,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    catalogue = settings.catalogue()
    # A store opened here from its URL can be opened again by the report worker.
    worker_store_url = settings.store_url if store is None else None
    if store is None:
        store = open_store(settings.store_url, key_prefix=settings.store.key_prefix)
    # Passed explicitly: Flask-SocketIO would silently pick eventlet if it is merely installed.
    socketio = SocketIO(
        app,
        async_mode=settings.server.async_mode,
        message_queue=_message_queue(settings),
        channel=_channel(settings, catalogue.office_id),
        **SOCKET_INPUT_OPTIONS,
    )
    publisher = Publisher(socketio, catalogue)
    # After each append: the facts go to the screens, then the online backlog records its
    # entries (issue 13); a backlog failure never holds the screens back.
    after_append: list[Publish] = []

    def publish(events: list[DomainEvent], after: Snapshot, before: Snapshot) -> None:
        for listener in after_append:
            listener(events, after, before)

    queue = QueueService(store, catalogue, clock=clock, publish=publish)
    backlog = OnlineBacklogService(store, queue)
    after_append += [publisher, backlog.record]
    app.extensions["antrian"] = Hub(
        settings=settings,
        catalogue=catalogue,
        store=store,
        queue=queue,
        accounts=Accounts(store),
        socketio=socketio,
        publisher=publisher,
        backlog=backlog,
        reports=ReportDesk(
            store,
            catalogue,
            store_url=worker_store_url,
            key_prefix=settings.store.key_prefix,
        ),
    )
    complaints_web.init_app(
        app,
        build_complaint_service(settings, store, app.extensions["antrian"].accounts, clock),
        settings.complaints.public_per_hour,
    )
    _register(app, socketio)
    return app


def close_app(app: Flask) -> None:
    """Release what the hub holds: its worker processes and the store's connections."""
    from shared.connections import stop_watching

    stop_watching(app)
    import berkas

    berkas.close_app(app)  # the files worker thread ends with the hub
    announcer = app.extensions.get("antrian_announcer")
    if announcer is not None:
        announcer.voice.close()
    app.extensions["antrian"].reports.close()
    app.extensions["antrian"].store.close()


def _register(app: Flask, socketio: SocketIO) -> None:
    import berkas
    from counter import bp as counter_bp
    from counter import events as counter_events
    from display.blueprint import bp as display_bp
    from display.blueprint import init_app as display_init
    from kiosk import bp as kiosk_bp
    from kiosk import events as kiosk_events
    from shared import (
        admin_pages,
        connections,
        errors_web,
        login_guard,
        pages,
        socket_input,
        survey_hub,
        web_security,
    )
    from shared.api import bp as api_bp
    from shared.indonesian import init_app as indonesian_formats

    blueprints = (api_bp, pages.bp, admin_pages.bp, kiosk_bp, display_bp, counter_bp, berkas.bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    display_init(app)
    survey_hub.init_app(app)
    berkas.init_app(app)
    admin_pages.init_app(app)
    errors_web.init_app(app)
    indonesian_formats(app)
    login_guard.init_app(app)
    web_security.init_app(app)
    connections.register(socketio)
    socket_input.register(socketio)
    counter_events.register(socketio)
    kiosk_events.register(socketio)

    @app.errorhandler(404)
    @app.errorhandler(405)
    def not_found(exc):
        if request.path.startswith("/api/"):
            return jsonify(error="Alamat API tidak ditemukan."), exc.code
        return exc


def _message_queue(settings: Settings) -> str | None:
    # With Redis as the store, several hub processes share it to reach every display.
    url = settings.store_url
    return url if url.startswith(("redis://", "rediss://")) else None


def _channel(settings: Settings, office_id: str) -> str:
    # Redis Pub/Sub ignores the database number and key prefixes: hubs on other DBs or
    # prefixes of one Redis would hear each other's calls unless the channel names them.
    if _message_queue(settings) is None:
        return f"antrian-{office_id}"
    from redis.connection import parse_url

    db = parse_url(settings.store_url).get("db", 0)
    return f"antrian-{office_id}-db{db}-{settings.store.key_prefix}"


def _secret_key(settings: Settings) -> str:
    """The session signing key: from the environment, else a file beside the data."""
    from_env = os.environ.get(SECRET_KEY_ENV)
    if from_env:
        return from_env
    path = Path(settings.config_path).parent / "instance" / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
