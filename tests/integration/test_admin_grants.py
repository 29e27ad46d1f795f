"""What an admin does for a community's first week: more invitations for a member (the
page's route and `teahouse admin give-invites`, audit-logged), a reset link from the
command line, and a notification when a report arrives; on both engines."""

from __future__ import annotations

import asyncio
from typing import Any

from click.testing import CliRunner

from teahouse.cli import main
from tests.integration.test_passwords import audit_actions, login, use
from tests.support.server import LiveServer, Member


async def invites_left(member: Member) -> int:
    async with member.http() as http:
        left: int = (await http.get("/api/invites")).json()["invites_left"]
    return left


async def cli(server: LiveServer, *args: str) -> Any:
    """`teahouse admin ...` against the server's database, as the operator runs it
    (its own process in real life: here its own thread, with its own event loop)."""
    env = {
        "TEAHOUSE_DATA_DIR": str(server.settings.data_dir),
        "TEAHOUSE_DATABASE_URL": server.settings.resolved_database_url,
        "TEAHOUSE_PUBLIC_URL": server.settings.public_url,
        "TEAHOUSE_CONFIG": "",
    }
    return await asyncio.to_thread(CliRunner().invoke, main, ["admin", *args], env=env)


async def test_an_admin_gives_a_member_more_invitations(server_on_both: LiveServer) -> None:
    server = server_on_both
    root = await server.member("root")
    sam = await server.member("sam")
    start = await invites_left(sam)
    async with sam.http() as http:  # a member cannot give themself more
        refused = await http.post("/api/admin/members/sam/invites", json={"count": 5})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_admin"
    async with root.http() as http:
        zero = await http.post("/api/admin/members/sam/invites", json={"count": 0})
        nobody = await http.post("/api/admin/members/nobody/invites", json={"count": 1})
        given = await http.post("/api/admin/members/sam/invites", json={"count": 3})
    assert zero.status_code == 400 and zero.json()["error"]["code"] == "invalid_request"
    assert nobody.status_code == 404 and nobody.json()["error"]["code"] == "user_not_found"
    assert given.status_code == 200, given.text
    assert given.json()["invites_left"] == start + 3
    assert await invites_left(sam) == start + 3

    out = await cli(server, "give-invites", "sam", "2")
    assert out.exit_code == 0, out.output
    assert out.output == f"sam: {start + 5} invitations left\n"
    assert await invites_left(sam) == start + 5
    assert (await cli(server, "give-invites", "nobody", "2")).exit_code == 1

    grants = [(t, d) for a, t, d in await audit_actions(server) if a == "grant_invites"]
    assert grants == [(sam.id, {"count": 3}), (sam.id, {"count": 2, "via": "cli"})]


async def test_the_invitations_are_spent_then_given_again(server_on_both: LiveServer) -> None:
    server = server_on_both
    root = await server.member("root")
    sam = await server.member("sam")
    async with sam.http() as http:
        for _ in range(await invites_left(sam)):
            assert (await http.post("/api/invites")).status_code == 201
        spent = await http.post("/api/invites")
    assert spent.status_code == 403 and spent.json()["error"]["code"] == "invite_quota_exhausted"
    async with root.http() as http:
        assert (
            await http.post("/api/admin/members/sam/invites", json={"count": 1})
        ).status_code == 200
    async with sam.http() as http:
        assert (await http.post("/api/invites")).status_code == 201


async def test_a_reset_link_from_the_command_line(server_on_both: LiveServer) -> None:
    server = server_on_both
    await server.member("root")
    await server.member("sam")
    out = await cli(server, "reset-link", "sam")
    assert out.exit_code == 0, out.output
    url = out.output.splitlines()[-1]
    assert url.startswith(f"{server.settings.public_url}/reset#")
    assert await use(server, url.split("#", 1)[1]) == (200, {"username": "sam"})
    assert await login(server, "sam", "a much better passphrase") == 200
    made = [(a, d) for a, _, d in await audit_actions(server) if a == "reset_link"]
    assert made == [("reset_link", {"via": "cli"})]


async def test_admins_are_notified_of_a_new_report(server_on_both: LiveServer) -> None:
    server = server_on_both
    root = await server.member("root")
    ann = await server.member("ann")
    async with root.http() as http:
        assert (await http.post("/api/admin/members/ann/grant-admin")).status_code == 200
    sam, bob = await server.member("sam"), await server.member("bob")
    await root.connect()
    # An admin who blocked the reporter still hears of the report.
    async with ann.http() as http:
        assert (await http.post(f"/api/users/{sam.username}/block")).status_code in {200, 204}

    async with sam.http() as http:
        filed = await http.post("/api/reports", json={"user_id": bob.id, "reason": "self_harm"})
    assert filed.status_code == 201, filed.text
    report_id = filed.json()["id"]

    pushed = (await root.recv("notification"))["notification"]
    assert pushed["kind"] == "report_filed"
    assert pushed["report"] == {"id": report_id, "reason": "self_harm"}
    assert pushed["actor"] is None  # the report, not the reporter, is what it names
    for admin in (root, ann):
        async with admin.http() as http:
            listed = (await http.get("/api/notifications")).json()["notifications"]
        assert [(n["kind"], n["report"]) for n in listed] == [
            ("report_filed", {"id": report_id, "reason": "self_harm"})
        ]
    for member in (sam, bob):  # neither the reporter nor the reported hears of it
        async with member.http() as http:
            assert (await http.get("/api/notifications")).json()["notifications"] == []
