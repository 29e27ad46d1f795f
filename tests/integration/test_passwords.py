"""A member's password: changed in Settings (the old one required, every other session
ends), or set with an admin's one-time reset link (random, stored hashed, single use,
short-lived, shown once, rate limited like log-in, audit-logged), on both engines."""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from teahouse.domain.clock import utcnow
from teahouse.store.admin_models import AuditEntry
from teahouse.store.models import PasswordReset, User
from tests.integration.test_session_end import another_session, closed_within
from tests.support.server import PASSWORD, LiveServer, Member

NEW = "a much better passphrase"


async def status_of_me(member: Member) -> int:
    async with member.http() as http:
        return (await http.get("/api/me")).status_code


async def login(server: LiveServer, username: str, password: str) -> int:
    async with server.client() as http:
        response = await http.post("/api/login", json={"username": username, "password": password})
    return response.status_code


async def password_hash(server: LiveServer, user_id: str) -> str:
    async with server.services.db.sessions() as s:
        found = await s.scalar(select(User.password_hash).where(User.id == user_id))
    assert found is not None
    return found


async def audit_actions(server: LiveServer) -> list[tuple[str, str | None, dict[str, Any]]]:
    async with server.services.db.sessions() as s:
        rows = await s.execute(
            select(AuditEntry.action, AuditEntry.target_id, AuditEntry.detail).order_by(
                AuditEntry.at
            )
        )
        return [(a, t, dict(d or {})) for a, t, d in rows]


async def still_open(member: Member) -> bool:
    """The socket answers a request (it was not closed)."""
    reply = await member.request({"type": "leave"})
    return reply["type"] in {"ok", "error"} and member.ws.close_code is None


# -- changing it in Settings -----------------------------------------------------------


