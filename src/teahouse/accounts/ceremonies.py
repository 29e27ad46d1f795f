"""The challenges of passkey ceremonies under way: single-use, short-lived, and
bound to the ceremony they were made for.

A ceremony (adding a passkey, logging in with one) starts when the server hands out
options with a fresh random challenge, and ends when the browser's answer comes
back. The answer names the ceremony by an id made with it; :meth:`Ceremonies.take`
removes the ceremony whatever happens next, so a challenge is answered at most once,
and refuses it if it has expired, if it was made for the other kind of ceremony, or
(adding a passkey) for another member. The challenge itself goes back to the caller
only from here: what the browser says it signed is compared with it by the
verification, never trusted.

Kept in memory, like the log-in limits: a restart forgets the ceremonies under way
(the browser asks again), and nothing about them is ever written down. The store is
bounded: under a flood of requests for options the oldest ceremonies go first.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from teahouse.domain import passkeys as rules
from teahouse.errors import BadRequest, ErrorCode

Kind = Literal["register", "log_in"]
MAX_CEREMONIES = 20_000
CEREMONY_ID_BYTES = 16


@dataclass(frozen=True, slots=True)
class _Ceremony:
    kind: Kind
    user_id: str | None
    challenge: bytes
    expires: float


class Ceremonies:
    def __init__(
        self,
        ttl: float = rules.CHALLENGE_TTL_SECONDS,
        capacity: int = MAX_CEREMONIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self._capacity = capacity
        self.clock = clock
        self._open: OrderedDict[str, _Ceremony] = OrderedDict()

    def begin(self, kind: Kind, user_id: str | None = None) -> tuple[str, bytes]:
        """A new ceremony of ``kind`` (for ``user_id`` when adding a passkey): its id
        and its challenge."""
        now = self.clock()
        self._forget_expired(now)
        while len(self._open) >= self._capacity:
            self._open.popitem(last=False)
        ceremony_id = secrets.token_urlsafe(CEREMONY_ID_BYTES)
        challenge = secrets.token_bytes(rules.CHALLENGE_BYTES)
        self._open[ceremony_id] = _Ceremony(kind, user_id, challenge, now + self.ttl)
        return ceremony_id, challenge

    def take(self, ceremony_id: str, kind: Kind, user_id: str | None = None) -> bytes:
        """The challenge of the ceremony ``ceremony_id``, which ends here; refused with
        ``passkey_challenge_expired`` if there is no such ceremony under way (never
        made, already answered, expired) or it was made for another kind or member."""
        ceremony = self._open.pop(ceremony_id, None)
        if (
            ceremony is None
            or ceremony.expires <= self.clock()
            or ceremony.kind != kind
            or ceremony.user_id != user_id
        ):
            raise BadRequest(
                "This passkey request has expired or was already answered. Try again.",
                ErrorCode.PASSKEY_CHALLENGE_EXPIRED,
            )
        return ceremony.challenge

    def __len__(self) -> int:
        return len(self._open)

    def _forget_expired(self, now: float) -> None:
        # Insertion order is expiry order (one ttl for all): stop at the first alive.
        while self._open:
            oldest = next(iter(self._open.values()))
            if oldest.expires > now:
                return
            self._open.popitem(last=False)
