"""Accounts (docs/API.md, docs/API-SOCIAL.md): invitations, sign-up, log-in and
log-out, the member's own record, their data export and the deletion of their account."""

from __future__ import annotations

from typing import Annotated

from fastapi import Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field
from typing_extensions import TypedDict

from teahouse.accounts.accounts import MyInviteView
from teahouse.accounts.export_views import AccountExport
from teahouse.api.context import (
    Asking,
    Body,
    Member,
    Svc,
    clear_device_cookie,
    clear_session_cookie,
    set_device_cookie,
    set_session_cookie,
)
from teahouse.api.routing import api_router, refuses
from teahouse.errors import ErrorCode
from teahouse.views import MeView, UserView

router = api_router()
INVITE_REFUSALS = (
    ErrorCode.INVITE_MALFORMED,
    ErrorCode.INVITE_UNKNOWN,
    ErrorCode.INVITE_USED,
    ErrorCode.INVITE_EXPIRED,
    ErrorCode.INVITE_REVOKED,
)


class InviteInfoView(TypedDict):
    """Who made an invitation, and until when it can be used."""

    nominated_by: UserView | None
    expires_at: str


class NewInviteView(TypedDict):
    """An invitation just made: its code is shown this once."""

    code: str
    url: str
    expires_at: str


class MyInvitesView(TypedDict):
    invites: list[MyInviteView]
    invites_left: int


class InspectInviteBody(Body):
    code: Annotated[str, Field(max_length=200)]


class SignupBody(Body):
    code: Annotated[str, Field(max_length=200)]
    username: Annotated[str, Field(max_length=100)]
    password: Annotated[str, Field(max_length=1024)]
    display_name: Annotated[str, Field(max_length=200)] | None = None


class LoginBody(Body):
    username: Annotated[str, Field(max_length=100)]
    password: Annotated[str, Field(max_length=1024)]


class DeleteAccountBody(Body):
    password: Annotated[str, Field(max_length=1024)]


@router.post("/invites/inspect", responses=refuses(*INVITE_REFUSALS))
async def inspect_invite(body: InspectInviteBody, svc: Svc) -> InviteInfoView:
    nominated_by, expires_at = await svc.accounts.inspect_invite(body.code)
    return {"nominated_by": nominated_by, "expires_at": expires_at.isoformat()}


@router.post(
    "/signup",
    status_code=201,
    responses=refuses(
        *INVITE_REFUSALS,
        ErrorCode.INVALID_USERNAME,
        ErrorCode.WEAK_PASSWORD,
        ErrorCode.USERNAME_TAKEN,
        ErrorCode.DISPLAY_NAME_TAKEN,
    ),
)
async def signup(body: SignupBody, svc: Svc, response: Response) -> MeView:
    me, token = await svc.accounts.signup(
        body.code, body.username, body.password, body.display_name
    )
    set_session_cookie(response, svc, token)
    set_device_cookie(response, svc, await svc.accounts.remember_device(me["id"], None))
    return me


@router.post(
    "/login",
    responses=refuses(ErrorCode.BAD_CREDENTIALS, ErrorCode.SUSPENDED, ErrorCode.TOO_MANY_ATTEMPTS),
)
async def login(body: LoginBody, caller: Asking, svc: Svc, response: Response) -> MeView:
    # Slowed by the password limits, which depend on what the browser proves
    # (accounts/password_check.py); the address is only ever a keyed hash in memory.
    me, token = await svc.accounts.login(body.username, body.password, caller)
    set_session_cookie(response, svc, token)
    device = await svc.accounts.remember_device(me["id"], caller.device_token)
    set_device_cookie(response, svc, device)
    return me


@router.post("/logout", status_code=204)
async def logout(request: Request, svc: Svc, response: Response) -> None:
    token = request.cookies.get(svc.settings.session_cookie_name)
    if token:
        await svc.accounts.logout(token)
    clear_session_cookie(response, svc)


@router.get("/me")
async def me(user: Member, svc: Svc) -> MeView:
    return await svc.accounts.me(user.id)


@router.post("/invites", status_code=201, responses=refuses(ErrorCode.INVITE_QUOTA_EXHAUSTED))
async def create_invite(user: Member, svc: Svc) -> NewInviteView:
    invite = await svc.accounts.create_invite(user.id)
    return {"code": invite.code, "url": invite.url, "expires_at": invite.expires_at.isoformat()}


@router.get("/invites")
async def list_invites(user: Member, svc: Svc) -> MyInvitesView:
    invites, left = await svc.accounts.list_invites(user.id)
    return {"invites": invites, "invites_left": left}


@router.get("/me/export", response_model=AccountExport)
async def export(user: Member, svc: Svc) -> JSONResponse:
    # Sent as it is, a download; tests/integration/test_privacy.py checks that
    # an export is exactly an ``AccountExport``.
    data = await svc.privacy.export(user.id)
    filename = f"teahouse-{user.username}.json"  # usernames are [a-z0-9_]
    return JSONResponse(
        data,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.delete(
    "/me",
    status_code=204,
    responses=refuses(ErrorCode.BAD_CREDENTIALS, ErrorCode.TOO_MANY_ATTEMPTS),
)
async def delete_account(
    body: DeleteAccountBody, user: Member, caller: Asking, svc: Svc, response: Response
) -> None:
    # A password check like log-in's, under the same limits.
    await svc.privacy.delete_account(user.id, body.password, caller)
    clear_session_cookie(response, svc)
    clear_device_cookie(response, svc)