async def test_a_wrong_old_password_is_refused_and_nothing_changes(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    sam = await server.member("sam")
    phone = await another_session(sam)
    await phone.connect()
    before = await password_hash(server, sam.id)
    async with sam.http() as http:
        wrong = await http.post(
            "/api/me/password", json={"old_password": "not my password", "new_password": NEW}
        )
        weak = await http.post(
            "/api/me/password", json={"old_password": PASSWORD, "new_password": "short"}
        )
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (401, "bad_credentials")
    assert (weak.status_code, weak.json()["error"]["code"]) == (400, "weak_password")
    assert await password_hash(server, sam.id) == before
    assert await status_of_me(sam) == 200 and await status_of_me(phone) == 200
    assert await still_open(phone)
    assert await login(server, "sam", PASSWORD) == 200


async def test_changing_it_ends_every_other_session_and_keeps_this_one(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    sam = await server.member("sam")
    await sam.connect()
    phone = await another_session(sam)
    await phone.connect()
    laptop = await another_session(sam)
    await laptop.connect()

    async with sam.http() as http:
        response = await http.post(
            "/api/me/password", json={"old_password": PASSWORD, "new_password": NEW}
        )
    assert response.status_code == 204, response.text
    # The browser that changed it gets a device cookie under the new password.
    assert server.settings.device_cookie_name in response.cookies
    assert await closed_within(5, phone.ws, laptop.ws) == [4401, 4401]
    assert await status_of_me(phone) == 401 and await status_of_me(laptop) == 401
    assert await status_of_me(sam) == 200
    assert await still_open(sam)
    assert await login(server, "sam", PASSWORD) == 401
    assert await login(server, "sam", NEW) == 200


# -- reset links -----------------------------------------------------------------------


async def make_link(admin: Member, username: str) -> dict[str, Any]:
    async with admin.http() as http:
        response = await http.post(f"/api/admin/members/{username}/reset-link")
    assert response.status_code == 201, response.text
    link: dict[str, Any] = response.json()
    return link


def token_of(link: dict[str, Any]) -> str:
    url: str = link["url"]
    assert "#" in url  # in the fragment: never sent to a server, never in a Referer
    return url.split("#", 1)[1]


async def use(server: LiveServer, token: str, password: str = NEW) -> tuple[int, Any]:
    async with server.client() as http:
        response = await http.post(
            "/api/password-reset", json={"token": token, "password": password}
        )
    return response.status_code, response.json()


async def inspect(server: LiveServer, token: str) -> tuple[int, Any]:
    async with server.client() as http:
        response = await http.post("/api/password-reset/inspect", json={"token": token})
    return response.status_code, response.json()


def code(answer: tuple[int, Any]) -> tuple[int, str]:
    return answer[0], answer[1]["error"]["code"]


async def test_a_reset_link_sets_the_password_once_and_ends_every_session(
    server_on_both: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server = server_on_both
    root = await server.member("root")  # the first member: the admin
    sam = await server.member("sam")
    await sam.connect()
    phone = await another_session(sam)
    await phone.connect()

    first, link = await make_link(root, "sam"), await make_link(root, "sam")
    token = token_of(link)
    assert link["url"].startswith(f"{server.settings.public_url}/reset#")
    assert token_of(first) != token and len(token) >= 43  # random, 256 bits
    async with server.services.db.sessions() as s:
        rows = list(await s.scalars(select(PasswordReset)))
    # Stored hashed: the token itself is in no column.
    assert hashlib.sha256(token.encode()).hexdigest() in {r.token_hash for r in rows}
    assert not any(token in str(vars(r)) for r in rows)
    # Shown once: nothing an admin can read later carries it.
    async with root.http() as http:
        later = (await http.get("/api/admin/members/sam")).text
        later += (await http.get("/api/admin/audit")).text
    assert token not in later
    # The newer link replaced the first.
    assert code(await inspect(server, token_of(first))) == (410, "reset_link_expired")

    seen = await inspect(server, token)
    assert seen[0] == 200 and seen[1]["username"] == "sam"
    assert code(await use(server, token, "short")) == (400, "weak_password")
    assert await login(server, "sam", PASSWORD) == 200  # unchanged so far

    assert await use(server, token) == (200, {"username": "sam"})
    assert await closed_within(5, sam.ws, phone.ws) == [4401, 4401]
    assert await status_of_me(sam) == 401 and await status_of_me(phone) == 401
    assert await login(server, "sam", PASSWORD) == 401
    assert await login(server, "sam", NEW) == 200
    # Single use.
    assert code(await use(server, token, "yet another passphrase")) == (409, "reset_link_used")
    assert code(await inspect(server, token)) == (409, "reset_link_used")
    assert await login(server, "sam", NEW) == 200

    # Nothing the server (or anything in this process) logged holds a token.
    assert token not in caplog.text and token_of(first) not in caplog.text
    actions = [(a, t, d) for a, t, d in await audit_actions(server)]
    assert [(a, t) for a, t, _ in actions] == [
        ("reset_link", sam.id),
        ("reset_link", sam.id),
        ("use_reset_link", sam.id),
    ]


async def test_a_link_used_in_another_members_browser_leaves_that_session(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    root = await server.member("root")
    sam = await server.member("sam")
    token = token_of(await make_link(root, "sam"))
    async with root.http() as http:  # the admin tries the link in their own browser
        response = await http.post("/api/password-reset", json={"token": token, "password": NEW})
    assert response.status_code == 200
    assert server.settings.session_cookie_name not in response.headers.get("set-cookie", "")
    assert await status_of_me(root) == 200 and await status_of_me(sam) == 401
    # Sam's own browser, logged in: its cookie is cleared with the session.
    async with sam.http() as http:
        login_again = await http.post("/api/login", json={"username": "sam", "password": NEW})
    token_again = login_again.cookies[server.settings.session_cookie_name]
    sam_again = Member(server, "sam", sam.id, token_again)
    token = token_of(await make_link(root, "sam"))
    async with sam_again.http() as http:
        response = await http.post(
            "/api/password-reset", json={"token": token, "password": PASSWORD}
        )
    assert response.status_code == 200
    assert server.settings.session_cookie_name in response.headers["set-cookie"]


async def test_an_expired_or_unknown_link_is_refused_and_changes_nothing(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    root = await server.member("root")
    sam = await server.member("sam")
    token = token_of(await make_link(root, "sam"))
    async with server.services.db.sessions.begin() as s:
        await s.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1)))
    before = await password_hash(server, sam.id)
    assert code(await use(server, token)) == (410, "reset_link_expired")
    assert code(await inspect(server, token)) == (410, "reset_link_expired")
    assert code(await use(server, "x" * 43)) == (404, "reset_link_unknown")
    assert code(await use(server, "not a token")) == (404, "reset_link_unknown")
    assert await password_hash(server, sam.id) == before
    assert await status_of_me(sam) == 200
    # A password change makes an outstanding link expire too.
    fresh = token_of(await make_link(root, "sam"))
    async with sam.http() as http:
        changed = await http.post(
            "/api/me/password", json={"old_password": PASSWORD, "new_password": NEW}
        )
    assert changed.status_code == 204
    assert code(await use(server, fresh)) == (410, "reset_link_expired")


async def test_reset_links_are_rate_limited_like_log_in(server_on_both: LiveServer) -> None:
    server = server_on_both
    root = await server.member("root")
    await server.member("sam")
    token = token_of(await make_link(root, "sam"))
    for _ in range(20):  # an address's free failures (docs/SECURITY.md)
        assert code(await use(server, "y" * 43)) == (404, "reset_link_unknown")
    async with server.client() as http:
        refused = await http.post("/api/password-reset", json={"token": token, "password": NEW})
        asked = await http.post("/api/password-reset/inspect", json={"token": token})
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "too_many_attempts"
    assert int(refused.headers["retry-after"]) >= 1
    assert asked.status_code == 429
    # The same pool as log-in's from that address: password guesses wait too.
    assert await login(server, "sam", PASSWORD) == 429
    # Refused for waiting, the link was not checked: once the wait is over, it works.
    server.services.attempts.clock = lambda: time.monotonic() + 3600
    assert (await use(server, token))[0] == 200


async def test_only_admins_make_reset_links(server_on_both: LiveServer) -> None:
    server = server_on_both
    await server.member("root")
    sam, bob = await server.member("sam"), await server.member("bob")
    async with sam.http() as http:
        response = await http.post("/api/admin/members/bob/reset-link")
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_admin"
    async with server.services.db.sessions() as s:
        assert list(await s.scalars(select(PasswordReset))) == []
    assert await status_of_me(bob) == 200
