"""Sealed cursors: what a client gets instead of a list's sort key.

A page's cursor (domain/cursors.py) says where its last item sorts: a follow's time,
a report's id, a room's size. That is the server's business, so no cursor leaves
the server as it is: the edges (api/, the socket's ``audience`` answer) seal it with
AES-256-GCM under the instance's key (``data_dir/cursor.key``, data_dir.py) and
open what comes back. The list's kind is the associated data, so a cursor of one
kind of list does not open as another's.

Sealed text is URL-safe base64 without padding of a random 96-bit nonce, then the
ciphertext and its 128-bit tag: 28 bytes more than the key, and a fresh text each
time, so two cursors of the same place do not even compare equal. A cursor that was
changed, cut short, sealed under another key (another instance, a deleted key file)
or of another list does not open, and is refused with the list's own code, as one
that never decoded was before.

Not in ``domain/`` (which uses the standard library only): it holds a cipher.

May import: domain.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Callable
from functools import cached_property
from typing import TypeVar

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from teahouse.domain.cursors import SEALED_MAX, SortKey
from teahouse.errors import BadRequest

NONCE_BYTES = 12
TAG_BYTES = 16

K = TypeVar("K", bound=SortKey)


class CursorSeal:
    """Seals cursors on their way out and opens them on their way back in."""

    def __init__(self, key: Callable[[], bytes]) -> None:
        # The key is read on first use (building the services does no I/O).
        self._load_key = key

    @cached_property
    def _cipher(self) -> AESGCM:
        return AESGCM(self._load_key())

    def ready(self) -> None:
        """Read (or make) the key now, so that a bad key file stops the start."""
        _ = self._cipher

    def seal(self, kind: type[SortKey], cursor: str | None) -> str | None:
        """The text a client gets for ``cursor`` (a ``kind`` key's encoding; None
        stays None: the last page)."""
        if cursor is None:
            return None
        plain = _unpadded_b64decode(cursor)
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = nonce + self._cipher.encrypt(nonce, plain, _associated(kind))
        return base64.urlsafe_b64encode(sealed).decode().rstrip("=")

    def open(self, kind: type[K], text: str) -> K:
        """The ``kind`` key that ``text`` seals; ``kind.refusal`` for anything else."""
        try:
            if not text or len(text) > SEALED_MAX:
                raise ValueError("empty or too long")
            sealed = _unpadded_b64decode(text)
            if len(sealed) <= NONCE_BYTES + TAG_BYTES:
                raise ValueError("too short to be sealed")
            nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
            plain = self._cipher.decrypt(nonce, body, _associated(kind))
        except (ValueError, binascii.Error, InvalidTag):
            raise BadRequest("That cursor is not one this server gave.", kind.refusal) from None
        return kind.decode(base64.urlsafe_b64encode(plain).decode().rstrip("="))


def _associated(kind: type[SortKey]) -> bytes:
    return f"teahouse cursor {kind.__name__}".encode()


def _unpadded_b64decode(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
