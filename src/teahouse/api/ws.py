"""The one WebSocket a client opens (docs/PROTOCOL.md)."""

from __future__ import annotations

from fastapi import APIRouter, WebSocket

from teahouse.api.context import optional_user, services
from teahouse.api.socket import SocketSession
from teahouse.views import user_ref

router = APIRouter()

CLOSE_FORBIDDEN_ORIGIN = 4403
CLOSE_NOT_AUTHENTICATED = 4401


@router.websocket("/ws")
async def websocket(websocket: WebSocket) -> None:
    svc = services(websocket)
    # Browsers let any page open a WebSocket to any host, cookies included: the
    # Origin check is what stops another site from acting as the member.
    origin = websocket.headers.get("origin")
    user = await optional_user(websocket)
    await websocket.accept()
    if origin not in svc.settings.allowed_origins:
        await websocket.close(CLOSE_FORBIDDEN_ORIGIN, "origin_forbidden")
        return
    if user is None:
        await websocket.close(CLOSE_NOT_AUTHENTICATED, "not_authenticated")
        return
    session = SocketSession(
        websocket,
        user_ref(user),
        svc.stage,
        svc.rooms,
        svc.settings.max_ws_message_bytes,
        presence=svc.presence,
        send_queue=svc.settings.ws_send_queue,
    )
    await session.run()
