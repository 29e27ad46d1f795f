"""Club rooms: members-only rooms stay invisible and shut to everyone else."""

from __future__ import annotations

from tests.support.server import LiveServer, Member


async def club_with(server: LiveServer, founder: Member, *members: Member) -> str:
    async with founder.http() as http:
        club_id: str = (await http.post("/api/clubs", json={"name": "Poets"})).json()["id"]
        for member in members:
            await http.post(f"/api/clubs/{club_id}/invites", json={"username": member.username})
    for member in members:
        async with member.http() as http:
            assert (await http.post(f"/api/clubs/{club_id}/join")).status_code == 204
    return club_id


async def test_members_only_rooms_are_hidden_and_shut_to_others(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    ada, bob, eve = [await server.member(n) for n in ("ada", "bob", "eve")]
    club_id = await club_with(server, ada, bob)
    async with ada.http() as http:
        made = await http.post(
            "/api/rooms", json={"title": "Verses", "visibility": "club", "club_id": club_id}
        )
        assert made.status_code == 201
        room = made.json()
        assert room["club"] == {"id": club_id, "name": "Poets"}
        assert room["visibility"] == "club"
        open_room = (
            await http.post("/api/rooms", json={"title": "Open mic", "club_id": club_id})
        ).json()
    await ada.connect()
    await ada.join(room["id"])

    async with bob.http() as http:
        listed = {r["id"]: r for r in (await http.get("/api/rooms")).json()["rooms"]}
        assert set(listed) == {room["id"], open_room["id"]}
        assert listed[room["id"]]["club"]["name"] == "Poets"
    await bob.connect()
    assert (await bob.join(room["id"]))["room"]["id"] == room["id"]

    async with eve.http() as http:
        visible = {r["id"] for r in (await http.get("/api/rooms")).json()["rooms"]}
        assert visible == {open_room["id"]}  # an open club room admits everyone
        hidden = await http.get(f"/api/rooms/{room['id']}")
        assert (hidden.status_code, hidden.json()["error"]["code"]) == (404, "room_not_found")
        assert (await http.get(f"/api/rooms/{open_room['id']}")).json()["club"]["id"] == club_id
    await eve.connect()
    refused = await eve.request({"type": "join", "room": room["id"]})
    assert refused["code"] == "room_not_found"
    assert eve.id not in server.services.stage.live(room["id"]).state.participants  # type: ignore[union-attr]
    assert (await eve.join(open_room["id"]))["room"]["id"] == open_room["id"]

    # Leaving the club shuts the door for the next join.
    async with bob.http() as http:
        assert (await http.delete(f"/api/clubs/{club_id}/members/bob")).status_code == 204
    await bob.send({"type": "leave"})
    assert (await bob.request({"type": "join", "room": room["id"]}))["code"] == "room_not_found"
    for member in (ada, bob, eve):
        await member.close()


async def test_who_may_start_a_club_room(server_on_both: LiveServer) -> None:
    server = server_on_both
    ada, eve = await server.member("ada"), await server.member("eve")
    club_id = await club_with(server, ada)
    async with eve.http() as http:
        cases = [
            (
                await http.post("/api/rooms", json={"title": "Mine", "club_id": club_id}),
                403,
                "not_club_member",
            ),
            (
                await http.post(
                    "/api/rooms",
                    json={"title": "Mine", "visibility": "club", "club_id": club_id},
                ),
                403,
                "not_club_member",
            ),
            (
                await http.post("/api/rooms", json={"title": "Mine", "visibility": "club"}),
                400,
                "invalid_request",
            ),
            (
                await http.post("/api/rooms", json={"title": "Mine", "club_id": "A" * 22}),
                404,
                "club_not_found",
            ),
        ]
    for response, status, code in cases:
        assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert server.services.stage.live_room_ids() == []
    async with ada.http() as http:
        plain = (await http.post("/api/rooms", json={"title": "Plain"})).json()
    assert plain["club"] is None
