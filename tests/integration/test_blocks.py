"""What a block hides, surface by surface: docs/SECURITY.md's table, held to the server.

One world: Alice is everywhere a member can be (she creates rooms and speaks in
them, founds a club and belongs to another, hosts one event and co-hosts another,
follows Carol, used Bob's invitation), and Bob looks at each surface. Each row is
run three times: with no block (Alice shows), with Bob blocking Alice and with Alice
blocking Bob (Alice is hidden as the row says, and shown where the row says she is
not hidden). The rows' names are the table's first column; a test checks that the
two lists are the same.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest

from tests.integration.test_events_http import new_event
from tests.support.admin import snapshot
from tests.support.server import PASSWORD, LiveServer, Member

SECURITY = Path(__file__).resolve().parents[2] / "docs" / "SECURITY.md"
# What a refused row would have written: a follow, a notification (a ping, a club
# invitation), an admission, an invitation to a club, an event and its co-host.
NAMING = ("follows", "notifications", "room_admissions", "club_invites", "events", "event_cohosts")
Direction = Literal["no block", "bob blocks alice", "alice blocks bob"]


@dataclass
class World:
    server: LiveServer
    bob: Member  # the viewer (the instance's first member: an admin)
    alice: Member  # the member a block hides
    carol: Member  # someone else, in no block
    rooms: dict[str, str] = field(default_factory=dict)
    clubs: dict[str, str] = field(default_factory=dict)
    events: dict[str, str] = field(default_factory=dict)
    feed: str = ""
    sockets: list[Member] = field(default_factory=list)  # kept open while it runs

    @property
    def markers(self) -> tuple[str, ...]:
        """What shows Alice in a JSON answer: her id, her username."""
        return (self.alice.id, '"alice"')


@dataclass(frozen=True)
class Seen:
    """What Bob got from one surface: the status and the body as text."""

    status: int
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)

    @property
    def code(self) -> str | None:
        return self.json["error"]["code"] if self.status >= 400 else None


Look = Callable[[World], Awaitable[Seen]]
Check = Callable[[World, Seen, bool], None]


@dataclass(frozen=True)
class Surface:
    name: str  # as in the first column of docs/SECURITY.md's table
    look: Look
    # hidden: shown without a block, left out (no marker of Alice) with one;
    # not found: succeeds without a block, 404 user_not_found with one;
    # shown: Alice shows either way; allowed: an action that succeeds either way.
    kind: Literal["hidden", "not found", "shown", "allowed"]
    check: Check | None = None  # what else the row says, given whether a block stands
    markers: Callable[[World], tuple[str, ...]] = lambda world: world.markers


async def seen(response: httpx.Response) -> Seen:
    return Seen(response.status_code, response.text)


def get(path: Callable[[World], str]) -> Look:
    async def look(world: World) -> Seen:
        async with world.bob.http() as http:
            return await seen(await http.get(path(world)))

    return look


def send(
    method: str, path: Callable[[World], str], body: Callable[[World], Any] = lambda w: None
) -> Look:
    async def look(world: World) -> Seen:
        async with world.bob.http() as http:
            return await seen(await http.request(method, path(world), json=body(world)))

    return look


def both(*looks: Look) -> Look:
    """Several answers of one surface, as one JSON list."""

    async def look(world: World) -> Seen:
        answers = [await one(world) for one in looks]
        return Seen(max(a.status for a in answers), json.dumps([a.json for a in answers]))

    return look


# -- the looks that need more than one request ------------------------------------------


async def profile_of_alice(world: World) -> Seen:
    async with world.bob.http() as http:
        profile = await http.get("/api/users/alice")
        unfollow = await http.delete("/api/users/alice/follow")
    if profile.status_code == 200:
        assert unfollow.status_code == 204
    else:
        assert (unfollow.status_code, unfollow.json()["error"]["code"]) == (404, "user_not_found")
    return await seen(profile)


def window(member: Member) -> Member:
    """Another socket of the same member (their first stays in its room)."""
    return Member(member.server, member.username, member.id, member.token)


def snapshot_of(room: str) -> Look:
    async def look(world: World) -> Seen:
        bob = window(world.bob)
        await bob.connect()
        snapshot = await bob.join(world.rooms[room])
        await bob.request({"type": "leave"})
        await bob.close()
        return Seen(200, json.dumps(snapshot))

    return look


async def ping_alice(world: World) -> Seen:
    bob = window(world.bob)
    await bob.connect()
    room_id = world.rooms["carols, no alice"]
    await bob.join(room_id)
    async with bob.http() as http:
        response = await http.post(f"/api/rooms/{room_id}/ping", json={"username": "alice"})
    await bob.request({"type": "leave"})
    await bob.close()
    return await seen(response)


async def calendar(world: World) -> Seen:
    async with world.server.client() as http:  # calendar apps send no cookie
        response = await http.get(world.feed)
    assert response.status_code == 200, response.text
    return Seen(200, json.dumps(response.text))


# -- what each row says besides "Alice shows / does not" -----------------------------------


def carols_followers(world: World, answer: Seen, blocked: bool) -> None:
    followers, profile = answer.json
    assert profile["followers_count"] == len(followers["users"]) == (0 if blocked else 1)


def rooms_list(world: World, answer: Seen, blocked: bool) -> None:
    listed = {room["id"] for room in answer.json["rooms"]}
    alices = {world.rooms[k] for k in ("alices", "carols, alice on stage", "alices, she left")}
    assert world.rooms["carols, no alice"] in listed
    assert (alices & listed) == (set() if blocked else alices)


def one_room(world: World, answer: Seen, blocked: bool) -> None:
    alices, carols = answer.json
    assert (alices["created_by"] is None) == blocked
    speakers = sorted(s["username"] for s in carols["speakers"])
    assert speakers == (["carol"] if blocked else ["alice", "carol"])
    assert carols["participant_count"] == (1 if blocked else 2)


def hallway(world: World, answer: Seen, blocked: bool) -> None:
    rooms = {room["id"] for room in answer.json["rooms"]}
    events = {event["id"] for event in answer.json["events"]}
    assert world.rooms["carols, no alice"] in rooms
    assert world.events["carols"] in events
    assert (world.events["alices"] in events) == (world.events["cohosted"] in events) != blocked


def search_rooms(world: World, answer: Seen, blocked: bool) -> None:
    found = {room["id"] for room in answer.json["rooms"]}
    assert world.rooms["carols, no alice"] in found
    assert len(found) == (1 if blocked else 4)


def clubs(world: World, answer: Seen, blocked: bool) -> None:
    alices, carols = answer.json
    assert (alices["founder"] is None) == blocked
    assert carols["member_count"] == (1 if blocked else 2)


def club_members(world: World, answer: Seen, blocked: bool) -> None:
    members = [m["user"]["username"] for m in answer.json["members"]]
    assert members == (["carol"] if blocked else ["carol", "alice"])


def events(world: World, answer: Seen, blocked: bool) -> None:
    alices, cohosted = answer.json
    assert (alices["host"] is None) == blocked
    assert cohosted["host"]["username"] == "carol"
    assert [c["username"] for c in cohosted["cohosts"]] == ([] if blocked else ["alice"])


def feed_markers(world: World) -> tuple[str, ...]:
    """A feed names people by display name: Alice's events show by their titles."""
    return ("Alpha book night", "Bravo book night")


