"""The event routes of docs/API-SOCIAL.md."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import Field

from teahouse.api.context import Body, Member, services
from teahouse.clubs.events import COHOSTS_MAX, DESCRIPTION_MAX, UNSET, EventFields, EventView

router = APIRouter(prefix="/api")
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


class EventPatchBody(Body):
    title: Text | None = None
    description: Description | None = None
    starts_at: Text | None = None
    time_zone: Text | None = None
    cohosts: Cohosts | None = None
    club_id: ClubId | None = None  # null takes the event out of its club


@router.post("/events", status_code=201)
async def create_event(body: NewEventBody, user: Member, request: Request) -> EventView:
    fields = EventFields(**body.model_dump())
    return await services(request).events.create(user, fields)


@router.get("/events/{event_id}")
async def get_event(event_id: str, user: Member, request: Request) -> EventView:
    return await services(request).events.get(user.id, event_id)


@router.patch("/events/{event_id}")
async def edit_event(
    event_id: str, body: EventPatchBody, user: Member, request: Request
) -> EventView:
    given = body.model_dump(exclude={"club_id"})
    club_id = body.club_id if "club_id" in body.model_fields_set else UNSET
    fields = EventFields(**given, club_id=club_id)
    return await services(request).events.update(user.id, event_id, fields)


@router.delete("/events/{event_id}", status_code=204)
async def cancel_event(event_id: str, user: Member, request: Request) -> None:
    await services(request).events.cancel(user.id, event_id)


@router.post("/events/{event_id}/notify", status_code=204)
async def notify_me(event_id: str, user: Member, request: Request) -> None:
    await services(request).events.set_notify(user.id, event_id, on=True)


@router.delete("/events/{event_id}/notify", status_code=204)
async def do_not_notify_me(event_id: str, user: Member, request: Request) -> None:
    await services(request).events.set_notify(user.id, event_id, on=False)


@router.post("/events/{event_id}/start", status_code=201)
async def start_event(event_id: str, user: Member, request: Request) -> dict[str, str]:
    return {"room_id": await services(request).events.start(user, event_id)}
