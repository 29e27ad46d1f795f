"""Read deadlines: how long a client may take to send its request.

uvicorn bounds neither part of a request. Its ``timeout_keep_alive`` is armed only
once a response has gone out, and any byte that arrives disarms it: a connection that
sends its headers one byte every few seconds (slowloris), or nothing at all, is held
open for as long as the client likes, and a request that declares a body and sends it
slowly or never holds its task too. h11's and httptools' own limits bound the size of
the headers, never the time they take. So:

- **Headers** (:class:`DeadlineProtocol`): uvicorn's httptools protocol (the one it
  picks when httptools is installed, as ``uvicorn[standard]`` installs it) with one
  timer more. It is armed when the connection opens and whenever it waits for its
  next request (where uvicorn arms its keep-alive timer), and disarmed only when a
  request's headers are complete, not by each byte. When it fires the connection is
  closed: a client that has not said what it asks for cannot be answered.
- **Bodies** (:class:`BodyDeadline`): ASGI middleware around the app. The body a
  request declares (``Content-Length``; the Guards refuse writes without one) must
  have arrived within ``body_timeout`` of its headers. Past it the app's read ends as
  if the client had gone, and the client gets ``408 request_timeout`` with
  ``Connection: close`` if no answer has started, through the same middlewares as any
  other answer (security headers, request id, metrics).

Both are totals, not idle times: a trickle of one byte a second never resets them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from teahouse.api.errors import error_response
from teahouse.errors import ErrorCode

DISCONNECT: Message = {"type": "http.disconnect"}


class DeadlineProtocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol, closing connections whose request headers take longer
    than :attr:`header_timeout` seconds (see :func:`deadline_protocol`)."""

    header_timeout: float = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def on_headers_complete(self) -> None:
        self._disarm_header_deadline()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # uvicorn arms its keep-alive timer exactly when the connection now waits for
        # a new request (none pipelined behind, not closing): so do the headers.
        if self.timeout_keep_alive_task is not None:
            self._arm_header_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_header_deadline()
        super().connection_lost(exc)

    def _arm_header_deadline(self) -> None:
        self._disarm_header_deadline()
        self._header_deadline = self.loop.call_later(self.header_timeout, self._headers_late)

    def _disarm_header_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _headers_late(self) -> None:
        self._header_deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def deadline_protocol(header_timeout: float) -> type[DeadlineProtocol]:
    """The protocol class for uvicorn's ``http`` option: uvicorn makes one per
    connection from the class alone, so the setting travels on the class."""
    return type("DeadlineProtocol", (DeadlineProtocol,), {"header_timeout": header_timeout})


class BodyDeadline:
    """Give up on a request body that has not arrived ``seconds`` after the request
    began; answer ``408 request_timeout`` if the app has not answered yet."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _declares_body(scope):
            await self.app(scope, receive, send)
            return
        deadline = asyncio.get_running_loop().time() + self.seconds
        body_done = gave_up = answered = False

        async def send_unless_given_up(message: Message) -> None:
            nonlocal answered
            if gave_up:
                return  # the 408 went out instead; the connection is closing
            answered = answered or message["type"] == "http.response.start"
            await send(message)

        async def receive_by_deadline() -> Message:
            nonlocal body_done, gave_up
            if gave_up:
                return DISCONNECT
            if body_done:  # e.g. a streaming response listening for the disconnect
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                gave_up = True
                if not answered:
                    await _request_timeout(self.seconds)(scope, receive, send)
                return DISCONNECT
            body_done = message["type"] != "http.request" or not message.get("more_body")
            return message

        await self.app(scope, receive_by_deadline, send_unless_given_up)


def _declares_body(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return value.strip().isdigit() and int(value) > 0
    return False


def _request_timeout(seconds: float) -> JSONResponse:
    response = error_response(
        ErrorCode.REQUEST_TIMEOUT, f"The request's body did not arrive within {seconds:g} s."
    )
    # The rest of the body may still be on its way: this connection carries nothing more.
    response.headers["connection"] = "close"
    return response
