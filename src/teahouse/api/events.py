"""The event routes of docs/API-SOCIAL.md."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request
from pydantic import Field
from typing_extensions import TypedDict

from teahouse.api.context import Body, Member, services
from teahouse.api.routing import api_router, refuses
from teahouse.clubs.event_views import EventView, Repeats
from teahouse.clubs.events import COHOSTS_MAX, DESCRIPTION_MAX, UNSET, EventFields
from teahouse.errors import ErrorCode

router = api_router()
EVENT = ErrorCode.EVENT_NOT_FOUND
PLANNING = (  # what the fields of a new or changed event can be refused for
    ErrorCode.INVALID_TIME_ZONE,
    ErrorCode.EVENT_IN_PAST,
    ErrorCode.NOT_CLUB_ADMIN,
    ErrorCode.CLUB_NOT_FOUND,
    ErrorCode.USER_NOT_FOUND,
)
BEGUN = (ErrorCode.EVENT_STARTED, ErrorCode.EVENT_CANCELLED)
Text = Annotated[str, Field(max_length=500)]
Cohosts = Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=COHOSTS_MAX)]
Description = Annotated[str, Field(max_length=DESCRIPTION_MAX)]
ClubId = Annotated[str, Field(max_length=100)]


class NewEventBody(Body):
    title: Text
    description: Description = ""
    starts_at: Text
    time_zone: Text
    cohosts: Cohosts = Field(default_factory=list)
    club_id: ClubId | None = None
    repeats: Repeats | None = None  # "weekly": every week at this weekday and time


class EventPatchBody(Body):
    title: Text | None = None
    description: Description | None = None
    starts_at: Text | None = None
    time_zone: Text | None = None
    cohosts: Cohosts | None = None
    club_id: ClubId | None = None  # null takes the event out of its club
    repeats: Repeats | None = None  # null stops a weekly series after this occurrence


class StartedEvent(TypedDict):
    """The room the event's start opened."""

    room_id: str


@router.post("/events", status_code=201, responses=refuses(*PLANNING))
async def create_event(body: NewEventBody, user: Member, request: Request) -> EventView:
    fields = EventFields(**body.model_dump())
    return await services(request).events.create(user, fields)


@router.get("/events/{event_id}", responses=refuses(EVENT))
async def get_event(event_id: str, user: Member, request: Request) -> EventView:
    return await services(request).events.get(user.id, event_id)


@router.patch("/events/{event_id}", responses=refuses(EVENT, ErrorCode.NOT_HOST, *PLANNING, *BEGUN))
async def edit_event(
    event_id: str, body: EventPatchBody, user: Member, request: Request
) -> EventView:
    given = body.model_dump(exclude={"club_id", "repeats"})
    club_id = body.club_id if "club_id" in body.model_fields_set else UNSET
    repeats = body.repeats if "repeats" in body.model_fields_set else UNSET
    fields = EventFields(**given, club_id=club_id, repeats=repeats)
    return await services(request).events.update(user.id, event_id, fields)


@router.delete(
    "/events/{event_id}",
    status_code=204,
    responses=refuses(EVENT, ErrorCode.NOT_HOST, ErrorCode.EVENT_STARTED),
)
async def cancel_event(event_id: str, user: Member, request: Request) -> None:
    await services(request).events.cancel(user.id, event_id)


@router.post("/events/{event_id}/notify", status_code=204, responses=refuses(EVENT))
async def notify_me(event_id: str, user: Member, request: Request) -> None:
    await services(request).events.set_notify(user.id, event_id, on=True)


@router.delete("/events/{event_id}/notify", status_code=204, responses=refuses(EVENT))
async def do_not_notify_me(event_id: str, user: Member, request: Request) -> None:
    await services(request).events.set_notify(user.id, event_id, on=False)


@router.post(
    "/events/{event_id}/start",
    status_code=201,
    responses=refuses(EVENT, ErrorCode.NOT_HOST, *BEGUN, ErrorCode.MEDIA_UNAVAILABLE),
)
async def start_event(event_id: str, user: Member, request: Request) -> StartedEvent:
    return {"room_id": await services(request).events.start(user, event_id)}
