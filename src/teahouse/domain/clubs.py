"""Rules for clubs: names, texts and roles."""

from __future__ import annotations

from typing import Literal

from teahouse.domain.text import clean_name, clean_prose
from teahouse.errors import BadRequest, Conflict, ErrorCode, Forbidden, NotFound

Role = Literal["admin", "member"]
NAME_MIN, NAME_MAX = 2, 60
DESCRIPTION_MAX = 1000
RULES_MAX = 2000


def normalise_club_name(raw: str) -> tuple[str, str]:
    """The name as shown (kept as names are: ``domain/text.py``) and its key: names
    are unique without regard to case."""
    name = clean_name(raw, "A club name", NAME_MAX, NAME_MIN)
    key = name.casefold()
    # Case-folding can lengthen a name ("ß" -> "ss"); the key must fit its column too.
    if len(key) > NAME_MAX:
        raise BadRequest(f"A club name is {NAME_MIN} to {NAME_MAX} characters.")
    return name, key


def clean_club_text(description: str | None, rules: str | None) -> tuple[str | None, str | None]:
    """A club's description and rules as longer texts are kept (none: unchanged)."""
    return (
        None if description is None else clean_prose(description, "A description", DESCRIPTION_MAX),
        None if rules is None else clean_prose(rules, "Club rules", RULES_MAX),
    )


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
