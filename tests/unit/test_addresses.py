"""The client's address: X-Forwarded-For only from trusted proxies, read from the
right; IPv6 counted by its /64."""

from __future__ import annotations

from ipaddress import ip_network

import pytest

from teahouse.domain.addresses import address_bucket, client_address, parse_address

PROXIES = (ip_network("127.0.0.1/32"), ip_network("10.0.0.0/8"), ip_network("fd00::/8"))


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "client"),
    [
        # Nobody trusted: the header is ignored, whatever it says.
        ("127.0.0.1", ["203.0.113.9"], (), "127.0.0.1"),
        # Not from a trusted proxy: ignored.
        ("198.51.100.2", ["203.0.113.9"], PROXIES, "198.51.100.2"),
        # From a trusted proxy: the hop it appended.
        ("127.0.0.1", ["203.0.113.9"], PROXIES, "203.0.113.9"),
        # What the client wrote itself comes before the proxy's hop: not believed.
        ("127.0.0.1", ["198.51.100.7, 203.0.113.9"], PROXIES, "203.0.113.9"),
        # Proxies in a chain are skipped, repeated headers read in order.
        ("127.0.0.1", ["203.0.113.9, 10.1.2.3", "10.0.0.5"], PROXIES, "203.0.113.9"),
        # A trusted proxy without the header: the proxy itself.
        ("127.0.0.1", [], PROXIES, "127.0.0.1"),
        # Every hop trusted: the left-most.
        ("127.0.0.1", ["10.0.0.4, 10.0.0.5"], PROXIES, "10.0.0.4"),
        # Garbage stops the walk at the last trusted hop.
        ("127.0.0.1", ["evil, 10.0.0.5"], PROXIES, "10.0.0.5"),
        ("127.0.0.1", ["<script>"], PROXIES, "127.0.0.1"),
        # Ports and brackets as some proxies write them; IPv6 proxies.
        ("127.0.0.1", ["203.0.113.9:4711"], PROXIES, "203.0.113.9"),
        ("fd00::1", ["[2001:db8::7]:443"], PROXIES, "2001:db8::7"),
        ("::ffff:127.0.0.1", ["203.0.113.9"], PROXIES, "203.0.113.9"),
        # No peer at all (an in-process client).
        (None, ["203.0.113.9"], PROXIES, None),
    ],
)
def test_client_address(
    peer: str | None, forwarded: list[str], proxies: tuple[object, ...], client: str | None
) -> None:
    assert client_address(peer, forwarded, proxies) == client  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("address", "bucket"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("testclient", "testclient"),
    ],
)
def test_address_bucket(address: str, bucket: str) -> None:
    assert address_bucket(address) == bucket


def test_parse_address_refuses_what_is_not_one() -> None:
    assert parse_address("unknown") is None
    assert parse_address("") is None
    assert parse_address("1.2.3.4.5") is None
