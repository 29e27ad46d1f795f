"""Follows and blocks, and the one rule of who may see whom.

**The rule.** Member A may see member B unless a block stands between them, in
either direction (A blocked B, or B blocked A). Where it does not hold, each is to
the other as if they did not exist: the profile and the avatar are
``user_not_found``, every list (followers, following, search, the hallway, clubs)
leaves them out, and neither can follow the other. Everything that shows members to
members asks here, and nowhere else:

- :func:`visible_to` in SQL: ``select(User).where(visible_to(viewer_id, User.id))``;
- :func:`hidden_ids` in SQL, and :meth:`Social.hidden_from` / :func:`hidden_set` in
  memory: everyone hidden from the viewer (a few people at most: the ones in a block
  with them), for what lives in memory (live rooms) or is filtered after loading;
- :meth:`Social.hidden_between` for one pair, :meth:`Social.hidden_among` for a set
  (live-room state, which lives in memory, not in SQL);
- :meth:`Social.visible_user` to turn a username into a member the viewer may see.

What a block hides on each surface (a list leaves them out, a single field is null,
a list of rooms or events leaves out those they would be named on, ...) is the
table of docs/SECURITY.md, "What a block hides".

Blocking removes the follows between the two, both ways, and the notifications each
got about the other. A member may still unblock someone they blocked (the block
list shows them); someone who blocked *you* stays invisible to you.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute

from teahouse.domain.clock import utcnow
from teahouse.domain.cursors import Cursor, Page
from teahouse.errors import BadRequest, ErrorCode, NotFound
from teahouse.notifications.notifier import Notifications
from teahouse.social.cards import card_select
from teahouse.store.database import Database, DbSession
from teahouse.store.keyset import newest_first
from teahouse.store.models import User
from teahouse.store.social_models import Block, Follow, Notification
from teahouse.store.upsert import insert
from teahouse.views import UserCard, user_card

# A follow, unfollowed and made again, tells the followee once: following and
# unfollowing in a loop must not become a way to flood someone's notifications.
FOLLOW_NOTICE_INTERVAL = timedelta(days=1)


def visible_to(
    viewer_id: str, other_id: ColumnElement[str] | InstrumentedAttribute[str]
) -> ColumnElement[bool]:
    """SQL: no block stands between ``viewer_id`` and the member ``other_id``."""
    return ~exists().where(
        or_(
            and_(Block.blocker_id == viewer_id, Block.blocked_id == other_id),
            and_(Block.blocker_id == other_id, Block.blocked_id == viewer_id),
        )
    )


def hidden_ids(viewer_id: str) -> CompoundSelect[str]:
    """SQL: the ids of the members hidden from ``viewer_id`` (blocked either way)."""
    return (
        select(Block.blocked_id.label("id"))
        .where(Block.blocker_id == viewer_id)
        .union(select(Block.blocker_id.label("id")).where(Block.blocked_id == viewer_id))
    )


async def hidden_set(s: DbSession, viewer_id: str) -> frozenset[str]:
    """The members hidden from ``viewer_id``, in memory."""
    return frozenset(await s.scalars(hidden_ids(viewer_id)))


def user_not_found() -> NotFound:
    return NotFound("No member has that username.", ErrorCode.USER_NOT_FOUND)


class Social:
    def __init__(
        self,
        db: Database,
        notifications: Notifications,
        on_block_changed: Callable[[str, str, bool], None] = lambda *_: None,
    ) -> None:
        self._db = db
        self._notifications = notifications
        # Told (blocker, blocked, blocked either way now) after a block or unblock, so
        # that live rooms hide raised hands between the two from then on.
        self._on_block_changed = on_block_changed

    # -- the rule ----------------------------------------------------------------

    async def hidden_between(self, a: str, b: str) -> bool:
        async with self._db.sessions() as s:
            return await hidden(s, a, b)

    async def hidden_from(self, viewer_id: str) -> frozenset[str]:
        """Everyone the viewer may not see (they are few: the blocks either way)."""
        async with self._db.sessions() as s:
            return await hidden_set(s, viewer_id)

    async def hidden_among(self, viewer_id: str, user_ids: Iterable[str]) -> set[str]:
        """Which of ``user_ids`` the viewer may not see."""
        ids = set(user_ids) - {viewer_id}
        if not ids:
            return set()
        async with self._db.sessions() as s:
            blocked = await s.execute(
                select(Block.blocker_id, Block.blocked_id).where(
                    or_(
                        and_(Block.blocker_id == viewer_id, Block.blocked_id.in_(ids)),
                        and_(Block.blocked_id == viewer_id, Block.blocker_id.in_(ids)),
                    )
                )
            )
            return {b if a == viewer_id else a for a, b in blocked}

    async def visible_user(self, viewer_id: str, username: str) -> User:
        async with self._db.sessions() as s:
            return await visible_user(s, viewer_id, username)

    # -- follows -------------------------------------------------------------------

    async def follow(self, follower_id: str, username: str) -> None:
        async with self._db.sessions.begin() as s:
            followee = await visible_user(s, follower_id, username)
            if followee.id == follower_id:
                raise BadRequest("You cannot follow yourself.")
            # Idempotent and race-free; the rowcount tells a new follow from an old one.
            added = await s.execute(
                insert(self._db, Follow)
                .values(follower_id=follower_id, followee_id=followee.id, created_at=utcnow())
                .on_conflict_do_nothing()
            )
        if added.rowcount == 1 and not await self._told_recently(  # type: ignore[attr-defined]
            followee.id, follower_id
        ):
            await self._notifications.notify(followee.id, "new_follower", actor_id=follower_id)

    async def _told_recently(self, followee_id: str, follower_id: str) -> bool:
        """Did the followee get a `new_follower` about this follower within the
        interval? The earlier notification is the only state this needs."""
        async with self._db.sessions() as s:
            earlier = await s.scalar(
                select(Notification.id)
                .where(
                    Notification.user_id == followee_id,
                    Notification.actor_id == follower_id,
                    Notification.kind == "new_follower",
                    Notification.created_at > utcnow() - FOLLOW_NOTICE_INTERVAL,
                )
                .limit(1)
            )
        return earlier is not None

    async def unfollow(self, follower_id: str, username: str) -> None:
        async with self._db.sessions.begin() as s:
            followee = await visible_user(s, follower_id, username)
            await s.execute(
                delete(Follow).where(
                    Follow.follower_id == follower_id, Follow.followee_id == followee.id
                )
            )

    async def followers(
        self, viewer_id: str, username: str, cursor: Cursor | None, limit: int
    ) -> Page[UserCard]:
        """Who follows the member, newest follow first."""
        async with self._db.sessions() as s:
            user = await visible_user(s, viewer_id, username)
            stmt = card_select().join(Follow, Follow.follower_id == User.id)
            stmt = stmt.where(Follow.followee_id == user.id, visible_to(viewer_id, User.id))
            return await _page(s, stmt, Follow.created_at, cursor, limit)

    async def following(
        self, viewer_id: str, username: str, cursor: Cursor | None, limit: int
    ) -> Page[UserCard]:
        """Whom the member follows, newest follow first."""
        async with self._db.sessions() as s:
            user = await visible_user(s, viewer_id, username)
            stmt = card_select().join(Follow, Follow.followee_id == User.id)
            stmt = stmt.where(Follow.follower_id == user.id, visible_to(viewer_id, User.id))
            return await _page(s, stmt, Follow.created_at, cursor, limit)

    # -- blocks --------------------------------------------------------------------

    async def block(self, blocker_id: str, username: str) -> None:
        async with self._db.sessions.begin() as s:
            other = await _blockable(s, blocker_id, username)
            if other.id == blocker_id:
                raise BadRequest("You cannot block yourself.")
            await s.execute(
                insert(self._db, Block)
                .values(blocker_id=blocker_id, blocked_id=other.id, created_at=utcnow())
                .on_conflict_do_nothing()
            )
            await s.execute(
                delete(Follow).where(
                    _pair(Follow.follower_id, Follow.followee_id, blocker_id, other.id)
                )
            )
            await s.execute(
                delete(Notification).where(
                    _pair(Notification.user_id, Notification.actor_id, blocker_id, other.id)
                )
            )
        self._on_block_changed(blocker_id, other.id, True)

    async def unblock(self, blocker_id: str, username: str) -> None:
        async with self._db.sessions.begin() as s:
            other = await _blockable(s, blocker_id, username)
            await s.execute(
                delete(Block).where(Block.blocker_id == blocker_id, Block.blocked_id == other.id)
            )
            # Blocked the other way too: the two still do not see each other.
            still = await s.get(Block, (other.id, blocker_id)) is not None
        self._on_block_changed(blocker_id, other.id, still)

    async def blocks(self, blocker_id: str) -> list[UserCard]:
        async with self._db.sessions() as s:
            rows = await s.execute(
                card_select()
                .join(Block, Block.blocked_id == User.id)
                .where(Block.blocker_id == blocker_id)
                .order_by(Block.created_at.desc(), User.id.desc())
            )
            return [user_card(user, etag) for user, etag in rows]


async def visible_user(s: DbSession, viewer_id: str, username: str) -> User:
    """The member called ``username`` if the viewer may see them, else user_not_found."""
    user = await s.scalar(
        select(User).where(
            User.username == username.strip().lower(), visible_to(viewer_id, User.id)
        )
    )
    if user is None:
        raise user_not_found()
    return user


async def hidden(s: DbSession, a: str, b: str) -> bool:
    if a == b:
        return False
    blocked = await s.scalar(
        select(func.count()).where(_pair(Block.blocker_id, Block.blocked_id, a, b))
    )
    return bool(blocked)


async def _blockable(s: DbSession, actor_id: str, username: str) -> User:
    """A member the actor may block or unblock: anyone, except one who blocked the
    actor (unless the actor blocked them too): to the actor, they do not exist."""
    user = await s.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise user_not_found()
    blocked_me = await s.get(Block, (user.id, actor_id))
    if blocked_me is not None and await s.get(Block, (actor_id, user.id)) is None:
        raise user_not_found()
    return user


def _pair(
    left: InstrumentedAttribute[str] | InstrumentedAttribute[str | None],
    right: InstrumentedAttribute[str] | InstrumentedAttribute[str | None],
    a: str,
    b: str,
) -> ColumnElement[bool]:
    """(left, right) is (a, b) or (b, a)."""
    return or_(and_(left == a, right == b), and_(left == b, right == a))


async def _page(
    s: DbSession,
    stmt: Select[User, str | None],
    created: InstrumentedAttribute[datetime],
    cursor: Cursor | None,
    limit: int,
) -> Page[UserCard]:
    """One page of ``card_select()`` rows, newest ``created`` first, after ``cursor``."""
    paged = newest_first(stmt.add_columns(created), created, User.id, cursor, limit)
    rows = (await s.execute(paged)).all()
    page = Page.of(rows, limit, lambda row: Cursor(row[2], row[0].id))
    return page.map(lambda row: user_card(row[0], row[1]))
