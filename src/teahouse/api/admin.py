"""The instance admins' routes under /api/admin (docs/API-ADMIN.md).

Every route needs an admin (``not_admin`` 403 for other members); writes pass the
same Origin and body-size guards as every other write. Each route calls one service.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import Field

from teahouse.admin.invites import InviteStatus
from teahouse.admin.members import MemberStatus
from teahouse.api.context import AdminUser, Body, CursorParam, Limit, services
from teahouse.domain.cursors import LIMIT_DEFAULT, optional_cursor
from teahouse.services import Services

router = APIRouter(prefix="/api/admin")


class ResolveBody(Body):
    resolution: Annotated[str, Field(max_length=500)] = ""


def _svc(request: Request) -> Services:
    return services(request)


# -- members ---------------------------------------------------------------------------


@router.get("/members")
async def members(
    admin: AdminUser,
    request: Request,
    query: Annotated[str, Query(max_length=100)] = "",
    status: MemberStatus = "all",
    cursor: CursorParam = None,
    limit: Limit = LIMIT_DEFAULT,
) -> dict[str, Any]:
    return await _svc(request).admin.members(query, status, optional_cursor(cursor), limit)


@router.get("/members/{username}")
async def member(username: str, admin: AdminUser, request: Request) -> dict[str, Any]:
    return await _svc(request).admin.member(username)


@router.post("/members/{username}/grant-admin")
async def grant_admin(username: str, admin: AdminUser, request: Request) -> dict[str, Any]:
    return await _svc(request).admin.set_admin(admin.id, username, True)


@router.post("/members/{username}/revoke-admin")
async def revoke_admin(username: str, admin: AdminUser, request: Request) -> dict[str, Any]:
    return await _svc(request).admin.set_admin(admin.id, username, False)


@router.post("/members/{username}/suspend")
async def suspend(username: str, admin: AdminUser, request: Request) -> dict[str, Any]:
    return await _svc(request).admin.suspend(admin.id, username)


@router.post("/members/{username}/unsuspend")
async def unsuspend(username: str, admin: AdminUser, request: Request) -> dict[str, Any]:
    return await _svc(request).admin.unsuspend(admin.id, username)


@router.get("/members/{username}/tree")
async def tree(username: str, admin: AdminUser, request: Request) -> dict[str, Any]:
    return await _svc(request).invite_admin.tree(username)


@router.post("/members/{username}/revoke-branch")
async def revoke_branch(username: str, admin: AdminUser, request: Request) -> dict[str, int]:
    return {"revoked": await _svc(request).invite_admin.revoke_branch(admin.id, username)}


# -- invitations -----------------------------------------------------------------------


@router.get("/invites")
async def invites(
    admin: AdminUser,
    request: Request,
    status: InviteStatus = "all",
    cursor: CursorParam = None,
    limit: Limit = LIMIT_DEFAULT,
) -> dict[str, Any]:
    return await _svc(request).invite_admin.invites(status, optional_cursor(cursor), limit)


@router.post("/invites/{invite_id}/revoke")
async def revoke_invite(invite_id: str, admin: AdminUser, request: Request) -> dict[str, str]:
    status = await _svc(request).invite_admin.revoke(admin.id, invite_id)
    return {"id": invite_id, "status": status}


# -- reports, rooms, the audit log -------------------------------------------------------


@router.get("/reports")
async def reports(
    admin: AdminUser,
    request: Request,
    status: Literal["open", "resolved"] = "open",
    cursor: CursorParam = None,
    limit: Limit = LIMIT_DEFAULT,
) -> dict[str, Any]:
    return await _svc(request).reports.page(status, optional_cursor(cursor), limit)


@router.post("/reports/{report_id}/resolve")
async def resolve(
    report_id: str, body: ResolveBody, admin: AdminUser, request: Request
) -> dict[str, Any]:
    return await _svc(request).reports.resolve(admin.id, report_id, body.resolution)


@router.post("/rooms/{room_id}/end", status_code=204)
async def end_room(room_id: str, admin: AdminUser, request: Request) -> None:
    await _svc(request).admin.end_room(admin.id, room_id)


@router.get("/audit")
async def audit(
    admin: AdminUser, request: Request, cursor: CursorParam = None, limit: Limit = LIMIT_DEFAULT
) -> dict[str, Any]:
    page = await _svc(request).audit.all(optional_cursor(cursor), limit)
    return page.to_dict()
