"""Follows, blocks and the rule of who may see whom, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from teahouse.domain.clock import utcnow
from teahouse.domain.cursors import Cursor
from teahouse.errors import TeahouseError
from teahouse.notifications.notifier import Notifications
from teahouse.social.graph import Social
from teahouse.social.profiles import Profiles
from teahouse.store.database import Database
from teahouse.store.models import User
from teahouse.store.social_models import Follow, Notification
from tests.support import social as social_support
from tests.support.members import add_members


@pytest.fixture
def social(database: Database) -> Social:
    return Social(database, Notifications(database))


@pytest.fixture
def profiles(database: Database) -> Profiles:
    return social_support.profiles(database)


async def refused(coro: object) -> str:
    with pytest.raises(TeahouseError) as error:
        await coro  # type: ignore[misc]
    return error.value.code


async def notifications_of(db: Database, user_id: str) -> list[tuple[str, str | None]]:
    async with db.sessions() as s:
        rows = await s.execute(
            select(Notification.kind, Notification.actor_id).where(Notification.user_id == user_id)
        )
        return [(kind, actor) for kind, actor in rows]


async def test_follow_is_idempotent_notifies_once_and_counts(
    database: Database, social: Social, profiles: Profiles
) -> None:
    ids = await add_members(database, "ada", "bob", "cy")
    await social.follow(ids["bob"], "ada")
    await social.follow(ids["bob"], "ADA ")  # again, any case: nothing new
    await social.follow(ids["cy"], "ada")
    await social.follow(ids["ada"], "bob")
    assert await notifications_of(database, ids["ada"]) == [
        ("new_follower", ids["bob"]),
        ("new_follower", ids["cy"]),
    ]

    ada = await profiles.profile(ids["bob"], "ada")
    assert (ada["followers_count"], ada["following_count"]) == (2, 1)
    assert ada["followed_by_me"] and ada["follows_me"] and not ada["is_me"]
    assert not ada["blocked_by_me"]
    assert (await profiles.profile(ids["ada"], "ada"))["is_me"]

    await social.unfollow(ids["bob"], "ada")
    await social.unfollow(ids["bob"], "ada")  # idempotent
    ada = await profiles.profile(ids["bob"], "ada")
    assert (ada["followers_count"], ada["followed_by_me"]) == (1, False)

    # Following again is a new follow, but ada heard of bob's today already.
    await social.follow(ids["bob"], "ada")
    ada = await profiles.profile(ids["bob"], "ada")
    assert (ada["followers_count"], ada["followed_by_me"]) == (2, True)
    assert len(await notifications_of(database, ids["ada"])) == 2


@pytest.mark.parametrize(
    ("who", "whom", "code"),
    [("ada", "ada", "invalid_request"), ("ada", "nobody", "user_not_found")],
)
async def test_follow_refusals_change_nothing(
    database: Database, social: Social, who: str, whom: str, code: str
) -> None:
    ids = await add_members(database, "ada")
    assert await refused(social.follow(ids[who], whom)) == code
    async with database.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Follow)) == 0
    assert await notifications_of(database, ids["ada"]) == []


async def test_followers_and_following_pages_are_stable_and_newest_first(
    database: Database, social: Social
) -> None:
    names = [f"fan{i:02d}" for i in range(23)]
    ids = await add_members(database, "star", *names)
    for name in names:
        await social.follow(ids[name], "star")
        await social.follow(ids["star"], name)
    # Some follows share a timestamp: the id breaks the tie, so no row is lost or
    # shown twice at a page boundary.
    base = utcnow() - timedelta(hours=1)
    async with database.sessions.begin() as s:
        for i, name in enumerate(names):
            await s.execute(
                update(Follow)
                .where(Follow.follower_id == ids[name])
                .values(created_at=base + timedelta(minutes=i // 3))
            )

    async def walk(listing: str, limit: int) -> list[str]:
        seen: list[str] = []
        cursor: Cursor | None = None
        while True:
            page = await getattr(social, listing)(ids["star"], "star", cursor, limit)
            assert len(page.items) <= limit
            seen += [u["username"] for u in page.items]
            if page.next_cursor is None:
                return seen
            cursor = Cursor.decode(page.next_cursor)

    followers = await walk("followers", 5)
    assert len(followers) == len(set(followers)) == 23
    # Newest first: the follows made last come first (ties by id, still stable).
    minute = {name: i // 3 for i, name in enumerate(names)}
    assert [minute[n] for n in followers] == sorted((minute[n] for n in followers), reverse=True)
    assert followers == await walk("followers", 7) == await walk("followers", 100)

    following = await walk("following", 4)
    assert following == list(reversed(names))  # made one after another
    page = await social.following(ids["star"], "star", None, 100)
    assert page.next_cursor is None and len(page.items) == 23
    assert page.items[0]["avatar_url"] is None


async def test_a_block_hides_both_ways_and_removes_follows(
    database: Database, social: Social, profiles: Profiles
) -> None:
    ids = await add_members(database, "ada", "bob", "cy")
    for a, b in [("ada", "bob"), ("bob", "ada"), ("cy", "ada"), ("cy", "bob"), ("bob", "cy")]:
        await social.follow(ids[a], b)
    await social.block(ids["ada"], "bob")
    await social.block(ids["ada"], "bob")  # idempotent

    for viewer, other in [("ada", "bob"), ("bob", "ada")]:
        assert await social.hidden_between(ids[viewer], ids[other])
        assert await refused(profiles.profile(ids[viewer], other)) == "user_not_found"
        assert await refused(social.follow(ids[viewer], other)) == "user_not_found"
        assert await refused(social.followers(ids[viewer], other, None, 30)) == "user_not_found"
    async with database.sessions() as s:
        pairs = {(a, b) for a, b in await s.execute(select(Follow.follower_id, Follow.followee_id))}
    assert pairs == {(ids["cy"], ids["ada"]), (ids["cy"], ids["bob"]), (ids["bob"], ids["cy"])}
    # The notifications each had about the other are gone; cy's stay.
    assert await notifications_of(database, ids["ada"]) == [("new_follower", ids["cy"])]

    # Lists leave the hidden member out, for each of the two; counts agree with lists.
    cy_followers = await social.followers(ids["ada"], "cy", None, 30)
    assert [u["username"] for u in cy_followers.items] == []
    cy_following = await social.following(ids["ada"], "cy", None, 30)
    assert [u["username"] for u in cy_following.items] == ["ada"]
    seen_by_ada = await profiles.profile(ids["ada"], "cy")
    assert (seen_by_ada["followers_count"], seen_by_ada["following_count"]) == (0, 1)
    seen_by_bob = await social.following(ids["bob"], "cy", None, 30)
    assert [u["username"] for u in seen_by_bob.items] == ["bob"]
    assert await social.hidden_among(ids["bob"], [ids["ada"], ids["cy"], ids["bob"]]) == {
        ids["ada"]
    }

    # Ada sees whom she blocked and may unblock; Bob may not even see the block.
    assert [u["username"] for u in await social.blocks(ids["ada"])] == ["bob"]
    assert await social.blocks(ids["bob"]) == []
    assert await refused(social.unblock(ids["bob"], "ada")) == "user_not_found"
    assert await refused(social.block(ids["bob"], "ada")) == "user_not_found"
    await social.unblock(ids["ada"], "bob")
    assert not await social.hidden_between(ids["ada"], ids["bob"])
    assert (await profiles.profile(ids["bob"], "ada"))["followers_count"] == 1  # cy


async def test_a_nominator_hidden_from_the_viewer_is_not_shown(
    database: Database, social: Social, profiles: Profiles
) -> None:
    ids = await add_members(database, "ada", "bob", "cy")
    async with database.sessions.begin() as s:
        await s.execute(update(User).where(User.id == ids["cy"]).values(invited_by_id=ids["ada"]))
    nominated = await profiles.profile(ids["bob"], "cy")
    assert nominated["nominated_by"] is not None
    assert nominated["nominated_by"]["username"] == "ada"
    await social.block(ids["bob"], "ada")
    assert (await profiles.profile(ids["bob"], "cy"))["nominated_by"] is None


async def test_profile_edits_are_checked_before_anything_changes(
    database: Database, profiles: Profiles
) -> None:
    ids = await add_members(database, "ada")
    edited = await profiles.update(ids["ada"], "  Ada   Lovelace ", "Counting engines.\n")
    assert (edited["display_name"], edited["bio"]) == ("Ada Lovelace", "Counting engines.")
    for name, bio in [("x" * 61, "fine"), ("Fine", "y" * 281), ("Fine", "\x07")]:
        assert await refused(profiles.update(ids["ada"], name, bio)) == "invalid_request"
    unchanged = await profiles.profile(ids["ada"], "ada")
    assert (unchanged["display_name"], unchanged["bio"]) == ("Ada Lovelace", "Counting engines.")
    assert (await profiles.update(ids["ada"], None, ""))["display_name"] == "Ada Lovelace"
