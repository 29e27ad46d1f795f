"""Every admin action, as an admin, an ordinary member and a suspended member.

Allowed actions do what they say (checked in the database); refused ones answer
their documented error code and change nothing (every watched table compared).
"""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from teahouse.store.admin_models import AuditEntry
from teahouse.store.models import Invite, Session, User
from tests.support.admin import snapshot, surviving_session
from tests.support.server import LiveServer


class World:
    """root (the first member: an admin), ada (a member), sus (suspended), tara and
    tim (targets: tim suspended), an invitation of each kind, a report, a live room."""

    async def build(self, server: LiveServer) -> None:
        self.server = server
        db = server.services.db
        self.root, self.ada, self.sus, self.tara, self.tim = [
            await server.member(name) for name in ("root", "ada", "sus", "tara", "tim")
        ]
        admin = server.services.admin
        await admin.suspend(None, "sus")
        await admin.suspend(None, "tim")
        self.sus_token = await surviving_session(db, self.sus.id)
        async with self.tara.http() as http:
            self.unused = (await http.post("/api/invites")).json()
        async with self.ada.http() as http:
            room = await http.post("/api/rooms", json={"title": "Ada's room"})
            self.room_id = room.json()["id"]
        async with db.sessions() as s:
            self.unused_id = await s.scalar(
                select(Invite.id).where(Invite.created_by_id == self.tara.id)
            )
            self.used_id = await s.scalar(select(Invite.id).where(Invite.used_by_id == self.ada.id))
        async with self.ada.http() as http:
            report = await http.post(
                "/api/reports", json={"user_id": self.tara.id, "reason": "spam"}
            )
            assert report.status_code == 201, report.text
            self.report_id = report.json()["id"]

    def actions(self) -> list[tuple[str, str, dict[str, Any] | None]]:
        return [
            ("GET", "/api/admin/members", None),
            ("GET", "/api/admin/members/tara", None),
            ("POST", "/api/admin/members/tara/grant-admin", None),
            ("POST", "/api/admin/members/root/revoke-admin", None),
            ("POST", "/api/admin/members/tara/suspend", None),
            ("POST", "/api/admin/members/tim/unsuspend", None),
            ("GET", "/api/admin/members/root/tree", None),
            ("POST", "/api/admin/members/root/revoke-branch", None),
            ("GET", "/api/admin/invites", None),
            ("POST", f"/api/admin/invites/{self.unused_id}/revoke", None),
            ("GET", "/api/admin/reports", None),
            ("POST", f"/api/admin/reports/{self.report_id}/resolve", {"resolution": "ok"}),
            ("POST", f"/api/admin/rooms/{self.room_id}/end", None),
            ("GET", "/api/admin/audit", None),
        ]


async def call(
    http: httpx.AsyncClient, method: str, path: str, body: dict[str, Any] | None = None
) -> httpx.Response:
    return await http.request(method, path, json=body) if body else await http.request(method, path)


async def test_members_and_suspended_members_can_do_no_admin_action(
    server_on_both: LiveServer,
) -> None:
    world = World()
    await world.build(server_on_both)
    db = server_on_both.services.db
    before = await snapshot(db)
    for token, status, code in (
        (world.ada.token, 403, "not_admin"),
        (world.sus_token, 401, "not_authenticated"),  # even with a session row left over
    ):
        async with server_on_both.client(token) as http:
            for method, path, body in world.actions():
                response = await call(http, method, path, body)
                assert (response.status_code, response.json()["error"]["code"]) == (
                    status,
                    code,
                ), (method, path)
    assert await snapshot(db) == before
    assert server_on_both.services.stage.live(world.room_id) is not None


