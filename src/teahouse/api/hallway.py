"""The hallway, notifications and pings of docs/API-SOCIAL.md."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import Field
from typing_extensions import TypedDict

from teahouse.api.context import services
from teahouse.api.http import Body, Member
from teahouse.hallway.hallway import (
    ROOMS_PAGE,
    ROOMS_PAGE_MAX,
    HallwayEventView,
    HallwayRoomView,
)
from teahouse.notifications.inbox import PAGE_DEFAULT, PAGE_MAX, NotificationPage

router = APIRouter(prefix="/api")


class HallwayResponse(TypedDict):
    rooms: list[HallwayRoomView]
    events: list[HallwayEventView]
    next_cursor: str | None


class ReadBody(Body):
    ids: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=1000)] | None = None


class PingBody(Body):
    username: Annotated[str, Field(max_length=100)]


@router.get("/hallway")
async def hallway(
    user: Member,
    request: Request,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=ROOMS_PAGE_MAX)] = ROOMS_PAGE,
) -> HallwayResponse:
    page = await services(request).hallway.for_member(user.id, cursor, limit)
    return {"rooms": page.rooms, "events": page.events, "next_cursor": page.next_cursor}


@router.get("/notifications")
async def notifications(
    user: Member,
    request: Request,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = PAGE_DEFAULT,
) -> NotificationPage:
    return await services(request).inbox.page(user.id, cursor, limit)


@router.post("/notifications/read", status_code=204)
async def read_notifications(user: Member, request: Request, body: ReadBody | None = None) -> None:
    await services(request).inbox.mark_read(user.id, body.ids if body else None)


@router.post("/rooms/{room_id}/ping", status_code=204)
async def ping(room_id: str, body: PingBody, user: Member, request: Request) -> None:
    await services(request).pings.ping(user.id, room_id, body.username)
