"""Where the hub listens: the addresses it prints and the port check before it starts."""

from __future__ import annotations

import ipaddress
import socket

from shared.network import hub_address, lan_address, port_problem


def test_the_lan_address_is_this_machines_own_and_not_loopback():
    address = lan_address()
    if address is not None:
        assert not ipaddress.ip_address(address).is_loopback
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind((address, 0))  # an address of this machine: binding to it works


def test_a_loopback_hub_says_other_machines_cannot_reach_it():
    loopback = hub_address("127.0.0.1", 5000)
    assert (loopback.base, loopback.reachable_from_lan) == ("http://127.0.0.1:5000", False)
    assert hub_address("::1", 5000).base == "http://[::1]:5000"
    assert not hub_address("localhost", 5000).reachable_from_lan


def test_a_hub_on_every_interface_prints_its_lan_address():
    everywhere = hub_address("0.0.0.0", 5000)  # noqa: S104
    lan = lan_address()
    if lan is None:
        assert everywhere.base == "http://127.0.0.1:5000"
    else:
        assert (everywhere.base, everywhere.reachable_from_lan) == (f"http://{lan}:5000", True)


def test_a_free_port_passes_and_a_busy_one_is_named_with_the_fix():
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        port = squatter.getsockname()[1]
        squatter.listen()
        problem = port_problem("127.0.0.1", port)
    assert problem is not None
    assert f"port {port} sudah dipakai" in problem
    assert f"--port {port + 1}" in problem
    assert port_problem("127.0.0.1", port) is None  # free again once the squatter left
