"""The hallway of docs/API-SOCIAL.md: the rooms and events a member may enter, ranked."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from typing_extensions import TypedDict

from teahouse.api.context import HallwayCursorParam, Member, next_cursor, services
from teahouse.api.routing import api_router
from teahouse.domain.cursors import HallwayCursor
from teahouse.hallway.hallway import (
    ROOMS_PAGE,
    ROOMS_PAGE_MAX,
    HallwayEventView,
    HallwayRoomView,
)

router = api_router()


class HallwayView(TypedDict):
    """A page of the member's rooms; with the first page, the top events too."""

    rooms: list[HallwayRoomView]
    events: list[HallwayEventView]
    next_cursor: str | None


@router.get("/hallway")
async def hallway(
    user: Member,
    request: Request,
    cursor: HallwayCursorParam,
    limit: Annotated[int, Query(ge=1, le=ROOMS_PAGE_MAX)] = ROOMS_PAGE,
) -> HallwayView:
    rooms, events = await services(request).hallway.for_member(user.id, cursor, limit)
    return {
        "rooms": rooms.items,
        "events": events,
        "next_cursor": next_cursor(request, rooms, HallwayCursor),
    }
