"""The invitation tree of a member, and revoking a whole branch's unused invitations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from teahouse.store.models import Invite
from tests.support.server import PASSWORD, LiveServer, Member


async def invite(member: Member) -> str:
    async with member.http() as http:
        response = await http.post("/api/invites")
    assert response.status_code == 201
    code: str = response.json()["code"]
    return code


async def invited(server: LiveServer, inviter: Member, username: str) -> Member:
    async with server.client() as http:
        response = await http.post(
            "/api/signup",
            json={"code": await invite(inviter), "username": username, "password": PASSWORD},
        )
    assert response.status_code == 201, response.text
    token = response.cookies[server.settings.session_cookie_name]
    return Member(server, username, response.json()["id"], token)


def shape(node: dict[str, Any]) -> Any:
    return (
        node["member"]["username"],
        node["unused_invites"],
        [shape(child) for child in node["children"]],
    )


async def test_revoking_a_branch_revokes_exactly_its_unused_invitations(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    root = await server.member("root")
    a = await invited(server, root, "ann")
    x = await invited(server, root, "xavier")
    b = await invited(server, a, "ben")
    c = await invited(server, b, "cat")
    codes = {m.username: await invite(m) for m in (a, b, c, x)}  # one unused each

    async with root.http() as http:
        tree = (await http.get("/api/admin/members/root/tree")).json()
        assert shape(tree) == (
            "root", 0, [("ann", 1, [("ben", 1, [("cat", 1, [])])]), ("xavier", 1, [])]
        )  # fmt: skip
        assert tree["member"]["is_admin"] is True
        async with server.services.db.sessions() as s:
            before = {i.id: i for i in await s.scalars(select(Invite))}
        revoked = await http.post("/api/admin/members/ann/revoke-branch")
        assert revoked.json() == {"revoked": 3}
        after_tree = (await http.get("/api/admin/members/ann/tree")).json()
        assert shape(after_tree) == ("ann", 0, [("ben", 0, [("cat", 0, [])])])
        again = await http.post("/api/admin/members/ann/revoke-branch")
        assert again.json() == {"revoked": 0}
        unknown = await http.get("/api/admin/members/nobody/tree")
        assert unknown.json()["error"]["code"] == "user_not_found"

    async with server.services.db.sessions() as s:
        after = {i.id: i for i in await s.scalars(select(Invite))}
    branch = {a.id, b.id, c.id}
    newly_revoked = {i for i in after if after[i].revoked_at and not before[i].revoked_at}
    assert newly_revoked == {
        i for i, row in before.items() if row.created_by_id in branch and row.used_at is None
    }
    assert len(newly_revoked) == 3
    for invite_id, row in after.items():  # nothing else about any invitation changed
        if invite_id not in newly_revoked:
            assert (row.used_at, row.revoked_at, row.used_by_id) == (
                before[invite_id].used_at,
                before[invite_id].revoked_at,
                before[invite_id].used_by_id,
            )

    async with server.client() as http:
        for name in ("ann", "ben", "cat"):
            inspect = await http.post("/api/invites/inspect", json={"code": codes[name]})
            assert (inspect.status_code, inspect.json()["error"]["code"]) == (
                410,
                "invite_revoked",
            )
        signup = await http.post(
            "/api/signup", json={"code": codes["cat"], "username": "dora", "password": PASSWORD}
        )
        assert (signup.status_code, signup.json()["error"]["code"]) == (410, "invite_revoked")
        # Outside the branch, invitations still work.
        xs = await http.post(
            "/api/signup", json={"code": codes["xavier"], "username": "dora", "password": PASSWORD}
        )
        assert xs.status_code == 201
