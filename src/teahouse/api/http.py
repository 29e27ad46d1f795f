"""The JSON routes of docs/API.md."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from teahouse.api.context import Services, current_user, services
from teahouse.errors import Conflict, Forbidden, NotAuthenticated, NotFound
from teahouse.store.models import User
from teahouse.views import MeView, RoomSummary, ref_view

router = APIRouter(prefix="/api")
Member = Annotated[User, Depends(current_user)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


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


class LinkBody(Body):
    code: Annotated[str, Field(min_length=1, max_length=100)]


class RoomBody(Body):
    title: Annotated[str, Field(max_length=500)]
    visibility: Literal["open", "social", "closed", "club"] = "open"
    club_id: Annotated[str, Field(max_length=100)] | None = None


class AdmitBody(Body):
    username: Annotated[str, Field(max_length=100)]


def _svc(request: Request) -> Services:
    return services(request)


def _set_session(response: Response, svc: Services, token: str) -> None:
    response.set_cookie(
        svc.settings.session_cookie_name,
        token,
        httponly=True,
        samesite="lax",
        secure=svc.settings.secure_cookies,
        path="/",
        max_age=svc.settings.session_ttl_days * 86400,
    )


@router.post("/invites/inspect")
async def inspect_invite(body: InspectBody, request: Request) -> dict[str, object]:
    nominated_by, expires_at = await _svc(request).accounts.inspect_invite(body.code)
    return {"nominated_by": nominated_by, "expires_at": expires_at.isoformat()}


@router.post("/signup", status_code=201)
async def signup(body: SignupBody, request: Request, response: Response) -> MeView:
    svc = _svc(request)
    me, token = await svc.accounts.signup(
        body.code, body.username, body.password, body.display_name
    )
    _set_session(response, svc, token)
    return me


@router.post("/login")
async def login(body: LoginBody, request: Request, response: Response) -> MeView:
    svc = _svc(request)
    # The address only ever becomes a keyed hash in memory (accounts/attempts.py).
    address = request.client.host if request.client else None
    svc.attempts.check(body.username, address)
    try:
        me, token = await svc.accounts.login(body.username, body.password)
    except NotAuthenticated:
        svc.attempts.failed(body.username, address)
        raise
    svc.attempts.succeeded(body.username)
    _set_session(response, svc, token)
    return me


@router.post("/logout", status_code=204)
async def logout(request: Request, response: Response) -> None:
    svc = _svc(request)
    token = request.cookies.get(svc.settings.session_cookie_name)
    if token:
        await svc.accounts.logout(token)
    response.delete_cookie(
        svc.settings.session_cookie_name,
        path="/",
        secure=svc.settings.secure_cookies,
        httponly=True,
        samesite="lax",
    )


@router.get("/me")
async def me(user: Member, request: Request) -> MeView:
    return await _svc(request).accounts.me(user.id)


@router.post("/invites", status_code=201)
async def create_invite(user: Member, request: Request) -> dict[str, str]:
    invite = await _svc(request).accounts.create_invite(user.id)
    return {"code": invite.code, "url": invite.url, "expires_at": invite.expires_at.isoformat()}


@router.get("/invites")
async def list_invites(user: Member, request: Request) -> dict[str, object]:
    invites, left = await _svc(request).accounts.list_invites(user.id)
    return {"invites": invites, "invites_left": left}


@router.get("/rooms")
async def list_rooms(user: Member, request: Request) -> dict[str, list[RoomSummary]]:
    svc = _svc(request)
    live_ids = svc.stage.live_room_ids()
    allowed = await svc.rooms.enterable_live_ids(user.id, live_ids, svc.stage.moderators_of)
    summaries = [s for rid in live_ids if rid in allowed and (s := room_summary(svc, rid))]
    summaries.sort(key=lambda s: (-s["participant_count"], s["created_at"]))
    return {"rooms": summaries}


@router.post("/rooms", status_code=201)
async def create_room(body: RoomBody, user: Member, request: Request) -> RoomSummary:
    svc = _svc(request)
    info = await svc.rooms.create(user, body.title, body.visibility, body.club_id)
    await svc.stage.open_room(info)
    summary = room_summary(svc, info.id)
    assert summary is not None
    return summary


@router.get("/rooms/{room_id}")
async def get_room(room_id: str, user: Member, request: Request) -> RoomSummary:
    svc = _svc(request)
    info = await svc.rooms.enterable(user.id, room_id, svc.stage.moderators_of(room_id))
    summary = room_summary(svc, info.id)
    if summary is None:
        raise Conflict("This room has ended.", "room_ended")
    return summary


@router.post("/rooms/{room_id}/admit", status_code=204)
async def admit(room_id: str, body: AdmitBody, user: Member, request: Request) -> None:
    svc = _svc(request)
    info = await svc.rooms.enterable(user.id, room_id, svc.stage.moderators_of(room_id))
    if not svc.stage.is_moderator(info.id, user.id):
        raise Forbidden("Only the room's moderators can let people in.", "not_moderator")
    admitted = await svc.accounts.user_by_username(body.username)
    await svc.rooms.admit(info.id, admitted.id)
    await svc.audit.record(user.id, "admit", room_id=info.id, target_id=admitted.id)


@router.post("/rooms/{room_id}/link", status_code=201)
async def create_room_link(room_id: str, user: Member, request: Request) -> dict[str, str]:
    """A link that lets whoever holds it into a closed room, while the room lives."""
    svc = _svc(request)
    info = await svc.rooms.enterable(user.id, room_id, svc.stage.moderators_of(room_id))
    code = svc.stage.new_room_link(info.id, user.id)
    return {"url": f"{svc.settings.public_url}/room/{info.id}#link={code}"}


@router.post("/rooms/{room_id}/enter", status_code=204)
async def enter_by_link(room_id: str, body: LinkBody, user: Member, request: Request) -> None:
    svc = _svc(request)
    if not svc.stage.room_link_valid(room_id, body.code):
        raise NotFound("That room link is not valid (any more).", "room_link_invalid")
    await svc.rooms.admit(room_id, user.id)


def room_summary(svc: Services, room_id: str) -> RoomSummary | None:
    room = svc.stage.live(room_id)
    if room is None:
        return None
    participants = room.state.participants.values()
    speakers = [ref_view(p.user) for p in participants if p.role.on_stage]
    listeners = sum(1 for p in participants if not p.role.on_stage)
    info = room.info
    return {
        "id": info.id,
        "title": info.title,
        "visibility": info.visibility,
        "created_by": ref_view(info.created_by),
        "created_at": info.created_at,
        "speakers": speakers,
        "listener_count": listeners,
        "participant_count": len(room.state.participants),
        "club": info.club.to_dict() if info.club else None,
    }
