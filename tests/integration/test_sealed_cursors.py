"""Every cursor that leaves the server is sealed (cursor_seal.py): no paged
route's ``next_cursor``, nor the audience's ``next``, holds a time or an id in any
decoding, and paging still walks every list, on both engines."""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from teahouse.cursor_seal import CursorSeal
from teahouse.domain.clock import utcnow
from teahouse.domain.cursors import Cursor
from teahouse.domain.ids import new_id
from teahouse.store.admin_models import AuditEntry, Report
from teahouse.store.models import Invite, Room, User
from teahouse.store.social_models import Club, Follow, Notification
from tests.support.fake_media import FakeMedia
from tests.support.server import LiveServer, Member, eventually
from tests.support.social import club, enter, open_room, serve


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia, database_url: str) -> AsyncIterator[LiveServer]:
    async with serve(tmp_path, media, database_url) as live:
        yield live


def decodings(text: str, depth: int = 3) -> list[str]:
    """``text`` and what it reads as in base64 (URL-safe or not, padded or not),
    base64 inside base64 too, each as Latin-1 so that every byte shows."""
    found = [text]
    if depth == 0:
        return found
    padded = text + "=" * (-len(text) % 4)
    for alphabet in (b"-_", b"+/"):
        try:
            raw = base64.b64decode(padded, altchars=alphabet, validate=True)
        except (binascii.Error, ValueError):
            continue
        found += decodings(raw.decode("latin-1"), depth - 1)
    return found


async def secrets_of(server: LiveServer) -> set[str]:
    """What no cursor may show: every id in the database, and today's date (each
    list sorts by a time of today: a follow's, a join's, a report's)."""
    found = {utcnow().date().isoformat(), str(utcnow().year)}
    async with server.services.db.sessions() as s:
        for table in (User, Room, Club, Invite, Notification, AuditEntry, Report):
            found |= set(await s.scalars(select(table.id)))
    return found


async def setup_every_list(server: LiveServer) -> tuple[Member, dict[str, str]]:
    """An admin with two or more entries in every paged list; the lists' paths."""
    ada = await server.member("ada")  # the first member: the admin
    fans = [await server.member(f"fan{i}") for i in range(3)]
    for fan in fans:
        async with fan.http() as http:
            assert (await http.post("/api/users/ada/follow")).status_code == 204
        async with ada.http() as http:
            assert (await http.post(f"/api/users/{fan.username}/follow")).status_code == 204
    club_id = await club(server, "Readers", (ada, *fans))
    room_id = await open_room(ada, "Tea")
    await open_room(fans[0], "Coffee")
    async with ada.http() as http:
        for fan in fans:
            report = {"user_id": fan.id, "reason": "spam"}
            assert (await http.post("/api/reports", json=report)).status_code == 201
    async with server.services.db.sessions.begin() as s:
        for _ in fans:
            s.add(AuditEntry(id=new_id(), actor_id=ada.id, action="mute", room_id=room_id))
    return ada, {
        "/api/users/{username}/followers": "/api/users/ada/followers",
        "/api/users/{username}/following": "/api/users/ada/following",
        "/api/clubs/{club_id}/members": f"/api/clubs/{club_id}/members",
        "/api/hallway": "/api/hallway",
        "/api/notifications": "/api/notifications",
        "/api/rooms/{room_id}/audit": f"/api/rooms/{room_id}/audit",
        "/api/admin/members": "/api/admin/members",
        "/api/admin/invites": "/api/admin/invites",
        "/api/admin/reports": "/api/admin/reports",
        "/api/admin/audit": "/api/admin/audit",
    }


def paged_routes(server: LiveServer) -> set[str]:
    """Every route of the API that takes a ``?cursor=`` (from its OpenAPI schema)."""
    return {
        path
        for path, operations in server.app.openapi()["paths"].items()
        for operation in operations.values()
        if any(
            p["in"] == "query" and p["name"] == "cursor" for p in operation.get("parameters", [])
        )
    }


def items_of(body: dict[str, Any]) -> list[Any]:
    (items,) = (
        value
        for key, value in body.items()
        if key not in {"events", "unread"} and isinstance(value, list)
    )
    return items


