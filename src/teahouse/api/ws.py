"""The one WebSocket a client opens (docs/PROTOCOL.md), and its entry in the OpenAPI
document: a ``GET /ws`` whose 101 names the protocol's schema and close codes, and
which answers a plain HTTP request (no ``Upgrade: websocket``) ``upgrade_required``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, WebSocket

from teahouse.api.context import services
from teahouse.api.errors import error_response
from teahouse.api.guards import sole_origin
from teahouse.api.routing import api_router, refuses
from teahouse.api.socket import SocketLogin, SocketSession
from teahouse.errors import CloseCode, ErrorCode
from teahouse.views import user_ref

router = APIRouter()
TOO_MANY_SOCKETS = "too_many_sockets"
described = api_router(prefix="")
PROTOCOL_SCHEMA = "frontend/src/generated/protocol.schema.json"
# Why a socket is closed, by code: the refusals of the handshake come first (the
# server accepts, then closes at once with the reason, as browsers show no HTTP
# status of a refused upgrade).
CLOSE_REASONS = {
    CloseCode.ORIGIN_FORBIDDEN: "the page is not on the instance's own origin (before anything)",
    CloseCode.NOT_AUTHENTICATED: "no valid session cookie, or the session ended later",
    CloseCode.TOO_SLOW: "the client fell too far behind: reconnect and join with `since`",
    CloseCode.TOO_MANY_MESSAGES: "it went on sending what it was refused as `rate_limited`",
    CloseCode.TOO_MANY_SOCKETS: "the member has too many sockets open: close one, do not retry",
    CloseCode.SERVER_RESTART: "the server is stopping: reconnect with back-off",
}
UPGRADE: dict[int | str, dict[str, Any]] = {
    101: {
        "description": (
            "Switching Protocols: the WebSocket of docs/PROTOCOL.md, opened with the "
            "session cookie from the instance's own pages (`Origin`). JSON text frames "
            "of at most `max_ws_message_bytes` (64 KiB by default): `ClientMessage` in, "
            f"`ServerMessage` out ({PROTOCOL_SCHEMA}). "
            "Close codes: "
            + "; ".join(
                f"{int(code)} {code.name.lower()}: {why}" for code, why in CLOSE_REASONS.items()
            )
            + "."
        ),
        "x-close-codes": {str(int(code)): code.name.lower() for code in CLOSE_REASONS},
        "x-protocol-schema": PROTOCOL_SCHEMA,
    },
}


@described.get(
    "/ws",
    status_code=101,
    response_class=Response,
    responses={**UPGRADE, **refuses(ErrorCode.UPGRADE_REQUIRED)},
)
async def websocket_upgrade() -> Response:
    """The real-time WebSocket. Only an upgrade opens it: a plain request is answered
    ``upgrade_required`` (426)."""
    response = error_response(
        ErrorCode.UPGRADE_REQUIRED, "/ws is a WebSocket: open it with Upgrade: websocket."
    )
    response.headers["upgrade"] = "websocket"
    return response


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
        svc.router,
        svc.settings.max_ws_message_bytes,
        budgets=svc.message_budgets,
        rate_scale=svc.settings.ws_rate_scale,
        presence=svc.presence,
        send_queue=svc.settings.ws_send_queue,
        login=SocketLogin(login.id, login.expires_at, still_valid),
    )
    await session.run()
