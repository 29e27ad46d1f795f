"""UserCards: a member with their avatar's etag, loaded in the same query."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select

from teahouse.store.database import DbSession
from teahouse.store.models import User
from teahouse.store.social_models import Avatar
from teahouse.views import UserCard, user_card


def card_select() -> Select[User, str | None]:
    """``SELECT users.*, avatars.etag``: add joins, filters and order to taste."""
    return select(User, Avatar.etag).outerjoin(Avatar, Avatar.user_id == User.id)


async def cards_by_id(s: DbSession, user_ids: Iterable[str]) -> dict[str, UserCard]:
    wanted = set(user_ids)
    if not wanted:
        return {}
    rows = await s.execute(card_select().where(User.id.in_(wanted)))
    return {user.id: user_card(user, etag) for user, etag in rows}