async def test_no_paged_route_shows_its_sort_key_and_paging_still_walks_every_list(
    server: LiveServer,
) -> None:
    ada, lists = await setup_every_list(server)
    assert paged_routes(server) == set(lists), "a paged route this test does not cover"
    hidden = await secrets_of(server)
    async with ada.http() as http:
        for route, path in lists.items():
            whole = (await http.get(path, params={"limit": 100})).json()
            assert whole["next_cursor"] is None and len(items_of(whole)) >= 2, route
            walked: list[Any] = []
            cursor = None
            while True:
                params: dict[str, Any] = {"limit": 1, **({"cursor": cursor} if cursor else {})}
                page = (await http.get(path, params=params)).json()
                walked += items_of(page)
                if (cursor := page["next_cursor"]) is None:
                    break
                for text in decodings(cursor):
                    assert not any(secret in text for secret in hidden), (route, cursor)
                # Sealed afresh each time: two cursors of one place differ.
                again = (await http.get(path, params=params)).json()["next_cursor"]
                assert again != cursor, route
            assert walked == items_of(whole), route


async def test_a_changed_cut_or_foreign_cursor_is_invalid_and_changes_nothing(
    server: LiveServer,
) -> None:
    ada, _ = await setup_every_list(server)
    path = "/api/users/ada/followers"
    async with ada.http() as http:
        first = (await http.get(path, params={"limit": 1})).json()
        cursor = first["next_cursor"]
        flipped = cursor[:10] + ("A" if cursor[10] != "A" else "B") + cursor[11:]
        foreign = CursorSeal(lambda: secrets.token_bytes(32))
        refused = [
            flipped,
            cursor[:-4],
            cursor + "AAAA",
            foreign.seal(Cursor, Cursor(utcnow(), ada.id).encode()),
            Cursor(utcnow(), ada.id).encode(),  # the key itself, as cursors once were
        ]
        for text in refused:
            answer = await http.get(path, params={"limit": 1, "cursor": text})
            assert answer.status_code == 400, text
            assert answer.json()["error"]["code"] == "invalid_request"
        # A followers cursor is not a hallway cursor.
        hallway = await http.get("/api/hallway", params={"cursor": cursor})
        assert hallway.json()["error"]["code"] == "invalid_request"
        assert (await http.get(path, params={"limit": 1})).json()["users"] == first["users"]
    async with server.services.db.sessions() as s:
        assert len(list(await s.scalars(select(Follow)))) == 6


async def test_a_cursor_still_opens_after_a_restart(
    tmp_path: Path, media: FakeMedia, database_url: str
) -> None:
    async with serve(tmp_path, media, database_url) as live:
        ada, _ = await setup_every_list(live)
        async with ada.http() as http:
            first = (await http.get("/api/users/ada/followers", params={"limit": 1})).json()
    assert (tmp_path / "cursor.key").stat().st_mode & 0o777 == 0o600
    async with serve(tmp_path, media, database_url) as live:
        async with live.client(ada.token) as http:
            params = {"limit": 1, "cursor": first["next_cursor"]}
            second = await http.get("/api/users/ada/followers", params=params)
        assert second.status_code == 200
        assert second.json()["users"] and second.json()["users"] != first["users"]


async def test_the_audience_cursor_is_sealed_and_still_pages(server: LiveServer) -> None:
    ada = await server.member("ada")
    room = await open_room(ada)
    listeners = [await server.member(f"m{i}") for i in range(4)]
    await enter(room, *listeners)
    state = server.services.stage.live(room).state  # type: ignore[union-attr]
    await eventually(lambda: not state.listeners_unannounced)
    hidden = await secrets_of(server)
    seen: list[str] = []
    after = None
    while True:
        message: dict[str, Any] = {"type": "audience", "limit": 1}
        if after:
            message["after"] = after
        await ada.send(message)
        page = await ada.recv("audience_page")
        seen += [user["id"] for user in page["listeners"]]
        if (after := page["next"]) is None:
            break
        for text in decodings(after):
            # The place is a small number: in the clear it would read as one.
            assert not any(secret in text for secret in hidden)
            assert not text.strip('"').isdigit()
        await ada.send(message)
        assert (await ada.recv("audience_page"))["next"] != after
    assert seen == [m.id for m in listeners]
    for bad in ("zz", "MQ", after_of_another_kind(server)):
        refused = await ada.request({"type": "audience", "after": bad})
        assert refused["code"] == "bad_cursor"


def after_of_another_kind(server: LiveServer) -> str:
    sealed = server.services.cursors.seal(Cursor, Cursor(utcnow(), new_id()).encode())
    assert sealed is not None
    return sealed
