"""Social facts written straight into the store, for tests of what reads them.

Follows, blocks, clubs and events have their own routes in another part of the
API; the hallway, notification and ping tests only need the rows to exist.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from teahouse.config import load_settings
from teahouse.domain.clock import utcnow
from teahouse.domain.ids import new_id
from teahouse.realtime.limits import Limit, MemberBucket
from teahouse.rooms.rooms import ClubRef
from teahouse.social.avatar_worker import AvatarDecoder
from teahouse.social.profiles import Profiles
from teahouse.store.database import Database
from teahouse.store.models import Room
from teahouse.store.social_models import (
    Block,
    Club,
    ClubFollow,
    ClubMember,
    Event,
    EventCohost,
    EventInterest,
    Follow,
    Notification,
)
from tests.support.fake_media import FakeMedia
from tests.support.server import LiveServer, Member, free_port, run_server, server_settings


def profiles(db: Database) -> Profiles:
    """The profiles service as the server builds it with the default settings."""
    settings = load_settings()
    per_hour = settings.avatar_uploads_per_hour
    return Profiles(
        db,
        AvatarDecoder(settings.avatar_memory_mib, settings.avatar_decode_timeout),
        MemberBucket(Limit(per_hour, per_hour / 3600)),
    )


@contextlib.asynccontextmanager
async def serve(tmp_path: Path, media: FakeMedia, database_url: str) -> AsyncIterator[LiveServer]:
    """A live server on the given database (the tests' ``server`` runs on SQLite only)."""
    async with run_server(server_settings(tmp_path, database_url, free_port()), media) as live:
        yield live


async def follow(server: LiveServer, follower: Member, *followees: Member) -> None:
    async with server.services.db.sessions.begin() as s:
        for followee in followees:
            s.add(Follow(follower_id=follower.id, followee_id=followee.id))


async def block(server: LiveServer, blocker: Member, blocked: Member) -> None:
    async with server.services.db.sessions.begin() as s:
        s.add(Block(blocker_id=blocker.id, blocked_id=blocked.id))


async def club(
    server: LiveServer,
    name: str,
    members: tuple[Member, ...] = (),
    followers: tuple[Member, ...] = (),
) -> str:
    club_id = new_id()
    async with server.services.db.sessions.begin() as s:
        s.add(Club(id=club_id, name=name, name_key=name.casefold()))
        await s.flush()
        for i, member in enumerate(members):
            s.add(
                ClubMember(club_id=club_id, user_id=member.id, role="admin" if i == 0 else "member")
            )
        for follower in followers:
            s.add(ClubFollow(club_id=club_id, user_id=follower.id))
    return club_id


async def set_room_club(
    server: LiveServer, room_id: str, club_id: str, visibility: str | None = None
) -> None:
    values: dict[str, Any] = {"club_id": club_id}
    if visibility is not None:
        values["visibility"] = visibility
    async with server.services.db.sessions.begin() as s:
        await s.execute(update(Room).where(Room.id == room_id).values(**values))
        name = await s.scalar(select(Club.name).where(Club.id == club_id))
    # The app never changes a room's club or visibility once open: the live room
    # read its record when it opened, so this shortcut updates it too.
    if (live := server.services.stage.live(room_id)) is not None:
        live.info = replace(
            live.info,
            club=ClubRef(club_id, str(name)),
            visibility=visibility or live.info.visibility,
        )


async def event(
    server: LiveServer,
    host: Member,
    title: str,
    starts_in: timedelta,
    *,
    club_id: str | None = None,
    cohosts: tuple[Member, ...] = (),
    interested: tuple[Member, ...] = (),
    cancelled: bool = False,
    room_id: str | None = None,
) -> str:
    event_id = new_id()
    async with server.services.db.sessions.begin() as s:
        s.add(
            Event(
                id=event_id,
                title=title,
                description=f"About {title}",
                starts_at=utcnow() + starts_in,
                time_zone="Europe/Berlin",
                host_id=host.id,
                club_id=club_id,
                room_id=room_id,
                cancelled_at=utcnow() if cancelled else None,
            )
        )
        await s.flush()
        for cohost in cohosts:
            s.add(EventCohost(event_id=event_id, user_id=cohost.id))
        for member in interested:
            s.add(EventInterest(event_id=event_id, user_id=member.id))
    return event_id


async def notification_count(server: LiveServer, kind: str | None = None) -> int:
    query = select(func.count()).select_from(Notification)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    async with server.services.db.sessions() as s:
        return int(await s.scalar(query) or 0)


async def open_room(
    creator: Member, title: str = "Tea", visibility: str = "open", *, connect: bool = True
) -> str:
    """Create a room and walk its creator in (on stage, as moderator)."""
    async with creator.http() as http:
        response = await http.post("/api/rooms", json={"title": title, "visibility": visibility})
        assert response.status_code == 201, response.text
        room_id: str = response.json()["id"]
    if connect:
        if creator.ws is None:
            await creator.connect()
        await creator.join(room_id)
    return room_id


async def enter(room_id: str, *members: Member) -> None:
    """Members connect (if they have not) and join as listeners."""
    for member in members:
        if member.ws is None:
            await member.connect()
        await member.join(room_id)


async def arrivals(member: Member, kind: str, seconds: float) -> list[float]:
    """When (loop time) each message of this type arrives within ``seconds``; messages
    of other types are kept for ``recv``, ones already kept count as arriving now."""
    loop = asyncio.get_running_loop()
    times = [loop.time() for m in member.inbox if m["type"] == kind]
    member.inbox = [m for m in member.inbox if m["type"] != kind]
    deadline = loop.time() + seconds
    while (left := deadline - loop.time()) > 0:
        try:
            message = json.loads(await asyncio.wait_for(member.ws.recv(), left))
        except TimeoutError:
            break
        if message["type"] == kind:
            times.append(loop.time())
        else:
            member.inbox.append(message)
    return times


async def count_messages(member: Member, kind: str, seconds: float) -> int:
    return len(await arrivals(member, kind, seconds))


async def age_notifications(server: LiveServer, by: timedelta) -> None:
    """Move every notification back in time, as if ``by`` had passed."""
    async with server.services.db.sessions.begin() as s:
        for n in await s.scalars(select(Notification)):
            n.created_at = n.created_at - by


def hang_up(*members: Member) -> None:
    """Drop these sockets at once. A polite close waits for the server's close frame,
    which a client that left more than 16 messages unread never reads (10 s)."""
    for member in members:
        member.ws.transport.abort()
