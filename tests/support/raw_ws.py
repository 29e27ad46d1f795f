"""A WebSocket client on a bare TCP socket, for a client that does not read.

A library client reads its socket in the background, so it never lets the server's
writes back up. This one reads only when told to: with a small receive buffer (set
before connecting, so TCP's window starts small) it shows what the server does with
a member who stops reading. RFC 6455, only what the tests need: the handshake, masked
text frames out, unfragmented frames in.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_TEXT, OP_CLOSE = 0x1, 0x8


@dataclass(frozen=True)
class Frame:
    opcode: int
    payload: bytes

    @property
    def close_code(self) -> int | None:
        if self.opcode != OP_CLOSE or len(self.payload) < 2:
            return None
        code: int = struct.unpack("!H", self.payload[:2])[0]
        return code

    @property
    def close_reason(self) -> str:
        return self.payload[2:].decode() if self.opcode == OP_CLOSE else ""

    def json(self) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(self.payload)
        return message


class RawWebSocket:
    """A blocking socket; call it from a thread (``asyncio.to_thread``)."""

    def __init__(
        self,
        base_url: str,
        headers: Mapping[str, str] | Sequence[tuple[str, str]],
        rcvbuf: int = 1 << 16,
    ) -> None:
        parts = urlsplit(base_url)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(10)
        self.sock.connect((parts.hostname, parts.port))
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            "GET /ws HTTP/1.1",
            f"Host: {parts.netloc}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
            *(f"{name}: {value}" for name, value in _pairs(headers)),
        ]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self._buffer = b""
        status, *fields = self._read_until(b"\r\n\r\n").decode().split("\r\n")
        received = {k.strip().lower(): v.strip() for k, _, v in (f.partition(":") for f in fields)}
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        if " 101 " not in status or received.get("sec-websocket-accept") != accept:
            self.sock.close()
            raise ConnectionError(f"handshake refused: {status!r}")

    def send_json(self, message: dict[str, Any]) -> None:
        self.send_frame(OP_TEXT, json.dumps(message).encode())

    def send_frame(self, opcode: int, payload: bytes) -> None:
        self.sock.sendall(_masked(opcode, payload))

    def send_burst(self, messages: list[dict[str, Any]]) -> None:
        """Every message in one write: they reach the server together, as a flood does."""
        self.sock.sendall(b"".join(_masked(OP_TEXT, json.dumps(m).encode()) for m in messages))

    def recv_frame(self) -> Frame:
        first, second = self._read_exactly(2)
        if not first & 0x80:
            raise ConnectionError("fragmented frames are not expected from the server")
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self._read_exactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self._read_exactly(8))
        return Frame(first & 0x0F, self._read_exactly(length))

    def recv_json(self, *types: str) -> dict[str, Any]:
        """The next text message of one of ``types``, skipping others."""
        while True:
            frame = self.recv_frame()
            if frame.opcode == OP_TEXT and (message := frame.json())["type"] in types:
                return message

    def read_until_closed(self) -> list[Frame]:
        """Every frame until (and with) the server's close frame; answer the close."""
        frames = []
        while True:
            frame = self.recv_frame()
            frames.append(frame)
            if frame.opcode == OP_CLOSE:
                self.send_frame(OP_CLOSE, frame.payload[:2])
                return frames

    def close(self) -> None:
        self.sock.close()

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self._buffer:
            self._fill()
        head, self._buffer = self._buffer.split(marker, 1)
        return head

    def _read_exactly(self, count: int) -> bytes:
        while len(self._buffer) < count:
            self._fill()
        data, self._buffer = self._buffer[:count], self._buffer[count:]
        return data

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self._buffer += chunk


def _masked(opcode: int, payload: bytes) -> bytes:
    mask = os.urandom(4)
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", 0x80 | opcode, 0x80 | length)
    elif length < 1 << 16:
        header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, length)
    else:
        header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, length)
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def _pairs(headers: Mapping[str, str] | Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The header lines to send: a list may name one header twice."""
    return list(headers.items()) if isinstance(headers, Mapping) else list(headers)
