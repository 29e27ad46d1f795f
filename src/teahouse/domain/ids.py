"""Identifiers that leave the server: random, 128 bits, never sequential."""

from __future__ import annotations

import re
import secrets

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22}$")


def new_id() -> str:
    """A fresh 128-bit identifier as 22 URL-safe characters."""
    return secrets.token_urlsafe(16)


def looks_like_id(value: str) -> bool:
    return bool(ID_PATTERN.fullmatch(value))
