"""Notifications of docs/API-SOCIAL.md: the member's list, and marking it read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import Field

from teahouse.api.context import Body, Member, services
from teahouse.notifications.inbox import PAGE_DEFAULT, PAGE_MAX, NotificationPage

router = APIRouter(prefix="/api")


class ReadBody(Body):
    ids: Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=1000)] | None = None


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
