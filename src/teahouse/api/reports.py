"""Routes every member uses for moderation (docs/API-ADMIN.md): filing a report and
reading a room's audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request
from pydantic import Field

from teahouse.admin.reports import Reason, ReportView
from teahouse.api.admin import AuditEntryList
from teahouse.api.context import Body, KeysetCursor, Limit, Member, next_cursor, services
from teahouse.api.routing import api_router, refuses
from teahouse.domain.cursors import LIMIT_DEFAULT
from teahouse.errors import ErrorCode

router = api_router()


class ReportBody(Body):
    user_id: Annotated[str, Field(max_length=100)] | None = None
    room_id: Annotated[str, Field(max_length=100)] | None = None
    reason: Reason
    details: Annotated[str, Field(max_length=1000)] = ""


@router.post(
    "/reports",
    status_code=201,
    responses=refuses(
        ErrorCode.CANNOT_REPORT_YOURSELF,
        ErrorCode.USER_NOT_FOUND,
        ErrorCode.ROOM_NOT_FOUND,
        ErrorCode.TOO_MANY_REPORTS,
    ),
)
async def file_report(body: ReportBody, user: Member, request: Request) -> ReportView:
    return await services(request).reports.file(
        user.id, user_id=body.user_id, room_id=body.room_id, reason=body.reason,
        details=body.details,
    )  # fmt: skip


@router.get("/rooms/{room_id}/audit", responses=refuses(ErrorCode.ROOM_NOT_FOUND))
async def room_audit(
    room_id: str, user: Member, request: Request, cursor: KeysetCursor, limit: Limit = LIMIT_DEFAULT
) -> AuditEntryList:
    svc = services(request)
    await svc.audit.check_room_reader(
        room_id,
        user.id,
        is_admin=user.is_admin,
        is_moderator=svc.stage.is_moderator(room_id, user.id),
    )
    page = await svc.audit.for_room(room_id, cursor, limit)
    return {"entries": page.items, "next_cursor": next_cursor(request, page)}
