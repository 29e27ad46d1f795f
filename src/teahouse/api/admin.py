"""The instance admins' routes under /api/admin (docs/API-ADMIN.md).

Every route needs an admin (``not_admin`` 403 for other members); writes pass the
same Origin and body-size guards as every other write. Each route calls one service.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from pydantic import Field
from typing_extensions import TypedDict

from teahouse.admin.audit import AuditEntryView
from teahouse.admin.invites import AdminInviteView, InviteState, InviteStatus, TreeNodeView
from teahouse.admin.members import GRANT_MAX, AdminMemberView, MemberStatus
from teahouse.admin.reports import ReportStatus, ReportView
from teahouse.api.context import AdminUser, Body, KeysetCursor, Limit, next_cursor, services
from teahouse.api.routing import api_router, refuses
from teahouse.domain.cursors import LIMIT_DEFAULT
from teahouse.errors import ErrorCode
from teahouse.services import Services

router = api_router("/api/admin")
USER_NOT_FOUND = refuses(ErrorCode.USER_NOT_FOUND)


class AdminMemberList(TypedDict):
    """A page of members, newest first."""

    members: list[AdminMemberView]
    next_cursor: str | None


class AdminInviteList(TypedDict):
    """A page of invitations, newest first."""

    invites: list[AdminInviteView]
    next_cursor: str | None


class RevokedInvite(TypedDict):
    id: str
    status: InviteState


class RevokedBranch(TypedDict):
    """How many unused invitations were revoked."""

    revoked: int


class ReportList(TypedDict):
    """A page of reports, newest first."""

    reports: list[ReportView]
    next_cursor: str | None


class AuditEntryList(TypedDict):
    """A page of the audit log, newest first."""

    entries: list[AuditEntryView]
    next_cursor: str | None


class GiveInvitesBody(Body):
    count: Annotated[int, Field(ge=1, le=GRANT_MAX)]


class ResetLinkView(TypedDict):
    """A password reset link just made: shown this once; the server keeps its hash."""

    username: str
    url: str
    expires_at: str


class ResolveBody(Body):
    resolution: Annotated[str, Field(max_length=500)] = ""


def _svc(request: Request) -> Services:
    return services(request)


# -- members ---------------------------------------------------------------------------


@router.get("/members")
async def members(
    admin: AdminUser,
    request: Request,
    cursor: KeysetCursor,
    query: Annotated[str, Query(max_length=100)] = "",
    status: MemberStatus = "all",
    limit: Limit = LIMIT_DEFAULT,
) -> AdminMemberList:
    page = await _svc(request).admin.members(query, status, cursor, limit)
    return {"members": page.items, "next_cursor": next_cursor(request, page)}


@router.get("/members/{username}", responses=USER_NOT_FOUND)
async def member(username: str, admin: AdminUser, request: Request) -> AdminMemberView:
    return await _svc(request).admin.member(username)


@router.post(
    "/members/{username}/grant-admin",
    responses=refuses(ErrorCode.USER_NOT_FOUND, ErrorCode.MEMBER_SUSPENDED),
)
async def grant_admin(username: str, admin: AdminUser, request: Request) -> AdminMemberView:
    return await _svc(request).admin.set_admin(admin.id, username, True)


@router.post(
    "/members/{username}/revoke-admin",
    responses=refuses(ErrorCode.USER_NOT_FOUND, ErrorCode.LAST_ADMIN),
)
async def revoke_admin(username: str, admin: AdminUser, request: Request) -> AdminMemberView:
    return await _svc(request).admin.set_admin(admin.id, username, False)


@router.post(
    "/members/{username}/suspend",
    responses=refuses(ErrorCode.USER_NOT_FOUND, ErrorCode.CANNOT_SUSPEND_ADMIN),
)
async def suspend(username: str, admin: AdminUser, request: Request) -> AdminMemberView:
    return await _svc(request).admin.suspend(admin.id, username)


@router.post("/members/{username}/unsuspend", responses=USER_NOT_FOUND)
async def unsuspend(username: str, admin: AdminUser, request: Request) -> AdminMemberView:
    return await _svc(request).admin.unsuspend(admin.id, username)


@router.post("/members/{username}/invites", responses=USER_NOT_FOUND)
async def give_invites(
    username: str, body: GiveInvitesBody, admin: AdminUser, request: Request
) -> AdminMemberView:
    return await _svc(request).admin.give_invites(admin.id, username, body.count)


@router.post("/members/{username}/reset-link", status_code=201, responses=USER_NOT_FOUND)
async def reset_link(username: str, admin: AdminUser, request: Request) -> ResetLinkView:
    link = await _svc(request).password_changes.make_link(admin.id, username)
    return {"username": link.username, "url": link.url, "expires_at": link.expires_at.isoformat()}


@router.get("/members/{username}/tree", responses=USER_NOT_FOUND)
async def tree(username: str, admin: AdminUser, request: Request) -> TreeNodeView:
    return await _svc(request).invite_admin.tree(username)


@router.post("/members/{username}/revoke-branch", responses=USER_NOT_FOUND)
async def revoke_branch(username: str, admin: AdminUser, request: Request) -> RevokedBranch:
    return {"revoked": await _svc(request).invite_admin.revoke_branch(admin.id, username)}


# -- invitations -----------------------------------------------------------------------


@router.get("/invites")
async def invites(
    admin: AdminUser,
    request: Request,
    cursor: KeysetCursor,
    status: InviteStatus = "all",
    limit: Limit = LIMIT_DEFAULT,
) -> AdminInviteList:
    page = await _svc(request).invite_admin.invites(status, cursor, limit)
    return {"invites": page.items, "next_cursor": next_cursor(request, page)}


@router.post(
    "/invites/{invite_id}/revoke",
    responses=refuses(ErrorCode.INVITE_NOT_FOUND, ErrorCode.INVITE_USED, ErrorCode.INVITE_EXPIRED),
)
async def revoke_invite(invite_id: str, admin: AdminUser, request: Request) -> RevokedInvite:
    status = await _svc(request).invite_admin.revoke(admin.id, invite_id)
    return {"id": invite_id, "status": status}


# -- reports, rooms, the audit log -------------------------------------------------------


@router.get("/reports")
async def reports(
    admin: AdminUser,
    request: Request,
    cursor: KeysetCursor,
    status: ReportStatus = "open",
    limit: Limit = LIMIT_DEFAULT,
) -> ReportList:
    page = await _svc(request).reports.page(status, cursor, limit)
    return {"reports": page.items, "next_cursor": next_cursor(request, page)}


@router.post(
    "/reports/{report_id}/resolve",
    responses=refuses(ErrorCode.REPORT_NOT_FOUND, ErrorCode.ALREADY_RESOLVED),
)
async def resolve(
    report_id: str, body: ResolveBody, admin: AdminUser, request: Request
) -> ReportView:
    return await _svc(request).reports.resolve(admin.id, report_id, body.resolution)


@router.post("/rooms/{room_id}/end", status_code=204, responses=refuses(ErrorCode.ROOM_NOT_FOUND))
async def end_room(room_id: str, admin: AdminUser, request: Request) -> None:
    await _svc(request).admin.end_room(admin.id, room_id)


@router.get("/audit")
async def audit(
    admin: AdminUser, request: Request, cursor: KeysetCursor, limit: Limit = LIMIT_DEFAULT
) -> AuditEntryList:
    page = await _svc(request).audit.all(cursor, limit)
    return {"entries": page.items, "next_cursor": next_cursor(request, page)}
