"""Accounts (docs/API.md, docs/API-SOCIAL.md): invitations, sign-up, log-in and
log-out, the member's own record, their data export and the deletion of their account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import Field

from teahouse.api.context import (
    Body,
    Member,
    Svc,
    clear_session_cookie,
    set_session_cookie,
)
from teahouse.errors import NotAuthenticated
from teahouse.views import MeView

router = APIRouter(prefix="/api")


class InspectBody(Body):
    code: Annotated[str, Field(max_length=200)]


class SignupBody(Body):
    code: Annotated[str, Field(max_length=200)]
    username: Annotated[str, Field(max_length=100)]
    password: Annotated[str, Field(max_length=1024)]
    display_name: Annotated[str, Field(max_length=200)] | None = None


class LoginBody(Body):
    username: Annotated[str, Field(max_length=100)]
    password: Annotated[str, Field(max_length=1024)]


class PasswordBody(Body):
    password: Annotated[str, Field(max_length=1024)]


@router.post("/invites/inspect")
async def inspect_invite(body: InspectBody, svc: Svc) -> dict[str, object]:
    nominated_by, expires_at = await svc.accounts.inspect_invite(body.code)
    return {"nominated_by": nominated_by, "expires_at": expires_at.isoformat()}


@router.post("/signup", status_code=201)
async def signup(body: SignupBody, svc: Svc, response: Response) -> MeView:
    me, token = await svc.accounts.signup(
        body.code, body.username, body.password, body.display_name
    )
    set_session_cookie(response, svc, token)
    return me


@router.post("/login")
async def login(body: LoginBody, request: Request, svc: Svc, response: Response) -> MeView:
    # The address only ever becomes a keyed hash in memory (accounts/attempts.py).
    address = request.client.host if request.client else None
    svc.attempts.check(body.username, address)
    try:
        me, token = await svc.accounts.login(body.username, body.password)
    except NotAuthenticated:
        svc.attempts.failed(body.username, address)
        raise
    svc.attempts.succeeded(body.username)
    set_session_cookie(response, svc, token)
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


@router.post("/invites", status_code=201)
async def create_invite(user: Member, svc: Svc) -> dict[str, str]:
    invite = await svc.accounts.create_invite(user.id)
    return {"code": invite.code, "url": invite.url, "expires_at": invite.expires_at.isoformat()}


@router.get("/invites")
async def list_invites(user: Member, svc: Svc) -> dict[str, object]:
    invites, left = await svc.accounts.list_invites(user.id)
    return {"invites": invites, "invites_left": left}


@router.get("/me/export")
async def export(user: Member, svc: Svc) -> JSONResponse:
    data = await svc.privacy.export(user.id)
    filename = f"teahouse-{user.username}.json"  # usernames are [a-z0-9_]
    return JSONResponse(
        data,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.delete("/me", status_code=204)
async def delete_account(body: PasswordBody, user: Member, svc: Svc, response: Response) -> None:
    await svc.privacy.delete_account(user.id, body.password)
    clear_session_cookie(response, svc)
