"""Routes every member uses for moderation (docs/API-ADMIN.md): filing a report and
reading a room's audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import Field

from teahouse.admin.reports import Reason
from teahouse.api.context import Body, CursorParam, Limit, Member, services
from teahouse.domain.cursors import LIMIT_DEFAULT, optional_cursor

router = APIRouter(prefix="/api")


class ReportBody(Body):
    user_id: Annotated[str, Field(max_length=100)] | None = None
    room_id: Annotated[str, Field(max_length=100)] | None = None
    reason: Reason
    details: Annotated[str, Field(max_length=1000)] = ""


@router.post("/reports", status_code=201)
async def file_report(body: ReportBody, user: Member, request: Request) -> dict[str, Any]:
    return await services(request).reports.file(
        user.id, user_id=body.user_id, room_id=body.room_id, reason=body.reason,
        details=body.details,
    )  # fmt: skip


@router.get("/rooms/{room_id}/audit")
async def room_audit(
    room_id: str,
    user: Member,
    request: Request,
    cursor: CursorParam = None,
    limit: Limit = LIMIT_DEFAULT,
) -> dict[str, Any]:
    svc = services(request)
    await svc.audit.check_room_reader(
        room_id,
        user.id,
        is_admin=user.is_admin,
        is_moderator=svc.stage.is_moderator(room_id, user.id),
    )
    page = await svc.audit.for_room(room_id, optional_cursor(cursor), limit)
    return page.to_dict()
