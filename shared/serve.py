"""`antrian run`: check the port, hold the store, start the hub, say where it is, stop cleanly."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from shared.config import Settings, load_settings
from shared.config_warnings import config_warnings
from shared.first_start import FirstStart, first_start, password_box, save_password
from shared.hub_lock import hold_store
from shared.network import HubAddress, hub_address, port_problem
from shared.store import redact_url

if TYPE_CHECKING:
    from flask import Flask
    from flask_socketio import SocketIO

    from shared.hub import Hub


class CannotServe(Exception):
    """The hub cannot start here; the message says why and what to do."""


def serve(args: argparse.Namespace) -> int:
    """Start the hub for `antrian run`; returns when it stops (Ctrl+C or SIGTERM)."""
    from shared.app import close_app, create_app
    from shared.recall_timer import start_recall_timer

    settings = load_settings(args.config)
    host = args.host or settings.server.host
    port = args.port or settings.server.port
    # Before anything is printed or made: a failed start must not use up the first start.
    problem = port_problem(host, port)
    if problem:
        raise CannotServe(problem)
    lock = hold_store(settings.store_url)
    address = hub_address(host, port)
    settings = _with_public_url(settings, address)
    app = create_app(settings)
    _stop_on_sigterm()
    try:
        start_recall_timer(app)
        hub = app.extensions["antrian"]
        hub.note_start()  # the Kasi sees "Hub dimulai ulang pukul 10.32"
        _warm_reports(hub)
        made = first_start(hub.accounts)
        _announce(settings, address, made)
        _quiet_access_log(args.access_log)
        _run_server(app, hub.socketio, host, port, args.access_log)
    finally:
        close_app(app)  # stops the voice worker and closes the store
        lock.release()
    return 0


def _with_public_url(settings: Settings, address: HubAddress) -> Settings:
    # Tickets' QR codes must open on a phone on the office Wi-Fi, even when the kiosk itself
    # reaches the hub as 127.0.0.1.
    if settings.server.public_url or not address.reachable_from_lan:
        return settings
    server = settings.server.model_copy(update={"public_url": address.base})
    return settings.model_copy(update={"server": server})


def _run_server(app: Flask, socketio: SocketIO, host: str, port: int, access_log: bool) -> None:
    if socketio.async_mode == "eventlet":
        socketio.run(app, host=host, port=port, use_reloader=False, log_output=access_log)
        return
    # What socketio.run does in threading mode, without Flask's banner and warnings after
    # the start-up output: the one-time password box stays the last thing printed.
    from werkzeug.serving import make_server

    make_server(host, port, app, threaded=True).serve_forever()


def _warm_reports(hub: Hub) -> None:
    """The report worker reads the days of this semester and the last one while the office
    starts its day, so the Kasi's first report needs no pass over the store."""
    today = hub.queue.office_date()
    last_semester = date(today.year - 1, 7, 1) if today.month <= 6 else date(today.year, 1, 1)
    hub.reports.warm(last_semester, today)


def _stop_on_sigterm() -> None:
    """`kill`, systemd and Docker stop the hub with SIGTERM: leave through the clean path."""

    def stop(signum, frame) -> None:
        raise SystemExit(0)  # unwinds the server loop into serve()'s finally

    signal.signal(signal.SIGTERM, stop)


def _quiet_access_log(wanted: bool) -> None:
    # One line per request (every display's poll) would bury the start-up output.
    if not wanted:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)


def _announce(settings: Settings, address: HubAddress, made: FirstStart | None) -> None:
    base = address.base
    print(f"Antrian hub for {settings.office.name} ({settings.office.timezone})")
    store = redact_url(settings.store_url)
    print(f"  store:   {store}  (async mode: {settings.server.async_mode})")
    print(f"  kiosk:   {base}/kiosk")
    print(f"  display: {base}/display")
    print(f"  counter: {base}/counter   (officers sign in at {base}/login)")
    print(f"  supervisor: {base}/supervisor   (supervisor or admin accounts)")
    print(f"  API:     {base}/api/health")
    print(f"  ticket QR codes open: {settings.server.public_url or base}/t/...")
    if not address.reachable_from_lan:
        print("  Hanya komputer ini yang bisa membuka alamat di atas (only this PC can open them);")
        print("  for the kiosk, the TV and phones: run with --host 0.0.0.0 (or server.host)")
    recall = settings.call_rules.auto_recall_seconds
    if recall:
        print(
            f"  calls repeat every {recall} s, skipped after {settings.call_rules.max_calls} calls"
        )
    for warning in config_warnings(settings):
        print(f"  config warning: {warning}")
    if made is not None:
        _announce_first_start(settings, base, made)
    else:
        print("Press Ctrl+C to stop.", flush=True)


def _announce_first_start(settings: Settings, base: str, made: FirstStart) -> None:
    print("First start: paired one kiosk and one display (links shown only this once):")
    for name, token in made.device_tokens.items():
        # After "#": the browser keeps it to itself, so it never reaches the access log.
        print(f"  pair the {made.kind_of(name)} by opening: {base}/pair#token={token}")
    saved = save_password(instance_folder(settings), made)
    print("Press Ctrl+C to stop.")
    change = f"{command_name()} user add {made.admin} --role admin"
    print(password_box(made, saved, change), flush=True)


def instance_folder(settings: Settings) -> Path:
    """The folder of this installation's own files, beside config.yaml."""
    return Path(settings.config_path).parent / "instance"


def command_name() -> str:
    """How to run `antrian` from here: it is not on PATH when installed into .venv."""
    script = Path(sys.executable).parent / "antrian"
    if not script.exists():
        return "antrian"
    try:
        relative = os.path.relpath(script)
    except ValueError:  # another drive on Windows
        return str(script)
    return str(script) if relative.startswith("..") else relative
