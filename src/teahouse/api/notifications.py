"""Notifications of docs/API-SOCIAL.md: the member's list, and marking it read."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request
from pydantic import Field
from typing_extensions import TypedDict

from teahouse.api.context import Body, KeysetCursor, Limit, Member, next_cursor, services
from teahouse.api.routing import api_router
from teahouse.domain.cursors import LIMIT_DEFAULT
from teahouse.notifications.inbox import NotificationView

router = api_router()


class NotificationList(TypedDict):
    """A page of the member's notifications, and how many of all of them are unread."""

    notifications: list[NotificationView]
    unread: int
    next_cursor: str | None


class MarkReadBody(Body):
    ids: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=1000)] | None = None


@router.get("/notifications")
async def notifications(
    user: Member, request: Request, cursor: KeysetCursor, limit: Limit = LIMIT_DEFAULT
) -> NotificationList:
    inbox = services(request).inbox
    page = await inbox.page(user.id, cursor, limit)
    unread = await inbox.unread(user.id)
    return {
        "notifications": page.items,
        "unread": unread,
        "next_cursor": next_cursor(request, page),
    }


@router.post("/notifications/read", status_code=204)
async def read_notifications(
    user: Member, request: Request, body: MarkReadBody | None = None
) -> None:
    await services(request).inbox.mark_read(user.id, body.ids if body else None)
