"""Which network address a request comes from, as the limits count it.

Only a reverse proxy the operator names (``trusted_proxies``) may say who its client
is: any client can send an ``X-Forwarded-For`` header, so from anyone else the
header is ignored and the connecting address is the client. A proxy appends the
address it was reached from, so the chain is read from the right: every hop that is
itself a trusted proxy is skipped, and the first one that is not is the client.

An address becomes a limit's key as a *bucket*: an IPv4 address as it is, an IPv6
address as its /64 network (one subscriber usually holds a whole /64, so counting
single IPv6 addresses would give one guesser 2**64 budgets).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

Network = IPv4Network | IPv6Network
Address = IPv4Address | IPv6Address


def parse_address(text: str) -> Address | None:
    """An address as a proxy or a socket writes it (``[v6]:port`` and ``v4:port``
    too), IPv4-mapped IPv6 as IPv4; ``None`` for anything else."""
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.partition(":")[0]
    try:
        found = ip_address(text)
    except ValueError:
        return None
    if isinstance(found, IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def _trusted(address: Address, proxies: Sequence[Network]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_address(
    peer: str | None, forwarded_for: Iterable[str], proxies: Sequence[Network]
) -> str | None:
    """The client's address: ``peer`` (the connection's), or when ``peer`` is a
    trusted proxy, the right-most hop of ``forwarded_for`` (every such header, in
    order) that is not one. A hop that does not parse ends the walk: the last
    trusted hop before it is the client then, so a garbled header can only make a
    client count with its proxy, never name someone else."""
    nearest = parse_address(peer) if peer else None
    if nearest is None or not _trusted(nearest, proxies):
        return peer
    hops = [hop for header in forwarded_for for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            break
        nearest = address
        if not _trusted(address, proxies):
            break
    return str(nearest)


def address_bucket(address: str) -> str:
    """What the limits count for ``address``: IPv4 as it is, IPv6 by its /64."""
    parsed = parse_address(address)
    if parsed is None:
        return address
    if isinstance(parsed, IPv6Address):
        return str(IPv6Network((int(parsed) >> 64 << 64, 64)))
    return str(parsed)
