"""`POST /api/rooms/{id}/link` answers what docs/API.md says: only a moderator of the
live room makes a link; anyone else, in the room or not, gets `403 not_moderator` and
no link is made. The whole link flow is in test_moderation.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.fake_media import FakeMedia
from tests.support.server import LiveServer, Member
from tests.support.social import enter, open_room, serve


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia, database_url: str) -> AsyncIterator[LiveServer]:
    async with serve(tmp_path, media, database_url) as live:
        yield live


async def _link(member: Member, room_id: str) -> tuple[int, str | None]:
    async with member.http() as http:
        response = await http.post(f"/api/rooms/{room_id}/link")
    body = response.json()
    return response.status_code, body.get("error", {}).get("code")


@pytest.mark.parametrize("visibility", ["open", "closed"])
async def test_only_a_moderator_of_the_live_room_makes_a_link(
    server: LiveServer, visibility: str
) -> None:
    ada, bob, cy, dee = [await server.member(n) for n in ("ada", "bob", "cy", "dee")]
    room = await open_room(ada, "Board", visibility)
    if visibility == "closed":
        async with ada.http() as http:
            for name in ("bob", "cy", "dee"):
                admitted = await http.post(f"/api/rooms/{room}/admit", json={"username": name})
                assert admitted.status_code == 204
    await enter(room, bob, cy)
    await ada.request({"type": "invite_to_speak", "user_id": cy.id})
    assert (await cy.request({"type": "accept_speak"}))["type"] == "ok"
    live = server.services.stage.live(room)
    assert live is not None

    # A listener, a speaker, and a member who may enter but is not in the room.
    for outsider in (bob, cy, dee):
        assert await _link(outsider, room) == (403, "not_moderator"), outsider.username
    assert live.link_hashes == set()

    status, _ = await _link(ada, room)
    assert status == 201
    assert len(live.link_hashes) == 1
