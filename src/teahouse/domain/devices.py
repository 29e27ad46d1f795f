"""Device tokens: proof that a browser has logged in as a member before.

A member who logs in (or signs up) gets, beside the session cookie, a device cookie
that outlives log-out: ``<user id>.<device id>.<tag>``, the tag an HMAC of the two
ids keyed by the member's stored password hash. So the server keeps no table of
devices and no key of its own; a token can be made only by someone who holds the
hash (the server), changing the password retires every device token of the member,
and deleting the account retires them with the row. The guessing limits give each
proven device a budget of its own (accounts/password_check.py): a guesser cannot
spend it, and cannot make one without the password.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

DEVICE_ID_BYTES = 16
TAG_BYTES = 16
TOKEN_MAX = 100
_ID = r"[A-Za-z0-9_-]{16,32}"
TOKEN_PATTERN = re.compile(rf"^({_ID})\.({_ID})\.([A-Za-z0-9_-]{{22}})$")


def _tag(password_hash: str, user_id: str, device_id: str) -> str:
    mac = hmac.new(
        password_hash.encode(), f"teahouse-device:{user_id}:{device_id}".encode(), hashlib.sha256
    )
    return base64.urlsafe_b64encode(mac.digest()[:TAG_BYTES]).decode().rstrip("=")


def device_token(user_id: str, password_hash: str, device_id: str | None = None) -> str:
    """A token for ``device_id`` (a new device when ``None``)."""
    device_id = device_id or secrets.token_urlsafe(DEVICE_ID_BYTES)
    return f"{user_id}.{device_id}.{_tag(password_hash, user_id, device_id)}"


def proven_device(token: str | None, user_id: str, password_hash: str) -> str | None:
    """The device id ``token`` proves for this member, or ``None``."""
    if not token or len(token) > TOKEN_MAX:
        return None
    found = TOKEN_PATTERN.fullmatch(token)
    if found is None or found.group(1) != user_id:
        return None
    device_id = found.group(2)
    expected = _tag(password_hash, user_id, device_id)
    return device_id if hmac.compare_digest(expected, found.group(3)) else None
