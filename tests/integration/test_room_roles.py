"""Every room-level action for every kind of member, through the real server.

The stage rules for people inside a room are table-tested in
tests/unit/test_room_state.py. This table adds the members whose standing comes from
outside the room: blocked by its moderator, removed from it, suspended from the
instance, and an instance admin who does not moderate it. Allowed actions do what
they say; refused ones give their code and leave the room as it was."""

from __future__ import annotations

from typing import Any

import pytest
import websockets

from tests.support.server import LiveServer, Member, eventually
from tests.support.social import block, enter, open_room

OK = "ok"
# What each kind of member gets for: joining, muting the speaker, ending the room over
# the WebSocket, reading the room's audit log, ending it through the admin API.
TABLE: dict[str, dict[str, str]] = {
    "moderator": {"join": OK, "mute": OK, "audit": OK, "admin_end": "not_admin", "end": OK},
    "speaker": {"join": OK, "mute": "not_moderator", "audit": "room_not_found",
                "admin_end": "not_admin", "end": "not_moderator"},
    "listener": {"join": OK, "mute": "not_moderator", "audit": "room_not_found",
                 "admin_end": "not_admin", "end": "not_moderator"},
    "blocked": {"join": "blocked", "audit": "room_not_found", "admin_end": "not_admin"},
    "removed": {"join": "removed_from_room", "audit": "room_not_found",
                "admin_end": "not_admin"},
    "suspended": {"join": "4401", "audit": "not_authenticated",
                  "admin_end": "not_authenticated"},
    "admin": {"join": OK, "mute": "not_moderator", "end": "not_moderator", "audit": OK,
              "admin_end": OK},
}  # fmt: skip


async def become(kind: str, server: LiveServer, root: Member, ada: Member, room: str) -> Member:
    """The member to act as, standing in the room as ``kind``."""
    if kind == "admin":
        return root
    subject = await server.member(kind)
    if kind == "blocked":
        await block(server, ada, subject)
    elif kind == "suspended":
        async with root.http() as http:
            response = await http.post(f"/api/admin/members/{kind}/suspend")
            assert response.status_code == 200, response.text
    else:
        await enter(room, subject)
        if kind in ("moderator", "speaker"):
            await ada.request({"type": "invite_to_speak", "user_id": subject.id})
            assert (await subject.request({"type": "accept_speak"}))["type"] == "ok"
        if kind == "moderator":
            await ada.request({"type": "make_moderator", "user_id": subject.id})
        if kind == "removed":
            await ada.request({"type": "remove_from_room", "user_id": subject.id})
            await subject.recv("removed")
    return subject


async def ws_outcome(member: Member, message: dict[str, Any]) -> str:
    reply = await member.request(message)
    return OK if reply["type"] == "ok" else str(reply["code"])


async def http_outcome(member: Member, method: str, path: str) -> str:
    async with member.http() as http:
        response = await http.request(method, path)
    return OK if response.status_code < 300 else str(response.json()["error"]["code"])


@pytest.mark.parametrize("kind", list(TABLE))
async def test_room_actions_for_every_kind_of_member(server: LiveServer, kind: str) -> None:
    expected = TABLE[kind]
    root, ada, sid = [await server.member(n) for n in ("root", "ada", "sid")]
    room = await open_room(ada)
    await enter(room, sid)
    await ada.request({"type": "invite_to_speak", "user_id": sid.id})
    await sid.request({"type": "accept_speak"})
    await sid.request({"type": "mute", "muted": False})  # he arrived muted
    subject = await become(kind, server, root, ada, room)
    stage = server.services.stage
    state = stage.live(room).state  # type: ignore[union-attr]

    # Joining (again, for those already in: a resume).
    if expected["join"] == "4401":
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await subject.connect()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    else:
        if subject.ws is None:
            await subject.connect()
        assert await ws_outcome(subject, {"type": "join", "room": room}) == expected["join"]
    if expected["join"] != OK:
        assert subject.id not in state.participants

    if "mute" in expected:
        outcome = await ws_outcome(subject, {"type": "mute", "muted": True, "user_id": sid.id})
        assert outcome == expected["mute"]
        assert state.participants[sid.id].muted is (outcome == OK)

    assert await http_outcome(subject, "GET", f"/api/rooms/{room}/audit") == expected["audit"]

    end = await http_outcome(subject, "POST", f"/api/admin/rooms/{room}/end")
    assert end == expected["admin_end"]
    if end == OK:
        await eventually(lambda: stage.live(room) is None)
        assert (await sid.recv("room_ended"))["reason"] == "ended_by_admin"
        return
    assert stage.live(room) is not None

    if "end" in expected:
        assert await ws_outcome(subject, {"type": "end_room"}) == expected["end"]
        assert (stage.live(room) is None) is (expected["end"] == OK)
