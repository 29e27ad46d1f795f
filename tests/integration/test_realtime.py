"""The WebSocket protocol between real clients and a real server (media faked)."""

from __future__ import annotations

import asyncio

import pytest
import websockets

from tests.support.fake_media import FakeMedia
from tests.support.server import LiveServer, Member, eventually


async def open_room(server: LiveServer, moderator: Member, title: str = "Tea") -> str:
    async with moderator.http() as http:
        room_id: str = (await http.post("/api/rooms", json={"title": title})).json()["id"]
    await moderator.connect()
    snapshot = await moderator.join(room_id)
    assert snapshot["participants"][0]["role"] == "moderator"
    return room_id


def participant(snapshot_or_state: list[dict[str, object]], user_id: str) -> dict[str, object]:
    return next(p for p in snapshot_or_state if p["user"]["id"] == user_id)  # type: ignore[index]


async def test_handshake_needs_our_origin_and_a_session(server: LiveServer) -> None:
    ada = await server.member("ada")
    url = server.url.replace("http", "ws") + "/ws"
    cookie = f"{server.settings.session_cookie_name}={ada.token}"
    cases = [
        ({"origin": "https://evil.example", "cookie": cookie}, 4403),
        ({"origin": server.url}, 4401),
    ]
    for headers, code in cases:
        async with websockets.connect(url, additional_headers=headers) as ws:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == code


async def test_the_whole_stage_flow(server: LiveServer, media: FakeMedia) -> None:
    ada, bob, cy = [await server.member(n) for n in ("ada", "bob", "cy")]
    room = await open_room(server, ada)
    await bob.connect()
    snapshot = await bob.join(room)
    assert snapshot["you"] == bob.id and snapshot["version"] == bob.version
    # A plain listener is counted, not listed (docs/PROTOCOL.md, the visible set).
    assert bob.id not in {p["user"]["id"] for p in snapshot["participants"]}
    assert snapshot["listeners"] == 1 and snapshot["settings"] == {"hands": True}
    joined = await ada.recv("delta")
    assert joined["changes"] == [{"op": "listeners", "count": 1}]

    # Ada speaks: her audio goes to Janus, and Bob is offered a subscription to it.
    reply = await ada.request({"type": "publish", "sdp": "v=0\r\n"})
    assert reply["type"] == "ok"
    assert (await ada.recv("publish_answer"))["sdp"].startswith("v=0")
    offer = await bob.recv("subscribe_offer")
    assert ada.id in offer["sdp"]
    assert (await bob.request({"type": "subscribe_answer", "sdp": "v=0 bob"}))["type"] == "ok"
    assert media.answers[(room, bob.id)] == "v=0 bob"

    # A listener cannot publish: refused, and nothing reaches the media server.
    refused = await bob.request({"type": "publish", "sdp": "v=0\r\n"})
    assert refused["code"] == "not_speaker"
    assert ("publish", room, bob.id) not in media.calls

    # Bob raises his hand; Ada invites him; he is on stage and may publish.
    assert (await bob.request({"type": "hand", "raised": True}))["type"] == "ok"
    await ada.upsert(bob.id, hand_raised=True)
    assert (await ada.request({"type": "invite_to_speak", "user_id": bob.id}))["type"] == "ok"
    await bob.upsert(bob.id, role="speaker", hand_raised=False)
    assert (await bob.request({"type": "publish", "sdp": "v=0\r\n"}))["type"] == "ok"
    assert bob.id in (await ada.recv("subscribe_offer"))["sdp"]

    # He arrived muted and unmutes; his mute shows to everyone, and a latecomer's
    # snapshot has it too.
    assert (await bob.request({"type": "mute", "muted": False}))["type"] == "ok"
    assert (await bob.request({"type": "mute", "muted": True}))["type"] == "ok"
    await cy.connect()
    late = await cy.join(room)
    assert participant(late["participants"], bob.id)["muted"] is True
    assert participant(late["participants"], bob.id)["publishing"] is True

    # Moving Bob back to the audience stops his publishing.
    assert (await ada.request({"type": "move_to_audience", "user_id": bob.id}))["type"] == "ok"
    await eventually(lambda: bob.id not in media.live_publishers(room))

    # Versions went up by one per delta for everyone (the audience count follows
    # within an announcement interval).
    state = server.services.stage.live(room).state  # type: ignore[union-attr]
    await ada.recv("delta")
    await eventually(lambda: not state.listeners_unannounced)
    while ada.version < state.version:
        await ada.recv("delta")
    assert ada.version == state.version

    # The last moderator leaves: everyone is told, and the room is gone.
    await ada.send({"type": "leave"})
    for member in (bob, cy):
        ended = await member.recv("room_ended")
        assert ended["room"] == room
    await eventually(lambda: room not in media.rooms)
    async with cy.http() as http:
        assert (await http.get("/api/rooms")).json()["rooms"] == []
    assert (await cy.request({"type": "hand", "raised": True}))["code"] == "not_in_room"
    for member in (ada, bob, cy):
        await member.close()


