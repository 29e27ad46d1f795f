"""Moderation through the real server: room types, blocks, removal, ending a room,
room links and the audit trail. The stage rules themselves are table-tested in
tests/unit/test_room_state.py; here each path is checked end to end, over HTTP and
the WebSocket, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.support.fake_media import FakeMedia
from tests.support.server import LiveServer, Member, eventually
from tests.support.social import block, enter, follow, open_room, serve


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia, database_url: str) -> AsyncIterator[LiveServer]:
    async with serve(tmp_path, media, database_url) as live:
        yield live


async def hallway_room_ids(member: Member) -> set[str]:
    async with member.http() as http:
        response = await http.get("/api/hallway")
        assert response.status_code == 200, response.text
        return {card["id"] for card in response.json()["rooms"]}


async def refused_join(member: Member, room_id: str) -> str:
    if member.ws is None:
        await member.connect()
    reply = await member.request({"type": "join", "room": room_id})
    assert reply["type"] == "error"
    return str(reply["code"])


async def test_a_social_room_is_for_the_people_its_moderators_follow(server: LiveServer) -> None:
    ada, bob, cy, dee = [await server.member(n) for n in ("ada", "bob", "cy", "dee")]
    await follow(server, ada, bob)
    room = await open_room(ada, "Friends only", "social")
    # Bob (followed by Ada) sees it and may join; Cy (not followed) neither.
    assert room in await hallway_room_ids(bob)
    assert room not in await hallway_room_ids(cy)
    async with cy.http() as http:
        assert (await http.get(f"/api/rooms/{room}")).json()["error"]["code"] == "room_not_found"
    assert await refused_join(cy, room) == "room_not_found"
    await enter(room, bob)
    # Bob goes on stage and becomes a moderator: now the people Bob follows may enter.
    await follow(server, bob, dee)
    assert room not in await hallway_room_ids(dee)
    await ada.request({"type": "invite_to_speak", "user_id": bob.id})
    await bob.request({"type": "accept_speak"})
    assert (await ada.request({"type": "make_moderator", "user_id": bob.id}))["type"] == "ok"
    assert room in await hallway_room_ids(dee)
    await enter(room, dee)
    # Cy is still out.
    assert await refused_join(cy, room) == "room_not_found"


async def test_a_closed_room_lets_in_by_name_or_by_link(server: LiveServer) -> None:
    ada, bob, cy, dee = [await server.member(n) for n in ("ada", "bob", "cy", "dee")]
    room = await open_room(ada, "Board", "closed")
    for outsider in (bob, cy, dee):
        assert room not in await hallway_room_ids(outsider)
    assert await refused_join(bob, room) == "room_not_found"
    async with ada.http() as http:
        admitted = await http.post(f"/api/rooms/{room}/admit", json={"username": "bob"})
        assert admitted.status_code == 204
        link = (await http.post(f"/api/rooms/{room}/link")).json()["url"]
    assert room in await hallway_room_ids(bob)
    await enter(room, bob)
    # A listener cannot make links.
    async with bob.http() as http:
        made = await http.post(f"/api/rooms/{room}/link")
        assert (made.status_code, made.json()["error"]["code"]) == (403, "not_moderator")
    # Cy opens the link.
    code = link.split("#link=")[1]
    async with cy.http() as http:
        wrong = await http.post(f"/api/rooms/{room}/enter", json={"code": code + "x"})
        assert (wrong.status_code, wrong.json()["error"]["code"]) == (404, "room_link_invalid")
        assert room not in await hallway_room_ids(cy)
        assert (await http.post(f"/api/rooms/{room}/enter", json={"code": code})).status_code == 204
    await enter(room, cy)
    assert await refused_join(dee, room) == "room_not_found"


async def test_a_blocked_member_cannot_join_where_the_blocker_moderates(
    server: LiveServer,
) -> None:
    ada, bob, cy = [await server.member(n) for n in ("ada", "bob", "cy")]
    await block(server, ada, bob)
    room = await open_room(ada)
    assert await refused_join(bob, room) == "blocked"
    state = server.services.stage.live(room).state  # type: ignore[union-attr]
    assert bob.id not in state.participants
    # A room Cy moderates is fine for Bob, even with Ada listening in it.
    other = await open_room(cy, "Other room")
    await enter(other, bob)


async def test_blocked_members_do_not_see_each_others_raised_hand(server: LiveServer) -> None:
    ada, bob, cy, dee = [await server.member(n) for n in ("ada", "bob", "cy", "dee")]
    room = await open_room(ada)
    await enter(room, bob, cy, dee)
    async with bob.http() as http:  # blocked live, while both are in the room
        assert (await http.post("/api/users/cy/block")).status_code in (200, 204)
    assert (await cy.request({"type": "hand", "raised": True}))["type"] == "ok"
    seen_by_dee = await dee.upsert(cy.id, hand_raised=True)
    assert seen_by_dee["hand_raised"]
    # Bob got the same version, without Cy's hand in it; his snapshot has no Cy either.
    state = server.services.stage.live(room).state  # type: ignore[union-attr]
    await eventually(lambda: not state.listeners_unannounced)
    while bob.version < state.version:
        delta = await bob.recv("delta")
        assert all(c.get("participant", {}).get("user", {}).get("id") != cy.id
                   for c in delta["changes"])  # fmt: skip
    await bob.send({"type": "join", "room": room})  # again, without `since`: a snapshot
    snapshot = await bob.recv("snapshot")
    assert cy.id not in {p["user"]["id"] for p in snapshot["participants"]}
    page = await audience(bob)
    assert cy.id not in {u["id"] for u in page["listeners"]}
    # Cy does not see Bob's hand either.
    assert (await bob.request({"type": "hand", "raised": True}))["type"] == "ok"
    await dee.upsert(bob.id, hand_raised=True)
    await cy.send({"type": "join", "room": room})
    snapshot = await cy.recv("snapshot")
    assert bob.id not in {p["user"]["id"] for p in snapshot["participants"]}
    # On stage, there is no hiding: Ada brings Bob up and Cy sees him.
    await ada.request({"type": "invite_to_speak", "user_id": bob.id})
    await cy.upsert(bob.id, role="speaker")


async def audience(member: Member, after: str | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "audience", "limit": 100}
    if after:
        message["after"] = after
    await member.send(message)
    return await member.recv("audience_page")


async def test_a_removed_member_is_told_and_cannot_come_back(server: LiveServer) -> None:
    ada, bob, cy = [await server.member(n) for n in ("ada", "bob", "cy")]
    room = await open_room(ada)
    await enter(room, bob, cy)
    refused = await bob.request({"type": "remove_from_room", "user_id": cy.id})
    assert refused["code"] == "not_moderator"
    assert (await ada.request({"type": "remove_from_room", "user_id": bob.id}))["type"] == "ok"
    assert (await bob.recv("removed"))["room"] == room
    state = server.services.stage.live(room).state  # type: ignore[union-attr]
    assert bob.id not in state.participants
    assert await refused_join(bob, room) == "removed_from_room"
    assert bob.id not in state.participants
    # Not even from a new socket.
    await bob.close()
    bob.ws = None
    assert await refused_join(bob, room) == "removed_from_room"
    page = await audience(cy)
    assert {u["id"] for u in page["listeners"]} == {cy.id}


async def test_a_moderator_ends_the_room_for_everyone(server: LiveServer, media: FakeMedia) -> None:
    ada, bob = [await server.member(n) for n in ("ada", "bob")]
    room = await open_room(ada)
    await enter(room, bob)
    assert (await bob.request({"type": "end_room"}))["code"] == "not_moderator"
    assert server.services.stage.live(room) is not None
    assert (await ada.request({"type": "end_room"}))["type"] == "ok"
    ended = await bob.recv("room_ended")
    assert (ended["room"], ended["reason"]) == (room, "ended_by_moderator")
    assert server.services.stage.live(room) is None
    await eventually(lambda: room not in media.rooms)


async def test_the_creator_leaving_does_not_end_a_room_others_moderate(
    server: LiveServer,
) -> None:
    ada, bob, cy = [await server.member(n) for n in ("ada", "bob", "cy")]
    room = await open_room(ada)
    await enter(room, bob, cy)
    await ada.request({"type": "invite_to_speak", "user_id": bob.id})
    await bob.request({"type": "accept_speak"})
    await ada.request({"type": "make_moderator", "user_id": bob.id})
    await ada.request({"type": "leave"})
    await cy.recv("delta")
    assert server.services.stage.live(room) is not None
    await bob.request({"type": "leave"})
    assert (await cy.recv("room_ended"))["reason"] == "no_moderator"


async def test_only_the_rooms_opener_arrives_unmuted_and_only_once(server: LiveServer) -> None:
    ada, bob = [await server.member(n) for n in ("ada", "bob")]
    room = await open_room(ada)  # she opened it: that is saying so
    state = server.services.stage.live(room).state  # type: ignore[union-attr]
    assert not state.participants[ada.id].muted
    await enter(room, bob)
    await ada.request({"type": "invite_to_speak", "user_id": bob.id})
    await bob.request({"type": "accept_speak"})
    await ada.request({"type": "make_moderator", "user_id": bob.id})
    await ada.request({"type": "leave"})
    await bob.recv("delta")
    # She comes back (as a moderator, being the creator): muted this time.
    assert (await ada.request({"type": "join", "room": room}))["type"] == "ok"
    assert state.participants[ada.id].role.value == "moderator"
    assert state.participants[ada.id].muted


async def test_a_speaker_muted_by_a_moderator_may_unmute_but_nobody_else_may(
    server: LiveServer, media: FakeMedia
) -> None:
    ada, bob = [await server.member(n) for n in ("ada", "bob")]
    room = await open_room(ada)
    await enter(room, bob)
    await ada.request({"type": "invite_to_speak", "user_id": bob.id})
    await bob.request({"type": "accept_speak"})
    # He arrives on the stage muted, and the media server drops his audio from the
    # first packet; his own unmute lifts that.
    state = server.services.stage.live(room).state  # type: ignore[union-attr]
    assert state.participants[bob.id].muted
    assert (await bob.request({"type": "publish", "sdp": "v=0\r\n"}))["type"] == "ok"
    assert (room, bob.id) in media.moderated
    assert (await bob.request({"type": "mute", "muted": False}))["type"] == "ok"
    assert (room, bob.id) not in media.moderated

    muted = await ada.request({"type": "mute", "muted": True, "user_id": bob.id})
    assert muted["type"] == "ok"
    assert (room, bob.id) in media.moderated  # applied before the ok
    await bob.upsert(bob.id, muted=True)
    refused = await ada.request({"type": "mute", "muted": False, "user_id": bob.id})
    assert refused["code"] == "not_allowed"
    assert state.participants[bob.id].muted
    assert (room, bob.id) in media.moderated  # a refusal changes nothing
    assert (await bob.request({"type": "mute", "muted": False}))["type"] == "ok"
    assert not state.participants[bob.id].muted
    assert (room, bob.id) not in media.moderated


async def test_hand_raising_off_lowers_hands_and_refuses_new_ones(server: LiveServer) -> None:
    ada, bob, cy = [await server.member(n) for n in ("ada", "bob", "cy")]
    room = await open_room(ada)
    await enter(room, bob, cy)
    await bob.request({"type": "hand", "raised": True})
    assert (await ada.request({"type": "set_hands", "enabled": False}))["type"] == "ok"
    delta = await cy.recv("delta")
    while {"op": "settings", "settings": {"hands": False}} not in delta["changes"]:
        delta = await cy.recv("delta")
    assert {"op": "remove", "user_id": bob.id} in delta["changes"]
    assert (await cy.request({"type": "hand", "raised": True}))["code"] == "hands_disabled"
    state = server.services.stage.live(room).state  # type: ignore[union-attr]
    assert not any(p.hand_raised for p in state.participants.values())


async def test_the_audience_is_a_count_and_pages(server: LiveServer) -> None:
    ada = await server.member("ada")
    room = await open_room(ada)
    members = [await server.member(f"m{i:02}") for i in range(12)]
    await enter(room, *members)
    state = server.services.stage.live(room).state  # type: ignore[union-attr]
    await eventually(lambda: not state.listeners_unannounced)
    seen: list[str] = []
    after = None
    while True:
        message: dict[str, Any] = {"type": "audience", "limit": 5}
        if after:
            message["after"] = after
        await ada.send(message)
        page = await ada.recv("audience_page")
        assert page["count"] == 12
        seen.extend(u["id"] for u in page["listeners"])
        if (after := page["next"]) is None:
            break
    assert seen == [m.id for m in members]
    bad = await ada.request({"type": "audience", "after": "zz"})
    assert bad["code"] == "bad_cursor"


class Recorded:
    def __init__(self) -> None:
        self.entries: list[tuple[str | None, str, str | None, str | None, dict[str, Any]]] = []

    async def record(
        self,
        actor_id: str | None,
        action: str,
        *,
        room_id: str | None = None,
        target_id: str | None = None,
        detail: Mapping[str, str | int | bool] | None = None,
    ) -> None:
        self.entries.append((actor_id, action, room_id, target_id, dict(detail or {})))


async def test_every_moderation_action_is_written_down(server: LiveServer) -> None:
    audit = Recorded()
    server.services.stage._audit = audit
    ada, bob, cy = [await server.member(n) for n in ("ada", "bob", "cy")]
    room = await open_room(ada)
    await enter(room, bob, cy)
    steps: list[dict[str, Any]] = [
        {"type": "invite_to_speak", "user_id": bob.id},
        {"type": "mute", "muted": True, "user_id": ada.id},  # herself: not moderation
        {"type": "set_hands", "enabled": False},
        {"type": "remove_from_room", "user_id": cy.id},
        {"type": "end_room"},
    ]
    await bob.send({"type": "accept_speak"})
    for step in steps[:1]:
        assert (await ada.request(step))["type"] == "ok"
    await bob.request({"type": "accept_speak"})
    await bob.request({"type": "mute", "muted": False})  # he arrived muted
    for step in (
        {"type": "mute", "muted": True, "user_id": bob.id},
        {"type": "make_moderator", "user_id": bob.id},
        {"type": "remove_moderator", "user_id": bob.id},
        {"type": "move_to_audience", "user_id": bob.id},
        *steps[1:],
    ):
        assert (await ada.request(step))["type"] == "ok", step
    assert [(e[1], e[3]) for e in audit.entries] == [
        ("invite_to_speak", bob.id),
        ("mute", bob.id),
        ("make_moderator", bob.id),
        ("remove_moderator", bob.id),
        ("move_to_audience", bob.id),
        ("set_hands", None),
        ("remove_from_room", cy.id),
        ("end_room", None),
    ]
    assert {(e[0], e[2]) for e in audit.entries} == {(ada.id, room)}
    assert audit.entries[5][4] == {"enabled": False}
