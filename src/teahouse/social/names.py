"""Display names that look like another member's: each member's names kept as
look-alike keys, and the check a new display name must pass.

A key is Unicode's confusable skeleton of a name (``domain/text.py``), made from the
prototypes of Unicode's confusables table (UTS #39) as the confusable-homoglyphs
package ships it. Each member has the keys of their username and of their display
name in ``name_keys``, stored as SHA-256 hashes (fixed width, and no second copy of
anyone's name), so the check is one indexed lookup however many members there are.
A display name that shares a key with another member's username or display name is
refused with ``display_name_taken`` (docs/SECURITY.md says why refused, not marked).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from functools import cache

from confusable_homoglyphs.utils import load
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from teahouse.domain.text import look_alike_keys
from teahouse.errors import Conflict, ErrorCode
from teahouse.store.models import NameKey

# The package writes right-to-left characters between these marks in its data.
_DIRECTION_MARKS = str.maketrans("", "", "\u200e\u200f")


def prototypes_from(links: Mapping[str, Sequence[Mapping[str, str]]]) -> dict[str, str]:
    """``character -> prototype`` from the package's table, which links every source
    character of confusables.txt with its prototype in both directions.

    A prototype is a character linked to several sources, or a sequence ("rn"); a
    source is linked to its prototype only. Where two characters are linked only to
    each other the table does not say which is the prototype; either makes the same
    strings alike, so the smaller one stands for both.
    """
    graph = {
        key.translate(_DIRECTION_MARKS): [e["c"].translate(_DIRECTION_MARKS) for e in entries]
        for key, entries in links.items()
    }
    found: dict[str, str] = {}
    for char, others in graph.items():
        if len(char) != 1 or len(others) != 1:
            continue
        (other,) = others
        alone = len(other) == 1 and len(graph.get(other, ())) == 1
        target = min(char, other) if alone else other
        if target != char:
            found[char] = target
    return found


@cache
def prototypes() -> dict[str, str]:
    """The table, read once (about 10,000 characters)."""
    return prototypes_from(load("confusables.json"))


def keys_of(*names: str) -> set[str]:
    """The stored form of the names' look-alike keys."""
    table = prototypes()
    return {
        hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        for name in names
        for key in look_alike_keys(name, table)
    }


async def check_display_name(s: AsyncSession, user_id: str | None, display_name: str) -> None:
    """Refuse a display name that looks like another member's username or display
    name (``user_id``: whose it would be, none for a new member)."""
    query = select(NameKey.user_id).where(NameKey.key.in_(keys_of(display_name))).limit(1)
    if user_id is not None:
        query = query.where(NameKey.user_id != user_id)
    if await s.scalar(query) is not None:
        raise Conflict(
            "That display name looks like another member's name: choose one that tells you apart.",
            ErrorCode.DISPLAY_NAME_TAKEN,
        )


async def record_names(s: AsyncSession, user_id: str, username: str, display_name: str) -> None:
    """Keep the member's keys in step with their names (in the caller's transaction)."""
    await s.execute(delete(NameKey).where(NameKey.user_id == user_id))
    s.add_all(NameKey(user_id=user_id, key=key) for key in keys_of(username, display_name))
