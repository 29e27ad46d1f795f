"""Profiles and avatars (docs/API-SOCIAL.md, "Profiles, avatars, follows, blocks").

A profile is seen through :mod:`teahouse.social.graph`'s rule: a member hidden
from the viewer is ``user_not_found``, and the counts on a profile count only the
members the viewer may see (a count must not reveal who is hidden from them).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select

from teahouse.domain import accounts as account_rules
from teahouse.domain.clock import utcnow
from teahouse.domain.profiles import normalise_bio
from teahouse.errors import ErrorCode, NotAuthenticated, NotFound
from teahouse.realtime.limits import MemberBucket, refusal
from teahouse.social import avatar_image, names
from teahouse.social.avatar_worker import AvatarDecoder
from teahouse.social.cards import cards_by_id
from teahouse.social.graph import hidden, visible_to, visible_user
from teahouse.store.database import Database, DbSession
from teahouse.store.models import User
from teahouse.store.social_models import Avatar, Block, Club, ClubMember, Follow
from teahouse.store.upsert import insert
from teahouse.views import ClubRef, UserCard, avatar_url


class Profile(UserCard):
    """docs/API-SOCIAL.md `Profile`."""

    bio: str
    nominated_by: UserCard | None
    joined_at: str
    followers_count: int
    following_count: int
    clubs: list[ClubRef]
    followed_by_me: bool
    follows_me: bool
    blocked_by_me: bool
    is_me: bool


@dataclass(frozen=True, slots=True)
class AvatarImage:
    image: bytes
    content_type: str
    etag: str


class Profiles:
    def __init__(self, db: Database, decoder: AvatarDecoder, uploads: MemberBucket) -> None:
        self._db = db
        self._decoder = decoder
        self._uploads = uploads

    async def profile(self, viewer_id: str, username: str) -> Profile:
        async with self._db.sessions() as s:
            user = await visible_user(s, viewer_id, username)
            return await self._view(s, viewer_id, user)

    async def update(self, user_id: str, display_name: str | None, bio: str | None) -> Profile:
        """Change what is given; a refusal (checked before any write) changes nothing."""
        async with self._db.sessions.begin() as s:
            user = await s.get(User, user_id)
            if user is None:
                raise NotAuthenticated("Please log in.")
            new_name = (
                account_rules.normalise_display_name(display_name, user.username)
                if display_name is not None
                else user.display_name
            )
            new_bio = normalise_bio(bio) if bio is not None else user.bio
            if new_name != user.display_name:
                # Only a new name is checked: one that already looked like another
                # member's (from before the check) stays while it is kept.
                await names.check_display_name(s, user_id, new_name)
                await names.record_names(s, user_id, user.username, new_name)
            user.display_name, user.bio = new_name, new_bio
        async with self._db.sessions() as s:
            return await self._view(s, user_id, user)

    # -- avatars -------------------------------------------------------------------

    async def set_avatar(self, user_id: str, data: bytes) -> str | None:
        """Re-encode and store the picture; the old one stays if this one is refused.

        Each upload that reaches the decoder spends one of the member's uploads, taken
        or refused alike: the decoding is what costs."""
        if len(data) > avatar_image.MAX_BYTES:
            raise avatar_image.too_large()
        if wait := self._uploads.take(user_id):
            raise refusal("Too many new pictures", wait)
        image = await self._decoder.reencode(data)
        etag = hashlib.sha256(image).hexdigest()[:32]
        values = {
            "image": image,
            "content_type": avatar_image.CONTENT_TYPE,
            "etag": etag,
            "updated_at": utcnow(),
        }
        async with self._db.sessions.begin() as s:
            username = await s.scalar(select(User.username).where(User.id == user_id))
            if username is None:
                raise NotAuthenticated("Please log in.")
            await s.execute(
                insert(self._db, Avatar)
                .values(user_id=user_id, **values)
                .on_conflict_do_update(index_elements=[Avatar.user_id], set_=values)
            )
        return avatar_url(username, etag)

    async def delete_avatar(self, user_id: str) -> None:
        async with self._db.sessions.begin() as s:
            if avatar := await s.get(Avatar, user_id):
                await s.delete(avatar)

    async def avatar(self, viewer_id: str, username: str) -> AvatarImage:
        async with self._db.sessions() as s:
            user = await visible_user(s, viewer_id, username)
            avatar = await s.get(Avatar, user.id)
        if avatar is None:
            raise NotFound("This member has no picture.", ErrorCode.AVATAR_NOT_FOUND)
        return AvatarImage(avatar.image, avatar.content_type, avatar.etag)

    # -- internals -----------------------------------------------------------------

    async def _view(self, s: DbSession, viewer_id: str, user: User) -> Profile:
        nominator_id = user.invited_by_id
        if nominator_id and await hidden(s, viewer_id, nominator_id):
            nominator_id = None
        cards = await cards_by_id(s, {user.id, *([nominator_id] if nominator_id else [])})
        followers = await s.scalar(
            select(func.count())
            .select_from(Follow)
            .where(Follow.followee_id == user.id, visible_to(viewer_id, Follow.follower_id))
        )
        following = await s.scalar(
            select(func.count())
            .select_from(Follow)
            .where(Follow.follower_id == user.id, visible_to(viewer_id, Follow.followee_id))
        )
        clubs = await s.execute(
            select(Club.id, Club.name)
            .join(ClubMember, ClubMember.club_id == Club.id)
            .where(ClubMember.user_id == user.id)
            .order_by(Club.name, Club.id)
        )
        return {
            **cards[user.id],
            "bio": user.bio,
            "nominated_by": cards[nominator_id] if nominator_id else None,
            "joined_at": user.created_at.isoformat(),
            "followers_count": int(followers or 0),
            "following_count": int(following or 0),
            "clubs": [{"id": club_id, "name": name} for club_id, name in clubs],
            "followed_by_me": await s.get(Follow, (viewer_id, user.id)) is not None,
            "follows_me": await s.get(Follow, (user.id, viewer_id)) is not None,
            "blocked_by_me": await s.get(Block, (viewer_id, user.id)) is not None,
            "is_me": user.id == viewer_id,
        }
