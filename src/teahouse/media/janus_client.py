"""An asyncio client for the Janus WebSocket API (subprotocol ``janus-protocol``).

One :class:`JanusClient` is one WebSocket and at most one Janus session on it.
Requests carry a transaction ID; the reader task matches replies to the waiting
request and hands everything else (``webrtcup``, ``media``, ``hangup``,
``detached``, asynchronous plugin events) to the callback of the handle named in
``sender``.

How Janus answers, which decides when a request is complete:

- core requests (``create``, ``attach``, ``detach``, ``hangup``, ``destroy``,
  ``info``) get one reply: ``success`` (or ``server_info``) or ``error``;
- ``keepalive`` gets one ``ack``;
- a plugin ``message`` gets ``success`` with ``plugindata`` when the plugin answers
  at once (VideoRoom ``create``, ``destroy``, ``exists``...), otherwise an ``ack``
  then an ``event`` with the same transaction (``join``, ``publish``, ``start``...).
  The event may in principle overtake the ack; either order works here.

Errors::

    JanusClientError
     ├── JanusError            Janus refused the request (Janus's code and reason)
     ├── JanusTimeout          no reply in time
     └── JanusConnectionLost   the WebSocket is gone (or was never there)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException
from websockets.typing import Subprotocol

logger = logging.getLogger(__name__)

JsonObject = dict[str, Any]
EventCallback = Callable[["JanusEvent"], None]
LostCallback = Callable[[BaseException | None], None]

SUBPROTOCOL = Subprotocol("janus-protocol")
# SDP with many candidates stays far below this; Janus never sends more.
MAX_MESSAGE_BYTES = 4 * 1024 * 1024


class JanusClientError(Exception):
    """Base of everything this client raises."""


class JanusError(JanusClientError):
    """Janus (core or plugin) refused a request."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"Janus error {code}: {reason}")
        self.code = code
        self.reason = reason


class JanusTimeout(JanusClientError):
    """Janus did not answer a request in time."""


class JanusConnectionLost(JanusClientError):
    """The WebSocket to Janus is closed; every pending request fails with this."""


@dataclass(frozen=True, slots=True)
class JanusEvent:
    """An asynchronous message for one handle.

    ``kind`` is Janus's ``janus`` field (``event``, ``webrtcup``, ``media``,
    ``hangup``, ``slowlink``, ``detached``...). For ``event`` ``data`` is the
    plugin's ``plugindata.data``; for the others it is the whole message.
    """

    kind: str
    data: JsonObject
    jsep: JsonObject | None


@dataclass(frozen=True, slots=True)
class PluginReply:
    """A plugin's answer to a ``message``: its data and the JSEP that came with it."""

    data: JsonObject
    jsep: JsonObject | None


class JanusHandle:
    """A handle attached to a plugin inside the client's session."""

    def __init__(self, client: JanusClient, handle_id: int, on_event: EventCallback) -> None:
        self._client = client
        self.id = handle_id
        self.on_event = on_event

    async def message(
        self,
        body: JsonObject,
        jsep: JsonObject | None = None,
        *,
        reply_timeout: float | None = None,
    ) -> PluginReply:
        """Send ``body`` (and ``jsep``) to the plugin; return its answer or raise."""
        payload: JsonObject = {"janus": "message", "handle_id": self.id, "body": body}
        if jsep is not None:
            payload["jsep"] = jsep
        reply = await self._client.session_request(
            payload, ack_final=False, reply_timeout=reply_timeout
        )
        plugindata = reply.get("plugindata") or {}
        data = plugindata.get("data") or {}
        if "error_code" in data or "error" in data:
            raise JanusError(int(data.get("error_code", 0)), str(data.get("error", "")))
        return PluginReply(data=data, jsep=reply.get("jsep"))

    async def hangup(self) -> None:
        """Close the handle's PeerConnection, keep the handle."""
        await self._client.session_request({"janus": "hangup", "handle_id": self.id})

    async def detach(self) -> None:
        """Detach from the plugin; the plugin forgets everything about this handle."""
        try:
            await self._client.session_request({"janus": "detach", "handle_id": self.id})
        finally:
            self._client.forget_handle(self.id)


