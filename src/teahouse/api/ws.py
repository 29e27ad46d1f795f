"""The one WebSocket a client opens (docs/PROTOCOL.md)."""

from __future__ import annotations

from fastapi import APIRouter, WebSocket

from teahouse.api.context import services
from teahouse.api.guards import sole_origin
from teahouse.api.socket import SocketLogin, SocketSession
from teahouse.errors import CloseCode, ErrorCode
from teahouse.views import user_ref

router = APIRouter()
TOO_MANY_SOCKETS = "too_many_sockets"


@router.websocket("/ws")
async def websocket(websocket: WebSocket) -> None:
    svc = services(websocket)
    # Browsers let any page open a WebSocket to any host, cookies included: the
    # Origin check is what stops another site from acting as the member.
    origin = sole_origin(websocket.scope)
    token = websocket.cookies.get(svc.settings.session_cookie_name)
    login = await svc.accounts.session(token)
    await websocket.accept()
    if origin not in svc.settings.allowed_origins:
        await websocket.close(CloseCode.ORIGIN_FORBIDDEN, ErrorCode.ORIGIN_FORBIDDEN)
        return
    if login is None:
        await websocket.close(CloseCode.NOT_AUTHENTICATED, ErrorCode.NOT_AUTHENTICATED)
        return
    # Each socket holds a queue, a send task and its share of every broadcast. No
    # await lies between this count and the socket's registration in presence
    # (SocketSession.run), so sockets opened at once cannot all pass it.
    if svc.presence.sockets_of(login.user.id) >= svc.settings.ws_sockets_per_member:
        await websocket.close(CloseCode.TOO_MANY_SOCKETS, TOO_MANY_SOCKETS)
        return

    async def still_valid() -> bool:
        return await svc.accounts.session(token) is not None

    session = SocketSession(
        websocket,
        user_ref(login.user),
        svc.stage,
        svc.rooms,
        svc.settings.max_ws_message_bytes,
        budgets=svc.message_budgets,
        cursors=svc.cursors,
        rate_scale=svc.settings.ws_rate_scale,
        presence=svc.presence,
        send_queue=svc.settings.ws_send_queue,
        login=SocketLogin(login.id, login.expires_at, still_valid),
    )
    await session.run()
