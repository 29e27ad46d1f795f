"""The social routes of docs/API-SOCIAL.md: profiles, avatars, follows, blocks, search
and pings. Each authenticates, validates and calls one service."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query, Request, Response
from pydantic import Field
from typing_extensions import TypedDict

from teahouse.api.context import Body, KeysetCursor, Limit, Member, next_cursor, services
from teahouse.api.routing import api_router, refuses
from teahouse.domain.cursors import LIMIT_DEFAULT
from teahouse.errors import ErrorCode
from teahouse.live.summary import room_summary
from teahouse.services import Services
from teahouse.social.avatar_image import CONTENT_TYPE as AVATAR_TYPE
from teahouse.social.profiles import Profile
from teahouse.views import ClubRef, RoomSummary, UserCard

router = api_router()

IMMUTABLE = "private, max-age=31536000, immutable"
USER_NOT_FOUND = refuses(ErrorCode.USER_NOT_FOUND)
# Following or blocking yourself is invalid_request.
NOT_YOURSELF = refuses(ErrorCode.USER_NOT_FOUND, ErrorCode.INVALID_REQUEST)


class UserList(TypedDict):
    """A page of members (followers, following), newest first."""

    users: list[UserCard]
    next_cursor: str | None


class BlockList(TypedDict):
    users: list[UserCard]


class AvatarUrlView(TypedDict):
    avatar_url: str | None


class SearchResults(TypedDict):
    members: list[UserCard]
    clubs: list[ClubRef]
    rooms: list[RoomSummary]


class ProfileBody(Body):
    # Generous transport limits; the exact rules (60, 280) are the domain's.
    display_name: Annotated[str, Field(max_length=200)] | None = None
    bio: Annotated[str, Field(max_length=2000)] | None = None


def _svc(request: Request) -> Services:
    return services(request)


# -- profiles and avatars -----------------------------------------------------------


@router.get("/users/{username}", responses=USER_NOT_FOUND)
async def profile(username: str, user: Member, request: Request) -> Profile:
    return await _svc(request).profiles.profile(user.id, username)


@router.patch("/me/profile", responses=refuses(ErrorCode.DISPLAY_NAME_TAKEN))
async def update_profile(body: ProfileBody, user: Member, request: Request) -> Profile:
    return await _svc(request).profiles.update(user.id, body.display_name, body.bio)


@router.put(
    "/me/avatar",
    responses=refuses(
        ErrorCode.AVATAR_NOT_AN_IMAGE, ErrorCode.AVATAR_TOO_MANY_PIXELS, ErrorCode.RATE_LIMITED
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A JPEG, PNG, WebP or GIF picture, at most 5 MiB.",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
async def set_avatar(user: Member, request: Request) -> AvatarUrlView:
    # The Guards middleware has refused bodies over the avatar limit before this.
    url = await _svc(request).profiles.set_avatar(user.id, await request.body())
    return {"avatar_url": url}


@router.delete("/me/avatar", status_code=204)
async def delete_avatar(user: Member, request: Request) -> None:
    await _svc(request).profiles.delete_avatar(user.id)


@router.get(
    "/users/{username}/avatar",
    response_class=Response,
    responses={
        200: {
            "description": "The picture, with an `ETag`.",
            "content": {AVATAR_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        },
        304: {"description": "Not modified (`If-None-Match` names the current picture)."},
        **refuses(ErrorCode.USER_NOT_FOUND, ErrorCode.AVATAR_NOT_FOUND),
    },
)
async def avatar(
    username: str, user: Member, request: Request, v: Annotated[str | None, Query()] = None
) -> Response:
    picture = await _svc(request).profiles.avatar(user.id, username)
    etag = f'"{picture.etag}"'
    # With the current ?v= the URL names these exact bytes forever; without it (or
    # with an old one) the browser revalidates with If-None-Match.
    headers = {"ETag": etag, "Cache-Control": IMMUTABLE if v == picture.etag else "no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(picture.image, media_type=picture.content_type, headers=headers)


# -- follows and blocks -------------------------------------------------------------


@router.post("/users/{username}/follow", status_code=204, responses=NOT_YOURSELF)
async def follow(username: str, user: Member, request: Request) -> None:
    await _svc(request).social.follow(user.id, username)


@router.delete("/users/{username}/follow", status_code=204, responses=USER_NOT_FOUND)
async def unfollow(username: str, user: Member, request: Request) -> None:
    await _svc(request).social.unfollow(user.id, username)


@router.get("/users/{username}/followers", responses=USER_NOT_FOUND)
async def followers(
    username: str,
    user: Member,
    request: Request,
    cursor: KeysetCursor,
    limit: Limit = LIMIT_DEFAULT,
) -> UserList:
    page = await _svc(request).social.followers(user.id, username, cursor, limit)
    return {"users": page.items, "next_cursor": next_cursor(request, page)}


@router.get("/users/{username}/following", responses=USER_NOT_FOUND)
async def following(
    username: str,
    user: Member,
    request: Request,
    cursor: KeysetCursor,
    limit: Limit = LIMIT_DEFAULT,
) -> UserList:
    page = await _svc(request).social.following(user.id, username, cursor, limit)
    return {"users": page.items, "next_cursor": next_cursor(request, page)}


@router.post("/users/{username}/block", status_code=204, responses=NOT_YOURSELF)
async def block(username: str, user: Member, request: Request) -> None:
    await _svc(request).social.block(user.id, username)


@router.delete("/users/{username}/block", status_code=204, responses=USER_NOT_FOUND)
async def unblock(username: str, user: Member, request: Request) -> None:
    await _svc(request).social.unblock(user.id, username)


@router.get("/me/blocks")
async def blocks(user: Member, request: Request) -> BlockList:
    return {"users": await _svc(request).social.blocks(user.id)}


# -- search -------------------------------------------------------------------------


@router.get("/search")
async def search(
    user: Member,
    request: Request,
    q: Annotated[str, Query(max_length=1000)],
    kind: Literal["members", "clubs", "rooms"] | None = None,
) -> SearchResults:
    svc = _svc(request)
    found = await svc.search.search(user.id, q, kind)
    rooms = [summary for rid in found.room_ids if (summary := room_summary(svc.stage, rid))]
    return {"members": found.members, "clubs": found.clubs, "rooms": rooms}


# -- pings --------------------------------------------------------------------------


class PingBody(Body):
    username: Annotated[str, Field(max_length=100)]


@router.post(
    "/rooms/{room_id}/ping",
    status_code=204,
    responses=refuses(
        ErrorCode.INVALID_REQUEST,
        ErrorCode.PING_NOT_ALLOWED,
        ErrorCode.NOT_IN_ROOM,
        ErrorCode.USER_NOT_FOUND,
        ErrorCode.ALREADY_PINGED,
    ),
)
async def ping(room_id: str, body: PingBody, user: Member, request: Request) -> None:
    await _svc(request).pings.ping(user.id, room_id, body.username)
