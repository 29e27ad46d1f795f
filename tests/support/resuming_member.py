"""A member whose client comes back on its own, as the web client does: one WebSocket
(session cookie) in one room, reconnected with jittered exponential back-off when it
closes (frontend/src/lib/socket.ts), the room resumed with `join` + `since`, and its
aiortc audio driven from what the server says (frontend/src/lib/room/media.ts).

- Room state: every `snapshot` and `delta` goes into a :class:`RoomView`; a gap
  resumes with `join` + `since`; the view's state at every version is kept, so a
  test can compare it with a snapshot the server gave someone else at that version.
- Speaking (given a ``tone``): on the stage, it publishes a :class:`ToneTrack` on a
  fresh RTCPeerConnection when it has none, when the media server `restarted`, and
  when its own entry says `publishing: false` after the server had it live (the
  server lost it while we were away).
- Listening: each `subscribe_offer` is answered; an offer with a new `a=ice-ufrag`
  (a new media server, or the stage emptied) gets a fresh RTCPeerConnection.
- It stops for good when the room ends for it (`room_ended`, `removed`, a `join`
  refused) or on a close code after which reconnecting would only be refused again.

Nothing here waits on a reply inside the reading loop: every message goes out with an
``id`` and its `ok`/`error` is matched when it arrives, so the loop never stalls.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.exceptions import ConnectionClosed, InvalidHandshake

from teahouse.errors import CloseCode
from tests.support.peers import (
    SAMPLE_RATE,
    PublisherPeer,
    ReceivedTrack,
    SubscriberPeer,
    dominant_frequency,
)
from tests.support.room_view import ROOM_STATE_TYPES, Outcome, RoomView
from tests.support.server import open_socket

COOKIE = "teahouse_session"  # the session cookie of an instance served over http
# Close codes after which another attempt would only be refused the same way.
FINAL_CLOSES = frozenset(
    {CloseCode.NOT_AUTHENTICATED, CloseCode.ORIGIN_FORBIDDEN, CloseCode.TOO_MANY_SOCKETS}
)
ON_STAGE = frozenset({"moderator", "speaker"})
_refs = itertools.count(1)


def backoff(attempt: int, ceiling: float = 10.0) -> float:
    """Seconds before reconnection ``attempt`` (0 after a ready connection): the web
    client's 0.5 s doubling to at most ``ceiling`` (10 s; 2 s while the server
    restarts, after 1012), each time 70-130 % of that."""
    base = min(ceiling, 0.5 * 2.0**attempt)
    return base * (0.7 + random.random() * 0.6)


def ice_ufrag(sdp: str) -> str | None:
    found = re.search(r"^a=ice-ufrag:(\S+)", sdp, re.MULTILINE)
    return found.group(1) if found else None


@dataclass
class Connection:
    """One socket's life, as this member lived it (times are time.monotonic())."""

    opened_at: float
    join_ref: str | None = None  # the `id` of its first `join`
    joined_at: float | None = None  # when that `join`'s `ok` came
    closed_at: float | None = None
    close_code: int | None = None
    received: list[dict[str, Any]] = field(default_factory=list)

    def room_messages(self) -> list[dict[str, Any]]:
        return [m for m in self.received if m["type"] in ROOM_STATE_TYPES]


@dataclass
class Ears:
    """One RTCPeerConnection this member listened on, and when it was made."""

    peer: SubscriberPeer
    created_at: float
    ufrag: str | None