class JanusClient:
    """One WebSocket to Janus and the session on it; see the module docstring."""

    def __init__(
        self,
        ws: ClientConnection,
        *,
        api_secret: str | None,
        request_timeout: float,
        keepalive_interval: float,
        on_lost: LostCallback | None,
    ) -> None:
        self._ws = ws
        self._api_secret = api_secret
        self._request_timeout = request_timeout
        self._keepalive_interval = keepalive_interval
        self._on_lost = on_lost
        self._transactions = (f"t{n:x}" for n in itertools.count(1))
        # transaction -> (future, whether an "ack" completes it)
        self._pending: dict[str, tuple[asyncio.Future[JsonObject], bool]] = {}
        self._handles: dict[int, JanusHandle] = {}
        self.session_id: int | None = None
        self._closing = False
        self._lost = asyncio.Event()
        self._reader = asyncio.create_task(self._read_loop(), name="janus-reader")
        self._keepalive: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[None]] = set()

    @classmethod
    async def connect(
        cls,
        url: str,
        *,
        api_secret: str | None = None,
        request_timeout: float = 10.0,
        keepalive_interval: float = 25.0,
        on_lost: LostCallback | None = None,
    ) -> JanusClient:
        """Open the WebSocket; raise :class:`JanusConnectionLost` when nobody answers."""
        try:
            ws = await connect(
                url,
                subprotocols=[SUBPROTOCOL],
                # Never route the private API through an environment-configured proxy.
                proxy=None,
                compression=None,
                open_timeout=request_timeout,
                max_size=MAX_MESSAGE_BYTES,
            )
        except (OSError, WebSocketException, TimeoutError) as exc:
            raise JanusConnectionLost(f"cannot connect to Janus at {url}: {exc}") from exc
        return cls(
            ws,
            api_secret=api_secret,
            request_timeout=request_timeout,
            keepalive_interval=keepalive_interval,
            on_lost=on_lost,
        )

    @property
    def is_connected(self) -> bool:
        return not self._lost.is_set()

    async def wait_lost(self) -> None:
        """Return once the connection is gone."""
        await self._lost.wait()

    async def info(self) -> JsonObject:
        """Janus's ``server_info`` (version, plugins, transports); needs no session."""
        return await self.request({"janus": "info"})

    async def create_session(self) -> int:
        """Create the session and start keep-alives; returns Janus's session ID."""
        if self.session_id is not None:
            raise RuntimeError("this client already has a session")
        reply = await self.request({"janus": "create"})
        self.session_id = int(reply["data"]["id"])
        self._keepalive = asyncio.create_task(self._keepalive_loop(), name="janus-keepalive")
        return self.session_id

    async def attach(self, plugin: str, on_event: EventCallback) -> JanusHandle:
        """Attach a new handle to ``plugin``; ``on_event`` gets its asynchronous events."""
        reply = await self.session_request({"janus": "attach", "plugin": plugin})
        handle = JanusHandle(self, int(reply["data"]["id"]), on_event)
        self._handles[handle.id] = handle
        return handle

    def forget_handle(self, handle_id: int) -> None:
        self._handles.pop(handle_id, None)

    async def session_request(
        self, payload: JsonObject, *, ack_final: bool = True, reply_timeout: float | None = None
    ) -> JsonObject:
        """A request inside the session (adds ``session_id``)."""
        if self.session_id is None:
            raise RuntimeError("create_session() first")
        payload["session_id"] = self.session_id
        return await self.request(payload, ack_final=ack_final, reply_timeout=reply_timeout)

    async def request(
        self, payload: JsonObject, *, ack_final: bool = True, reply_timeout: float | None = None
    ) -> JsonObject:
        """Send ``payload`` with a fresh transaction; return the final reply or raise."""
        if self._lost.is_set():
            raise JanusConnectionLost("the connection to Janus is closed")
        transaction = next(self._transactions)
        payload["transaction"] = transaction
        if self._api_secret is not None:
            payload["apisecret"] = self._api_secret
        future: asyncio.Future[JsonObject] = asyncio.get_running_loop().create_future()
        self._pending[transaction] = (future, ack_final)
        try:
            await self._ws.send(json.dumps(payload))
            async with asyncio.timeout(reply_timeout or self._request_timeout):
                reply = await future
        except ConnectionClosed as exc:
            raise JanusConnectionLost("the connection to Janus closed") from exc
        except TimeoutError as exc:
            what = payload.get("body", {}).get("request") or payload["janus"]
            raise JanusTimeout(f"Janus did not answer {what!r} in time") from exc
        finally:
            self._pending.pop(transaction, None)
        if reply.get("janus") == "error":
            error = reply.get("error") or {}
            raise JanusError(int(error.get("code", 0)), str(error.get("reason", "")))
        return reply

    async def drop(self) -> None:
        """Close the WebSocket as if Janus had gone away: pending requests fail and
        the loss is reported. For a Janus that stopped answering (and for tests)."""
        await self._ws.close()

    async def close(self) -> None:
        """Destroy the session (best effort) and close the WebSocket; no lost report."""
        self._closing = True
        if self._keepalive is not None:
            self._keepalive.cancel()
        if self.session_id is not None and not self._lost.is_set():
            with contextlib.suppress(JanusClientError):
                await self.session_request({"janus": "destroy"}, reply_timeout=2.0)
        await self._ws.close()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader

    async def _read_loop(self) -> None:
        error: BaseException | None = None
        try:
            async for raw in self._ws:
                try:
                    message = json.loads(raw)
                except ValueError:
                    logger.warning("Janus sent something that is not JSON; ignored")
                    continue
                for item in message if isinstance(message, list) else [message]:
                    if isinstance(item, dict):
                        self._dispatch(item)
        except ConnectionClosed as exc:
            error = exc
        except Exception as exc:  # a bug in dispatch must still end the connection cleanly
            logger.exception("Janus reader failed")
            error = exc
        finally:
            self._lost.set()
            for future, _ in self._pending.values():
                if not future.done():
                    future.set_exception(JanusConnectionLost("the connection to Janus closed"))
            if self._keepalive is not None:
                self._keepalive.cancel()
            if not self._closing and self._on_lost is not None:
                try:
                    self._on_lost(error)
                except Exception:
                    logger.exception("Janus connection-lost callback failed")

    def _dispatch(self, message: JsonObject) -> None:
        kind = message.get("janus")
        transaction = message.get("transaction")
        pending = self._pending.get(transaction) if isinstance(transaction, str) else None
        if pending is not None:
            future, ack_final = pending
            if kind == "ack" and not ack_final:
                return  # the plugin's event with the same transaction follows
            if not future.done():
                future.set_result(message)
            return
        if kind == "ack":
            return  # an ack for a request that already got its event
        if kind == "timeout":
            logger.error("Janus timed out session %s", message.get("session_id"))
            task = asyncio.create_task(self.drop())
            self._background.add(task)
            task.add_done_callback(self._background.discard)
            return
        sender = message.get("sender")
        handle = self._handles.get(sender) if isinstance(sender, int) else None
        if handle is None:
            logger.debug("Janus %s for unknown handle %s", kind, sender)
            return
        if kind == "event":
            data = (message.get("plugindata") or {}).get("data") or {}
            event = JanusEvent(kind="event", data=data, jsep=message.get("jsep"))
        else:
            event = JanusEvent(kind=str(kind), data=message, jsep=None)
        if kind == "detached":
            self.forget_handle(handle.id)
        try:
            handle.on_event(event)
        except Exception:
            logger.exception("handler of Janus %s on handle %s failed", kind, handle.id)

    async def _keepalive_loop(self) -> None:
        # Janus destroys a session that stays silent for session_timeout (60 s).
        while True:
            await asyncio.sleep(self._keepalive_interval)
            try:
                await self.session_request({"janus": "keepalive"})
            except JanusConnectionLost:
                return
            except JanusClientError as exc:
                # A session Janus forgot, or a Janus that stopped answering, is as
                # good as gone: close, and the reader reports the loss.
                logger.error("Janus keep-alive failed (%s); dropping the connection", exc)
                await self.drop()
                return
