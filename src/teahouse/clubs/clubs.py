"""Clubs: founding one, membership by invitation, admins, follows.

Who may do what is decided by the rules in ``domain/clubs.py``; this module reads
the roles they need and applies them. Every action that changes who belongs to a
club first takes the club's row (:func:`lock_club`), so two admins leaving at once cannot
both pass the "last admin" check, and a refused action rolls back whole.

Blocks (docs/SECURITY.md, "What a block hides"): the members list leaves out members
hidden from the viewer and ``member_count`` does not count them; a hidden founder is
``null``; an admin cannot invite someone hidden from them (``user_not_found``). Making
an admin of a member and removing one are not hidden: an admin must be able to run
their club even for a member who blocked them.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from typing_extensions import TypedDict

from teahouse.domain import clubs as rules
from teahouse.domain.clock import utcnow
from teahouse.domain.cursors import LIMIT_DEFAULT, Cursor, Page
from teahouse.domain.ids import looks_like_id, new_id
from teahouse.errors import Conflict, ErrorCode, Forbidden, NotFound
from teahouse.notifications.notifier import Notifications
from teahouse.social.cards import cards_by_id
from teahouse.social.graph import hidden_set, visible_to, visible_user
from teahouse.store.database import Database, DbSession
from teahouse.store.keyset import oldest_first
from teahouse.store.models import User
from teahouse.store.social_models import (
    Avatar,
    Club,
    ClubFollow,
    ClubInvite,
    ClubJoinRequest,
    ClubMember,
)
from teahouse.views import UserCard, user_card


class ClubView(TypedDict):
    """docs/API-SOCIAL.md ``Club``."""

    id: str
    name: str
    description: str
    rules: str
    founder: UserCard | None
    member_count: int
    follower_count: int
    my_role: rules.Role | None
    following: bool
    invited: bool
    requested: bool  # the viewer asked to join and no admin has answered yet
    created_at: str


class ClubMemberView(TypedDict):
    user: UserCard
    role: rules.Role


def club_not_found() -> NotFound:
    return NotFound("There is no such club.", ErrorCode.CLUB_NOT_FOUND)


class Clubs:
    """Everything about clubs and their members."""

    def __init__(self, db: Database, notifications: Notifications) -> None:
        self._db = db
        self._notifications = notifications

    # -- reading -------------------------------------------------------------------

    async def get(self, viewer_id: str, club_id: str) -> ClubView:
        async with self._db.sessions() as s:
            club = await find_club(s, club_id)
            return (await _views(s, viewer_id, [club]))[0]

    async def mine(self, viewer_id: str) -> list[ClubView]:
        """The clubs the member belongs to, oldest membership first."""
        async with self._db.sessions() as s:
            clubs = list(
                await s.scalars(
                    select(Club)
                    .join(ClubMember, ClubMember.club_id == Club.id)
                    .where(ClubMember.user_id == viewer_id)
                    .order_by(ClubMember.joined_at, Club.id)
                )
            )
            return await _views(s, viewer_id, clubs)

    async def members(
        self,
        viewer_id: str,
        club_id: str,
        cursor: Cursor | None = None,
        limit: int = LIMIT_DEFAULT,
    ) -> Page[ClubMemberView]:
        """One page of members in the order they joined, as the viewer may see them."""
        async with self._db.sessions() as s:
            await find_club(s, club_id)
            query = (
                select(ClubMember, User, Avatar.etag)
                .join(User, User.id == ClubMember.user_id)
                .outerjoin(Avatar, Avatar.user_id == User.id)
                .where(ClubMember.club_id == club_id, visible_to(viewer_id, ClubMember.user_id))
            )
            query = oldest_first(query, ClubMember.joined_at, ClubMember.user_id, cursor, limit)
            rows = (await s.execute(query)).all()
        page = Page.of(rows, limit, lambda row: Cursor(row[0].joined_at, row[0].user_id))
        return page.map(lambda row: {"user": user_card(row[1], row[2]), "role": _role(row[0].role)})

    async def role(self, user_id: str, club_id: str) -> rules.Role | None:
        """The member's role in the club (None: not a member); the club must exist."""
        async with self._db.sessions() as s:
            await find_club(s, club_id)
            return await role_in(s, club_id, user_id)

    # -- founding and editing ----------------------------------------------------------

    async def create(
        self, founder: User, name: str, description: str = "", rules_text: str = ""
    ) -> ClubView:
        shown, key = rules.normalise_club_name(name)
        cleaned, cleaned_rules = rules.clean_club_text(description, rules_text)
        club = Club(
            id=new_id(),
            name=shown,
            name_key=key,
            description=cleaned or "",
            rules=cleaned_rules or "",
            founder_id=founder.id,
            created_at=utcnow(),
        )
        try:
            async with self._db.sessions.begin() as s:
                if await s.scalar(select(Club.id).where(Club.name_key == key)):
                    raise _name_taken()
                s.add(club)
                await s.flush()  # the club first: club_members refers to it
                s.add(ClubMember(club_id=club.id, user_id=founder.id, role="admin"))
        except IntegrityError as exc:  # a club of that name was made meanwhile
            raise _name_taken() from exc
        return await self.get(founder.id, club.id)

    async def edit(
        self, user_id: str, club_id: str, description: str | None, rules_text: str | None
    ) -> ClubView:
        description, rules_text = rules.clean_club_text(description, rules_text)
        async with self._db.sessions.begin() as s:
            club = await lock_club(s, club_id)
            rules.require_admin(await role_in(s, club_id, user_id))
            if description is not None:
                club.description = description
            if rules_text is not None:
                club.rules = rules_text
        return await self.get(user_id, club_id)

    # -- following -----------------------------------------------------------------

    async def follow(self, user_id: str, club_id: str) -> None:
        async with self._db.sessions.begin() as s:
            await lock_club(s, club_id)
            if await s.get(ClubFollow, (club_id, user_id)) is None:
                s.add(ClubFollow(club_id=club_id, user_id=user_id))

    async def unfollow(self, user_id: str, club_id: str) -> None:
        async with self._db.sessions.begin() as s:
            await lock_club(s, club_id)
            await s.execute(
                delete(ClubFollow).where(
                    ClubFollow.club_id == club_id, ClubFollow.user_id == user_id
                )
            )

    # -- membership ----------------------------------------------------------------

    async def invite(self, admin_id: str, club_id: str, username: str) -> None:
        """An admin invites a member; they get a ``club_invite`` notification to answer.
        Inviting someone already invited changes nothing (and tells them nothing)."""
        async with self._db.sessions.begin() as s:
            await lock_club(s, club_id)
            rules.require_admin(await role_in(s, club_id, admin_id))
            invitee = await visible_user(s, admin_id, username)
            if await role_in(s, club_id, invitee.id) is not None:
                raise Conflict(f"{invitee.username} is already a member.", ErrorCode.ALREADY_MEMBER)
            if await s.get(ClubInvite, (club_id, invitee.id)) is not None:
                return
            s.add(ClubInvite(club_id=club_id, user_id=invitee.id, invited_by_id=admin_id))
        await self._notifications.notify(
            invitee.id, "club_invite", actor_id=admin_id, club_id=club_id
        )

    async def join(self, user_id: str, club_id: str) -> None:
        """Accept an invitation. A member who joins again changes nothing."""
        async with self._db.sessions.begin() as s:
            await lock_club(s, club_id)
            if await role_in(s, club_id, user_id) is not None:
                return
            invited = await s.execute(
                delete(ClubInvite).where(
                    ClubInvite.club_id == club_id, ClubInvite.user_id == user_id
                )
            )
            if _rowcount(invited) != 1:
                raise Forbidden("You need an invitation to join this club.", ErrorCode.NOT_INVITED)
            s.add(ClubMember(club_id=club_id, user_id=user_id, role="member"))
            # An open request of theirs is answered by the invitation they took.
            await s.execute(
                update(ClubJoinRequest)
                .where(
                    ClubJoinRequest.club_id == club_id,
                    ClubJoinRequest.user_id == user_id,
                    ClubJoinRequest.status == "open",
                )
                .values(status="accepted", answered_at=utcnow())
            )

    async def decline(self, user_id: str, club_id: str) -> None:
        async with self._db.sessions.begin() as s:
            await lock_club(s, club_id)
            await s.execute(
                delete(ClubInvite).where(
                    ClubInvite.club_id == club_id, ClubInvite.user_id == user_id
                )
            )

    async def make_admin(self, admin_id: str, club_id: str, username: str) -> None:
        async with self._db.sessions.begin() as s:
            await lock_club(s, club_id)
            rules.require_admin(await role_in(s, club_id, admin_id))
            target = await _user_named(s, username)
            membership = await s.get(ClubMember, (club_id, target.id))
            if membership is None:
                raise NotFound(f"{target.username} is not in the club.", ErrorCode.NOT_MEMBER)
            membership.role = "admin"

    async def remove(self, actor_id: str, club_id: str, username: str) -> None:
        """An admin removes a member, or a member (``username`` themselves) leaves."""
        async with self._db.sessions.begin() as s:
            await lock_club(s, club_id)
            target = await _user_named(s, username)
            admins = await s.scalar(
                select(func.count()).where(
                    ClubMember.club_id == club_id, ClubMember.role == "admin"
                )
            )
            rules.check_removal(
                await role_in(s, club_id, actor_id),
                await role_in(s, club_id, target.id),
                leaving=target.id == actor_id,
                admins=admins or 0,
            )
            await s.execute(
                delete(ClubMember).where(
                    ClubMember.club_id == club_id, ClubMember.user_id == target.id
                )
            )


