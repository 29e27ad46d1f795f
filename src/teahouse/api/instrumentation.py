"""ASGI middleware around everything else: each request (and each WebSocket) gets a
request id for its log lines and its ``X-Request-ID`` header, and each HTTP request's
duration is observed under its route template.

The route is the template (``/api/rooms/{room_id}``), never the raw path, and an
unknown method is ``other``: a label made of what a client typed would let anyone
create series without end. Requests refused before routing (a foreign Origin, a body
too large: only writes, so only API routes) are matched against the API's routes the
way the router would match them; anything else is ``unmatched``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from teahouse.ops.logs import new_request_id
from teahouse.ops.metrics import REQUEST_DURATION

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"


class Instrumentation:
    """Request ids and request metrics; ``routes`` are the API's, for requests the
    router never saw."""

    def __init__(self, app: ASGIApp, routes: Sequence[BaseRoute]) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        # Set for this request's task and left set: uvicorn runs each request in a
        # task of its own, and the 500 handler (outside this middleware) logs with it.
        request_id = new_request_id()
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        header = (b"x-request-id", request_id.encode())
        status = 500  # what the client gets if the app raises before answering
        start = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            method = scope["method"] if scope["method"] in METHODS else "other"
            route = route_template(scope, self.routes)
            REQUEST_DURATION.labels(method, route, str(status)).observe(time.perf_counter() - start)


def route_template(scope: Scope, routes: Sequence[BaseRoute]) -> str:
    """The path template of the route that served (or would serve) the request: the
    one the router chose, else the first of ``routes`` that matches."""
    route = scope.get("route")
    if route is None:
        partial = None
        for candidate in routes:
            match, _ = candidate.matches(scope)
            if match is Match.FULL:
                route = candidate
                break
            if match is Match.PARTIAL and partial is None:
                partial = candidate
        route = route or partial
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED
