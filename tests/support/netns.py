"""The media test namespace: detect it, and point aiortc at its address.

``scripts/netns-exec`` runs a command in a fresh network namespace whose only
non-loopback interface carries 127.0.0.2/32 (see docs in ``shared/notes``): Janus
gathers ICE candidates there (it skips loopback-flagged interfaces), and every peer
in the namespace can reach it without a packet leaving the machine.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

NETNS_ADDRESS = "127.0.0.2"
RUN_HINT = "scripts/netns-exec .venv/bin/pytest -m netns tests/media"
NOT_IN_NETNS = (
    f"media tests need the test network namespace ({NETNS_ADDRESS} on a veth interface) "
    f"so that no packet leaves the machine; run them as: {RUN_HINT}"
)


def in_media_netns() -> bool:
    """True when 127.0.0.2 sits on an interface other than ``lo``.

    The same test as ``scripts/netns-exec`` makes, with the same tool.
    """
    try:
        listing = subprocess.run(
            ["ip", "-4", "-o", "addr", "show"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return False
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) > 3 and fields[1] != "lo" and fields[3] == f"{NETNS_ADDRESS}/32":
            return True
    return False


def require_media_netns() -> None:
    """Fail (never skip) with the command to use when outside the namespace.

    A media test that silently skips is a media test that never runs.
    """
    if not in_media_netns():
        raise RuntimeError(NOT_IN_NETNS)


@contextmanager
def aiortc_uses_netns_address() -> Iterator[None]:
    """Make aioice gather exactly one host candidate: 127.0.0.2.

    aioice drops 127.0.0.1 and would otherwise take whatever else it finds; pinning
    the address keeps candidate lists short and the test independent of the host.
    """

    def host_addresses(use_ipv4: bool, use_ipv6: bool) -> list[str]:
        return [NETNS_ADDRESS] if use_ipv4 else []

    with mock.patch("aioice.ice.get_host_addresses", host_addresses):
        yield