# -- queries shared by the actions above ---------------------------------------------


async def find_club(s: DbSession, club_id: str) -> Club:
    club = await s.get(Club, club_id) if looks_like_id(club_id) else None
    if club is None:
        raise club_not_found()
    return club


async def lock_club(s: DbSession, club_id: str) -> Club:
    """The club, its row locked until the transaction ends.

    A no-op UPDATE rather than SELECT ... FOR UPDATE: it is the same row lock on
    PostgreSQL, and on SQLite (which has no FOR UPDATE) it takes the database's write
    lock before anything is read, so the reads that follow are never stale.
    """
    if not looks_like_id(club_id):
        raise club_not_found()
    locked = await s.execute(update(Club).where(Club.id == club_id).values(name=Club.name))
    if _rowcount(locked) != 1:
        raise club_not_found()
    return await find_club(s, club_id)


async def role_in(s: DbSession, club_id: str, user_id: str) -> rules.Role | None:
    role = await s.scalar(
        select(ClubMember.role).where(ClubMember.club_id == club_id, ClubMember.user_id == user_id)
    )
    return _role(role) if role is not None else None


async def _user_named(s: DbSession, username: str) -> User:
    user = await s.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound("No member has that username.", ErrorCode.USER_NOT_FOUND)
    return user


