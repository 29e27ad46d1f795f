"""Asking to join a club, over HTTP on both engines: the request, the admins' answer,
what each notification says became of it, the documented refusals (which change
nothing), the hourly budget and blocks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from teahouse.store.models import User
from teahouse.store.social_models import ClubJoinRequest, ClubMember, Notification
from tests.support import server as support
from tests.support.fake_media import FakeMedia
from tests.support.server import LiveServer, Member

BUDGET = 3


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia, database_url: str) -> AsyncIterator[LiveServer]:
    settings = support.server_settings(
        tmp_path, database_url, support.free_port(), club_requests_per_hour=BUDGET
    )
    async with support.run_server(settings, media) as live:
        yield live


@dataclass(frozen=True)
class Snapshot:
    """Everything an action on requests could change."""

    members: frozenset[tuple[str, str]]
    requests: frozenset[tuple[str, str, str]]
    notifications: frozenset[tuple[str, str]]


async def snapshot(server: LiveServer) -> Snapshot:
    async with server.services.db.sessions() as s:
        members = await s.execute(
            select(ClubMember.club_id, User.username).join(User, User.id == ClubMember.user_id)
        )
        requests = await s.execute(
            select(ClubJoinRequest.club_id, User.username, ClubJoinRequest.status).join(
                User, User.id == ClubJoinRequest.user_id
            )
        )
        notes = await s.execute(
            select(User.username, Notification.kind).join(User, User.id == Notification.user_id)
        )
        return Snapshot(
            frozenset((c, u) for c, u in members),
            frozenset((c, u, st) for c, u, st in requests),
            frozenset((u, k) for u, k in notes),
        )


async def notes_of(member: Member, kind: str) -> list[dict[str, Any]]:
    async with member.http() as http:
        found = (await http.get("/api/notifications")).json()["notifications"]
    return [n for n in found if n["kind"] == kind]


async def club_with_admins(server: LiveServer, name: str, *admins: Member) -> str:
    """A club founded by the first admin, the others made admins by invitation."""
    clubs = server.services.clubs
    founder = await server.services.accounts.user_by_username(admins[0].username)
    club_id = (await clubs.create(founder, name))["id"]
    for other in admins[1:]:
        await clubs.invite(founder.id, club_id, other.username)
        await clubs.join(other.id, club_id)
        await clubs.make_admin(founder.id, club_id, other.username)
    return club_id


def refused(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


async def test_a_member_asks_and_an_admin_accepts(server: LiveServer) -> None:
    ada, ben, sam = [await server.member(n) for n in ("ada", "ben", "sam")]
    club = await club_with_admins(server, "Night Owls", ada, ben)
    async with sam.http() as http:
        assert (await http.get(f"/api/clubs/{club}")).json()["requested"] is False
        assert (await http.post(f"/api/clubs/{club}/requests")).status_code == 204
        seen = (await http.get(f"/api/clubs/{club}")).json()
        assert (seen["requested"], seen["my_role"]) == (True, None)
    # Both admins are told, and see the request on the club page.
    for admin in (ada, ben):
        [note] = await notes_of(admin, "club_request")
        assert (note["actor"]["username"], note["club"]["id"], note["state"]) == (
            "sam",
            club,
            "open",
        )
        assert note["text"] == "sam asked to join Night Owls"
    async with ada.http() as http:
        [request] = (await http.get(f"/api/clubs/{club}/requests")).json()["requests"]
        assert request["user"]["username"] == "sam"
        accepted = await http.post(f"/api/clubs/{club}/requests/{request['id']}/accept")
        assert accepted.status_code == 204
        assert (await http.get(f"/api/clubs/{club}/requests")).json() == {"requests": []}
    async with sam.http() as http:
        seen = (await http.get(f"/api/clubs/{club}")).json()
        assert (seen["requested"], seen["my_role"]) == (False, "member")
    [told] = await notes_of(sam, "club_request_accepted")
    assert (told["actor"]["username"], told["club"]["name"]) == ("ada", "Night Owls")
    assert told["text"] == "You're now a member of Night Owls"
    # Each admin's notification now says it was accepted: no Accept button on it.
    for admin in (ada, ben):
        [note] = await notes_of(admin, "club_request")
        assert note["state"] == "accepted"
    # The other admin, a moment late, is told it was already answered; nothing changes.
    before = await snapshot(server)
    async with ben.http() as http:
        late = await http.post(f"/api/clubs/{club}/requests/{request['id']}/decline")
    assert refused(late) == (404, "join_request_not_found")
    assert await snapshot(server) == before


async def test_declined_and_withdrawn_requests_say_so(server: LiveServer) -> None:
    ada, sam = await server.member("ada"), await server.member("sam")
    club = await club_with_admins(server, "Chess", ada)
    async with sam.http() as http:
        await http.post(f"/api/clubs/{club}/requests")
        assert (await http.delete(f"/api/clubs/{club}/requests/me")).status_code == 204
        assert (await http.get(f"/api/clubs/{club}")).json()["requested"] is False
        # Withdrawing with none open changes nothing.
        assert (await http.delete(f"/api/clubs/{club}/requests/me")).status_code == 204
    [withdrawn] = await notes_of(ada, "club_request")
    assert withdrawn["state"] == "withdrawn"
    async with ada.http() as http:
        assert (await http.get(f"/api/clubs/{club}/requests")).json() == {"requests": []}
    # Asking again is a new request, with its own notification.
    async with sam.http() as http:
        assert (await http.post(f"/api/clubs/{club}/requests")).status_code == 204
    async with ada.http() as http:
        [request] = (await http.get(f"/api/clubs/{club}/requests")).json()["requests"]
        declined = await http.post(f"/api/clubs/{club}/requests/{request['id']}/decline")
        assert declined.status_code == 204
    states = sorted(n["state"] for n in await notes_of(ada, "club_request"))
    assert states == ["declined", "withdrawn"]
    [told] = await notes_of(sam, "club_request_declined")
    assert told["text"] == "Your request to join Chess was declined"
    async with sam.http() as http:
        seen = (await http.get(f"/api/clubs/{club}")).json()
    assert (seen["requested"], seen["my_role"]) == (False, None)


async def test_refusals_are_documented_and_change_nothing(server: LiveServer) -> None:
    ada, sam, kim = [await server.member(n) for n in ("ada", "sam", "kim")]
    club = await club_with_admins(server, "Tea", ada)
    other = await club_with_admins(server, "Coffee", kim)
    async with sam.http() as http:
        await http.post(f"/api/clubs/{club}/requests")
    async with ada.http() as http:
        [request] = (await http.get(f"/api/clubs/{club}/requests")).json()["requests"]
    before = await snapshot(server)
    unknown = "A" * 22
    async with sam.http() as http:
        cases = [
            (await http.post(f"/api/clubs/{club}/requests"), 409, "already_requested"),
            (await http.post(f"/api/clubs/{unknown}/requests"), 404, "club_not_found"),
            (await http.get(f"/api/clubs/{club}/requests"), 403, "not_club_admin"),
            (
                await http.post(f"/api/clubs/{club}/requests/{request['id']}/accept"),
                403,
                "not_club_admin",
            ),
        ]
    async with ada.http() as http:
        cases += [
            (await http.post(f"/api/clubs/{club}/requests"), 409, "already_member"),
            (
                await http.post(f"/api/clubs/{club}/requests/{unknown}/accept"),
                404,
                "join_request_not_found",
            ),
            (
                await http.post(f"/api/clubs/{club}/requests/nonsense/decline"),
                404,
                "join_request_not_found",
            ),
            (await http.get(f"/api/clubs/{unknown}/requests"), 404, "club_not_found"),
        ]
    async with kim.http() as http:  # an admin, of another club
        cases.append(
            (
                await http.post(f"/api/clubs/{other}/requests/{request['id']}/accept"),
                404,
                "join_request_not_found",
            )
        )
    assert [
        (refused(r), (status, code)) for r, status, code in cases if refused(r) != (status, code)
    ] == []
    assert await snapshot(server) == before


async def test_nobody_floods_admins_with_requests(server: LiveServer) -> None:
    ada, sam = await server.member("ada"), await server.member("sam")
    clubs = [await club_with_admins(server, f"Club {i}", ada) for i in range(BUDGET + 1)]
    async with sam.http() as http:
        # Asking and withdrawing spends the budget too.
        assert (await http.post(f"/api/clubs/{clubs[0]}/requests")).status_code == 204
        await http.delete(f"/api/clubs/{clubs[0]}/requests/me")
        for club in clubs[1:BUDGET]:
            assert (await http.post(f"/api/clubs/{club}/requests")).status_code == 204
        before = await snapshot(server)
        over = await http.post(f"/api/clubs/{clubs[BUDGET]}/requests")
    assert refused(over) == (429, "rate_limited")
    assert int(over.headers["retry-after"]) > 0
    assert await snapshot(server) == before
    # Another member has a budget of their own.
    kim = await server.member("kim")
    async with kim.http() as http:
        assert (await http.post(f"/api/clubs/{clubs[BUDGET]}/requests")).status_code == 204


async def test_an_admin_who_blocked_them_neither_sees_nor_answers(server: LiveServer) -> None:
    ada, ben, sam = [await server.member(n) for n in ("ada", "ben", "sam")]
    club = await club_with_admins(server, "Readers", ada, ben)
    async with ada.http() as http:
        assert (await http.post("/api/users/sam/block")).status_code == 204
    async with sam.http() as http:
        assert (await http.post(f"/api/clubs/{club}/requests")).status_code == 204
    assert await notes_of(ada, "club_request") == []
    assert len(await notes_of(ben, "club_request")) == 1
    async with server.services.db.sessions() as s:
        told = set(
            await s.scalars(select(Notification.user_id).where(Notification.kind == "club_request"))
        )
    assert told == {ben.id}  # not merely hidden from Ada: she was never told
    async with ben.http() as http:
        [request] = (await http.get(f"/api/clubs/{club}/requests")).json()["requests"]
    before = await snapshot(server)
    async with ada.http() as http:
        assert (await http.get(f"/api/clubs/{club}/requests")).json() == {"requests": []}
        answer = await http.post(f"/api/clubs/{club}/requests/{request['id']}/accept")
    assert refused(answer) == (404, "join_request_not_found")
    assert await snapshot(server) == before
    async with ben.http() as http:
        ok = await http.post(f"/api/clubs/{club}/requests/{request['id']}/accept")
    assert ok.status_code == 204


async def test_an_invitation_taken_answers_the_open_request(server: LiveServer) -> None:
    ada, sam = await server.member("ada"), await server.member("sam")
    club = await club_with_admins(server, "Poets", ada)
    async with sam.http() as http:
        await http.post(f"/api/clubs/{club}/requests")
    async with ada.http() as http:
        await http.post(f"/api/clubs/{club}/invites", json={"username": "sam"})
    async with sam.http() as http:
        assert (await http.post(f"/api/clubs/{club}/join")).status_code == 204
    [note] = await notes_of(ada, "club_request")
    assert note["state"] == "accepted"
    async with ada.http() as http:
        assert (await http.get(f"/api/clubs/{club}/requests")).json() == {"requests": []}
