"""Profiles, avatars, follows, blocks and search over HTTP, on both engines."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import select

from teahouse.social import avatar_image
from teahouse.store.social_models import Avatar, Notification
from tests.support import images
from tests.support import server as support
from tests.support.fake_media import FakeMedia
from tests.support.server import LiveServer, Member


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia, database_url: str) -> AsyncIterator[LiveServer]:
    """A real server (media faked) on SQLite and on PostgreSQL."""
    settings = support.server_settings(tmp_path, database_url, support.free_port())
    async with support.run_server(settings, media) as live:
        yield live


async def chunks(data: bytes) -> AsyncIterator[bytes]:
    yield data  # no Content-Length: sent with Transfer-Encoding: chunked


def error(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


async def get(member: Member, path: str, **params: Any) -> httpx.Response:
    async with member.http() as http:
        return await http.get(path, params=params)


async def stored_avatar(server: LiveServer, user_id: str) -> bytes | None:
    async with server.services.db.sessions() as s:
        return await s.scalar(select(Avatar.image).where(Avatar.user_id == user_id))


async def test_profile_has_the_social_shape_and_edits(server: LiveServer) -> None:
    ada, bob = await server.member("ada"), await server.member("bob")
    profile = (await get(bob, "/api/users/ada")).json()
    assert set(profile) == {
        "id", "username", "display_name", "avatar_url", "bio", "nominated_by", "joined_at",
        "followers_count", "following_count", "clubs", "followed_by_me", "follows_me",
        "blocked_by_me", "is_me",
    }  # fmt: skip
    assert profile["avatar_url"] is None and profile["clubs"] == [] and not profile["is_me"]
    async with ada.http() as http:
        edited = await http.patch("/api/me/profile", json={"bio": "Engines.", "display_name": "A"})
        assert edited.status_code == 200
        assert (edited.json()["bio"], edited.json()["display_name"]) == ("Engines.", "A")
        for body in ({"bio": "x" * 281}, {"bio": 5}, {"bio": "ok", "is_admin": True}):
            assert error(await http.patch("/api/me/profile", json=body)) == (
                400,
                "invalid_request",
            )
    assert (await get(bob, "/api/users/ada")).json()["bio"] == "Engines."
    async with server.client() as anonymous:
        assert (await anonymous.get("/api/users/ada")).status_code == 401


async def test_avatar_upload_strips_metadata_and_caches_by_etag(server: LiveServer) -> None:
    ada, bob = await server.member("ada"), await server.member("bob")
    async with ada.http() as http:
        put = await http.put(
            "/api/me/avatar", content=images.jpeg_with_gps(), headers={"content-type": "image/png"}
        )
    assert put.status_code == 200, put.text
    url = put.json()["avatar_url"]
    assert url.startswith("/api/users/ada/avatar?v=")
    assert (await get(bob, "/api/users/ada")).json()["avatar_url"] == url

    async with bob.http() as http:
        fresh = await http.get(url)
        plain = await http.get("/api/users/ada/avatar")
        again = await http.get(url, headers={"if-none-match": fresh.headers["etag"]})
    assert fresh.status_code == 200 and fresh.headers["content-type"] == "image/webp"
    assert fresh.headers["cache-control"] == "private, max-age=31536000, immutable"
    assert plain.headers["cache-control"] == "no-cache"
    assert again.status_code == 304 and again.content == b""
    picture = Image.open(io.BytesIO(fresh.content))
    assert picture.format == "WEBP" and max(picture.size) == 512
    assert "exif" not in picture.info and len(picture.getexif()) == 0
    assert b"Exif" not in fresh.content and b"GPS" not in fresh.content
    async with server.client() as anonymous:
        assert (await anonymous.get(url)).status_code == 401

    before = await stored_avatar(server, ada.id)
    refusals = [
        (b"GIF89a but not really", (400, "avatar_not_an_image")),
        (b"<svg/>", (400, "avatar_not_an_image")),
        (images.png_declaring(30000, 30000), (400, "avatar_too_many_pixels")),
        (b"\xff" * (avatar_image.MAX_BYTES + 1), (413, "avatar_too_large")),
    ]
    async with ada.http() as http:
        for body, expected in refusals:
            assert error(await http.put("/api/me/avatar", content=body)) == expected
        chunked = await http.put("/api/me/avatar", content=chunks(images.picture("PNG")))
        assert error(chunked) == (413, "avatar_too_large")
        # The large limit is for avatars only: other writes keep the 64 KiB cap.
        big = await http.patch("/api/me/profile", json={"bio": "x" * 70_000})
        assert error(big) == (413, "request_too_large")
    assert await stored_avatar(server, ada.id) == before  # the old picture stayed
    assert (await get(bob, "/api/users/ada")).json()["avatar_url"] == url

    async with ada.http() as http:
        assert (await http.delete("/api/me/avatar")).status_code == 204
        assert (await http.delete("/api/me/avatar")).status_code == 204
    assert (await get(bob, "/api/users/ada")).json()["avatar_url"] is None
    assert error(await get(bob, "/api/users/ada/avatar")) == (404, "avatar_not_found")


async def test_follow_lists_pages_and_notifications(server: LiveServer) -> None:
    star = await server.member("star")
    fans = [await server.member(f"fan{i}") for i in range(7)]
    for fan in fans:
        async with fan.http() as http:
            assert (await http.post("/api/users/star/follow")).status_code == 204
            assert (await http.post("/api/users/star/follow")).status_code == 204
    async with star.http() as http:
        assert error(await http.post("/api/users/star/follow")) == (400, "invalid_request")
        assert error(await http.post("/api/users/nobody/follow")) == (404, "user_not_found")

    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = (await get(star, "/api/users/star/followers", **params)).json()
        assert len(page["users"]) <= 3
        seen += [user["username"] for user in page["users"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"fan{i}" for i in reversed(range(7))]
    following = (await get(star, "/api/users/fan0/following")).json()
    assert [u["username"] for u in following["users"]] == ["star"]
    assert following["next_cursor"] is None
    for params in ({"limit": 0}, {"limit": 101}, {"cursor": "nonsense"}, {"limit": "x"}):
        assert error(await get(star, "/api/users/star/followers", **params)) == (
            400,
            "invalid_request",
        )
    profile = (await get(fans[0], "/api/users/star")).json()
    assert (profile["followers_count"], profile["followed_by_me"]) == (7, True)

    async with server.services.db.sessions() as s:
        kinds = list(
            await s.scalars(select(Notification.kind).where(Notification.user_id == star.id))
        )
    assert kinds == ["new_follower"] * 7

    async with fans[0].http() as http:
        assert (await http.delete("/api/users/star/follow")).status_code == 204
        assert (await http.delete("/api/users/star/follow")).status_code == 204
    assert (await get(fans[1], "/api/users/star")).json()["followers_count"] == 6


async def test_blocks_make_members_invisible_to_each_other(server: LiveServer) -> None:
    ada, bob, cy = [await server.member(name) for name in ("ada", "bob", "cy")]
    async with bob.http() as http:
        await http.put("/api/me/avatar", content=images.picture("PNG"))
        await http.post("/api/users/ada/follow")
        await http.post("/api/users/cy/follow")
    async with ada.http() as http:
        await http.post("/api/users/bob/follow")
        assert (await http.post("/api/users/bob/block")).status_code == 204
        assert error(await http.post("/api/users/nobody/block")) == (404, "user_not_found")
        assert error(await http.post("/api/users/ada/block")) == (400, "invalid_request")
        blocks = (await http.get("/api/me/blocks")).json()["users"]
    assert [u["username"] for u in blocks] == ["bob"] and blocks[0]["avatar_url"]

    for viewer, other in ((ada, "bob"), (bob, "ada")):
        for path in ("", "/avatar", "/followers", "/following"):
            response = await get(viewer, f"/api/users/{other}{path}")
            assert error(response) == (404, "user_not_found"), path
        async with viewer.http() as http:
            assert error(await http.post(f"/api/users/{other}/follow")) == (404, "user_not_found")
    cy_followers = (await get(ada, "/api/users/cy/followers")).json()["users"]
    assert cy_followers == []  # bob follows cy, but ada cannot see bob
    assert (await get(ada, "/api/users/cy")).json()["followers_count"] == 0
    assert (await get(cy, "/api/users/cy")).json()["followers_count"] == 1
    async with bob.http() as http:
        assert error(await http.delete("/api/users/ada/block")) == (404, "user_not_found")
        assert (await http.get("/api/me/blocks")).json() == {"users": []}
    async with ada.http() as http:
        assert (await http.delete("/api/users/bob/block")).status_code == 204
    profile = (await get(ada, "/api/users/bob")).json()
    assert not profile["followed_by_me"] and not profile["follows_me"]  # follows stay gone


async def test_search_over_http(server: LiveServer) -> None:
    ada, bob = await server.member("ada"), await server.member("bob")
    async with ada.http() as http:
        await http.patch("/api/me/profile", json={"display_name": "Ada Lovelace"})
        room = (await http.post("/api/rooms", json={"title": "Lovely tea"})).json()
    found = (await get(bob, "/api/search", q="lov")).json()
    assert [m["username"] for m in found["members"]] == ["ada"]
    assert found["members"][0]["avatar_url"] is None
    assert [r["id"] for r in found["rooms"]] == [room["id"]]
    assert found["rooms"][0]["title"] == "Lovely tea" and found["clubs"] == []
    only_rooms = (await get(bob, "/api/search", q="lov", kind="rooms")).json()
    assert only_rooms["members"] == [] and len(only_rooms["rooms"]) == 1
    for params in ({"q": ""}, {"q": "   "}, {"q": "x" * 101}, {}, {"q": "a", "kind": "x"}):
        assert error(await get(bob, "/api/search", **params)) == (400, "invalid_request")
    for nasty in ('"', "*", "NEAR(", "-", "OR", "'); DROP TABLE users; --", "ünï", "🍵"):
        response = await get(bob, "/api/search", q=nasty)
        assert response.status_code == 200, (nasty, response.text)
    async with bob.http() as http:
        await http.post("/api/users/ada/block")
    assert (await get(bob, "/api/search", q="ada")).json()["members"] == []
    assert (await get(ada, "/api/search", q="bob")).json()["members"] == []
