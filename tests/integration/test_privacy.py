"""A member's own data: the export, and deleting the account, on both engines."""

from __future__ import annotations

import base64
import io
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import websockets
from PIL import Image
from pydantic import TypeAdapter
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import Connection

from teahouse.accounts.export_views import AccountExport
from teahouse.domain.clock import utcnow
from teahouse.domain.ids import new_id
from teahouse.store.models import Room, User
from teahouse.store.social_models import (
    CalendarToken,
    Club,
    ClubFollow,
    ClubInvite,
    ClubJoinRequest,
    ClubMember,
    Event,
    EventCohost,
    EventInterest,
    Notification,
)
from tests.support import images
from tests.support import server as support
from tests.support.fake_media import FakeMedia
from tests.support.server import PASSWORD, LiveServer, Member, eventually

# Distinctive, so that no random id or hex hash can contain it by chance.
LEAVER = "wilhelmina_q"
CARD_KEYS = {"id", "username", "display_name", "avatar_url"}


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia, database_url: str) -> AsyncIterator[LiveServer]:
    settings = support.server_settings(tmp_path, database_url, support.free_port())
    async with support.run_server(settings, media) as live:
        yield live


class Story:
    """Everything a member can leave behind, made through the API where it exists
    and straight in the tables where its service is not built yet (clubs, events)."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.clubs: dict[str, str] = {}
        self.rooms: dict[str, str] = {}

    async def build(self) -> None:
        s = self.server
        self.leaver = await s.member(LEAVER)
        self.bob, self.cy, self.dan, self.eve = [
            await s.member(n) for n in ("bob", "cy", "dan", "eve")
        ]
        async with self.leaver.http() as http:
            await http.patch(
                "/api/me/profile", json={"display_name": "Wilhelmina Q", "bio": "LEAVER-BIO"}
            )
            assert (await http.put("/api/me/avatar", content=images.jpeg_with_gps())).is_success
            invite = (await http.post("/api/invites")).json()
            await http.post("/api/users/bob/follow")
            await http.post("/api/users/dan/block")
        async with s.client() as http:
            fay = await http.post(
                "/api/signup",
                json={"code": invite["code"], "username": "fay", "password": PASSWORD},
            )
            self.fay_id = fay.json()["id"]
        async with self.bob.http() as http:
            await http.patch("/api/me/profile", json={"bio": "BOB-PRIVATE-BIO"})
            await http.post(f"/api/users/{LEAVER}/follow")
        async with self.cy.http() as http:
            await http.post(f"/api/users/{LEAVER}/follow")
        async with self.eve.http() as http:
            await http.post(f"/api/users/{LEAVER}/block")
        await self._clubs_and_events()
        await self._join_requests()
        await self._rooms()
        await self._reports_and_audit()

    async def _reports_and_audit(self) -> None:
        """Reports both ways (one about the Leaver's own room) and admin actions of
        theirs: the Leaver was the first member, so an admin."""
        async with self.bob.http() as http:
            about = await http.post(
                "/api/reports",
                json={"user_id": self.leaver.id, "room_id": self.rooms["old"], "reason": "spam"},
            )
            assert about.status_code == 201, about.text
        async with self.leaver.http() as http:
            by = await http.post(
                "/api/reports",
                json={"user_id": self.bob.id, "reason": "hate", "details": "LEAVER-REPORT"},
            )
            assert by.status_code == 201, by.text
            granted = await http.post("/api/admin/members/cy/grant-admin")
            assert granted.status_code == 200, granted.text

    async def _join_requests(self) -> None:
        """The Leaver asks to join Bob's club; Fay asks to join theirs and they decline."""
        requests = self.server.services.join_requests
        await requests.ask(self.leaver.id, self.clubs["Chess"])
        await requests.ask(self.fay_id, self.clubs["Tea Lovers"])
        [fays] = await requests.open_requests(self.leaver.id, self.clubs["Tea Lovers"])
        await requests.answer(self.leaver.id, self.clubs["Tea Lovers"], fays["id"], accept=False)

    async def _clubs_and_events(self) -> None:
        leaver, bob, cy, dan, eve = (
            m.id for m in (self.leaver, self.bob, self.cy, self.dan, self.eve)
        )
        t = utcnow() - timedelta(days=10)
        clubs = {  # name: (founder, [(member, role)] in the order they joined)
            "Tea Lovers": (leaver, [(leaver, "admin"), (bob, "member"), (cy, "admin")]),
            "Solo": (leaver, [(leaver, "admin")]),
            "Orphans": (None, [(leaver, "admin"), (dan, "member"), (cy, "member")]),
            "Members Only": (leaver, [(leaver, "admin"), (bob, "member")]),
            "Chess": (bob, [(bob, "admin")]),
        }
        async with self.server.services.db.sessions.begin() as s:
            for name, (founder, members) in clubs.items():
                club_id = self.clubs[name] = new_id()
                s.add(Club(id=club_id, name=name, name_key=name.lower(), founder_id=founder))
                await s.flush()
                for i, (member, role) in enumerate(members):
                    at = t + timedelta(hours=i)
                    s.add(ClubMember(club_id=club_id, user_id=member, role=role, joined_at=at))
            s.add(ClubFollow(club_id=self.clubs["Chess"], user_id=leaver))
            s.add(ClubInvite(club_id=self.clubs["Chess"], user_id=leaver, invited_by_id=bob))
            s.add(ClubInvite(club_id=self.clubs["Tea Lovers"], user_id=eve, invited_by_id=leaver))
            soon = utcnow() + timedelta(days=2)
            self.talk, self.bobs_talk = new_id(), new_id()
            s.add(Event(id=self.talk, title="LEAVER talk", starts_at=soon, time_zone="UTC",
                        host_id=leaver))  # fmt: skip
            s.add(Event(id=self.bobs_talk, title="Bob talk", starts_at=soon, time_zone="UTC",
                        host_id=bob, club_id=self.clubs["Chess"]))  # fmt: skip
            await s.flush()
            s.add(EventCohost(event_id=self.talk, user_id=bob))
            s.add(EventCohost(event_id=self.bobs_talk, user_id=leaver))
            s.add(EventInterest(event_id=self.bobs_talk, user_id=leaver))
            s.add(EventInterest(event_id=self.talk, user_id=cy))
            s.add(Notification(id=new_id(), user_id=bob, kind="event_starting",
                               event_id=self.talk, actor_id=leaver))  # fmt: skip
            s.add(CalendarToken(token_hash="c" * 64, user_id=leaver))

    async def _rooms(self) -> None:
        leaver, bob, cy = self.leaver, self.bob, self.cy
        for member in (leaver, bob, cy):
            await member.connect()
        self.rooms["old"] = await self._open(leaver, "Old room")
        await leaver.send({"type": "leave"})
        await eventually(lambda: self.server.services.stage.live(self.rooms["old"]) is None)
        self.rooms["live"] = await self._open(leaver, "Live room")
        await bob.join(self.rooms["live"])
        # The leaver brings Bob up and makes him a second moderator.
        for step in (
            {"type": "invite_to_speak", "user_id": bob.id},
            {"type": "make_moderator", "user_id": bob.id},
        ):
            assert (await leaver.request(step))["type"] == "ok"
            if step["type"] == "invite_to_speak":
                assert (await bob.request({"type": "accept_speak"}))["type"] == "ok"
        self.rooms["closed"] = await self._open(cy, "Cy's closed room", "closed")
        async with cy.http() as http:
            admit = await http.post(
                f"/api/rooms/{self.rooms['closed']}/admit", json={"username": LEAVER}
            )
            assert admit.status_code == 204
        # One socket is in one room: second windows for Bob's own room.
        self.second_windows = [
            Member(self.server, m.username, m.id, m.token) for m in (bob, leaver)
        ]
        for window in self.second_windows:
            await window.connect()
        self.rooms["bobs"] = await self._open(self.second_windows[0], "Bob's room")
        await self.second_windows[1].join(self.rooms["bobs"])
        self.rooms["solo"] = await self._open_elsewhere(leaver, "Solo room")

    async def _open(self, member: Member, title: str, visibility: str = "open") -> str:
        async with member.http() as http:
            created = await http.post("/api/rooms", json={"title": title, "visibility": visibility})
        room_id: str = created.json()["id"]
        await member.join(room_id)
        return room_id

    async def _open_elsewhere(self, member: Member, title: str) -> str:
        """A live room the member created but has not walked into yet."""
        async with member.http() as http:
            created = await http.post("/api/rooms", json={"title": title})
        room_id: str = created.json()["id"]
        return room_id


def all_values(connection: Connection) -> list[tuple[str, str, Any]]:
    """(table, column, value) of every value in every table, shadow tables included."""
    found = []
    for table in inspect(connection).get_table_names():
        result = connection.execute(text(f'SELECT * FROM "{table}"'))
        columns = list(result.keys())
        for row in result:
            found += [(table, column, value) for column, value in zip(columns, row, strict=True)]
    return found


def mentions(value: Any, needles: list[str]) -> bool:
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        return any(n.lower().encode() in value.lower() for n in needles)
    return isinstance(value, str) and any(n.lower() in value.lower() for n in needles)


def cards_in(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        own = [value] if "username" in value else []
        return own + [card for item in value.values() for card in cards_in(item)]
    if isinstance(value, list):
        return [card for item in value for card in cards_in(item)]
    return []


async def test_the_export_holds_the_members_data_and_nobody_elses(server: LiveServer) -> None:
    story = Story(server)
    await story.build()
    async with story.leaver.http() as http:
        response = await http.get("/api/me/export")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        f'attachment; filename="teahouse-{LEAVER}.json"'
    )
    export = response.json()
    raw = response.text
    assert export["account"]["username"] == LEAVER and export["account"]["bio"] == "LEAVER-BIO"
    avatar = Image.open(io.BytesIO(base64.b64decode(export["avatar"]["base64"])))
    assert avatar.format == "WEBP"

    def names(entries: list[dict[str, Any]], key: str = "user") -> set[str]:
        return {entry[key]["username"] for entry in entries}

    assert names(export["following"]) == {"bob"}
    assert names(export["followers"]) == {"bob", "cy"}
    assert names(export["blocks"]) == {"dan"}
    assert [i["used_by"]["username"] for i in export["invitations"]] == ["fay"]
    clubs = export["clubs"]
    assert {c["club"]["name"]: c["role"] for c in clubs["member_of"]} == {
        "Tea Lovers": "admin", "Solo": "admin", "Orphans": "admin", "Members Only": "admin",
    }  # fmt: skip
    assert {c["name"] for c in clubs["founded"]} == {"Tea Lovers", "Solo", "Members Only"}
    assert [c["club"]["name"] for c in clubs["followed"]] == ["Chess"]
    assert [(r["club"]["name"], r["status"]) for r in clubs["join_requests"]] == [("Chess", "open")]
    assert [c["invited_by"]["username"] for c in clubs["invitations"]] == ["bob"]
    [hosted] = export["events_hosted"]
    assert hosted["title"] == "LEAVER talk"
    assert [c["username"] for c in hosted["cohosts"]] == ["bob"]
    assert [e["host"]["username"] for e in export["events_cohosted"]] == ["bob"]
    assert [e["event"]["title"] for e in export["events_asked_about"]] == ["Bob talk"]
    notified = export["notifications"]
    # Fay's is her request to join a club of theirs.
    assert sorted(n["actor"]["username"] for n in notified if n["actor"]) == ["bob", "cy", "fay"]
    # The leaver is the admin: Bob's report about them came as a notice that names
    # neither the report's details nor its reporter.
    assert [n["kind"] for n in notified if not n["actor"]] == ["report_filed"]
    assert {r["title"] for r in export["rooms_created"]} == {"Old room", "Live room", "Solo room"}
    assert [r["title"] for r in export["rooms_admitted_to"]] == ["Cy's closed room"]
    assert len(export["sessions"]) == 1 and len(export["calendar_feed"]) == 1
    [filed] = export["reports_filed"]  # theirs only: not Bob's report about them
    assert (filed["user"]["username"], filed["reason"], filed["details"]) == (
        "bob", "hate", "LEAVER-REPORT",
    )  # fmt: skip

    # Other members appear as cards only; nothing private of theirs, no secrets.
    for card in cards_in(export):
        if card is not export["account"]:
            assert set(card) == CARD_KEYS, card
    for secret in ("BOB-PRIVATE-BIO", story.eve.id, "c" * 64, story.leaver.token, "argon2"):
        assert secret not in raw
    async with server.services.db.sessions() as s:
        hashes = list(await s.scalars(select(User.password_hash)))
    assert not any(h in raw for h in hashes)


async def test_the_export_is_exactly_what_the_api_declares(server: LiveServer) -> None:
    """The download is sent as it is, not validated on its way out: its declared shape
    (``AccountExport``, in the OpenAPI document) must hold every key it has, no more."""
    story = Story(server)
    await story.build()
    async with story.leaver.http() as http:
        export = (await http.get("/api/me/export")).json()
    assert export["reports_filed"] and export["avatar"] and export["notifications"]
    assert TypeAdapter(AccountExport).validate_python(export) == export


async def test_deleting_the_account_leaves_nothing_that_names_them(
    server: LiveServer, database_url: str
) -> None:
    story = Story(server)
    await story.build()
    leaver, bob = story.leaver, story.bob
    async with leaver.http() as http:
        wrong = await http.request("DELETE", "/api/me", json={"password": "not my password"})
        missing = await http.request("DELETE", "/api/me", json={})
        assert (await http.get("/api/me")).status_code == 200
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (401, "bad_credentials")
    assert (missing.status_code, missing.json()["error"]["code"]) == (400, "invalid_request")
    stage = server.services.stage
    assert stage.live(story.rooms["live"]) is not None

    async with leaver.http() as http:
        gone = await http.request("DELETE", "/api/me", json={"password": PASSWORD})
    assert gone.status_code == 204
    cookie = gone.headers["set-cookie"]
    assert cookie.startswith(server.settings.session_cookie_name + '=""') and "Max-Age=0" in cookie

    # Their session is over, on HTTP and for a new socket.
    async with leaver.http() as http:
        assert (await http.get("/api/me")).status_code == 401
    url = server.url.replace("http", "ws") + "/ws"
    headers = {
        "origin": server.url,
        "cookie": f"{server.settings.session_cookie_name}={leaver.token}",
    }
    async with websockets.connect(url, additional_headers=headers) as ws:
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    # A socket opened before is closed: it cannot walk into a room any more.
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await story.second_windows[1].request({"type": "join", "room": story.rooms["bobs"]})
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401

    # Their live room goes on under Bob, who is now its creator; their other rooms end.
    live = stage.live(story.rooms["live"])
    assert live is not None and leaver.id not in live.state.participants
    assert live.info.created_by.username == "bob"
    async with bob.http() as http:
        summary = (await http.get(f"/api/rooms/{story.rooms['live']}")).json()
    assert summary["created_by"]["username"] == "bob"
    assert stage.live(story.rooms["solo"]) is None
    bobs = stage.live(story.rooms["bobs"])
    assert bobs is not None and leaver.id not in bobs.state.participants

    async with server.services.db.sessions() as s:
        room_ids = set(await s.scalars(select(Room.id)))
        founders = dict((await s.execute(select(Club.name, Club.founder_id))).all())
        roles = {
            (club, user): role
            for club, user, role in await s.execute(
                select(ClubMember.club_id, ClubMember.user_id, ClubMember.role)
            )
        }
        fay = await s.get(User, story.fay_id)
        requests = (
            await s.execute(
                select(
                    ClubJoinRequest.user_id, ClubJoinRequest.status, ClubJoinRequest.answered_by_id
                )
            )
        ).all()
    # Their own request went with them; Fay's, which they declined, stays, by nobody.
    assert requests == [(story.fay_id, "declined", None)]
    assert story.rooms["live"] in room_ids and story.rooms["bobs"] in room_ids
    assert story.rooms["old"] not in room_ids and story.rooms["solo"] not in room_ids
    # Clubs: to the longest-standing admin, else member (made admin), else deleted.
    assert founders == {
        "Tea Lovers": story.cy.id, "Orphans": None, "Members Only": bob.id, "Chess": bob.id,
    }  # fmt: skip
    assert roles[(story.clubs["Members Only"], bob.id)] == "admin"
    assert roles[(story.clubs["Orphans"], story.dan.id)] == "admin"
    assert roles[(story.clubs["Tea Lovers"], bob.id)] == "member"
    assert fay is not None and fay.invited_by_id is None

    # No row in any table (the search indexes' included) names them.
    async with server.services.db.engine.connect() as conn:
        values = await conn.run_sync(all_values)
    assert len(values) > 100
    needles = [leaver.id, LEAVER, "wilhelmina", "LEAVER-BIO", "LEAVER talk", "Old room",
               "LEAVER-REPORT"]  # fmt: skip
    assert [(t, c) for t, c, v in values if mentions(v, needles)] == []
    # Bob's report about them stays, about nobody; their admin actions stay, by nobody.
    async with story.cy.http() as http:  # an admin now
        [report] = (await http.get("/api/admin/reports")).json()["reports"]
        assert report["reporter"]["username"] == "bob" and report["user"] is None
        assert report["context"]["room"]["title"] is None
        actions = {e["action"]: e for e in (await http.get("/api/admin/audit")).json()["entries"]}
        assert actions["grant_admin"]["actor"] is None
        assert actions["admit"]["target"] is None
    async with bob.http() as http:
        assert (await http.get(f"/api/users/{LEAVER}")).status_code == 404
        assert (await http.get("/api/search", params={"q": "wilhelmina"})).json()["members"] == []
    for member in (leaver, bob, story.cy, *story.second_windows):
        await member.close()
