"""The club routes of docs/API-SOCIAL.md."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import Field

from teahouse.api.context import Body, Member, services
from teahouse.clubs.clubs import ClubView
from teahouse.domain import clubs as club_rules
from teahouse.domain.cursors import LIMIT_DEFAULT, LIMIT_MAX, LIMIT_MIN

router = APIRouter(prefix="/api")
Username = Annotated[str, Field(max_length=100)]


class NewClubBody(Body):
    name: Annotated[str, Field(max_length=200)]
    description: Annotated[str, Field(max_length=club_rules.DESCRIPTION_MAX)] = ""
    rules: Annotated[str, Field(max_length=club_rules.RULES_MAX)] = ""


class EditClubBody(Body):
    description: Annotated[str, Field(max_length=club_rules.DESCRIPTION_MAX)] | None = None
    rules: Annotated[str, Field(max_length=club_rules.RULES_MAX)] | None = None


class UsernameBody(Body):
    username: Username


@router.post("/clubs", status_code=201)
async def create_club(body: NewClubBody, user: Member, request: Request) -> ClubView:
    return await services(request).clubs.create(user, body.name, body.description, body.rules)


@router.get("/clubs/{club_id}")
async def get_club(club_id: str, user: Member, request: Request) -> ClubView:
    return await services(request).clubs.get(user.id, club_id)


@router.patch("/clubs/{club_id}")
async def edit_club(club_id: str, body: EditClubBody, user: Member, request: Request) -> ClubView:
    return await services(request).clubs.edit(user.id, club_id, body.description, body.rules)


@router.get("/clubs/{club_id}/members")
async def club_members(
    club_id: str,
    user: Member,
    request: Request,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=LIMIT_MIN, le=LIMIT_MAX)] = LIMIT_DEFAULT,
) -> dict[str, object]:
    members, next_cursor = await services(request).clubs.members(club_id, cursor, limit)
    return {"members": members, "next_cursor": next_cursor}


@router.post("/clubs/{club_id}/follow", status_code=204)
async def follow_club(club_id: str, user: Member, request: Request) -> None:
    await services(request).clubs.follow(user.id, club_id)


@router.delete("/clubs/{club_id}/follow", status_code=204)
async def unfollow_club(club_id: str, user: Member, request: Request) -> None:
    await services(request).clubs.unfollow(user.id, club_id)


@router.post("/clubs/{club_id}/invites", status_code=204)
async def invite_to_club(club_id: str, body: UsernameBody, user: Member, request: Request) -> None:
    await services(request).clubs.invite(user.id, club_id, body.username)


@router.post("/clubs/{club_id}/join", status_code=204)
async def join_club(club_id: str, user: Member, request: Request) -> None:
    await services(request).clubs.join(user.id, club_id)


@router.delete("/clubs/{club_id}/invites/me", status_code=204)
async def decline_club(club_id: str, user: Member, request: Request) -> None:
    await services(request).clubs.decline(user.id, club_id)


@router.post("/clubs/{club_id}/admins", status_code=204)
async def make_club_admin(club_id: str, body: UsernameBody, user: Member, request: Request) -> None:
    await services(request).clubs.make_admin(user.id, club_id, body.username)


@router.delete("/clubs/{club_id}/members/{username}", status_code=204)
async def remove_club_member(club_id: str, username: str, user: Member, request: Request) -> None:
    await services(request).clubs.remove(user.id, club_id, username)


@router.get("/me/clubs")
async def my_clubs(user: Member, request: Request) -> dict[str, list[ClubView]]:
    return {"clubs": await services(request).clubs.mine(user.id)}
