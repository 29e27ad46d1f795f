"""Rules for what a member writes about themselves."""

from __future__ import annotations

import re

from teahouse.errors import BadRequest

BIO_MAX = 280
# Line breaks are kept; other control characters (and bidi overrides, which can make
# a bio display as something else) are refused.
_FORBIDDEN = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def normalise_bio(raw: str) -> str:
    bio = raw.replace("\r\n", "\n").strip()
    if len(bio) > BIO_MAX:
        raise BadRequest(f"A bio is at most {BIO_MAX} characters.")
    if _FORBIDDEN.search(bio):
        raise BadRequest("A bio cannot contain control characters.")
    return bio
