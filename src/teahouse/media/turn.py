"""Short-lived TURN credentials for browsers, in coturn's ``use-auth-secret`` scheme.

coturn and Teahouse share one secret (coturn's ``static-auth-secret``). A browser gets
a username ``"<expiry, unix seconds>:<random tag>"`` and the credential
``base64(HMAC-SHA1(secret, username))``; coturn recomputes the credential from the
username and refuses it once the expiry has passed (README.turnserver, "TURN REST
API"). The tag is random, never the member's id or name: coturn logs usernames, and
the TURN host learns nothing about who is behind a credential.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime

from typing_extensions import TypedDict

from teahouse.config import Settings

TAG_BYTES = 16


class IceServer(TypedDict):
    """One entry of ``RTCConfiguration.iceServers``, as the browser takes it."""

    urls: list[str]
    username: str
    credential: str


class IceServers(TypedDict):
    """The ICE servers a member's browser should use, and until when.

    ``expires_at`` is null when there are none (no TURN configured): nothing to renew.
    """

    ice_servers: list[IceServer]
    expires_at: str | None


def turn_credential(secret: str, username: str) -> str:
    """coturn's REST credential for ``username``: base64(HMAC-SHA1(secret, username))."""
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class TurnCredentials:
    """Issues a fresh credential for the configured TURN URLs on each call."""

    def __init__(
        self,
        urls: list[str],
        secret: Callable[[], str | None],
        ttl_seconds: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._urls = list(urls)
        self._secret = secret
        self._ttl = ttl_seconds
        self._clock = clock

    @classmethod
    def from_settings(cls, settings: Settings) -> TurnCredentials:
        # The secret is read when a credential is made and never kept in memory: a
        # secret changed in the file takes effect without restarting Teahouse.
        return cls(settings.turn_urls, settings.turn_secret, settings.turn_ttl_minutes * 60)

    def issue(self) -> IceServers:
        secret = self._secret() if self._urls else None
        if not secret:
            return {"ice_servers": [], "expires_at": None}
        expiry = int(self._clock()) + self._ttl
        username = f"{expiry}:{secrets.token_urlsafe(TAG_BYTES)}"
        return {
            "ice_servers": [
                {
                    "urls": list(self._urls),
                    "username": username,
                    "credential": turn_credential(secret, username),
                }
            ],
            "expires_at": datetime.fromtimestamp(expiry, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
