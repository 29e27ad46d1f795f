"""The HTTP API as a browser meets it: cookies, Origin, documented errors."""

from __future__ import annotations

from pathlib import Path

from tests.support.fake_media import FakeMedia
from tests.support.server import PASSWORD, LiveServer, free_port, run_server, server_settings


async def test_over_https_the_session_is_a_host_only_secure_cookie(tmp_path: Path) -> None:
    port = free_port()
    settings = server_settings(tmp_path, None, port, public_url=f"https://127.0.0.1:{port}")
    async with run_server(settings, FakeMedia()) as server:
        code = await server.invite_code()
        async with server.client() as http:
            response = await http.post(
                "/api/signup",
                json={
                    "code": code,
                    "username": "ada",
                    "password": PASSWORD,
                    "display_name": "Ada L",
                },
            )
    assert response.status_code == 201
    assert response.json()["display_name"] == "Ada L"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-teahouse_session=")
    for flag in ("HttpOnly", "Secure", "Path=/", "SameSite=lax"):
        assert flag.lower() in cookie.lower()
    assert "domain" not in cookie.lower()


async def test_over_plain_http_the_cookie_is_not_secure(server: LiveServer) -> None:
    # Safari drops Secure cookies on http://127.0.0.1, so `make run` must not set one.
    code = await server.invite_code()
    async with server.client() as http:
        response = await http.post(
            "/api/signup", json={"code": code, "username": "ada", "password": PASSWORD}
        )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("teahouse_session=")
    assert "httponly" in cookie.lower()
    assert "secure" not in cookie.lower()


async def test_me_login_logout(server: LiveServer) -> None:
    ada = await server.member("ada")
    async with ada.http() as http:
        assert (await http.get("/api/me")).json()["username"] == "ada"
        assert (await http.post("/api/logout")).status_code == 204
        gone = await http.get("/api/me")
    assert gone.status_code == 401
    assert gone.json()["error"]["code"] == "not_authenticated"
    async with server.client() as http:
        ok = await http.post("/api/login", json={"username": "ada", "password": PASSWORD})
        bad = await http.post("/api/login", json={"username": "ada", "password": "nope nope nope"})
    assert ok.status_code == 200
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "bad_credentials"


async def test_state_changing_requests_need_our_origin(server: LiveServer) -> None:
    ada = await server.member("ada")
    async with ada.http() as http:
        for origin in ("https://evil.example", None):
            headers = {"origin": origin} if origin else {}
            if origin is None:
                http.headers.pop("origin")
            response = await http.post("/api/invites", headers=headers)
            assert response.status_code == 403
            assert response.json()["error"]["code"] == "origin_forbidden"
    assert (await server.services.accounts.me(ada.id))["invites_left"] == 2


async def test_bad_bodies_get_documented_errors(server: LiveServer) -> None:
    ada = await server.member("ada")
    async with ada.http() as http:
        cases = [
            (
                await http.post(
                    "/api/rooms", content=b"{not json", headers={"content-type": "application/json"}
                ),
                400,
                "invalid_request",
            ),
            (await http.post("/api/rooms", json={"title": 5}), 400, "invalid_request"),
            (
                await http.post("/api/rooms", json={"title": "x", "visibility": "secret"}),
                400,
                "invalid_request",
            ),
            (await http.post("/api/rooms", json={"title": "   "}), 400, "invalid_request"),
            (await http.post("/api/rooms", json={"title": "x" * 70000}), 413, "request_too_large"),
            (await http.get("/api/rooms/" + "A" * 22), 404, "room_not_found"),
            (await http.get("/api/no/such/route"), 404, "not_found"),
            (await http.get("/api/users/nobody"), 404, "user_not_found"),
            (await http.post("/api/invites/inspect", json={"code": "x"}), 400, "invite_malformed"),
        ]
    for response, status, code in cases:
        assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert server.services.stage.live_room_ids() == []


async def test_invitation_links_and_quota_over_http(server: LiveServer) -> None:
    ada = await server.member("ada")
    async with ada.http() as http:
        links = [await http.post("/api/invites") for _ in range(3)]
        listed = (await http.get("/api/invites")).json()
    assert [r.status_code for r in links] == [201, 201, 403]
    assert links[2].json()["error"]["code"] == "invite_quota_exhausted"
    assert links[0].json()["url"].startswith(server.url + "/invite#")
    assert listed["invites_left"] == 0 and len(listed["invites"]) == 2
    code = links[0].json()["code"]
    async with server.client() as http:
        inspected = (await http.post("/api/invites/inspect", json={"code": code})).json()
    assert inspected["nominated_by"]["username"] == "ada"


async def test_profiles_show_who_nominated_a_member_to_members_only(server: LiveServer) -> None:
    ada = await server.member("ada")
    async with ada.http() as http:
        code = (await http.post("/api/invites")).json()["code"]
    async with server.client() as http:
        signup = await http.post(
            "/api/signup", json={"code": code, "username": "bob", "password": PASSWORD}
        )
        assert signup.status_code == 201
    async with server.client() as http:
        anonymous = await http.get("/api/users/bob")
    assert anonymous.status_code == 401
    async with ada.http() as http:
        profile = (await http.get("/api/users/bob")).json()
    assert profile["nominated_by"]["username"] == "ada"


async def test_rooms_open_and_closed(server: LiveServer) -> None:
    ada, bob = await server.member("ada"), await server.member("bob")
    async with ada.http() as http:
        open_room = (await http.post("/api/rooms", json={"title": " Morning  tea "})).json()
        closed = (
            await http.post("/api/rooms", json={"title": "Secret", "visibility": "closed"})
        ).json()
        assert {r["id"] for r in (await http.get("/api/rooms")).json()["rooms"]} == {
            open_room["id"],
            closed["id"],
        }
    assert open_room["title"] == "Morning tea"
    async with bob.http() as http:
        assert [r["id"] for r in (await http.get("/api/rooms")).json()["rooms"]] == [
            open_room["id"]
        ]
        hidden = await http.get(f"/api/rooms/{closed['id']}")
        assert hidden.json()["error"]["code"] == "room_not_found"
        refused = await http.post(f"/api/rooms/{closed['id']}/admit", json={"username": "bob"})
        assert refused.json()["error"]["code"] == "room_not_found"
    # The creator has to be in the room (as its moderator) to let people in.
    await ada.connect()
    await ada.join(closed["id"])
    async with ada.http() as http:
        admitted = await http.post(f"/api/rooms/{closed['id']}/admit", json={"username": "bob"})
        assert admitted.status_code == 204
    async with bob.http() as http:
        assert (await http.get(f"/api/rooms/{closed['id']}")).status_code == 200
    await ada.close()


async def test_security_headers_and_the_spa_fallback(server: LiveServer) -> None:
    async with server.client() as http:
        page = await http.get("/room/whatever")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "same-origin"
    assert page.status_code in (200, 503)  # 503 only when the web client is not built
