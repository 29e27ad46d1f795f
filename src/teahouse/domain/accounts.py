"""Rules for usernames, display names, passwords and invitation codes."""

from __future__ import annotations

import hashlib
import re
import secrets

from teahouse.domain.text import clean_name
from teahouse.errors import BadRequest, ErrorCode, InviteError

USERNAME_PATTERN = re.compile(r"^[a-z0-9_]{2,30}$")
PASSWORD_MIN, PASSWORD_MAX = 10, 256
DISPLAY_NAME_MAX = 60

# 24 random bytes: 192 bits, comfortably above the 128 the design asks for.
INVITE_CODE_BYTES = 24
INVITE_CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{32}$")
SESSION_TOKEN_BYTES = 32
RESET_TOKEN_BYTES = 32
RESET_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def normalise_username(raw: str) -> str:
    username = raw.strip().lower()
    if not USERNAME_PATTERN.fullmatch(username):
        raise BadRequest(
            "Usernames are 2-30 characters: letters, digits and underscores.",
            ErrorCode.INVALID_USERNAME,
        )
    return username


def check_password(password: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise BadRequest(
            f"Passwords are {PASSWORD_MIN} to {PASSWORD_MAX} characters long.",
            ErrorCode.WEAK_PASSWORD,
        )


def normalise_display_name(raw: str | None, username: str) -> str:
    """A display name as names are kept (``domain/text.py``); none, or only white
    space, is the username."""
    return clean_name(raw or "", "A display name", DISPLAY_NAME_MAX, min_len=0) or username


def new_invite_code() -> str:
    return secrets.token_urlsafe(INVITE_CODE_BYTES)


def new_session_token() -> str:
    return secrets.token_urlsafe(SESSION_TOKEN_BYTES)


def new_reset_token() -> str:
    return secrets.token_urlsafe(RESET_TOKEN_BYTES)


def looks_like_reset_token(token: str) -> bool:
    return RESET_TOKEN_PATTERN.fullmatch(token) is not None


def check_invite_code(code: str) -> None:
    if not INVITE_CODE_PATTERN.fullmatch(code):
        raise InviteError("This is not a Teahouse invitation code.", ErrorCode.INVITE_MALFORMED)


def token_hash(token: str) -> str:
    """Invitation codes and session tokens are stored only as this hash.

    They carry 192-256 random bits, so a fast hash is enough: there is nothing to
    brute-force, unlike a password.
    """
    return hashlib.sha256(token.encode()).hexdigest()
