"""Where the hub listens and the addresses the kiosk, the TV and phones can open."""

from __future__ import annotations

import errno
import ipaddress
import socket
from dataclasses import dataclass

ALL_INTERFACES = ("0.0.0.0", "::", "")  # noqa: S104 (names, compared against --host)
# Any private address: routing towards it picks the office network card. Only connect() is
# called on a UDP socket, which sends nothing; no packet leaves this machine.
_ROUTE_PROBE = ("10.255.255.254", 9)


@dataclass(frozen=True)
class HubAddress:
    """The base URL printed for the pages, and whether other machines can open it."""

    base: str
    reachable_from_lan: bool


def lan_address() -> str | None:
    """This machine's IPv4 address on the office network, or None if it has none."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(_ROUTE_PROBE)
            address = probe.getsockname()[0]
        except OSError:
            return None  # no route at all: a machine without a network
    return None if ipaddress.ip_address(address).is_loopback else address


def hub_address(host: str, port: int) -> HubAddress:
    """The URL to print for a hub listening on host:port."""
    if host in ALL_INTERFACES:
        lan = lan_address()
        if lan is None:
            return HubAddress(f"http://127.0.0.1:{port}", reachable_from_lan=False)
        return HubAddress(f"http://{lan}:{port}", reachable_from_lan=True)
    loopback = host == "localhost" or _is_loopback(host)
    shown = f"[{host}]" if ":" in host else host
    return HubAddress(f"http://{shown}:{port}", reachable_from_lan=not loopback)


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: assume it names the office network card


def port_problem(host: str, port: int) -> str | None:
    """Why the hub cannot listen on host:port, in Indonesian and English; None if it can."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As the web server does: a port left in TIME_WAIT by a stopped hub is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host or "0.0.0.0", port))  # noqa: S104 (host "" means every interface)
        except OSError as exc:
            return _bind_failure(host, port, exc)
    return None


def _bind_failure(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {port} sudah dipakai program lain (port {port} on {host} is already in use); "
            f"hentikan program itu atau jalankan dengan --port {port + 1} "
            f"(stop it, or run with --port {port + 1})"
        )
    if exc.errno == errno.EACCES:
        return (
            f"port {port} butuh hak administrator (port {port} needs root); "
            "gunakan port 1024 atau lebih, mis. --port 5000 (use a port >= 1024, e.g. --port 5000)"
        )
    return (
        f"tidak bisa mendengarkan di {host}:{port} (cannot listen on {host}:{port}: "
        f"{exc.strerror}); periksa --host (check --host: an address of this machine, "
        "127.0.0.1 or 0.0.0.0)"
    )
