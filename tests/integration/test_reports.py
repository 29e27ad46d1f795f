"""Reports as members file them and admins read them; a room's audit log and who may
read it."""

from __future__ import annotations

from sqlalchemy import func, select

from teahouse.admin.reports import OPEN_PER_HOUR
from teahouse.store.admin_models import Report
from tests.support.server import LiveServer


async def report_count(server: LiveServer) -> int:
    async with server.services.db.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(Report)) or 0)


async def test_a_report_captures_the_room_and_everyones_role_in_it(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    root, mod, lou = [await server.member(n) for n in ("root", "mod", "lou")]
    async with mod.http() as http:
        room_id = (await http.post("/api/rooms", json={"title": "Night owls"})).json()["id"]
    for member in (mod, lou):
        await member.connect()
        await member.join(room_id)

    async with lou.http() as http:
        filed = await http.post(
            "/api/reports",
            json={"user_id": mod.id, "room_id": room_id, "reason": "harassment",
                  "details": "Shouted at the audience."},
        )  # fmt: skip
    assert filed.status_code == 201, filed.text
    report = filed.json()
    assert report["context"]["room"] == {"id": room_id, "title": "Night owls"}
    assert (report["context"]["reporter_role"], report["context"]["target_role"]) == (
        "listener",
        "moderator",
    )
    assert report["context"]["at"] and report["status"] == "open"
    assert report["user"]["username"] == "mod" and report["reporter"]["username"] == "lou"

    async with root.http() as http:
        listed = (await http.get("/api/admin/reports", params={"status": "open"})).json()
    [seen] = listed["reports"]
    assert seen["id"] == report["id"] and seen["room"]["live"] is True
    assert seen["details"] == "Shouted at the audience."
    for member in (mod, lou):
        await member.close()


async def test_bad_reports_are_refused_and_change_nothing(server_on_both: LiveServer) -> None:
    server = server_on_both
    await server.member("root")
    ada, bob = await server.member("ada"), await server.member("bob")
    async with bob.http() as http:
        closed = (
            await http.post("/api/rooms", json={"title": "Private", "visibility": "closed"})
        ).json()["id"]
    cases = [
        ({"user_id": ada.id, "reason": "spam"}, 400, "cannot_report_yourself"),
        ({"reason": "spam"}, 400, "invalid_request"),
        ({"user_id": bob.id, "reason": "boredom"}, 400, "invalid_request"),
        ({"user_id": bob.id, "reason": "spam", "details": "x" * 1001}, 400, "invalid_request"),
        ({"user_id": "x" * 22, "reason": "spam"}, 404, "user_not_found"),
        ({"room_id": "y" * 22, "reason": "spam"}, 404, "room_not_found"),
        ({"room_id": closed, "reason": "spam"}, 404, "room_not_found"),  # not for Ada's eyes
    ]
    async with ada.http() as http:
        for body, status, code in cases:
            response = await http.post("/api/reports", json=body)
            assert (response.status_code, response.json()["error"]["code"]) == (status, code), body
    assert await report_count(server) == 0


async def test_a_member_cannot_flood_the_admins(server_on_both: LiveServer) -> None:
    server = server_on_both
    root = await server.member("root")
    ada, bob = await server.member("ada"), await server.member("bob")
    async with ada.http() as http:
        for _ in range(OPEN_PER_HOUR):
            ok = await http.post("/api/reports", json={"user_id": bob.id, "reason": "spam"})
            assert ok.status_code == 201
        flood = await http.post("/api/reports", json={"user_id": bob.id, "reason": "spam"})
    assert (flood.status_code, flood.json()["error"]["code"]) == (429, "too_many_reports")
    assert await report_count(server) == OPEN_PER_HOUR
    # Once an admin has dealt with one, there is room for another.
    async with root.http() as http:
        first = (await http.get("/api/admin/reports")).json()["reports"][0]
        await http.post(f"/api/admin/reports/{first['id']}/resolve", json={"resolution": "ok"})
    async with ada.http() as http:
        again = await http.post("/api/reports", json={"user_id": bob.id, "reason": "other"})
    assert again.status_code == 201


async def test_a_rooms_audit_log_is_for_its_moderators_and_admins(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    root, cy, lou, eve = [await server.member(n) for n in ("root", "cy", "lou", "eve")]
    async with cy.http() as http:
        room_id = (
            await http.post("/api/rooms", json={"title": "Closed tea", "visibility": "closed"})
        ).json()["id"]
        await cy.connect()
        await cy.join(room_id)
        admitted = await http.post(f"/api/rooms/{room_id}/admit", json={"username": "lou"})
        assert admitted.status_code == 204
    async with root.http() as http:
        assert (await http.post(f"/api/admin/rooms/{room_id}/end")).status_code == 204

    expected = [("end_room", "root", None), ("admit", "cy", "lou")]
    for reader in (cy, root):  # the creator (the room has ended), an admin
        async with reader.http() as http:
            page = (await http.get(f"/api/rooms/{room_id}/audit")).json()
        assert [
            (e["action"], e["actor"]["username"], e["target"] and e["target"]["username"])
            for e in page["entries"]
        ] == expected
        assert page["entries"][1]["room"] == {"id": room_id, "title": "Closed tea"}
    for outsider in (lou, eve):  # admitted listener, stranger: the room does not exist
        async with outsider.http() as http:
            refused = await http.get(f"/api/rooms/{room_id}/audit")
        assert (refused.status_code, refused.json()["error"]["code"]) == (404, "room_not_found")
    async with eve.http() as http:
        unknown = await http.get(f"/api/rooms/{'z' * 22}/audit")
    assert unknown.json()["error"]["code"] == "room_not_found"
    await cy.close()


async def test_a_live_moderator_who_did_not_create_the_room_reads_its_log(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    await server.member("root")
    cy, mo = await server.member("cy"), await server.member("mo")
    async with cy.http() as http:
        room_id = (await http.post("/api/rooms", json={"title": "Tea"})).json()["id"]
    async with mo.http() as http:
        before = await http.get(f"/api/rooms/{room_id}/audit")
    assert before.status_code == 404
    await cy.connect()
    await cy.join(room_id)
    await mo.connect()
    await mo.join(room_id)
    assert (await cy.request({"type": "invite_to_speak", "user_id": mo.id}))["type"] == "ok"
    assert (await mo.request({"type": "accept_speak"}))["type"] == "ok"
    async with mo.http() as http:
        speaking = await http.get(f"/api/rooms/{room_id}/audit")
    assert speaking.status_code == 404  # on stage, but not a moderator
    assert (await cy.request({"type": "make_moderator", "user_id": mo.id}))["type"] == "ok"
    async with mo.http() as http:
        after = await http.get(f"/api/rooms/{room_id}/audit")
    assert after.status_code == 200
    assert [e["action"] for e in after.json()["entries"]] == ["make_moderator", "invite_to_speak"]
    await mo.close()
    await cy.close()
