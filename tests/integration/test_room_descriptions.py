"""Room descriptions (docs/API.md, docs/PROTOCOL.md): set when a room is started,
changed live by its moderators, refused for anyone else and for text that is not
allowed, on both engines. A refusal leaves the description as it was: in the room,
in the hallway and in the database."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from teahouse.domain.room_changes import Description
from teahouse.store.models import Room
from tests.support import social
from tests.support.server import LiveServer, Member
from tests.support.social import enter

ABOUT = "Bring a cup.\nWe talk about oolong, then whatever comes up."


async def start(member: Member, **body: Any) -> Any:
    async with member.http() as http:
        return await http.post("/api/rooms", json={"title": "Tea", **body})


async def change(member: Member, room_id: str, description: Any) -> Any:
    async with member.http() as http:
        return await http.patch(f"/api/rooms/{room_id}", json={"description": description})


async def stored(server: LiveServer, room_id: str) -> str:
    async with server.services.db.sessions() as s:
        found: str = (await s.scalars(select(Room.description).where(Room.id == room_id))).one()
    return found


async def description_change(member: Member) -> dict[str, Any]:
    """The next ``description`` change this member is sent (other deltas pass by)."""
    while True:
        for change in (await member.recv("delta"))["changes"]:
            if change["op"] == "description":
                return change  # type: ignore[no-any-return]


async def hallway_card(member: Member, room_id: str) -> dict[str, Any]:
    async with member.http() as http:
        rooms = (await http.get("/api/hallway")).json()["rooms"]
    card: dict[str, Any] = next(r for r in rooms if r["id"] == room_id)
    return card


async def test_a_description_set_at_the_start_is_everywhere_the_room_shows(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    ada, sid = await server.member("ada"), await server.member("sid")
    response = await start(ada, description=f"  {ABOUT}  ")
    assert response.status_code == 201, response.text
    room = response.json()
    assert room["description"] == ABOUT  # trimmed, line break kept
    await enter(room["id"], ada)
    await sid.connect()
    snapshot = await sid.join(room["id"])
    assert snapshot["room"]["description"] == ABOUT
    assert (await hallway_card(sid, room["id"]))["description"] == ABOUT
    assert await stored(server, room["id"]) == ABOUT
    # The creator's export holds what they wrote.
    async with ada.http() as http:
        exported = (await http.get("/api/me/export")).json()["rooms_created"]
    assert [r["description"] for r in exported] == [ABOUT]


async def test_a_moderators_change_reaches_everyone_in_the_room_live(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    ada, sid = await server.member("ada"), await server.member("sid")
    room_id = (await start(ada, description=ABOUT)).json()["id"]
    await enter(room_id, ada, sid)
    response = await change(ada, room_id, "Now: green teas only")
    assert response.status_code == 200, response.text
    assert response.json()["description"] == "Now: green teas only"
    assert await description_change(sid) == {
        "op": "description",
        "description": "Now: green teas only",
    }
    assert (await hallway_card(sid, room_id))["description"] == "Now: green teas only"
    assert await stored(server, room_id) == "Now: green teas only"
    async with ada.http() as http:
        entries = (await http.get(f"/api/rooms/{room_id}/audit")).json()["entries"]
    assert [(e["action"], e["detail"]) for e in entries] == [
        ("set_description", {"length": len("Now: green teas only")})
    ]
    # A later arrival's snapshot has it, and emptying it is a change like any other.
    assert (await change(ada, room_id, "")).status_code == 200
    assert await stored(server, room_id) == ""


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [("listener", "not_moderator", 403), ("outsider", "not_moderator", 403)],
)
async def test_anyone_but_a_moderator_is_refused_and_nothing_changes(
    server_on_both: LiveServer, who: str, code: str, status: int
) -> None:
    server = server_on_both
    ada, sid, tom = [await server.member(n) for n in ("ada", "sid", "tom")]
    room_id = (await start(ada, description=ABOUT)).json()["id"]
    await enter(room_id, ada, sid)
    actor = sid if who == "listener" else tom
    response = await change(actor, room_id, "Hijacked")
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert await stored(server, room_id) == ABOUT
    assert (await hallway_card(tom, room_id))["description"] == ABOUT
    state = server.services.stage.live(room_id).state  # type: ignore[union-attr]
    assert state.description == ABOUT
    # No description change among the room's deltas (the audience count's are there).
    deltas = state.deltas_since(0) or []
    assert not any(isinstance(c, Description) for d in deltas for c in d.changes)


@pytest.mark.parametrize(
    "bad",
    ["x" * 281, "bell \x07", "over\u202eride"],
    ids=["too long", "control character", "direction override"],
)
async def test_text_that_is_not_allowed_is_refused_at_the_start_and_on_change(
    server_on_both: LiveServer, bad: str
) -> None:
    server = server_on_both
    ada = await server.member("ada")
    refused = await start(ada, description=bad)
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["code"] == "invalid_request"
    room_id = (await start(ada, description=ABOUT)).json()["id"]
    await enter(room_id, ada)
    response = await change(ada, room_id, bad)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "invalid_request"
    assert await stored(server, room_id) == ABOUT
    assert server.services.stage.live(room_id).state.description == ABOUT  # type: ignore[union-attr]


async def test_an_ended_or_unknown_room_is_refused(server: LiveServer) -> None:
    ada = await server.member("ada")
    response = await change(ada, "A" * 22, "Anything")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "room_not_found"


async def test_a_change_tells_the_hallways_outside_the_room(server: LiveServer) -> None:
    ada, watcher = await server.member("ada"), await server.member("watcher")
    room_id = (await start(ada, description=ABOUT)).json()["id"]
    await enter(room_id, ada)
    await watcher.connect()
    # The room's opening and Ada walking in go by first; then a quiet second.
    await social.count_messages(watcher, "hallway_changed", 1.2)
    assert (await change(ada, room_id, "Something new")).status_code == 200
    assert await watcher.recv("hallway_changed", timeout=3) == {"type": "hallway_changed"}