def feed(world: World, answer: Seen, blocked: bool) -> None:
    assert "Charlie book night" in answer.json  # Carol's, without Alice


def invites(world: World, answer: Seen, blocked: bool) -> None:
    (used,) = [i for i in answer.json["invites"] if i["used"]]
    assert (used["used_by"] is None) == blocked


def creator(world: World, answer: Seen, blocked: bool) -> None:
    assert (answer.json["room"]["created_by"] is None) == blocked


def on_stage(world: World, answer: Seen, blocked: bool) -> None:
    roles = {p["user"]["username"]: p["role"] for p in answer.json["participants"]}
    assert roles["alice"] == "speaker"


SURFACES = [
    Surface("GET /api/users/{username}", profile_of_alice, "not found"),
    Surface(
        "GET /api/users/{username}/followers",
        both(get(lambda w: "/api/users/carol/followers"), get(lambda w: "/api/users/carol")),
        "hidden",
        carols_followers,
    ),
    Surface("GET /api/search?kind=members", get(lambda w: "/api/search?q=ali"), "hidden"),
    Surface("GET /api/notifications", get(lambda w: "/api/notifications"), "hidden"),
    Surface("GET /api/rooms", get(lambda w: "/api/rooms"), "hidden", rooms_list),
    Surface(
        "GET /api/rooms/{id}",
        both(
            get(lambda w: f"/api/rooms/{w.rooms['alices']}"),
            get(lambda w: f"/api/rooms/{w.rooms['carols, alice on stage']}"),
        ),
        "hidden",
        one_room,
    ),
    Surface("GET /api/hallway", get(lambda w: "/api/hallway"), "hidden", hallway),
    Surface(
        "GET /api/search?kind=rooms",
        get(lambda w: "/api/search?q=tea&kind=rooms"),
        "hidden",
        search_rooms,
    ),
    Surface(
        "GET /api/clubs/{id}",
        both(
            get(lambda w: f"/api/clubs/{w.clubs['alices']}"),
            get(lambda w: f"/api/clubs/{w.clubs['carols']}"),
        ),
        "hidden",
        clubs,
    ),
    Surface(
        "GET /api/clubs/{id}/members",
        get(lambda w: f"/api/clubs/{w.clubs['carols']}/members"),
        "hidden",
        club_members,
    ),
    Surface(
        "GET /api/events/{id}",
        both(
            get(lambda w: f"/api/events/{w.events['alices']}"),
            get(lambda w: f"/api/events/{w.events['cohosted']}"),
        ),
        "hidden",
        events,
    ),
    Surface("GET /calendar/{token}.ics", calendar, "hidden", feed, feed_markers),
    Surface("GET /api/invites", get(lambda w: "/api/invites"), "hidden", invites),
    Surface(
        "snapshot of a room both are in",
        snapshot_of("carols, alice on stage"),
        "shown",
        on_stage,
    ),
    Surface("snapshot of a room they created", snapshot_of("alices, she left"), "hidden", creator),
    # Actions that name Alice come after what only reads.
    Surface(
        "POST /api/users/{username}/follow",
        send("POST", lambda w: "/api/users/alice/follow"),
        "not found",
    ),
    Surface("POST /api/rooms/{id}/ping", ping_alice, "not found"),
    Surface(
        "POST /api/rooms/{id}/admit",
        send(
            "POST",
            lambda w: f"/api/rooms/{w.rooms['bobs, closed']}/admit",
            lambda w: {"username": "alice"},
        ),
        "not found",
    ),
    Surface(
        "POST /api/clubs/{id}/invites",
        send(
            "POST",
            lambda w: f"/api/clubs/{w.clubs['bobs']}/invites",
            lambda w: {"username": "alice"},
        ),
        "not found",
    ),
    Surface(
        "POST /api/events",
        send(
            "POST",
            lambda w: "/api/events",
            lambda w: {
                "title": "Delta book night",
                "starts_at": "2099-01-01T19:00",
                "time_zone": "UTC",
                "cohosts": ["alice"],
            },
        ),
        "not found",
    ),
    Surface(
        "POST /api/clubs/{id}/admins",
        send(
            "POST",
            lambda w: f"/api/clubs/{w.clubs['bobs, alice in it']}/admins",
            lambda w: {"username": "alice"},
        ),
        "allowed",
    ),
    Surface(
        "DELETE /api/clubs/{id}/members/{username}",
        send("DELETE", lambda w: f"/api/clubs/{w.clubs['bobs, alice in it']}/members/alice"),
        "allowed",
    ),
    Surface(
        "POST /api/reports",
        send("POST", lambda w: "/api/reports", lambda w: {"user_id": w.alice.id, "reason": "spam"}),
        "shown",
    ),
    Surface("GET /api/admin/members", get(lambda w: "/api/admin/members?query=alice"), "shown"),
    Surface("GET /api/me/export", get(lambda w: "/api/me/export"), "shown"),
]


