"""The member's calendar link, and the iCalendar feeds calendar apps fetch.

The feed routes take no cookie (calendar apps send none): the secret in the path is
the only credential. They are registered before the web client's catch-all route.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response

from teahouse.api.context import Member, services
from teahouse.api.routing import api_router, refuses
from teahouse.clubs.calendar import CONTENT_TYPE, CalendarLink
from teahouse.errors import ErrorCode

router = api_router()
feeds = api_router(prefix="")
FEED_HEADERS = {"cache-control": "private, no-cache"}
FEED: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The events, as iCalendar.",
        "content": {"text/calendar": {"schema": {"type": "string"}}},
    },
    **refuses(ErrorCode.NOT_FOUND),
}


@router.get("/me/calendar")
async def my_calendar(user: Member, request: Request) -> CalendarLink:
    return await services(request).calendar.link(user.id)


@router.post("/me/calendar/rotate")
async def rotate_calendar(user: Member, request: Request) -> CalendarLink:
    return await services(request).calendar.rotate(user.id)


@feeds.get("/calendar/{token}.ics", response_class=Response, responses=FEED)
async def member_feed(token: str, request: Request) -> Response:
    body = await services(request).calendar.member_feed(token)
    return Response(body, media_type=CONTENT_TYPE, headers=FEED_HEADERS)


@feeds.get("/calendar/{token}/clubs/{club_id}.ics", response_class=Response, responses=FEED)
async def club_feed(token: str, club_id: str, request: Request) -> Response:
    body = await services(request).calendar.club_feed(token, club_id)
    return Response(body, media_type=CONTENT_TYPE, headers=FEED_HEADERS)
