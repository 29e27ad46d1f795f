"""Rooms (docs/API.md): the live list, starting a room, one room, changing its
description, and letting people into a closed room by name or by link. The WebSocket
(api/ws.py) does the rest."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field
from typing_extensions import TypedDict

from teahouse.api.context import Body, Member, Svc
from teahouse.api.routing import api_router, refuses
from teahouse.errors import Conflict, ErrorCode, Forbidden, NotFound
from teahouse.live.summary import names_any, room_summary
from teahouse.rooms.rooms import DESCRIPTION_MAX, normalise_description
from teahouse.views import RoomSummary

router = api_router()
ENTERABLE = (ErrorCode.ROOM_NOT_FOUND, ErrorCode.ROOM_ENDED)  # Rooms.enterable's refusals


class RoomList(TypedDict):
    rooms: list[RoomSummary]


class RoomLink(TypedDict):
    """A link that lets whoever opens it into a closed room while the room lives."""

    url: str


# Room for white space the description loses when it is normalised, not for more text.
Description = Annotated[str, Field(max_length=4 * DESCRIPTION_MAX)]


class NewRoomBody(Body):
    title: Annotated[str, Field(max_length=500)]
    description: Description = ""
    visibility: Literal["open", "social", "closed", "club"] = "open"
    club_id: Annotated[str, Field(max_length=100)] | None = None


class RoomPatchBody(Body):
    description: Description


class AdmitBody(Body):
    username: Annotated[str, Field(max_length=100)]


class RoomLinkBody(Body):
    code: Annotated[str, Field(min_length=1, max_length=100)]


@router.get("/rooms")
async def list_rooms(user: Member, svc: Svc) -> RoomList:
    live_ids = svc.stage.live_room_ids()
    allowed = await svc.rooms.enterable_live_ids(user.id, live_ids, svc.stage.moderators_of)
    hidden = await svc.social.hidden_from(user.id)
    summaries = [
        s
        for rid in live_ids
        if rid in allowed
        and not names_any(svc.stage, rid, hidden)
        and (s := room_summary(svc.stage, rid))
    ]
    summaries.sort(key=lambda s: (-s["participant_count"], s["created_at"]))
    return {"rooms": summaries}


@router.post(
    "/rooms",
    status_code=201,
    responses=refuses(
        ErrorCode.NOT_CLUB_MEMBER, ErrorCode.CLUB_NOT_FOUND, ErrorCode.MEDIA_UNAVAILABLE
    ),
)
async def create_room(body: NewRoomBody, user: Member, svc: Svc) -> RoomSummary:
    info = await svc.rooms.create(
        user, body.title, body.visibility, body.club_id, description=body.description
    )
    await svc.stage.open_room(info)
    summary = room_summary(svc.stage, info.id)
    assert summary is not None
    return summary


@router.get("/rooms/{room_id}", responses=refuses(*ENTERABLE))
async def get_room(room_id: str, user: Member, svc: Svc) -> RoomSummary:
    info = await svc.rooms.enterable(user.id, room_id, svc.stage.moderators_of(room_id))
    summary = room_summary(svc.stage, info.id, await svc.social.hidden_from(user.id))
    if summary is None:
        raise Conflict("This room has ended.", ErrorCode.ROOM_ENDED)
    return summary


@router.patch("/rooms/{room_id}", responses=refuses(*ENTERABLE, ErrorCode.NOT_MODERATOR))
async def change_room(room_id: str, body: RoomPatchBody, user: Member, svc: Svc) -> RoomSummary:
    """A moderator in the live room changes its description; everyone in the room gets
    a ``description`` change at once."""
    description = normalise_description(body.description)
    info = await svc.rooms.enterable(user.id, room_id, svc.stage.moderators_of(room_id))
    await svc.router.describe(info.id, user.id, description)
    summary = room_summary(svc.stage, info.id, await svc.social.hidden_from(user.id))
    if summary is None:
        raise Conflict("This room has ended.", ErrorCode.ROOM_ENDED)
    return summary


@router.post(
    "/rooms/{room_id}/admit",
    status_code=204,
    responses=refuses(*ENTERABLE, ErrorCode.NOT_MODERATOR, ErrorCode.USER_NOT_FOUND),
)
async def admit(room_id: str, body: AdmitBody, user: Member, svc: Svc) -> None:
    info = await svc.rooms.enterable(user.id, room_id, svc.stage.moderators_of(room_id))
    if not svc.stage.is_moderator(info.id, user.id):
        raise Forbidden("Only the room's moderators can let people in.", ErrorCode.NOT_MODERATOR)
    admitted = await svc.social.visible_user(user.id, body.username)
    await svc.rooms.admit(info.id, admitted.id)
    await svc.audit.record(user.id, "admit", room_id=info.id, target_id=admitted.id)


@router.post(
    "/rooms/{room_id}/link",
    status_code=201,
    responses=refuses(*ENTERABLE, ErrorCode.NOT_MODERATOR),
)
async def create_room_link(room_id: str, user: Member, svc: Svc) -> RoomLink:
    """A link that lets whoever holds it into a closed room, while the room lives."""
    info = await svc.rooms.enterable(user.id, room_id, svc.stage.moderators_of(room_id))
    code = await svc.router.new_link(info.id, user.id)
    return {"url": f"{svc.settings.public_url}/room/{info.id}#link={code}"}


@router.post(
    "/rooms/{room_id}/enter", status_code=204, responses=refuses(ErrorCode.ROOM_LINK_INVALID)
)
async def enter_by_link(room_id: str, body: RoomLinkBody, user: Member, svc: Svc) -> None:
    if not svc.stage.links.valid(room_id, body.code):
        raise NotFound("That room link is not valid (any more).", ErrorCode.ROOM_LINK_INVALID)
    await svc.rooms.admit(room_id, user.id)
