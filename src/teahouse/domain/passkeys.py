"""Rules for passkeys: their names, how many a member may have, how long a
ceremony's challenge lives, and which relying party an instance is."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from teahouse.errors import BadRequest

NAME_MAX = 60
# A member with more passkeys than this has lost track of them; the cap also bounds
# what one account can make the server store and list.
PER_MEMBER = 20
# How long the challenge of one ceremony (adding a passkey, logging in with one) may
# be answered: the browser's prompt is given the same time.
CHALLENGE_TTL_SECONDS = 120
CHALLENGE_BYTES = 32
# Overrides and isolates that reorder what is shown around them (U+202A-U+202E,
# U+2066-U+2069): a name must read as it is stored.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def normalise_name(raw: str) -> str:
    """A passkey's name as stored: NFC, runs of white space as one space, 1-60
    characters, no control characters (``invalid_request`` otherwise)."""
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if not name:
        raise BadRequest("Give the passkey a name.")
    if len(name) > NAME_MAX:
        raise BadRequest(f"Passkey names are at most {NAME_MAX} characters.")
    if any(unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS for c in name):
        raise BadRequest("Passkey names cannot hold control characters.")
    return name


def relying_party_id(public_url: str) -> str:
    """The WebAuthn relying party id of the instance at ``public_url``: its host name.

    Browsers accept only a domain name here (``localhost`` included), never an IP
    address: an instance served as ``http://127.0.0.1:8000`` cannot offer passkeys.
    """
    host = urlsplit(public_url).hostname
    if not host:
        raise ValueError(f"{public_url!r} has no host name")
    return host