# -- the world ----------------------------------------------------------------------


async def signup(server: LiveServer, username: str, code: str) -> Member:
    async with server.client() as http:
        response = await http.post(
            "/api/signup", json={"code": code, "username": username, "password": PASSWORD}
        )
    assert response.status_code == 201, response.text
    token = response.cookies[server.settings.session_cookie_name]
    return Member(server, username, response.json()["id"], token)


async def post(member: Member, path: str, body: Any = None) -> Any:
    async with member.http() as http:
        response = await http.post(path, json=body)
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


async def open_room(member: Member, title: str, visibility: str = "open") -> str:
    room: dict[str, Any] = await post(
        member, "/api/rooms", {"title": title, "visibility": visibility}
    )
    return str(room["id"])


async def bring_up(moderator: Member, speaker: Member, room_id: str) -> None:
    """Both walk into the room; ``speaker`` raises a hand and ``moderator`` brings
    them on stage."""
    for member in (moderator, speaker):
        await member.connect()
        await member.join(room_id)
    await speaker.send({"type": "hand", "raised": True})
    reply = await moderator.request({"type": "invite_to_speak", "user_id": speaker.id})
    assert reply["type"] == "ok", reply


async def build(server: LiveServer) -> World:
    bob = await server.member("bob")
    alice = await signup(server, "alice", (await post(bob, "/api/invites"))["code"])
    carol = await server.member("carol")
    world = World(server, bob, alice, carol)

    # Rooms: Alice's, with her on its stage; Carol's, with Alice invited up; Alice's,
    # which she left to Carol; Carol's without Alice; Bob's closed one.
    rooms = world.rooms
    rooms["alices"] = await open_room(alice, "Alpha tea")
    rooms["carols, alice on stage"] = await open_room(carol, "Bravo tea")
    rooms["alices, she left"] = await open_room(alice, "Charlie tea")
    rooms["carols, no alice"] = await open_room(carol, "Delta tea")
    rooms["bobs, closed"] = await open_room(bob, "Echo", "closed")
    await bob.connect()
    await bob.join(rooms["bobs, closed"])
    await alice.connect()
    await alice.join(rooms["alices"])
    await carol.connect()
    await carol.join(rooms["carols, no alice"])
    carols, alice_up = window(carol), window(alice)
    await bring_up(carols, alice_up, rooms["carols, alice on stage"])
    leaving, heir = window(alice), window(carol)
    await bring_up(leaving, heir, rooms["alices, she left"])
    reply = await leaving.request({"type": "make_moderator", "user_id": carol.id})
    assert reply["type"] == "ok", reply
    assert (await leaving.request({"type": "leave"}))["type"] == "ok"
    await leaving.close()
    world.sockets = [alice, carol, bob, carols, alice_up, heir]

    # Clubs: Alice's; Carol's with Alice in it; two of Bob's (one with Alice in it).
    clubs = world.clubs
    clubs["alices"] = (await post(alice, "/api/clubs", {"name": "Alpha readers"}))["id"]
    clubs["carols"] = (await post(carol, "/api/clubs", {"name": "Bravo readers"}))["id"]
    clubs["bobs"] = (await post(bob, "/api/clubs", {"name": "Charlie readers"}))["id"]
    clubs["bobs, alice in it"] = (await post(bob, "/api/clubs", {"name": "Delta readers"}))["id"]
    for owner, club in ((carol, "carols"), (bob, "bobs, alice in it")):
        await post(owner, f"/api/clubs/{clubs[club]}/invites", {"username": "alice"})
        await post(alice, f"/api/clubs/{clubs[club]}/join")

    # Events (Bob asked about each, so they are in his feed): Alice's, Carol's with
    # Alice as co-host, Carol's alone.
    events = world.events
    events["alices"] = (await new_event(alice, title="Alpha book night"))["id"]
    events["cohosted"] = (await new_event(carol, title="Bravo book night", cohosts=["alice"]))["id"]
    events["carols"] = (await new_event(carol, title="Charlie book night"))["id"]
    for event_id in events.values():
        await post(bob, f"/api/events/{event_id}/notify")
    async with bob.http() as http:
        world.feed = (await http.get("/api/me/calendar")).json()["url"]

    # Alice follows Carol, and Bob (who gets a notification of it).
    await post(alice, "/api/users/carol/follow")
    await post(alice, "/api/users/bob/follow")
    return world


