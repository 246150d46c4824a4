"""Socket.IO connect and disconnect: check who it is, join rooms, send the snapshot."""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask, current_app, request
from flask_socketio import SocketIO, emit, join_room

from shared.accounts import Principal, Role
from shared.auth import socket_principal
from shared.hub import Hub, current_hub
from shared.realtime import (
    SNAPSHOT,
    counter_room,
    office_watch_room,
    public_room,
    staff_facts_room,
    staff_room,
    ticket_room,
)
from shared.store.base import StoreUnavailable
from shared.views import public_overview, public_ticket_view, staff_overview

log = logging.getLogger(__name__)
# How often the hub reads the accounts stream for revocations made by another process (the
# `antrian device remove` command): an open socket of a removed device lasts at most this long.
REVOCATION_POLL_SECONDS = 2.0
_WATCH = "antrian_revocation_watch"
DEVICE_NAMES = {
    Role.DISPLAY: "Layar TV",
    Role.KIOSK: "Kios",
    Role.SURVEY: "Tablet survei",
}


def register(socketio: SocketIO) -> None:
    """Attach the connection handlers to this app's Socket.IO server."""
    socketio.on_event("connect", on_connect)
    socketio.on_event("disconnect", on_disconnect)


def on_connect(auth: Any = None) -> None:
    """Refuse strangers; the phone page may follow one ticket by its token only."""
    hub = current_hub()
    if isinstance(auth, dict) and isinstance(auth.get("ticket"), str):
        _follow_ticket(auth["ticket"])
        return
    principal = socket_principal(auth)
    if principal is None:
        raise ConnectionRefusedError("Silakan masuk atau pasangkan perangkat terlebih dahulu.")
    hub.connections[request.sid] = principal  # type: ignore[attr-defined]
    _watch_revocations(current_app._get_current_object())  # type: ignore[attr-defined]
    if principal.is_device:
        hub.clear_alert(_device_alert_key(principal))
    snapshot = hub.queue.current()
    options = auth if isinstance(auth, dict) else {}
    # A reconnecting screen takes the whole state, so it never shows what it missed. Staff
    # opening a public screen (an admin checking the TV) ask for what the public sees.
    if principal.is_device or options.get("public") is True:
        join_room(public_room(hub.catalogue.office_id))
        emit(SNAPSHOT, public_overview(snapshot, hub.catalogue))
        return
    join_room(staff_room(hub.catalogue.office_id))
    # The shipped pages ask for less than every fact: each one is a frame to every screen.
    if options.get("facts", "all") == "all":
        join_room(staff_facts_room(hub.catalogue.office_id))
    counter_id = options.get("counter")
    if isinstance(counter_id, str) and hub.catalogue.counter(counter_id) is not None:
        join_room(counter_room(counter_id))
    else:
        join_room(office_watch_room(hub.catalogue.office_id))
    emit(SNAPSHOT, staff_overview(snapshot, hub.catalogue))


def _follow_ticket(status_token: str) -> None:
    hub = current_hub()
    snapshot = hub.queue.current()
    ticket = snapshot.day.by_status_token(status_token)
    if ticket is None:
        raise ConnectionRefusedError("Nomor antrian tidak ditemukan.")
    join_room(ticket_room(status_token))
    emit(SNAPSHOT, {"ticket": public_ticket_view(snapshot, hub.catalogue, ticket)})


def on_disconnect(reason: Any = None) -> None:
    """Forget the connection; a kiosk or display with no connection left is an alert for staff."""
    hub = current_hub()
    principal = hub.connections.pop(request.sid, None)  # type: ignore[attr-defined]
    if principal is None or not principal.is_device:
        return
    if principal in hub.connections.values():
        return  # the same device is still connected (a second tab, or already reconnected)
    if _revoked(hub, principal):
        return  # removed on purpose, not lost
    what = DEVICE_NAMES.get(principal.role, "Perangkat")
    hub.raise_alert(
        _device_alert_key(principal),
        f"{what} '{principal.name}' terputus dari hub.",
        f"Socket.IO connection of {principal.role.value} {principal.name} closed ({reason})",
        hub.queue.clock(),
    )


def _device_alert_key(principal: Principal) -> str:
    return f"{principal.role.value}:{principal.name}"


def connection_principal(sid: str) -> Principal | None:
    """Who holds this connection, if they still may: a revoked one is disconnected here."""
    hub = current_hub()
    principal = hub.connections.get(sid)
    if principal is not None and _revoked(hub, principal):
        hub.socketio.server.disconnect(sid, namespace="/")
        return None
    return principal


def _revoked(hub: Hub, principal: Principal) -> bool:
    try:
        return hub.accounts.current(principal) is None
    except StoreUnavailable:
        return False  # cannot tell now; the command itself will meet the outage and say so


def drop_revoked(hub: Hub) -> int:
    """Disconnect every socket whose device was removed or whose user was signed out."""
    dropped = 0
    # A copy: connections come and go on other threads meanwhile.
    for sid, principal in hub.connections.copy().items():
        if _revoked(hub, principal):
            hub.socketio.server.disconnect(sid, namespace="/")
            dropped += 1
    return dropped


def _watch_revocations(app: Flask) -> None:
    """From the first connection on: drop revoked sockets as soon as this process learns."""
    if _WATCH in app.extensions:
        return
    hub: Hub = app.extensions["antrian"]
    stop = threading.Event()
    app.extensions[_WATCH] = stop
    # A revocation made in this process is folded at once and this listener runs then; one
    # made by another process is folded by the next request or by the poll below.
    hub.accounts.on_revoked(lambda: drop_revoked(hub))
    hub.socketio.start_background_task(_poll_accounts, hub, stop)


def _poll_accounts(hub: Hub, stop: threading.Event) -> None:
    while not stop.wait(REVOCATION_POLL_SECONDS):
        try:
            hub.accounts.refresh()
        except StoreUnavailable as exc:
            log.warning("cannot read accounts for revocations: %s", exc)


def stop_watching(app: Flask) -> None:
    """End the revocation poll of this app (when the app is closed)."""
    stop = app.extensions.pop(_WATCH, None)
    if stop is not None:
        stop.set()