async def test_a_failed_subscription_is_tried_again(server: LiveServer, media: FakeMedia) -> None:
    ada, bob = await server.member("ada"), await server.member("bob")
    room = await open_room(server, ada)
    assert (await ada.request({"type": "publish", "sdp": "v=0\r\n"}))["type"] == "ok"
    media.failing_subscriptions = 2  # the media server hiccups twice
    await bob.connect()
    await bob.join(room)
    # Tried at once, after 0.5 s and after 1 s more: the third attempt reaches Bob.
    offer = await bob.recv("subscribe_offer", timeout=5)
    assert ada.id in offer["sdp"] and media.failing_subscriptions == 0
    live = server.services.stage.live(room)
    assert live is not None and bob.id not in live.subscribe_failures


async def test_invited_listener_answers_before_going_on_stage(server: LiveServer) -> None:
    ada, bob = await server.member("ada"), await server.member("bob")
    room = await open_room(server, ada)
    await bob.connect()
    await bob.join(room)
    await ada.request({"type": "invite_to_speak", "user_id": bob.id})
    state = server.services.stage.live(room).state  # type: ignore[union-attr]
    assert state.participants[bob.id].invited
    assert state.participants[bob.id].role.value == "listener"
    assert (await bob.request({"type": "accept_speak"}))["type"] == "ok"
    assert state.participants[bob.id].role.value == "speaker"
    await ada.close()
    await bob.close()


async def test_a_reconnecting_member_resumes_from_their_version(server: LiveServer) -> None:
    ada, bob = await server.member("ada"), await server.member("bob")
    room = await open_room(server, ada)
    await bob.connect()
    await bob.join(room)
    await bob.request({"type": "hand", "raised": True})
    await ada.upsert(bob.id, hand_raised=True)
    await ada.request({"type": "invite_to_speak", "user_id": bob.id})
    seen = bob.version
    await bob.close()
    await asyncio.sleep(0.1)
    # Things happen while Bob is away; his place on stage is kept for a while.
    await ada.request({"type": "mute", "muted": True})
    await bob.connect()
    await bob.send({"type": "join", "room": room, "since": seen})
    first = await bob.recv("delta", "snapshot")
    assert first["type"] == "delta"
    assert first["version"] == seen + 1 or first["version"] <= seen + 2
    state = server.services.stage.live(room).state  # type: ignore[union-attr]
    assert state.participants[bob.id].role.value == "speaker"
    await ada.close()
    await bob.close()


async def test_a_room_whose_moderator_never_comes_ends(tmp_path, media: FakeMedia) -> None:  # type: ignore[no-untyped-def]
    from tests.support.server import free_port, run_server, server_settings

    settings = server_settings(tmp_path, None, free_port())
    async with run_server(settings, media) as server:
        server.services.stage._empty_room_grace = 0.2
        ada = await server.member("ada")
        async with ada.http() as http:
            room = (await http.post("/api/rooms", json={"title": "Nobody"})).json()["id"]
        await eventually(lambda: server.services.stage.live(room) is None)
        await eventually(lambda: room not in media.rooms)
