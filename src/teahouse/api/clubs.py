"""The club routes of docs/API-SOCIAL.md."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request
from pydantic import Field
from typing_extensions import TypedDict

from teahouse.api.context import Body, KeysetCursor, Limit, Member, next_cursor, services
from teahouse.api.routing import api_router, refuses
from teahouse.clubs.clubs import ClubMemberView, ClubView
from teahouse.clubs.join_requests import JoinRequestView
from teahouse.domain import clubs as club_rules
from teahouse.domain.cursors import LIMIT_DEFAULT
from teahouse.errors import ErrorCode

router = api_router()
Username = Annotated[str, Field(max_length=100)]
# Every route about one club answers club_not_found for an unknown one.
CLUB = ErrorCode.CLUB_NOT_FOUND
ADMIN_ONLY = (CLUB, ErrorCode.NOT_CLUB_ADMIN)


class ClubMemberList(TypedDict):
    """A page of a club's members, in the order they joined."""

    members: list[ClubMemberView]
    next_cursor: str | None


class JoinRequestList(TypedDict):
    """The club's open requests to join, oldest first (admins only)."""

    requests: list[JoinRequestView]


class ClubList(TypedDict):
    clubs: list[ClubView]


class NewClubBody(Body):
    name: Annotated[str, Field(max_length=200)]
    description: Annotated[str, Field(max_length=club_rules.DESCRIPTION_MAX)] = ""
    rules: Annotated[str, Field(max_length=club_rules.RULES_MAX)] = ""


class EditClubBody(Body):
    description: Annotated[str, Field(max_length=club_rules.DESCRIPTION_MAX)] | None = None
    rules: Annotated[str, Field(max_length=club_rules.RULES_MAX)] | None = None


class UsernameBody(Body):
    username: Username


@router.post("/clubs", status_code=201, responses=refuses(ErrorCode.CLUB_NAME_TAKEN))
async def create_club(body: NewClubBody, user: Member, request: Request) -> ClubView:
    return await services(request).clubs.create(user, body.name, body.description, body.rules)


@router.get("/clubs/{club_id}", responses=refuses(CLUB))
async def get_club(club_id: str, user: Member, request: Request) -> ClubView:
    return await services(request).clubs.get(user.id, club_id)


@router.patch("/clubs/{club_id}", responses=refuses(*ADMIN_ONLY))
async def edit_club(club_id: str, body: EditClubBody, user: Member, request: Request) -> ClubView:
    return await services(request).clubs.edit(user.id, club_id, body.description, body.rules)


@router.get("/clubs/{club_id}/members", responses=refuses(CLUB))
async def club_members(
    club_id: str, user: Member, request: Request, cursor: KeysetCursor, limit: Limit = LIMIT_DEFAULT
) -> ClubMemberList:
    page = await services(request).clubs.members(user.id, club_id, cursor, limit)
    return {"members": page.items, "next_cursor": next_cursor(request, page)}


@router.post("/clubs/{club_id}/follow", status_code=204, responses=refuses(CLUB))
async def follow_club(club_id: str, user: Member, request: Request) -> None:
    await services(request).clubs.follow(user.id, club_id)


@router.delete("/clubs/{club_id}/follow", status_code=204, responses=refuses(CLUB))
async def unfollow_club(club_id: str, user: Member, request: Request) -> None:
    await services(request).clubs.unfollow(user.id, club_id)


@router.post(
    "/clubs/{club_id}/invites",
    status_code=204,
    responses=refuses(*ADMIN_ONLY, ErrorCode.USER_NOT_FOUND, ErrorCode.ALREADY_MEMBER),
)
async def invite_to_club(club_id: str, body: UsernameBody, user: Member, request: Request) -> None:
    await services(request).clubs.invite(user.id, club_id, body.username)


@router.post(
    "/clubs/{club_id}/join", status_code=204, responses=refuses(CLUB, ErrorCode.NOT_INVITED)
)
async def join_club(club_id: str, user: Member, request: Request) -> None:
    await services(request).clubs.join(user.id, club_id)


@router.delete("/clubs/{club_id}/invites/me", status_code=204, responses=refuses(CLUB))
async def decline_club(club_id: str, user: Member, request: Request) -> None:
    await services(request).clubs.decline(user.id, club_id)


@router.post(
    "/clubs/{club_id}/requests",
    status_code=204,
    responses=refuses(
        CLUB, ErrorCode.ALREADY_MEMBER, ErrorCode.ALREADY_REQUESTED, ErrorCode.RATE_LIMITED
    ),
)
async def ask_to_join_club(club_id: str, user: Member, request: Request) -> None:
    await services(request).join_requests.ask(user.id, club_id)


@router.delete("/clubs/{club_id}/requests/me", status_code=204, responses=refuses(CLUB))
async def withdraw_club_request(club_id: str, user: Member, request: Request) -> None:
    await services(request).join_requests.withdraw(user.id, club_id)


@router.get("/clubs/{club_id}/requests", responses=refuses(*ADMIN_ONLY))
async def club_requests(club_id: str, user: Member, request: Request) -> JoinRequestList:
    return {"requests": await services(request).join_requests.open_requests(user.id, club_id)}


@router.post(
    "/clubs/{club_id}/requests/{request_id}/accept",
    status_code=204,
    responses=refuses(*ADMIN_ONLY, ErrorCode.JOIN_REQUEST_NOT_FOUND),
)
async def accept_club_request(
    club_id: str, request_id: str, user: Member, request: Request
) -> None:
    await services(request).join_requests.answer(user.id, club_id, request_id, accept=True)


@router.post(
    "/clubs/{club_id}/requests/{request_id}/decline",
    status_code=204,
    responses=refuses(*ADMIN_ONLY, ErrorCode.JOIN_REQUEST_NOT_FOUND),
)
async def decline_club_request(
    club_id: str, request_id: str, user: Member, request: Request
) -> None:
    await services(request).join_requests.answer(user.id, club_id, request_id, accept=False)


@router.post(
    "/clubs/{club_id}/admins",
    status_code=204,
    responses=refuses(*ADMIN_ONLY, ErrorCode.USER_NOT_FOUND, ErrorCode.NOT_MEMBER),
)
async def make_club_admin(club_id: str, body: UsernameBody, user: Member, request: Request) -> None:
    await services(request).clubs.make_admin(user.id, club_id, body.username)


@router.delete(
    "/clubs/{club_id}/members/{username}",
    status_code=204,
    responses=refuses(
        *ADMIN_ONLY, ErrorCode.USER_NOT_FOUND, ErrorCode.NOT_MEMBER, ErrorCode.LAST_ADMIN
    ),
)
async def remove_club_member(club_id: str, username: str, user: Member, request: Request) -> None:
    await services(request).clubs.remove(user.id, club_id, username)


@router.get("/me/clubs")
async def my_clubs(user: Member, request: Request) -> ClubList:
    return {"clubs": await services(request).clubs.mine(user.id)}
