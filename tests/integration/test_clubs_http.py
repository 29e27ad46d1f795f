"""Clubs over HTTP on both engines: every action by every kind of person, as a table.

Allowed actions do what they say; refused ones answer their documented code and leave
the club exactly as it was.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from sqlalchemy import func, select

from teahouse.store.models import User
from teahouse.store.social_models import Club, ClubFollow, ClubInvite, ClubMember, Notification
from tests.support.server import LiveServer, Member

ROLES = ("founder", "admin", "member", "invited", "outsider")
# Besides the five above: "target", a plain member others act on, and "newbie", whom
# admins invite.
CAST = (*ROLES, "target", "newbie")


@dataclass(frozen=True)
class ClubState:
    members: dict[str, str]
    invites: frozenset[str]
    follows: frozenset[str]
    description: str
    notifications: int


async def club_state(server: LiveServer, club_id: str) -> ClubState:
    async with server.services.db.sessions() as s:
        members = dict(
            (
                await s.execute(
                    select(User.username, ClubMember.role)
                    .join(ClubMember, ClubMember.user_id == User.id)
                    .where(ClubMember.club_id == club_id)
                )
            ).all()
        )

        async def names(model: type[ClubInvite] | type[ClubFollow]) -> frozenset[str]:
            rows = await s.scalars(
                select(User.username)
                .join(model, model.user_id == User.id)
                .where(model.club_id == club_id)
            )
            return frozenset(rows)

        club = await s.get(Club, club_id)
        assert club is not None
        notified = await s.scalar(
            select(func.count()).select_from(Notification).where(Notification.club_id == club_id)
        )
        return ClubState(
            members,
            await names(ClubInvite),
            await names(ClubFollow),
            club.description,
            notified or 0,
        )


async def cast(server: LiveServer) -> dict[str, Member]:
    return {name: await server.member(name) for name in CAST}


async def new_club(server: LiveServer, people: dict[str, Member], name: str) -> str:
    """A club where each of ROLES is what its name says."""
    clubs = server.services.clubs
    founder = await server.services.accounts.user_by_username("founder")
    club_id = (await clubs.create(founder, name))["id"]
    for joining in ("admin", "member", "target"):
        await clubs.invite(founder.id, club_id, joining)
        await clubs.join(people[joining].id, club_id)
    await clubs.make_admin(founder.id, club_id, "admin")
    await clubs.invite(founder.id, club_id, "invited")
    return club_id


def unchanged(before: ClubState, actor: str) -> ClubState:
    return before


def member_of(before: ClubState, actor: str) -> ClubState:
    if actor != "invited":  # already members: joining again changes nothing
        return before
    return replace(
        before, members={**before.members, actor: "member"}, invites=before.invites - {actor}
    )


@dataclass(frozen=True)
class Action:
    name: str
    method: str
    path: str  # {club}, {me}
    body: dict[str, Any] | None
    ok: int
    allowed: frozenset[str]
    refusal: tuple[int, str] | None
    expect: Callable[[ClubState, str], ClubState]
    prepare: tuple[str, str] | None = None  # a request the actor makes first
    extra: dict[str, Any] = field(default_factory=dict)


EVERYONE = frozenset(ROLES)
ADMINS = frozenset({"founder", "admin"})
NOT_ADMIN = (403, "not_club_admin")

ACTIONS = [
    Action("view", "GET", "/api/clubs/{club}", None, 200, EVERYONE, None, unchanged),
    Action("members", "GET", "/api/clubs/{club}/members", None, 200, EVERYONE, None, unchanged),
    Action(
        "edit",
        "PATCH",
        "/api/clubs/{club}",
        {"description": "Rewritten"},
        200,
        ADMINS,
        NOT_ADMIN,
        lambda b, a: replace(b, description="Rewritten"),
    ),
    Action(
        "follow",
        "POST",
        "/api/clubs/{club}/follow",
        None,
        204,
        EVERYONE,
        None,
        lambda b, a: replace(b, follows=b.follows | {a}),
    ),
    Action(
        "unfollow",
        "DELETE",
        "/api/clubs/{club}/follow",
        None,
        204,
        EVERYONE,
        None,
        lambda b, a: replace(b, follows=b.follows - {a}),
        prepare=("POST", "/api/clubs/{club}/follow"),
    ),
    Action(
        "invite",
        "POST",
        "/api/clubs/{club}/invites",
        {"username": "newbie"},
        204,
        ADMINS,
        NOT_ADMIN,
        lambda b, a: replace(b, invites=b.invites | {"newbie"}, notifications=b.notifications + 1),
    ),
    Action(
        "join",
        "POST",
        "/api/clubs/{club}/join",
        None,
        204,
        EVERYONE - {"outsider"},
        (403, "not_invited"),
        member_of,
    ),
    Action(
        "decline",
        "DELETE",
        "/api/clubs/{club}/invites/me",
        None,
        204,
        EVERYONE,
        None,
        lambda b, a: replace(b, invites=b.invites - {a}),
    ),
    Action(
        "make_admin",
        "POST",
        "/api/clubs/{club}/admins",
        {"username": "target"},
        204,
        ADMINS,
        NOT_ADMIN,
        lambda b, a: replace(b, members={**b.members, "target": "admin"}),
    ),
    Action(
        "remove",
        "DELETE",
        "/api/clubs/{club}/members/target",
        None,
        204,
        ADMINS,
        NOT_ADMIN,
        lambda b, a: replace(b, members={k: v for k, v in b.members.items() if k != "target"}),
    ),
    Action(
        "leave",
        "DELETE",
        "/api/clubs/{club}/members/{me}",
        None,
        204,
        frozenset({"founder", "admin", "member"}),
        (404, "not_member"),
        lambda b, a: replace(b, members={k: v for k, v in b.members.items() if k != a}),
    ),
]


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
async def test_every_club_action_by_every_role(server_on_both: LiveServer, action: Action) -> None:
    server = server_on_both
    people = await cast(server)
    for role in ROLES:
        club_id = await new_club(server, people, f"{action.name} {role}")
        actor = people[role]
        async with actor.http() as http:
            if action.prepare:
                method, path = action.prepare
                await http.request(method, path.format(club=club_id, me=role))
            before = await club_state(server, club_id)
            response = await http.request(
                action.method, action.path.format(club=club_id, me=role), json=action.body
            )
        after = await club_state(server, club_id)
        where = f"{action.name} by {role}"
        if role in action.allowed:
            assert response.status_code == action.ok, (where, response.text)
            assert after == action.expect(before, role), where
        else:
            assert action.refusal is not None
            status, code = action.refusal
            assert (response.status_code, response.json()["error"]["code"]) == (status, code), where
            assert after == before, where


async def test_what_each_role_sees_of_a_club(server_on_both: LiveServer) -> None:
    server = server_on_both
    people = await cast(server)
    club_id = await new_club(server, people, "Night Owls")
    seen = {}
    for role in ROLES:
        async with people[role].http() as http:
            seen[role] = (await http.get(f"/api/clubs/{club_id}")).json()
    assert {r: (v["my_role"], v["invited"]) for r, v in seen.items()} == {
        "founder": ("admin", False),
        "admin": ("admin", False),
        "member": ("member", False),
        "invited": (None, True),
        "outsider": (None, False),
    }
    club = seen["outsider"]
    assert club["name"] == "Night Owls" and club["member_count"] == 4
    assert club["founder"] == {
        "id": people["founder"].id,
        "username": "founder",
        "display_name": "founder",
        "avatar_url": None,
    }
    async with people["member"].http() as http:
        mine = (await http.get("/api/me/clubs")).json()["clubs"]
    async with people["invited"].http() as http:
        assert (await http.get("/api/me/clubs")).json() == {"clubs": []}
    assert [c["id"] for c in mine] == [club_id]


async def test_founding_names_and_documented_errors(server_on_both: LiveServer) -> None:
    server = server_on_both
    ada, bob = await server.member("ada"), await server.member("bob")
    async with ada.http() as http:
        made = await http.post("/api/clubs", json={"name": "  Tea   Club ", "rules": "Be kind"})
        assert made.status_code == 201
        club = made.json()
        assert (club["name"], club["rules"], club["my_role"]) == ("Tea Club", "Be kind", "admin")
        cid = club["id"]
        cases = [
            (await http.post("/api/clubs", json={"name": "tea club"}), 409, "club_name_taken"),
            (await http.post("/api/clubs", json={"name": "TEA CLUB"}), 409, "club_name_taken"),
            (await http.post("/api/clubs", json={"name": "x"}), 400, "invalid_request"),
            (
                await http.post("/api/clubs", json={"name": "Long", "description": "d" * 1001}),
                400,
                "invalid_request",
            ),
            (await http.get("/api/clubs/" + "A" * 22), 404, "club_not_found"),
            (await http.get("/api/clubs/nonsense"), 404, "club_not_found"),
            (await http.post("/api/clubs/" + "A" * 22 + "/follow"), 404, "club_not_found"),
            (await http.get("/api/clubs/" + "A" * 22 + "/members"), 404, "club_not_found"),
            (
                await http.post(f"/api/clubs/{cid}/invites", json={"username": "nobody"}),
                404,
                "user_not_found",
            ),
            (
                await http.post(f"/api/clubs/{cid}/invites", json={"username": "ada"}),
                409,
                "already_member",
            ),
            (
                await http.post(f"/api/clubs/{cid}/admins", json={"username": "bob"}),
                404,
                "not_member",
            ),
            (
                await http.post(f"/api/clubs/{cid}/admins", json={"username": "nobody"}),
                404,
                "user_not_found",
            ),
            (await http.delete(f"/api/clubs/{cid}/members/ada"), 409, "last_admin"),
            (await http.get(f"/api/clubs/{cid}/members?limit=0"), 400, "invalid_request"),
            (await http.get(f"/api/clubs/{cid}/members?limit=101"), 400, "invalid_request"),
            (await http.get(f"/api/clubs/{cid}/members?cursor=xyz"), 400, "invalid_request"),
        ]
    for response, status, code in cases:
        assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    async with server.services.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Club)) == 1
    # Bob is invited, answers through the notification, and joins.
    async with ada.http() as http:
        assert (
            await http.post(f"/api/clubs/{cid}/invites", json={"username": "bob"})
        ).status_code == 204
        # Inviting again changes nothing and tells him nothing new.
        assert (
            await http.post(f"/api/clubs/{cid}/invites", json={"username": "bob"})
        ).status_code == 204
    async with server.services.db.sessions() as s:
        notes = list(await s.scalars(select(Notification).where(Notification.user_id == bob.id)))
    assert [(n.kind, n.actor_id, n.club_id) for n in notes] == [("club_invite", ada.id, cid)]
    async with bob.http() as http:
        assert (await http.post(f"/api/clubs/{cid}/join")).status_code == 204
        assert (await http.get(f"/api/clubs/{cid}")).json()["my_role"] == "member"


async def test_the_last_admin_stays(server_on_both: LiveServer) -> None:
    server = server_on_both
    people = await cast(server)
    club_id = await new_club(server, people, "Keepers")
    async with people["founder"].http() as http:
        assert (await http.delete(f"/api/clubs/{club_id}/members/admin")).status_code == 204
    async with people["founder"].http() as http:
        refused = await http.delete(f"/api/clubs/{club_id}/members/founder")
    assert refused.json()["error"]["code"] == "last_admin"
    assert (await club_state(server, club_id)).members["founder"] == "admin"
    # With a second admin the founder may go; then that admin is the last one.
    async with people["founder"].http() as http:
        await http.post(f"/api/clubs/{club_id}/admins", json={"username": "member"})
        assert (await http.delete(f"/api/clubs/{club_id}/members/founder")).status_code == 204
    async with people["member"].http() as http:
        again = await http.delete(f"/api/clubs/{club_id}/members/member")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "last_admin")
    assert (await club_state(server, club_id)).members == {"member": "admin", "target": "member"}


async def test_two_admins_leaving_at_once_leave_one_behind(server_on_both: LiveServer) -> None:
    server = server_on_both
    people = await cast(server)
    club_id = await new_club(server, people, "Race")

    async def leave(name: str) -> int:
        async with people[name].http() as http:
            return (await http.delete(f"/api/clubs/{club_id}/members/{name}")).status_code

    statuses = await asyncio.gather(leave("founder"), leave("admin"))
    assert sorted(statuses) == [204, 409]
    admins = [n for n, r in (await club_state(server, club_id)).members.items() if r == "admin"]
    assert len(admins) == 1


async def test_members_page_by_keyset(server_on_both: LiveServer) -> None:
    server = server_on_both
    people = await cast(server)
    club_id = await new_club(server, people, "Pages")
    founder = people["founder"]
    seen: list[str] = []
    cursor: str | None = None
    async with founder.http() as http:
        first = (await http.get(f"/api/clubs/{club_id}/members", params={"limit": 2})).json()
        seen += [m["user"]["username"] for m in first["members"]]
        cursor = first["next_cursor"]
        # Someone joins while the founder pages: they come last, nobody repeats.
        await http.post(f"/api/clubs/{club_id}/invites", json={"username": "outsider"})
        async with people["outsider"].http() as joining:
            await joining.post(f"/api/clubs/{club_id}/join")
        while cursor:
            page = (
                await http.get(
                    f"/api/clubs/{club_id}/members", params={"limit": 2, "cursor": cursor}
                )
            ).json()
            assert len(page["members"]) <= 2
            seen += [m["user"]["username"] for m in page["members"]]
            cursor = page["next_cursor"]
        whole = (await http.get(f"/api/clubs/{club_id}/members")).json()
    assert seen == ["founder", "admin", "member", "target", "outsider"]
    assert whole["next_cursor"] is None
    assert [(m["user"]["username"], m["role"]) for m in whole["members"][:2]] == [
        ("founder", "admin"),
        ("admin", "admin"),
    ]
    assert set(whole["members"][0]["user"]) == {"id", "username", "display_name", "avatar_url"}
