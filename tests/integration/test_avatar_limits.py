"""Avatars cost the server neither its memory nor its CPU without bound: they are
decoded in worker processes with a memory limit, and each member has a budget of
uploads (docs/SECURITY.md, "Slow and heavy requests")."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from teahouse.social import avatar_image
from teahouse.store.social_models import Avatar
from tests.support import images
from tests.support.fake_media import FakeMedia
from tests.support.server import LiveServer, Member, free_port, run_server, server_settings

UPLOADS = 3  # per hour, for these tests
WORKER_MIB = 160  # a 40-megapixel RGBA picture needs more to decode


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia) -> AsyncIterator[LiveServer]:
    settings = server_settings(
        tmp_path,
        None,
        free_port(),
        avatar_uploads_per_hour=UPLOADS,
        avatar_memory_mib=WORKER_MIB,
    )
    async with run_server(settings, media) as live:
        yield live


async def upload(member: Member, picture: bytes) -> httpx.Response:
    async with member.http() as http:
        return await http.put("/api/me/avatar", content=picture)


def code_of(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


async def stored(server: LiveServer, user_id: str) -> bytes | None:
    async with server.services.db.sessions() as s:
        return await s.scalar(select(Avatar.image).where(Avatar.user_id == user_id))


async def served(member: Member) -> bool:
    async with member.http() as http:
        return (await http.get("/api/me")).status_code == 200


async def test_pictures_are_decoded_outside_the_server_process(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def in_this_process(_data: bytes) -> Any:
        raise AssertionError("an avatar was decoded in the server process")

    monkeypatch.setattr(avatar_image, "reencode", in_this_process)
    ada = await server.member("ada")
    response = await upload(ada, images.picture("PNG", (640, 480)))
    assert response.status_code == 200, response.text
    assert (await stored(server, ada.id) or b"")[8:12] == b"WEBP"


async def test_a_picture_too_heavy_to_decode_is_refused_and_the_server_goes_on(
    server: LiveServer,
) -> None:
    ada = await server.member("ada")
    assert (await upload(ada, images.picture("PNG", (64, 48)))).status_code == 200
    before = await stored(server, ada.id)

    # Under the pixel limit, so decoded, but more than the worker's memory holds.
    heavy = images.picture("PNG", (8000, 5000), mode="RGBA")
    assert avatar_image.MAX_PIXELS >= 8000 * 5000 and len(heavy) < avatar_image.MAX_BYTES
    assert code_of(await upload(ada, heavy)) == (400, "avatar_too_many_pixels")
    # A bomb is refused from its header, before anything is decoded.
    bomb = images.png_declaring(30000, 30000)
    assert code_of(await upload(ada, bomb)) == (400, "avatar_too_many_pixels")
    assert await stored(server, ada.id) == before and await served(ada)


async def test_uploads_beyond_the_budget_are_rate_limited_and_change_nothing(
    server: LiveServer,
) -> None:
    ada, bob = await server.member("ada"), await server.member("bob")
    for size in range(1, UPLOADS):
        assert (await upload(ada, images.picture("PNG", (size, size)))).status_code == 200
    # A refused picture spent one too: its decoding is what costs.
    assert code_of(await upload(ada, b"GIF89a but not really")) == (400, "avatar_not_an_image")
    before = await stored(server, ada.id)

    refused = await upload(ada, images.picture("PNG", (64, 48)))
    assert code_of(refused) == (429, "rate_limited")
    # The budget refills at UPLOADS an hour: the next upload in about 20 minutes.
    assert 0 < int(refused.headers["retry-after"]) <= 3600 // UPLOADS
    assert await stored(server, ada.id) == before

    # Another member's budget is their own; deleting a picture is never refused.
    assert (await upload(bob, images.picture("PNG", (64, 48)))).status_code == 200
    async with ada.http() as http:
        assert (await http.delete("/api/me/avatar")).status_code == 204
    assert await stored(server, ada.id) is None
