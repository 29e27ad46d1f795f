"""``X-Teahouse-Replica``: which replica answered, on every response and WebSocket
handshake of an instance with several replicas (docs/OPERATIONS.md, "Several
replicas"). Its value is the replica's name on the bus: random, made when the process
starts and never reused, so it says which process answered and nothing about where
it runs. The embedded default sends no such header.

May import: services.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from teahouse.services import Services

HEADER = b"x-teahouse-replica"


class ReplicaHeader:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        # The bus, and with it the name, is made in the lifespan, after this is built.
        services: Services = scope["app"].state.services
        name = services.bus.replica.encode()

        async def send_named(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.accept"):
                message["headers"] = [*message.get("headers", []), (HEADER, name)]
            await send(message)

        await self.app(scope, receive, send_named)
