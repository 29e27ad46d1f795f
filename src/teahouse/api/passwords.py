"""A member's new password (docs/API.md, "Passwords"): changed with the old one, or
set with an admin's one-time reset link."""

from __future__ import annotations

from typing import Annotated

from fastapi import Response
from pydantic import Field
from typing_extensions import TypedDict

from teahouse.api.context import (
    Asking,
    Body,
    Member,
    Svc,
    clear_session_cookie,
    set_device_cookie,
)
from teahouse.api.routing import api_router, refuses
from teahouse.errors import ErrorCode, NotAuthenticated

router = api_router()
RESET_REFUSALS = (
    ErrorCode.RESET_LINK_UNKNOWN,
    ErrorCode.RESET_LINK_USED,
    ErrorCode.RESET_LINK_EXPIRED,
    ErrorCode.TOO_MANY_ATTEMPTS,
)


class ChangePasswordBody(Body):
    old_password: Annotated[str, Field(max_length=1024)]
    new_password: Annotated[str, Field(max_length=1024)]


class ResetTokenBody(Body):
    token: Annotated[str, Field(max_length=200)]


class UseResetBody(Body):
    token: Annotated[str, Field(max_length=200)]
    password: Annotated[str, Field(max_length=1024)]


class ResetLinkInfoView(TypedDict):
    """Whose password a reset link sets, and until when it can be used."""

    username: str
    display_name: str
    expires_at: str


class ResetDoneView(TypedDict):
    """The password is set: the member logs in with it."""

    username: str


@router.post(
    "/me/password",
    status_code=204,
    responses=refuses(
        ErrorCode.WEAK_PASSWORD, ErrorCode.BAD_CREDENTIALS, ErrorCode.TOO_MANY_ATTEMPTS
    ),
)
async def change_password(
    body: ChangePasswordBody, user: Member, caller: Asking, svc: Svc, response: Response
) -> None:
    # The old password is checked like log-in's, under the same limits; every other
    # session of the member ends, this one stays.
    if caller.session_key is None:  # pragma: no cover (Member found the session)
        raise NotAuthenticated("Please log in.")
    device = await svc.password_changes.change(
        user.id, caller.session_key, body.old_password, body.new_password, caller
    )
    set_device_cookie(response, svc, device)


@router.post("/password-reset/inspect", responses=refuses(*RESET_REFUSALS))
async def inspect_reset(body: ResetTokenBody, caller: Asking, svc: Svc) -> ResetLinkInfoView:
    info = await svc.password_changes.inspect(body.token, caller)
    return {
        "username": info.username,
        "display_name": info.display_name,
        "expires_at": info.expires_at.isoformat(),
    }


@router.post("/password-reset", responses=refuses(*RESET_REFUSALS, ErrorCode.WEAK_PASSWORD))
async def use_reset(
    body: UseResetBody, caller: Asking, svc: Svc, response: Response
) -> ResetDoneView:
    user_id, username = await svc.password_changes.use(body.token, body.password, caller)
    # Every session of the member ended: if this browser's was one of them, its cookie
    # goes too (another member's session, an admin trying the link, stays).
    if caller.session_user_id == user_id:
        clear_session_cookie(response, svc)
    return {"username": username}