class ResumingMember:
    """One member in one room, kept there by its own client until the test closes it."""

    def __init__(
        self, name: str, base_url: str, token: str, room: str, *, tone: float | None = None
    ) -> None:
        self.name = name
        self.base_url = base_url
        self.token = token
        self.room = room
        self.tone = tone
        self.user_id: str | None = None
        self.view = RoomView()
        #: The view's state at each version it held (RoomView.state()).
        self.states: dict[int, dict[str, Any]] = {}
        self.connections: list[Connection] = []
        self.ears: list[Ears] = []
        #: When each `publish` was acknowledged, and every `error` received.
        self.published_at: list[float] = []
        self.errors: list[dict[str, Any]] = []
        #: Why it stopped for good (`room_ended`, `removed`, a refused `join`, a close).
        self.ended: dict[str, Any] | None = None
        self._ws: Any = None
        self._publisher: PublisherPeer | None = None
        self._old_peers: list[PublisherPeer | SubscriberPeer] = []
        self._publish_ref: str | None = None
        self._publish_live = False  # the server showed the current publisher live
        self._publish_again = False  # `restarted` came while a publish was in flight
        self._join_refs: set[str] = set()
        self._replies: dict[str, asyncio.Future[None]] = {}
        self._answers: dict[str, list[dict[str, Any]]] = {}
        self._changed = asyncio.Event()
        self._attempt = 0  # reconnection attempts since the last ready connection
        self._ceiling = 10.0  # the longest back-off; 2 s while the server restarts
        self._kicked = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- what a test reads ------------------------------------------------------------

    @property
    def me(self) -> dict[str, Any] | None:
        return self.view.participants.get(self.user_id or "")

    def resumed_since(self, moment: float) -> Connection | None:
        """The connection opened after ``moment`` that joined the room, if any."""
        for connection in self.connections:
            if connection.opened_at > moment and connection.joined_at is not None:
                return connection
        return None

    def closed_since(self, moment: float) -> Connection | None:
        """The first connection that closed after ``moment``, if any."""
        for connection in self.connections:
            if connection.closed_at is not None and connection.closed_at > moment:
                return connection
        return None

    def tone_heard_at(self, frequency: float, *, ears_after: float) -> float | None:
        """When ``frequency`` began to arrive on ears made after ``ears_after``: the
        first loud frame of a track whose last half second is that tone."""
        for ears in self.ears:
            if ears.created_at <= ears_after:
                continue
            for track in ears.peer.tracks.values():
                if _is_tone(track, frequency):
                    return min(track.loud_frames_since(ears.created_at), default=None)
        return None

    def join_reply_index(self, connection: Connection) -> int:
        """Where the `ok` of ``connection``'s first `join` is in what it received."""
        return next(
            i
            for i, m in enumerate(connection.received)
            if m["type"] == "ok" and m.get("ref") == connection.join_ref
        )

    async def closed_after(self, moment: float, within: float) -> Connection:
        """Wait for a connection to close after ``moment``; that connection."""
        await self.wait_until(lambda: self.closed_since(moment), within)
        closed = self.closed_since(moment)
        assert closed is not None
        return closed

    async def resumed_after(self, moment: float, within: float) -> Connection:
        """Wait for a connection opened after ``moment`` to join; that connection."""
        await self.wait_until(lambda: self.resumed_since(moment), within)
        resumed = self.resumed_since(moment)
        assert resumed is not None
        return resumed

    async def wait_until(self, condition: Callable[[], Any], within: float) -> None:
        """Wait until ``condition()`` holds; fail at once if this client stopped for
        good or broke, saying why."""
        async with asyncio.timeout(within):
            while not condition():
                if self._task is not None and self._task.done():
                    self._task.result()  # raises what broke the client
                    raise AssertionError(f"{self.name}'s client stopped: {self.ended}")
                self._changed.clear()
                # Audio arrives without a message: look again every 50 ms too.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), 0.05)

    async def request(self, message: dict[str, Any], within: float = 10.0) -> list[dict[str, Any]]:
        """Send ``message`` with an ``id`` on the current socket; every message that
        carried it back as ``ref`` (an `audience_page`), its `ok` or `error` last."""
        ref = f"t{next(_refs)}"
        reply = self._replies[ref] = asyncio.get_running_loop().create_future()
        self._answers[ref] = []
        await self._send({**message, "id": ref})
        try:
            await asyncio.wait_for(reply, within)
            return self._answers[ref]
        finally:
            self._replies.pop(ref, None)
            self._answers.pop(ref, None)

    # -- life -------------------------------------------------------------------------

    async def start(self, within: float = 15.0) -> None:
        """Connect and join; return once the first `join` is acknowledged."""
        self._task = asyncio.create_task(self._run(), name=f"member-{self.name}")
        await self.wait_until(lambda: self.resumed_since(0.0), within)

    def reconnect_now(self) -> None:
        """Stop waiting out the back-off, as the web client does when the network
        comes back or its page is shown again (``Socket.kick``)."""
        if self._ws is None:
            self._kicked.set()

    async def close(self) -> None:
        """Go away without `leave`, as a closed tab does, and close every peer."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._ws is not None:
            await self._ws.close()
        for peer in [*self._old_peers, *(e.peer for e in self.ears)]:
            await peer.close()
        if self._publisher is not None:
            await self._publisher.close()

    async def _run(self) -> None:
        while self.ended is None:
            try:
                ws = await open_socket(self.base_url, COOKIE, self.token, open_timeout=5)
            except (OSError, InvalidHandshake, TimeoutError):
                await self._pause()
                continue
            connection = Connection(opened_at=time.monotonic())
            self.connections.append(connection)
            self._ws = ws
            try:
                async for raw in ws:
                    message: dict[str, Any] = json.loads(raw)
                    connection.received.append(message)
                    if message["type"] == "welcome":
                        self._attempt = 0  # a ready connection: back-off starts over
                        self._ceiling = 10.0
                    await self._handle(message, connection)
                    self._changed.set()
            except ConnectionClosed:
                pass
            connection.closed_at = time.monotonic()
            connection.close_code = ws.close_code
            self._ws = None
            self._lost_connection()
            self._changed.set()
            if connection.close_code in FINAL_CLOSES:
                self.ended = {"close_code": connection.close_code}
            if self.ended is not None:
                await ws.close()
                return
            if connection.close_code == CloseCode.TOO_SLOW:
                self._attempt = 0  # the network is fine: come back at once
            if connection.close_code == CloseCode.SERVER_RESTART:
                self._ceiling = 2.0  # back soon after the server is
            await self._pause()

    async def _pause(self) -> None:
        """The back-off before the next attempt, cut short by :meth:`reconnect_now`."""
        if not self._kicked.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kicked.wait(), backoff(self._attempt, self._ceiling))
        if self._kicked.is_set():
            self._kicked.clear()
            self._attempt = 0
        else:
            self._attempt += 1

    def _lost_connection(self) -> None:
        # Replies to what the closed socket carried will never come.
        self._publish_ref = None
        self._join_refs.clear()
        for reply in self._replies.values():
            if not reply.done():
                reply.set_exception(ConnectionError(f"{self.name}'s socket closed"))

    async def _send(self, message: dict[str, Any]) -> None:
        if self._ws is None:
            raise ConnectionError(f"{self.name} has no socket open")
        await self._ws.send(json.dumps(message))

    async def _join(self, connection: Connection) -> None:
        ref = f"j{next(_refs)}"
        self._join_refs.add(ref)
        connection.join_ref = connection.join_ref or ref
        join: dict[str, Any] = {"type": "join", "room": self.room, "id": ref}
        if self.view.ready:
            join["since"] = self.view.version
        await self._send(join)

    # -- what the server says ---------------------------------------------------------

    async def _handle(self, message: dict[str, Any], connection: Connection) -> None:
        kind = message["type"]
        if (ref := message.get("ref")) in self._answers:
            self._answers[ref].append(message)
        if kind == "welcome":
            self.user_id = message["user"]["id"]
            await self._join(connection)
        elif kind in ROOM_STATE_TYPES:
            outcome = self.view.apply(message)
            if outcome is Outcome.RESUME:
                await self._join(connection)
            elif outcome is Outcome.APPLIED:
                self.states[self.view.version] = copy.deepcopy(self.view.state())
                await self._follow_own_entry()
        elif kind in ("ok", "error"):
            await self._reply(message, connection)
        elif kind == "media_status" and message["state"] == "restarted":
            await self._media_restarted(connection)
        elif kind == "publish_answer" and self._publisher is not None:
            await self._publisher.accept(message["sdp"])
        elif kind == "subscribe_offer":
            await self._answer(message["sdp"])
        elif kind in ("room_ended", "removed"):
            self.ended = message
            await self._ws.close()

    async def _reply(self, message: dict[str, Any], connection: Connection) -> None:
        ref = message.get("ref")
        if message["type"] == "error":
            self.errors.append(message)
        if ref in self._join_refs:
            self._join_refs.discard(ref)
            if message["type"] == "error":
                self.ended = message  # the room is gone for this member
                await self._ws.close()
            elif ref == connection.join_ref:
                connection.joined_at = time.monotonic()
        elif ref is not None and ref == self._publish_ref:
            self._publish_ref = None
            if message["type"] == "ok":
                self.published_at.append(time.monotonic())
            if self._publish_again:
                self._publish_again = False
                await self._publish()
        elif ref is not None and (reply := self._replies.get(ref)) and not reply.done():
            reply.set_result(None)

    async def _follow_own_entry(self) -> None:
        me = self.me
        if me is None or self.tone is None or me["role"] not in ON_STAGE:
            return
        if me["publishing"]:
            self._publish_live = self._publisher is not None
        elif self._publish_ref is None and (self._publisher is None or self._publish_live):
            # Never published, or the server lost the publisher it had shown live.
            await self._publish()

    async def _media_restarted(self, connection: Connection) -> None:
        # Whatever the media server held is gone: both connections start over.
        if self.ears:
            await self.ears[-1].peer.close()
        me = self.me
        if self.tone is None or me is None or me["role"] not in ON_STAGE:
            return
        if self._publish_ref is None:
            await self._publish()
        elif connection.joined_at is not None:
            # In flight to the media server that went away: publish again after it.
            self._publish_again = True
        # Else `restarted` is part of this socket's `join` reply: the publish in
        # flight went out after it on the same socket, to the new media server.

    async def _publish(self) -> None:
        assert self.tone is not None
        if self._publisher is not None:
            self._old_peers.append(self._publisher)
            await self._publisher.close()
        self._publisher = PublisherPeer(self.tone)
        self._publish_live = False
        self._publish_ref = f"p{next(_refs)}"
        offer = await self._publisher.offer()
        await self._send({"type": "publish", "sdp": offer, "id": self._publish_ref})

    async def _answer(self, offer: str) -> None:
        ufrag = ice_ufrag(offer)
        if not self.ears or self.ears[-1].ufrag != ufrag:
            if self.ears:
                await self.ears[-1].peer.close()
            self.ears.append(Ears(SubscriberPeer(), time.monotonic(), ufrag))
        answer = await self.ears[-1].peer.answer(offer)
        await self._send({"type": "subscribe_answer", "sdp": answer, "id": f"s{next(_refs)}"})


def _is_tone(track: ReceivedTrack, frequency: float, tolerance: float = 10.0) -> bool:
    recent = track.samples(0.5)
    return recent.size >= SAMPLE_RATE // 2 and (
        abs(dominant_frequency(recent) - frequency) <= tolerance
    )
