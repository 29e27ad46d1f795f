"""Three network namespaces where a client can reach the media host only through TURN.

::

    client ns               turn ns                   this (media) ns
    10.77.1.2 --veth-- 10.77.1.1 | 10.77.2.1 --veth-- 10.77.2.2  Janus, the app
                     coturn on :443 (TLS), ip_forward=0

The client's default route points at the TURN host and the media host routes the
client's network back through it, so the only thing between the client and Janus is
that the TURN host does not forward packets (these machines have no packet filter:
docs in ``shared/notes``). What the client reaches of the app is a listening socket
the app holds in the client's namespace (:func:`listening_socket_in`), as a browser
reaches a web server that is not the media host.

The namespaces are named at random (several suites may run on one machine) and
removed, with their links, when the context ends. Needs root, like the media tests.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CLIENT_ADDRESS = "10.77.1.2"
TURN_CLIENT_SIDE = "10.77.1.1"
TURN_MEDIA_SIDE = "10.77.2.1"
MEDIA_ADDRESS = "10.77.2.2"
CLONE_NEWNET = 0x40000000


@dataclass(frozen=True)
class RelayTopology:
    client: str
    turn: str

    def netns_path(self, name: str) -> Path:
        return Path("/run/netns") / name

    def command_in(self, name: str, *argv: str) -> list[str]:
        """``argv`` run in namespace ``name`` (only the network is switched)."""
        return ["nsenter", f"--net={self.netns_path(name)}", "--", *argv]

    def forwards(self, name: str) -> bool:
        """Whether namespace ``name`` routes packets between its links."""
        value = subprocess.run(
            self.command_in(name, "sysctl", "-n", "net.ipv4.ip_forward"),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return value.strip() != "0"


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


def _sysctl(namespace: str | None, *settings: str) -> None:
    prefix = ["ip", "netns", "exec", namespace] if namespace else []
    subprocess.run([*prefix, "sysctl", "-q", "-w", *settings], check=True, capture_output=True)


@contextlib.contextmanager
def relay_topology() -> Iterator[RelayTopology]:
    tag = secrets.token_hex(3)
    topology = RelayTopology(client=f"thc-{tag}", turn=f"tht-{tag}")
    created: list[str] = []
    try:
        for name in (topology.client, topology.turn):
            _ip("netns", "add", name)
            created.append(name)
            _ip("-n", name, "link", "set", "lo", "up")
        # Client <-> TURN host.
        _ip("link", "add", "tc0", "netns", topology.client, "type", "veth", "peer", "name", "tt0")
        _ip("link", "set", "tt0", "netns", topology.turn)
        # TURN host <-> this namespace (the media host).
        _ip("link", "add", "tm0", "type", "veth", "peer", "name", "tt1")
        _ip("link", "set", "tt1", "netns", topology.turn)
        # No IPv6: link-local addresses would be paths (and candidates) of their own.
        _sysctl(topology.client, "net.ipv6.conf.tc0.disable_ipv6=1")
        _sysctl(
            topology.turn, "net.ipv6.conf.tt0.disable_ipv6=1", "net.ipv6.conf.tt1.disable_ipv6=1"
        )
        _sysctl(None, "net.ipv6.conf.tm0.disable_ipv6=1")
        # The point of it all: the TURN host does not route between its two links.
        _sysctl(topology.turn, "net.ipv4.ip_forward=0")
        _ip("-n", topology.client, "addr", "add", f"{CLIENT_ADDRESS}/24", "dev", "tc0")
        _ip("-n", topology.turn, "addr", "add", f"{TURN_CLIENT_SIDE}/24", "dev", "tt0")
        _ip("-n", topology.turn, "addr", "add", f"{TURN_MEDIA_SIDE}/24", "dev", "tt1")
        _ip("addr", "add", f"{MEDIA_ADDRESS}/24", "dev", "tm0")
        for namespace, device in ((topology.client, "tc0"), (topology.turn, "tt0")):
            _ip("-n", namespace, "link", "set", device, "up")
        _ip("-n", topology.turn, "link", "set", "tt1", "up")
        _ip("link", "set", "tm0", "up")
        # Routes that would carry media directly if the TURN host forwarded.
        _ip("-n", topology.client, "route", "add", "default", "via", TURN_CLIENT_SIDE)
        _ip("route", "add", "10.77.1.0/24", "via", TURN_MEDIA_SIDE)
        yield topology
    finally:
        # This end lives here; the kernel frees a deleted namespace's links a moment
        # later, so delete it at once or the next topology cannot make its own.
        subprocess.run(["ip", "link", "del", "tm0"], check=False, capture_output=True)
        for name in created:
            # Deleting a namespace deletes its veth ends, and with them their peers.
            subprocess.run(["ip", "netns", "del", name], check=False, capture_output=True)


def listening_socket_in(namespace_path: Path, host: str, port: int) -> socket.socket:
    """A TCP socket listening on ``host:port`` in another network namespace.

    A socket stays in the namespace it was made in; only the thread that makes it
    switches (``setns`` changes the calling thread alone), so this process's other
    sockets are untouched.
    """
    made: list[socket.socket] = []
    failure: list[BaseException] = []

    def make() -> None:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = os.open(namespace_path, os.O_RDONLY)
            try:
                if libc.setns(fd, CLONE_NEWNET) != 0:
                    raise OSError(ctypes.get_errno(), "setns failed")
            finally:
                os.close(fd)
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
            sock.listen(128)
            sock.setblocking(False)
            made.append(sock)
        except BaseException as error:  # handed to the caller's thread
            failure.append(error)

    thread = threading.Thread(target=make)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return made[0]


def make_tls_certificate(directory: Path, ip_address: str) -> tuple[Path, Path, Path]:
    """A CA made now, and a certificate it signed for ``ip_address``: (ca, cert, key)."""
    ca_key, ca, key, csr, cert = (
        directory / name for name in ("ca.key", "ca.pem", "turn.key", "turn.csr", "turn.pem")
    )
    new_key = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes")
    _openssl("req", "-x509", *new_key, "-keyout", ca_key, "-out", ca, "-days", "1",
             "-subj", "/CN=Teahouse test CA")  # fmt: skip
    _openssl("req", *new_key, "-keyout", key, "-out", csr, "-subj", f"/CN={ip_address}")
    extensions = directory / "turn.ext"
    extensions.write_text(f"subjectAltName=IP:{ip_address}\nextendedKeyUsage=serverAuth\n")
    _openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
             "-out", cert, "-days", "1", "-extfile", extensions)  # fmt: skip
    return ca, cert, key


def _openssl(*args: str | Path) -> None:
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True)


def derived_coturn_config(deployed: str, overrides: dict[str, list[str]]) -> str:
    """docs/deploy/turnserver.conf with the keys in ``overrides`` replaced (a key with
    an empty list is dropped; keys the file lacks are added)."""
    kept: list[str] = []
    for line in deployed.splitlines():
        key = line.split("=", 1)[0].strip()
        if line.lstrip().startswith("#") or key not in overrides:
            kept.append(line)
    for key, values in overrides.items():
        kept.extend(f"{key}={value}" if value else key for value in values)
    return "\n".join(kept) + "\n"
