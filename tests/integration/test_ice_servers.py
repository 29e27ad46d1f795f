"""GET /api/ice-servers: members get a TURN credential of their own; nobody else does."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from teahouse.media.turn import turn_credential
from tests.support.fake_media import FakeMedia
from tests.support.server import LiveServer, free_port, run_server, server_settings

URLS = ["turns:turn.example.org:443?transport=tcp", "turn:turn.example.org:3478"]
SECRET = "a secret only coturn and Teahouse know"


@pytest.fixture
async def turn_server(
    database_url: str, tmp_path: Path, media: FakeMedia
) -> AsyncIterator[LiveServer]:
    secret = tmp_path / "turn-secret"
    secret.write_text(SECRET + "\n")
    settings = server_settings(
        tmp_path, database_url, free_port(), turn_urls=URLS, turn_secret_file=secret
    )
    async with run_server(settings, media) as live:
        yield live


async def test_a_member_gets_a_short_lived_credential_that_names_no_one(
    turn_server: LiveServer,
) -> None:
    ada = await turn_server.member("ada")
    async with ada.http() as http:
        before = int(time.time())
        first = await http.get("/api/ice-servers")
        second = await http.get("/api/ice-servers")
    assert first.status_code == 200
    assert first.headers["cache-control"] == "no-store"
    body = first.json()
    [server] = body["ice_servers"]
    assert server["urls"] == URLS
    expiry, tag = server["username"].split(":")
    assert before + 3600 <= int(expiry) <= int(time.time()) + 3600
    assert ada.id not in tag and "ada" not in server["username"]
    assert server["credential"] == turn_credential(SECRET, server["username"])
    assert body["expires_at"].endswith("Z")
    # Each browser that asks gets a username of its own.
    assert second.json()["ice_servers"][0]["username"] != server["username"]
    # The secret itself never leaves the server.
    assert SECRET not in first.text


async def test_without_a_session_there_is_no_credential(turn_server: LiveServer) -> None:
    async with turn_server.client() as http:
        response = await http.get("/api/ice-servers")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert "credential" not in response.text


async def test_without_turn_configured_the_list_is_empty(server: LiveServer) -> None:
    ada = await server.member("ada")
    async with ada.http() as http:
        response = await http.get("/api/ice-servers")
    assert response.status_code == 200
    assert response.json() == {"ice_servers": [], "expires_at": None}
