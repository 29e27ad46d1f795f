"""Rules for what a member writes about themselves."""

from __future__ import annotations

from teahouse.domain.text import clean_prose

BIO_MAX = 280


def normalise_bio(raw: str) -> str:
    """A bio as longer texts are kept (``domain/text.py``): line breaks stay; control
    characters, direction overrides and stacks of combining marks are refused."""
    return clean_prose(raw, "A bio", BIO_MAX)
