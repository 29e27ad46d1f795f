"""The hallway of docs/API-SOCIAL.md: the rooms and events a member may enter, ranked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from typing_extensions import TypedDict

from teahouse.api.context import Member, services
from teahouse.hallway.hallway import (
    ROOMS_PAGE,
    ROOMS_PAGE_MAX,
    HallwayEventView,
    HallwayRoomView,
)

router = APIRouter(prefix="/api")


class HallwayResponse(TypedDict):
    rooms: list[HallwayRoomView]
    events: list[HallwayEventView]
    next_cursor: str | None


@router.get("/hallway")
async def hallway(
    user: Member,
    request: Request,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=ROOMS_PAGE_MAX)] = ROOMS_PAGE,
) -> HallwayResponse:
    page = await services(request).hallway.for_member(user.id, cursor, limit)
    return {"rooms": page.rooms, "events": page.events, "next_cursor": page.next_cursor}
