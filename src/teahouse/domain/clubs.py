"""Rules for clubs: names, texts and roles."""

from __future__ import annotations

import unicodedata
from typing import Literal

from teahouse.errors import BadRequest, Conflict, ErrorCode, Forbidden, NotFound

Role = Literal["admin", "member"]
NAME_MIN, NAME_MAX = 2, 60
DESCRIPTION_MAX = 1000
RULES_MAX = 2000


def normalise_club_name(raw: str) -> tuple[str, str]:
    """The name as shown and its key: names are unique without regard to case."""
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    key = name.casefold()
    # Case-folding can lengthen a name ("ß" -> "ss"); the key must fit its column too.
    if not NAME_MIN <= len(name) <= NAME_MAX or len(key) > NAME_MAX:
        raise BadRequest(f"A club name is {NAME_MIN} to {NAME_MAX} characters.")
    return name, key


def check_club_text(description: str | None, rules: str | None) -> None:
    if description is not None and len(description) > DESCRIPTION_MAX:
        raise BadRequest(f"A club description is at most {DESCRIPTION_MAX} characters.")
    if rules is not None and len(rules) > RULES_MAX:
        raise BadRequest(f"Club rules are at most {RULES_MAX} characters.")


def require_admin(role: Role | None) -> None:
    """Inviting, making admins, removing others and editing are an admin's."""
    if role != "admin":
        raise Forbidden("Only the club's admins can do that.", ErrorCode.NOT_CLUB_ADMIN)


def check_removal(actor: Role | None, target: Role | None, *, leaving: bool, admins: int) -> None:
    """May ``actor`` take ``target`` out of the club (``leaving``: themselves)?

    Members leave; admins remove anyone. A club always keeps an admin: the last one
    can neither leave nor be removed (they can make someone else admin first).
    """
    if not leaving:
        require_admin(actor)
    if target is None:
        raise NotFound("That member is not in the club.", ErrorCode.NOT_MEMBER)
    if target == "admin" and admins <= 1:
        raise Conflict(
            "A club needs an admin: make someone else admin first.", ErrorCode.LAST_ADMIN
        )
