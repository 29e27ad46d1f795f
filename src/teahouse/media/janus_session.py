"""The media backend's one Janus connection, and getting it back when it drops.

A :class:`JanusSession` takes its endpoint from an :class:`EndpointSource`: an
:class:`ExternalJanus` at a fixed URL, or a
:class:`~teahouse.media.managed.ManagedJanus` whose URL and secret change at every
restart. When the WebSocket drops (or the managed process dies) it reports
``MediaServerState("down")`` once, reconnects with backoff, and reports
``"restarted"`` once a new session is up. Everything Janus held for the old session
(handles, and with a restarted Janus also rooms) is gone by then.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Protocol
from urllib.parse import urlsplit

from teahouse.errors import BadRequest, ErrorCode, Unavailable
from teahouse.media.base import MediaServerState
from teahouse.media.janus_client import (
    JanusClient,
    JanusClientError,
    JanusConnectionLost,
    JanusError,
    JanusHandle,
    JanusTimeout,
)
from teahouse.media.managed import JanusEndpoint, ProcessStateHandler
from teahouse.media.sdp import JANUS_SDP_ERRORS

logger = logging.getLogger(__name__)

VIDEOROOM = "janus.plugin.videoroom"


@contextlib.contextmanager
def translate_errors(*, sdp: bool = False) -> Iterator[None]:
    """Turn client errors into the errors services understand.

    A lost or silent connection is :class:`Unavailable`; with ``sdp``, Janus's
    SDP complaints are ``BadRequest(..., "invalid_sdp")``. Other Janus errors pass
    through: they mean this module asked for something wrong.
    """
    try:
        yield
    except JanusError as exc:
        if sdp and exc.code in JANUS_SDP_ERRORS:
            raise BadRequest(
                f"the media server refused the SDP: {exc.reason}", ErrorCode.INVALID_SDP
            ) from exc
        raise
    except (JanusConnectionLost, JanusTimeout) as exc:
        raise Unavailable(f"the media server is not answering ({exc})") from exc


class EndpointSource(Protocol):
    """Where the Janus API is; a managed source also reports process deaths."""

    def set_state_handler(self, handler: ProcessStateHandler) -> None: ...

    async def start(self) -> None: ...

    async def endpoint(self) -> JanusEndpoint: ...

    async def close(self) -> None: ...


class ExternalJanus:
    """A Janus someone else runs, at ``url`` (``ws://`` or ``wss://``)."""

    def __init__(self, url: str, api_secret: str | None) -> None:
        if urlsplit(url).scheme not in ("ws", "wss"):
            raise ValueError(f"janus_url must be a ws:// or wss:// URL, got {url!r}")
        self._endpoint = JanusEndpoint(url=url, api_secret=api_secret)

    def set_state_handler(self, handler: ProcessStateHandler) -> None:
        """Nothing to report: the process is not ours."""

    async def start(self) -> None:
        """Nothing to start."""

    async def endpoint(self) -> JanusEndpoint:
        return self._endpoint

    async def close(self) -> None:
        """Nothing to stop."""


class JanusSession:
    """One Janus connection + session + an unattached VideoRoom handle for room admin."""

    def __init__(
        self,
        source: EndpointSource,
        *,
        on_down: Callable[[], None],
        on_up: Callable[[], Awaitable[None]],
        max_backoff: float = 5.0,
    ) -> None:
        self.source = source
        self._on_down = on_down
        self._on_up = on_up
        self._max_backoff = max_backoff
        self._listener: Callable[[MediaServerState], None] = lambda state: None
        self._client: JanusClient | None = None
        self._admin: JanusHandle | None = None
        self._up = False
        # What the listener was last told, so "down" and "restarted" alternate.
        self._reported_down = False
        self._closing = False
        self._background: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._reconnector: asyncio.Task[None] | None = None

    def set_state_listener(self, listener: Callable[[MediaServerState], None]) -> None:
        self._listener = listener

    async def start(self) -> None:
        """Start the source and connect; raise if Janus does not answer."""
        self.source.set_state_handler(self._on_source_state)
        await self.source.start()
        try:
            await self._connect()
        except JanusClientError as exc:
            endpoint = await self.source.endpoint()
            raise Unavailable(f"cannot reach the Janus API at {endpoint.url}: {exc}") from exc

    def client(self) -> JanusClient:
        """The connected client, or :class:`Unavailable` while Janus is down."""
        if not self._up or self._client is None:
            raise Unavailable("the media server is down")
        return self._client

    def admin(self) -> JanusHandle:
        """A VideoRoom handle for room-level requests (create, destroy)."""
        if not self._up or self._admin is None:
            raise Unavailable("the media server is down")
        return self._admin

    async def close(self) -> None:
        self._closing = True
        if self._reconnector is not None:
            self._reconnector.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reconnector
        if self._client is not None:
            await self._client.close()
        await self.source.close()

    async def _connect(self) -> None:
        endpoint = await self.source.endpoint()
        holder: list[JanusClient] = []
        client = await JanusClient.connect(
            endpoint.url,
            api_secret=endpoint.api_secret,
            on_lost=lambda exc: self._lost(holder, exc),
        )
        holder.append(client)
        try:
            await client.create_session()
            # Never joined: room creation and destruction need no room membership.
            admin = await client.attach(VIDEOROOM, lambda event: None)
        except BaseException:
            await client.close()
            raise
        self._client, self._admin, self._up = client, admin, True
        logger.info("connected to Janus at %s (session %s)", endpoint.url, client.session_id)
        if not client.is_connected:
            # Dropped while we were finishing: _lost saw a client not yet ours.
            self._mark_down()

    def _lost(self, holder: list[JanusClient], exc: BaseException | None) -> None:
        if holder and holder[0] is self._client:
            logger.error("lost the connection to Janus: %s", exc or "closed")
            self._mark_down()

    async def _on_source_state(self, state: str) -> None:
        if state == "down":
            self._mark_down()
        else:
            self._wake.set()  # retry now instead of at the end of the backoff

    def _mark_down(self) -> None:
        if not self._up or self._closing:
            return
        self._up = False
        client, self._client, self._admin = self._client, None, None
        if client is not None and client.is_connected:
            # The process died but the socket has not noticed yet: stop using it.
            task = asyncio.create_task(client.close())
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        self._on_down()
        if not self._reported_down:
            self._reported_down = True
            self._listener(MediaServerState("down"))
        if self._reconnector is not None:
            self._reconnector.cancel()
        self._reconnector = asyncio.create_task(self._reconnect(), name="janus-reconnect")

    async def _reconnect(self) -> None:
        delay = 0.1
        while not self._closing:
            try:
                await self._connect()
            except (JanusClientError, OSError) as exc:
                logger.warning("reconnecting to Janus failed (%s); retry in %.1f s", exc, delay)
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(delay):
                        await self._wake.wait()
                delay = min(delay * 2, self._max_backoff)
                continue
            client = self._client
            try:
                await self._on_up()
            except Exception:
                logger.exception("cleanup after reconnecting to Janus failed")
            if self._up and self._client is client and self._reported_down:
                self._reported_down = False
                self._listener(MediaServerState("restarted"))
            return
