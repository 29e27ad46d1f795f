"""One member's WebSocket: its lifecycle, its outgoing queue and its dispatch.

State machine (an illegal transition is a bug and raises)::

    OPEN --(socket closed, client too slow, flooding, or its session ended)--> CLOSED

Within OPEN the member is in at most one room (``room_id``), which the Stage sets.
Outgoing messages go through a bounded queue: a client that cannot keep up is
dropped (close code 4408) and resumes from a snapshot when it reconnects, so a slow
phone never slows a room down.

Incoming messages pass a :class:`SocketGate` first (realtime/limits.py): every frame
against the socket's and the member's budget, then each message against its
member's budget for its kind. One over a budget is answered ``rate_limited`` and
changes nothing; a socket that goes on sending regardless is closed (4430, reason
``rate_limited``) once what it was already answered has been sent.

A socket lives no longer than the session that opened it (docs/SECURITY.md, "When a
session ends"): it closes with 4401 when the session expires, is logged out or goes
with its member (suspension, deletion), dispatches nothing it reads after that, and
its member leaves their room at once rather than having their place held.

Dispatch is thin: each client message goes to the one Stage method or collaborator
that answers it; the stage actions (their rules, and which are audited) are a table
in live/actions.py. What goes out is a server message model, encoded once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from starlette.websockets import WebSocket, WebSocketDisconnect

from teahouse.domain.clock import utcnow
from teahouse.domain.room_changes import UserRef
from teahouse.errors import BadRequest, CloseCode, ErrorCode, TeahouseError, TooManyRequests
from teahouse.ops import metrics
from teahouse.realtime.client_messages import (
    ClientMessage,
    Ping,
    decode_frame,
    message_ref,
    parse_client_message,
)
from teahouse.realtime.limits import MemberBudgets, SocketGate
from teahouse.realtime.presence import Presence
from teahouse.realtime.server_messages import (
    ErrorMessage,
    OkMessage,
    PongMessage,
    User,
    WelcomeMessage,
    encode,
)
from teahouse.realtime.wire import Frame
from teahouse.replicas.room_router import RoomRouter

log = logging.getLogger(__name__)

OUTGOING_QUEUE_MAX = 1024
PONG = encode(PongMessage())


class SocketState(Enum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class SocketLogin:
    """The session a socket was opened with: its id (the token's hash), when it
    expires, and a way to ask whether it still holds."""

    id: str
    expires_at: datetime
    still_valid: Callable[[], Awaitable[bool]]


class SocketSession:
    """Implements the Stage's ``Client`` for one accepted WebSocket."""

    def __init__(
        self,
        websocket: WebSocket,
        user: UserRef,
        router: RoomRouter,
        max_message_bytes: int,
        *,
        budgets: MemberBudgets,
        rate_scale: float = 1.0,
        presence: Presence | None = None,
        send_queue: int = OUTGOING_QUEUE_MAX,
        login: SocketLogin | None = None,
    ) -> None:
        self.user = user
        self.socket_id = secrets.token_urlsafe(12)
        self.room_id: str | None = None
        self.session_id = login.id if login is not None else None
        self._login = login
        self._expiry: asyncio.TimerHandle | None = None
        self._websocket = websocket
        self._router = router
        self._max_message_bytes = max_message_bytes
        self._gate = SocketGate.scaled(budgets, user.id, rate_scale)
        self._presence = presence
        self._outgoing: asyncio.Queue[Frame | None] = asyncio.Queue(send_queue)
        self.state = SocketState.OPEN
        self.close_code = 1000
        self.close_reason: str | None = None

    def send(self, frame: Frame) -> None:
        if self.state is not SocketState.OPEN:
            return
        try:
            self._outgoing.put_nowait(frame)
        except asyncio.QueueFull:
            log.info("dropping a client that fell %d messages behind", self._outgoing.maxsize)
            metrics.QUEUE_DROPS.inc()
            self.close(CloseCode.TOO_SLOW)

    def is_open(self) -> bool:
        return self.state is SocketState.OPEN

    def room_for(self) -> int:
        if self.state is not SocketState.OPEN:
            return 0
        return self._outgoing.maxsize - self._outgoing.qsize()

    def close(self, code: int = 1000, *, flush: bool = False, reason: str | None = None) -> None:
        """Close at once, dropping what is queued; with ``flush``, once what is queued
        has been sent (the answers a flooder was given, before its close)."""
        if self.state is SocketState.CLOSED:
            return
        self.state = SocketState.CLOSED
        self.close_code = code
        self.close_reason = reason
        if not flush or self._outgoing.full():
            with contextlib.suppress(asyncio.QueueEmpty):
                while True:  # whatever is still queued will never be read
                    self._outgoing.get_nowait()
        self._outgoing.put_nowait(None)

    def finish(self, code: int) -> None:
        if self.state is SocketState.CLOSED:
            return
        try:
            self._outgoing.put_nowait(None)  # after what is queued, the close
        except asyncio.QueueFull:
            self.close(code)  # too far behind to wait for
            return
        self.state = SocketState.CLOSED
        self.close_code = code

    async def run(self) -> None:
        self.send(encode(WelcomeMessage(user=User.model_validate(self.user))))
        if self._presence is not None:  # after `welcome`, which must come first
            self._presence.add(self)
        self._router.register(self)
        await self._hold_to_login()
        sender = asyncio.create_task(self._send_loop())
        try:
            while self.state is SocketState.OPEN:
                message = await self._websocket.receive()
                if message["type"] == "websocket.disconnect" or not self.is_open():
                    break  # a frame read after the session ended is not acted on
                frame = message.get("text")
                if frame is None:
                    frame = message.get("bytes") or b""
                await self.handle_frame(frame)
        except WebSocketDisconnect:
            pass
        finally:
            if self._expiry is not None:
                self._expiry.cancel()
            if self._presence is not None:
                self._presence.discard(self)
            self.close(self.close_code)
            # A socket whose session ended will not come back: no place is held.
            ended = self.close_code == CloseCode.NOT_AUTHENTICATED
            await self._router.disconnected(self, hold=not ended)
            with contextlib.suppress(Exception):
                await sender

    async def _hold_to_login(self) -> None:
        """Close when the session expires. Its ending may also have come between the
        handshake's look-up and this socket's registration in presence (where log-out
        finds it): asked once more, now that it is registered."""
        if self._login is None:
            return
        if not await self._login.still_valid():
            self.close(CloseCode.NOT_AUTHENTICATED)
            return
        left = (self._login.expires_at - utcnow()).total_seconds()
        self._expiry = asyncio.get_running_loop().call_later(
            max(left, 0.0), self.close, CloseCode.NOT_AUTHENTICATED
        )

    async def handle_frame(self, frame: str | bytes) -> None:
        ref: str | None = None
        kind = "invalid"  # until the frame parses as a message
        try:
            if (over := self._gate.frame()) is not None:
                ref = self._ref_of(frame)
                raise over
            raw = decode_frame(frame, self._max_message_bytes)
            ref = message_ref(raw)
            message = parse_client_message(raw)
            kind = message.type
            metrics.MESSAGES_RECEIVED.inc(kind)
            if (over := self._gate.message(message)) is not None:
                raise over
            await self._dispatch(message)
            if message.id is not None:
                self.send(encode(OkMessage(ref=message.id)))
        except TooManyRequests as exc:
            if not self._gate.refused():
                log.info("closing a socket of %s that kept sending over its limits", self.user.id)
                self.close(CloseCode.TOO_MANY_MESSAGES, flush=True, reason=ErrorCode.RATE_LIMITED)
                return
            self._send_error(exc.code, exc.message, ref, exc.retry_after)
        except TeahouseError as exc:
            if kind == "invalid":
                metrics.MESSAGES_RECEIVED.inc(kind)
            self._send_error(exc.code, exc.message, ref)
        except Exception:
            log.exception("message from %s failed", self.user.id)
            self._send_error(ErrorCode.INTERNAL_ERROR, "Something went wrong on the server.", ref)

    def _ref_of(self, frame: str | bytes) -> str | None:
        """The ``id`` of a frame refused unread, if it has a usable one."""
        try:
            return message_ref(decode_frame(frame, self._max_message_bytes))
        except BadRequest:
            return None

    async def _dispatch(self, message: ClientMessage) -> None:
        """Answer a ping here; every other message is about a room, and goes to the
        room's owner (room_router.py: this process, or another replica)."""
        if isinstance(message, Ping):
            self.send(PONG)
        else:
            await self._router.perform(self, message)

    def _send_error(
        self, code: ErrorCode, text: str, ref: str | None, retry_after: int | None = None
    ) -> None:
        if code.status == 429:  # every rate limit on the socket refuses with a 429 code
            metrics.rate_limited(code)
        message = ErrorMessage(code=code, message=text, ref=ref, retry_after=retry_after)
        self.send(encode(message))

    async def _send_loop(self) -> None:
        try:
            while (frame := await self._outgoing.get()) is not None:
                await self._websocket.send_text(frame)
                metrics.MESSAGES_SENT.inc()
        except Exception:  # the peer went away mid-send; the receive side notices
            self.close(self.close_code)
        with contextlib.suppress(Exception):
            await self._websocket.close(self.close_code, self.close_reason)