async def _views(s: DbSession, viewer_id: str, clubs: list[Club]) -> list[ClubView]:
    """Club views for one viewer, in a fixed number of queries however many clubs."""
    if not clubs:
        return []
    ids = [c.id for c in clubs]

    async def counts(
        model: type[ClubMember] | type[ClubFollow], *seen: ColumnElement[bool]
    ) -> dict[str, int]:
        rows = await s.execute(
            select(model.club_id, func.count())
            .where(model.club_id.in_(ids), *seen)
            .group_by(model.club_id)
        )
        return {club_id: int(n) for club_id, n in rows}

    async def mine(
        model: type[ClubFollow] | type[ClubInvite] | type[ClubJoinRequest],
        *where: ColumnElement[bool],
    ) -> set[str]:
        rows = await s.scalars(
            select(model.club_id).where(model.club_id.in_(ids), model.user_id == viewer_id, *where)
        )
        return set(rows)

    # Members are listed, so a hidden one is not counted either; followers are not.
    members = await counts(ClubMember, visible_to(viewer_id, ClubMember.user_id))
    followers = await counts(ClubFollow)
    following, invited = await mine(ClubFollow), await mine(ClubInvite)
    requested = await mine(ClubJoinRequest, ClubJoinRequest.status == "open")
    roles = dict(
        (
            await s.execute(
                select(ClubMember.club_id, ClubMember.role).where(
                    ClubMember.club_id.in_(ids), ClubMember.user_id == viewer_id
                )
            )
        ).all()
    )
    hidden = await hidden_set(s, viewer_id)
    founders = await cards_by_id(s, {c.founder_id for c in clubs if c.founder_id} - hidden)
    return [
        {
            "id": c.id,
            "name": c.name,
            "description": c.description,
            "rules": c.rules,
            "founder": founders.get(c.founder_id) if c.founder_id else None,
            "member_count": members.get(c.id, 0),
            "follower_count": followers.get(c.id, 0),
            "my_role": _role(roles[c.id]) if c.id in roles else None,
            "following": c.id in following,
            "invited": c.id in invited,
            "requested": c.id in requested,
            "created_at": c.created_at.isoformat(),
        }
        for c in clubs
    ]


def _role(value: str) -> rules.Role:
    return "admin" if value == "admin" else "member"


def _rowcount(result: object) -> int:
    return cast(int, getattr(result, "rowcount", 0))


def _name_taken() -> Conflict:
    return Conflict("A club with that name already exists.", ErrorCode.CLUB_NAME_TAKEN)