async def test_admins_act_and_refusals_change_nothing(server_on_both: LiveServer) -> None:
    world = World()
    await world.build(server_on_both)
    db = server_on_both.services.db

    async def user(name: str) -> User:
        async with db.sessions() as s:
            found = await s.scalar(select(User).where(User.username == name))
        assert found is not None
        return found

    async with world.root.http() as http:

        async def refused(
            method: str, path: str, status: int, code: str, body: dict[str, Any] | None = None
        ) -> None:
            before = await snapshot(db)
            response = await call(http, method, path, body)
            assert (response.status_code, response.json()["error"]["code"]) == (status, code)
            assert await snapshot(db) == before, (method, path)

        async def ok(method: str, path: str, body: dict[str, Any] | None = None) -> Any:
            response = await call(http, method, path, body)
            assert response.is_success, (path, response.text)
            return response.json() if response.content else None

        listed = await ok("GET", "/api/admin/members")
        status = {
            m["username"]: (m["is_admin"], bool(m["suspended_at"])) for m in listed["members"]
        }
        assert status == {
            "root": (True, False), "ada": (False, False), "sus": (False, True),
            "tara": (False, False), "tim": (False, True),
        }  # fmt: skip
        searched = await http.get("/api/admin/members", params={"query": "TA", "status": "active"})
        assert [m["username"] for m in searched.json()["members"]] == ["tara"]

        # Admin rights: never the last admin; never a suspended member.
        await refused("POST", "/api/admin/members/root/revoke-admin", 409, "last_admin")
        await refused("POST", "/api/admin/members/tim/grant-admin", 409, "member_suspended")
        await refused("POST", "/api/admin/members/nobody/grant-admin", 404, "user_not_found")
        assert (await ok("POST", "/api/admin/members/tara/grant-admin"))["is_admin"] is True
        assert (await user("tara")).is_admin
        # Admins are not suspended, not even by themselves.
        await refused("POST", "/api/admin/members/root/suspend", 409, "cannot_suspend_admin")
        await refused("POST", "/api/admin/members/tara/suspend", 409, "cannot_suspend_admin")
        await ok("POST", "/api/admin/members/tara/revoke-admin")
        assert not (await user("tara")).is_admin

        # Suspension ends the member's sessions; lifting it lets them log in again.
        suspended = await ok("POST", "/api/admin/members/tara/suspend")
        assert suspended["suspended_at"] is not None
        assert (await user("tara")).suspended_at is not None
        async with db.sessions() as s:
            assert await s.scalar(select(Session).where(Session.user_id == world.tara.id)) is None
        await ok("POST", "/api/admin/members/tim/unsuspend")
        assert (await user("tim")).suspended_at is None

        # Invitations: an unused one is revoked; a used or unknown one cannot be.
        await refused("POST", f"/api/admin/invites/{world.used_id}/revoke", 409, "invite_used")
        await refused("POST", "/api/admin/invites/xxxxxxxxxxxxxxxxxxxxxx/revoke", 404,
                      "invite_not_found")  # fmt: skip
        await ok("POST", f"/api/admin/invites/{world.unused_id}/revoke")
        async with db.sessions() as s:
            invite = await s.get(Invite, world.unused_id)
        assert invite is not None and invite.revoked_at is not None
        revoked = await http.get("/api/admin/invites", params={"status": "revoked"})
        assert [i["id"] for i in revoked.json()["invites"]] == [world.unused_id]

        # Reports: resolved once, with the note.
        path = f"/api/admin/reports/{world.report_id}/resolve"
        resolved = await ok("POST", path, {"resolution": "Talked to them."})
        assert resolved["status"] == "resolved" and resolved["resolution"] == "Talked to them."
        await refused("POST", path, 409, "already_resolved", {"resolution": "again"})
        assert (await ok("GET", "/api/admin/reports"))["reports"] == []

        # Rooms: a live room ends for everyone; then there is no such live room.
        await ok("POST", f"/api/admin/rooms/{world.room_id}/end")
        assert server_on_both.services.stage.live(world.room_id) is None
        await refused("POST", f"/api/admin/rooms/{world.room_id}/end", 404, "room_not_found")

        entries = (await ok("GET", "/api/admin/audit"))["entries"]
    actions = [e["action"] for e in reversed(entries)]
    assert actions[-7:] == [
        "grant_admin", "revoke_admin", "suspend", "unsuspend", "revoke_invite",
        "resolve_report", "end_room",
    ]  # fmt: skip
    assert actions[:2] == ["suspend", "suspend"]  # sus and tim, from the service (CLI)
    newest = entries[0]
    assert newest["actor"]["username"] == "root" and newest["room"]["title"] == "Ada's room"
    assert newest["detail"] == {"reason": "ended_by_admin"}
    async with db.sessions() as s:
        cli = list(await s.scalars(select(AuditEntry).where(AuditEntry.actor_id.is_(None))))
    assert [e.detail for e in cli] == [{"via": "cli"}, {"via": "cli"}]
