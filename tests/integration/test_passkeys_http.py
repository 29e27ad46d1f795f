"""Passkeys over HTTP, on SQLite and on PostgreSQL: a member adds one (after their
password), lists and removes it, and logs in with it; every refusal leaves nothing
behind. The browser's side is a software authenticator (tests/support)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter
from sqlalchemy import func, inspect, select, update
from sqlalchemy.engine import Connection

from teahouse.accounts.export_views import AccountExport
from teahouse.domain import passkeys as rules
from teahouse.domain.clock import utcnow
from teahouse.domain.ids import new_id
from teahouse.store.models import Passkey, Session, User
from tests.support.authenticator import SoftAuthenticator, b64url, unb64url
from tests.support.fake_media import FakeMedia
from tests.support.server import (
    PASSWORD,
    LiveServer,
    Member,
    free_port,
    run_server,
    server_settings,
)


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia, database_url: str) -> AsyncIterator[LiveServer]:
    # Browsers take a domain name as relying party id, never an address: localhost.
    port = free_port()
    settings = server_settings(tmp_path, database_url, port, public_url=f"http://localhost:{port}")
    async with run_server(settings, media) as live:
        yield live


def device(server: LiveServer) -> SoftAuthenticator:
    return SoftAuthenticator(server.settings.public_origin)


def code_of(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


async def creation(member: Member, password: str = PASSWORD) -> httpx.Response:
    async with member.http() as http:
        return await http.post("/api/me/passkeys/options", json={"password": password})


async def add_passkey(
    member: Member, authenticator: SoftAuthenticator, name: str = "Phone", **wrong: Any
) -> httpx.Response:
    started = await creation(member)
    assert started.status_code == 200, started.text
    answer = authenticator.create(started.json()["options"], **wrong)
    async with member.http() as http:
        return await http.post(
            "/api/me/passkeys",
            json={"ceremony": started.json()["ceremony"], "name": name, "credential": answer},
        )


async def log_in(
    server: LiveServer, authenticator: SoftAuthenticator, **wrong: Any
) -> httpx.Response:
    async with server.client() as http:
        started = await http.post("/api/login/passkey/options")
        assert started.status_code == 200, started.text
        answer = authenticator.get(started.json()["options"], **wrong)
        return await http.post(
            "/api/login/passkey",
            json={"ceremony": started.json()["ceremony"], "credential": answer},
        )


async def passkeys_of(server: LiveServer, user_id: str) -> list[Passkey]:
    async with server.services.db.sessions() as s:
        return list(await s.scalars(select(Passkey).where(Passkey.user_id == user_id)))


async def session_count(server: LiveServer) -> int:
    async with server.services.db.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(Session)) or 0)


async def test_a_member_adds_a_passkey_lists_it_and_logs_in_with_it(server: LiveServer) -> None:
    ada = await server.member("ada")
    phone = device(server)
    started = await creation(ada)
    assert started.status_code == 200
    options = started.json()["options"]
    assert options["rp"] == {"id": "localhost", "name": "Teahouse"}
    assert unb64url(options["user"]["id"]) == ada.id.encode()
    assert options["user"]["name"] == "ada"

    added = await add_passkey(ada, phone, "  Ada's   phone ")
    assert added.status_code == 201, added.text
    passkey = added.json()
    assert set(passkey) == {"id", "name", "created_at"} and passkey["name"] == "Ada's phone"
    async with ada.http() as http:
        listed = await http.get("/api/me/passkeys")
    assert listed.json() == {"passkeys": [passkey]}

    # Logging in: no username, the authenticator says whose passkey it is.
    response = await log_in(server, phone)
    assert response.status_code == 200, response.text
    assert response.json()["username"] == "ada"
    token = response.cookies[server.settings.session_cookie_name]
    async with server.client(token) as http:
        assert (await http.get("/api/me")).json()["id"] == ada.id

    # What is kept: the credential id, the public key, the counter, the name.
    [row] = await passkeys_of(server, ada.id)
    credential = phone.credentials[0]
    assert (row.credential_id, row.public_key) == (credential.credential_id, credential.cose_key())
    assert (row.sign_count, row.name) == (1, "Ada's phone")

    def columns(connection: Connection) -> set[str]:
        return {c["name"] for c in inspect(connection).get_columns("passkeys")}

    async with server.services.db.engine.connect() as conn:
        assert await conn.run_sync(columns) == {
            "id", "user_id", "credential_id", "public_key", "sign_count", "name", "created_at",
        }  # fmt: skip


async def test_adding_a_passkey_needs_the_password(server: LiveServer) -> None:
    ada = await server.member("ada")
    ceremonies = server.services.passkeys.ceremonies
    assert code_of(await creation(ada, "not my password")) == (401, "bad_credentials")
    assert len(ceremonies) == 0
    async with server.client() as http:
        anonymous = await http.post("/api/me/passkeys/options", json={"password": PASSWORD})
    assert code_of(anonymous) == (401, "not_authenticated")
    assert len(ceremonies) == 0 and await passkeys_of(server, ada.id) == []


async def test_each_challenge_is_answered_once(server: LiveServer) -> None:
    ada = await server.member("ada")
    phone = device(server)
    started = (await creation(ada)).json()
    body = {
        "ceremony": started["ceremony"],
        "name": "Phone",
        "credential": phone.create(started["options"]),
    }
    async with ada.http() as http:
        assert (await http.post("/api/me/passkeys", json=body)).status_code == 201
        again = await http.post("/api/me/passkeys", json=body)
    assert code_of(again) == (400, "passkey_challenge_expired")
    assert len(await passkeys_of(server, ada.id)) == 1

    sessions = await session_count(server)
    async with server.client() as http:
        started = (await http.post("/api/login/passkey/options")).json()
        body = {"ceremony": started["ceremony"], "credential": phone.get(started["options"])}
        assert (await http.post("/api/login/passkey", json=body)).status_code == 200
        replayed = await http.post("/api/login/passkey", json=body)
    assert code_of(replayed) == (400, "passkey_challenge_expired")
    assert await session_count(server) == sessions + 1


async def test_a_challenge_answers_only_the_ceremony_and_member_it_was_made_for(
    server: LiveServer,
) -> None:
    ada, bob = await server.member("ada"), await server.member("bob")
    phone = device(server)
    bobs = (await creation(bob)).json()
    async with ada.http() as http:
        stolen = await http.post(
            "/api/me/passkeys",
            json={
                "ceremony": bobs["ceremony"],
                "name": "Phone",
                "credential": phone.create(bobs["options"]),
            },
        )
        # A log-in's ceremony, answered as if it were adding a passkey.
        log_in_ceremony = (await http.post("/api/login/passkey/options")).json()
        options = {
            **(await creation(ada)).json()["options"],
            "challenge": log_in_ceremony["options"]["challenge"],
        }
        as_registration = await http.post(
            "/api/me/passkeys",
            json={
                "ceremony": log_in_ceremony["ceremony"],
                "name": "Phone",
                "credential": phone.create(options),
            },
        )
    assert code_of(stolen) == (400, "passkey_challenge_expired")
    assert code_of(as_registration) == (400, "passkey_challenge_expired")
    assert await passkeys_of(server, ada.id) == await passkeys_of(server, bob.id) == []

    # A registration's ceremony does not log anyone in.
    assert (await add_passkey(ada, phone)).status_code == 201
    registration = (await creation(ada)).json()
    async with server.client() as http:
        answer = phone.get({"rpId": "localhost", "challenge": registration["options"]["challenge"]})
        refused = await http.post(
            "/api/login/passkey",
            json={"ceremony": registration["ceremony"], "credential": answer},
        )
    assert code_of(refused) == (400, "passkey_challenge_expired")
    assert "set-cookie" not in refused.headers


@pytest.mark.parametrize(
    "wrong", [{"origin": "http://evil.example"}, {"rp_id": "evil.example"}, {"verified": False}]
)
async def test_a_passkey_made_for_another_site_or_without_verification_is_refused(
    server: LiveServer, wrong: dict[str, Any]
) -> None:
    ada = await server.member("ada")
    refused = await add_passkey(ada, device(server), **wrong)
    assert code_of(refused) == (400, "passkey_rejected")
    assert await passkeys_of(server, ada.id) == []


@pytest.mark.parametrize(
    "wrong", [{"origin": "http://evil.example"}, {"verified": False}, {"count": 0}]
)
async def test_a_log_in_that_does_not_verify_opens_no_session(
    server: LiveServer, wrong: dict[str, Any]
) -> None:
    ada = await server.member("ada")
    phone = device(server)
    assert (await add_passkey(ada, phone)).status_code == 201
    assert (await log_in(server, phone)).status_code == 200  # the counter is now 1
    sessions = await session_count(server)
    refused = await log_in(server, phone, **wrong)
    assert code_of(refused) == (401, "bad_credentials")
    assert "set-cookie" not in refused.headers
    assert await session_count(server) == sessions
    [row] = await passkeys_of(server, ada.id)
    assert row.sign_count == 1


async def test_a_passkey_of_nobody_here_logs_nobody_in(server: LiveServer) -> None:
    await server.member("ada")
    stranger = device(server)
    stranger.create(
        {"rp": {"id": "localhost"}, "user": {"id": b64url(b"x")}, "challenge": b64url(b"c")}
    )
    assert code_of(await log_in(server, stranger)) == (401, "bad_credentials")


async def test_a_removed_passkey_logs_in_no_more(server: LiveServer) -> None:
    ada, bob = await server.member("ada"), await server.member("bob")
    phone = device(server)
    passkey = (await add_passkey(ada, phone)).json()
    async with bob.http() as http:
        not_his = await http.delete(f"/api/me/passkeys/{passkey['id']}")
    assert code_of(not_his) == (404, "passkey_not_found")
    assert len(await passkeys_of(server, ada.id)) == 1
    async with ada.http() as http:
        assert (await http.delete(f"/api/me/passkeys/{passkey['id']}")).status_code == 204
        assert code_of(await http.delete(f"/api/me/passkeys/{passkey['id']}")) == (
            404, "passkey_not_found",
        )  # fmt: skip
        # A control character never reaches the lookup (docs/SECURITY.md, "Text that members type").
        assert code_of(await http.delete("/api/me/passkeys/%00")) == (400, "invalid_request")
        assert (await http.get("/api/me/passkeys")).json() == {"passkeys": []}
    assert code_of(await log_in(server, phone)) == (401, "bad_credentials")


async def test_one_passkey_is_registered_once(server: LiveServer) -> None:
    ada, bob = await server.member("ada"), await server.member("bob")
    assert (await add_passkey(ada, device(server), credential_id=b"same-id")).status_code == 201
    taken = await add_passkey(bob, device(server), credential_id=b"same-id")
    assert code_of(taken) == (409, "passkey_exists")
    assert await passkeys_of(server, bob.id) == []


async def test_a_member_has_at_most_so_many_passkeys(server: LiveServer) -> None:
    ada = await server.member("ada")
    phone = device(server)
    pending = (await creation(ada)).json()  # started while there was room
    async with server.services.db.sessions.begin() as s:
        for i in range(rules.PER_MEMBER):
            s.add(
                Passkey(
                    id=new_id(),
                    user_id=ada.id,
                    credential_id=f"id-{i}".encode(),
                    public_key=b"k",
                    sign_count=0,
                    name=f"Key {i}",
                )
            )
    assert code_of(await creation(ada)) == (409, "too_many_passkeys")
    async with ada.http() as http:
        late = await http.post(
            "/api/me/passkeys",
            json={
                "ceremony": pending["ceremony"],
                "name": "One more",
                "credential": phone.create(pending["options"]),
            },
        )
    assert code_of(late) == (409, "too_many_passkeys")
    assert len(await passkeys_of(server, ada.id)) == rules.PER_MEMBER


async def test_a_bad_name_or_body_is_invalid_request_and_the_ceremony_goes_on(
    server: LiveServer,
) -> None:
    ada = await server.member("ada")
    phone = device(server)
    started = (await creation(ada)).json()
    answer = phone.create(started["options"])
    ceremony = started["ceremony"]
    bad_bodies = [
        {"ceremony": ceremony, "name": "", "credential": answer},
        {"ceremony": ceremony, "name": "key\x1b[2J", "credential": answer},
        {"ceremony": ceremony, "name": "Phone", "credential": {**answer, "rawId": "not base64!"}},
        {"ceremony": ceremony, "name": "Phone", "credential": {**answer, "response": {}}},
        {"ceremony": ceremony, "name": "Phone", "credential": {**answer, "type": "password"}},
        {"ceremony": ceremony, "name": "Phone", "credential": answer, "extra": 1},
        {"ceremony": "", "name": "Phone", "credential": answer},
    ]
    async with ada.http() as http:
        for body in bad_bodies:
            assert code_of(await http.post("/api/me/passkeys", json=body)) == (
                400, "invalid_request",
            ), body  # fmt: skip
        fixed = await http.post(
            "/api/me/passkeys", json={"ceremony": ceremony, "name": "Phone", "credential": answer}
        )
    assert fixed.status_code == 201, fixed.text


async def test_a_suspended_member_cannot_log_in_with_a_passkey(server: LiveServer) -> None:
    ada = await server.member("ada")  # the first member: an admin
    sam = await server.member("sam")
    phone = device(server)
    assert (await add_passkey(sam, phone)).status_code == 201
    async with ada.http() as http:
        assert (await http.post("/api/admin/members/sam/suspend")).status_code == 200
    sessions = await session_count(server)
    assert code_of(await log_in(server, phone)) == (403, "suspended")
    assert await session_count(server) == sessions


async def test_passkey_and_password_log_ins_share_their_limits(server: LiveServer) -> None:
    """Failures of either kind spend the same member's budget: guessing passwords
    slows passkey log-ins down too, and a passkey that does not verify counts as a
    wrong password would."""
    ada, bob = await server.member("ada"), await server.member("bob")
    phones = {name: device(server) for name in ("ada", "bob")}
    for member in (ada, bob):
        assert (await add_passkey(member, phones[member.username])).status_code == 201

    async def password_log_in(username: str, password: str) -> httpx.Response:
        async with server.client() as http:
            return await http.post("/api/login", json={"username": username, "password": password})

    # Wrong passwords for Ada, until the limits answer: her passkey is slowed down too.
    for _ in range(100):
        if (await password_log_in("ada", "wrong password")).status_code == 429:
            break
    else:
        pytest.fail("the password log-in never slowed down")
    limited = await log_in(server, phones["ada"])
    assert code_of(limited) == (429, "too_many_attempts") and "retry-after" in limited.headers

    # Passkey answers for Bob that do not verify, until the limits answer: his
    # password log-in is slowed down too.
    for _ in range(100):
        if (await log_in(server, phones["bob"], verified=False)).status_code == 429:
            break
    else:
        pytest.fail("the passkey log-in never slowed down")
    assert code_of(await password_log_in("bob", PASSWORD)) == (429, "too_many_attempts")


async def test_the_export_lists_passkeys_and_deleting_the_account_removes_them(
    server: LiveServer,
) -> None:
    ada = await server.member("ada")
    phone = device(server)
    assert (await add_passkey(ada, phone, "Work key")).status_code == 201
    async with ada.http() as http:
        export = (await http.get("/api/me/export")).json()
    assert TypeAdapter(AccountExport).validate_python(export) == export
    [exported] = export["passkeys"]
    credential = phone.credentials[0]
    assert exported["name"] == "Work key" and exported["sign_count"] == 0
    assert unb64url(exported["credential_id"]) == credential.credential_id
    assert unb64url(exported["public_key"]) == credential.cose_key()

    async with ada.http() as http:
        gone = await http.request("DELETE", "/api/me", json={"password": PASSWORD})
    assert gone.status_code == 204
    async with server.services.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Passkey)) == 0
    assert code_of(await log_in(server, phone)) == (401, "bad_credentials")


async def test_an_expired_ceremony_is_refused(server: LiveServer) -> None:
    ada = await server.member("ada")
    phone = device(server)
    passkeys = server.services.passkeys
    started = (await creation(ada)).json()
    # As if two minutes had passed: the ceremony's clock, not the test's, moves on.
    clock = passkeys.ceremonies.clock
    passkeys.ceremonies.clock = lambda: clock() + rules.CHALLENGE_TTL_SECONDS
    try:
        async with ada.http() as http:
            late = await http.post(
                "/api/me/passkeys",
                json={
                    "ceremony": started["ceremony"],
                    "name": "Phone",
                    "credential": phone.create(started["options"]),
                },
            )
    finally:
        passkeys.ceremonies.clock = clock
    assert code_of(late) == (400, "passkey_challenge_expired")
    assert await passkeys_of(server, ada.id) == []


async def test_a_session_made_by_a_passkey_lasts_as_a_password_ones(server: LiveServer) -> None:
    ada = await server.member("ada")
    phone = device(server)
    assert (await add_passkey(ada, phone)).status_code == 201
    response = await log_in(server, phone)
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    async with server.services.db.sessions() as s:
        newest = await s.scalar(select(Session).order_by(Session.created_at.desc()).limit(1))
    assert newest is not None and newest.user_id == ada.id
    ttl = timedelta(days=server.settings.session_ttl_days)
    assert abs(newest.expires_at - (utcnow() + ttl)) < timedelta(minutes=1)
    # Suspension ends it like any other session.
    async with server.services.db.sessions.begin() as s:
        await s.execute(update(User).where(User.id == ada.id).values(suspended_at=utcnow()))
    token = response.cookies[server.settings.session_cookie_name]
    async with server.client(token) as http:
        assert (await http.get("/api/me")).status_code == 401
