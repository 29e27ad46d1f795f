"""Chinese names found by any part over HTTP, on both engines: names set through the
profile route (with its rules for names), a room started through the rooms route."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.server import LiveServer, Member


async def get(member: Member, path: str, **params: Any) -> httpx.Response:
    async with member.http() as http:
        return await http.get(path, params=params)


async def found(member: Member, q: str, kind: str | None = "members") -> list[str]:
    """Usernames, club names and room titles found, in that order (no kind: all)."""
    response = await get(member, "/api/search", q=q, **({"kind": kind} if kind else {}))
    assert response.status_code == 200, response.text
    body = response.json()
    return (
        [m["username"] for m in body["members"]]
        + [c["name"] for c in body["clubs"]]
        + [r["title"] for r in body["rooms"]]
    )


async def test_a_chinese_name_is_found_by_any_part(server_on_both: LiveServer) -> None:
    chen, ada = await server_on_both.member("chen"), await server_on_both.member("ada")
    wei = await server_on_both.member("wei")
    async with chen.http() as http:
        response = await http.patch("/api/me/profile", json={"display_name": "陳威廉"})
        assert response.status_code == 200, response.text
        room = await http.post("/api/rooms", json={"title": "週五爵士之夜"})
        assert room.status_code == 201, room.text
    async with wei.http() as http:
        response = await http.patch("/api/me/profile", json={"display_name": "Ada 陳威"})
        assert response.status_code == 200, response.text
    assert sorted(await found(ada, "威")) == ["chen", "wei"]
    assert sorted(await found(ada, "陳")) == ["chen", "wei"]
    assert await found(ada, "威廉") == ["chen"]
    assert await found(ada, "ada 威") == ["wei"]
    assert await found(ada, "爵士", "rooms") == ["週五爵士之夜"]
    for nothing in ("，。！", "\u3000「」", "・、"):  # punctuation only: nothing, as before
        assert await found(ada, nothing, None) == []
    for control in ("\x07", "威\x00"):  # refused at the edge, as in any text (docs/API.md)
        response = await get(ada, "/api/search", q=control)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_request"
    async with ada.http() as http:
        assert (await http.post("/api/users/chen/block")).status_code in (200, 204)
    assert await found(ada, "威廉") == []
    assert await found(ada, "爵士", "rooms") == []  # chen, hidden from ada, is on its stage