# -- the test -------------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["no block", "bob blocks alice", "alice blocks bob"])
async def test_what_a_block_hides(server_on_both: LiveServer, direction: Direction) -> None:
    world = await build(server_on_both)
    if direction == "bob blocks alice":
        await post(world.bob, "/api/users/alice/block")
    elif direction == "alice blocks bob":
        await post(world.alice, "/api/users/bob/block")
    blocked = direction != "no block"
    wrong = []  # every surface that breaks its row, not only the first
    for surface in SURFACES:
        answer = await surface.look(world)
        try:
            holds(surface, world, answer, blocked)
        except AssertionError as failed:
            wrong.append(f"{surface.name}: {failed} ({answer.status} {answer.text[:200]})")
    assert not wrong, f"{direction}:\n" + "\n".join(wrong)


def holds(surface: Surface, world: World, answer: Seen, blocked: bool) -> None:
    """Whether Bob's ``answer`` is what the surface's row says."""
    shows = any(marker in answer.text for marker in surface.markers(world))
    if surface.kind == "not found" and blocked:
        assert (answer.status, answer.code) == (404, "user_not_found"), "not user_not_found"
    elif surface.kind == "hidden" and blocked:
        assert answer.status == 200, "refused"
        assert not shows, "shows her"
    else:
        assert answer.status < 300, "refused"
        if surface.kind in ("hidden", "shown"):
            assert shows, "does not show her"
    if surface.check is not None:
        surface.check(world, answer, blocked)


async def test_a_refused_action_changes_nothing(server_on_both: LiveServer) -> None:
    """The "not found" rows, once more, looking at what each would have changed."""
    world = await build(server_on_both)
    await post(world.alice, "/api/users/bob/block")
    services = world.server.services
    before = await snapshot(services.db, NAMING)
    for surface in SURFACES:
        if surface.kind == "not found":
            assert (await surface.look(world)).code == "user_not_found", surface.name
    assert await snapshot(services.db, NAMING) == before
    admitted = await services.rooms.enterable_live_ids(
        world.alice.id, [world.rooms["bobs, closed"]], services.stage.moderators_of
    )
    assert admitted == set()


def test_the_table_in_the_docs_is_the_table_tested() -> None:
    section = SECURITY.read_text().split("## What a block hides", 1)[1].split("\n## ", 1)[0]
    documented = [
        cell.replace("`", "").strip()
        for cell in re.findall(r"^\| ([^|]+?) \|", section, re.M)
        if cell.strip() not in ("surface", "---")
    ]
    assert documented == [surface.name for surface in SURFACES]
