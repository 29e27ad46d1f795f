"""The hallway, notifications and pings of docs/API-SOCIAL.md."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import Field

from teahouse.api.context import services
from teahouse.api.http import Body, Member, room_summary
from teahouse.services.hallway import (
    HallwayEventView,
    ReasonView,
    club_view,
    reason_view,
)
from teahouse.services.inbox import PAGE_DEFAULT, PAGE_MAX, NotificationPage
from teahouse.services.views import ClubRefView, RoomSummary

router = APIRouter(prefix="/api")


class HallwayRoom(RoomSummary):
    club: ClubRefView | None
    reason: ReasonView


class ReadBody(Body):
    ids: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=1000)] | None = None


class PingBody(Body):
    username: Annotated[str, Field(max_length=100)]


@router.get("/hallway")
async def hallway(
    user: Member, request: Request
) -> dict[str, list[HallwayRoom] | list[HallwayEventView]]:
    svc = services(request)
    page = await svc.hallway.for_member(user.id)
    # No await since the ranking read the live rooms: the summaries match it.
    rooms: list[HallwayRoom] = []
    for ranked in page.rooms:
        summary = room_summary(svc, ranked.item.id)
        if summary is not None:
            rooms.append(
                {
                    **summary,
                    "club": club_view(ranked.item.club),
                    "reason": reason_view(ranked.reason),
                }
            )
    return {"rooms": rooms, "events": page.events}


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
