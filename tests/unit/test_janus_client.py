"""JanusClient against a scripted fake Janus on a loopback WebSocket."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.typing import Subprotocol

from teahouse.media.janus_client import (
    JanusClient,
    JanusConnectionLost,
    JanusError,
    JanusEvent,
    JanusTimeout,
)

Reply = list[dict[str, Any]]
Script = Callable[[dict[str, Any]], Reply]

SESSION, HANDLE = 1111, 2222


def default_script(request: dict[str, Any]) -> Reply:
    """Answers like Janus: create/attach/keepalive/message(join=async, exists=sync)."""
    t = request["transaction"]
    kind = request["janus"]
    if kind == "create":
        return [{"janus": "success", "transaction": t, "data": {"id": SESSION}}]
    if kind == "attach":
        return [{"janus": "success", "transaction": t, "data": {"id": HANDLE}}]
    if kind == "info":
        return [{"janus": "server_info", "transaction": t, "version": 1102}]
    if kind == "keepalive":
        return [{"janus": "ack", "transaction": t}]
    if kind in ("detach", "destroy", "hangup"):
        return [{"janus": "success", "transaction": t}]
    if kind == "message":
        body = request["body"]
        data = {"plugin": "janus.plugin.videoroom", "data": {}}
        if body["request"] == "exists":
            data["data"] = {"videoroom": "success", "exists": True}
            return [{"janus": "success", "transaction": t, "plugindata": data}]
        if body["request"] == "bad":
            data["data"] = {"videoroom": "event", "error_code": 426, "error": "No such room"}
            return [
                {"janus": "ack", "transaction": t},
                {"janus": "event", "transaction": t, "plugindata": data},
            ]
        if body["request"] == "join-event-first":
            data["data"] = {"videoroom": "joined"}
            return [
                {"janus": "event", "transaction": t, "plugindata": data},
                {"janus": "ack", "transaction": t},
            ]
        if body["request"] == "never":
            return [{"janus": "ack", "transaction": t}]
        data["data"] = {"videoroom": "joined"}
        event = {"janus": "event", "transaction": t, "sender": HANDLE, "plugindata": data}
        if "jsep" in request:
            event["jsep"] = {"type": "answer", "sdp": "v=0 answer"}
        return [{"janus": "ack", "transaction": t}, event]
    return [
        {
            "janus": "error",
            "transaction": t,
            "error": {"code": 453, "reason": f"Unknown request '{kind}'"},
        }
    ]


class FakeJanus:
    """A WebSocket server speaking just enough Janus; remembers what it was sent."""

    def __init__(self, script: Script = default_script) -> None:
        self.script = script
        self.received: list[dict[str, Any]] = []
        self.connections: list[ServerConnection] = []
        self.server: Server | None = None

    async def handler(self, ws: ServerConnection) -> None:
        self.connections.append(ws)
        async for raw in ws:
            request = json.loads(raw)
            self.received.append(request)
            for reply in self.script(request):
                await ws.send(json.dumps({"session_id": SESSION, **reply}))

    async def push(self, message: dict[str, Any]) -> None:
        await self.connections[-1].send(json.dumps(message))

    @property
    def url(self) -> str:
        assert self.server is not None
        port = next(iter(self.server.sockets)).getsockname()[1]
        return f"ws://127.0.0.1:{port}"


@pytest.fixture
async def fake() -> AsyncIterator[FakeJanus]:
    janus = FakeJanus()
    async with serve(
        janus.handler, "127.0.0.1", 0, subprotocols=[Subprotocol("janus-protocol")]
    ) as server:
        janus.server = server
        yield janus


@pytest.fixture
async def client(fake: FakeJanus) -> AsyncIterator[JanusClient]:
    c = await JanusClient.connect(fake.url, api_secret="s3cret", request_timeout=1.0)
    await c.create_session()
    yield c
    await c.close()


async def test_every_request_carries_secret_and_a_fresh_transaction(
    fake: FakeJanus, client: JanusClient
) -> None:
    handle = await client.attach("janus.plugin.videoroom", lambda e: None)
    await handle.message({"request": "exists", "room": 1})
    assert client.session_id == SESSION
    assert [r["janus"] for r in fake.received] == ["create", "attach", "message"]
    assert all(r["apisecret"] == "s3cret" for r in fake.received)
    assert len({r["transaction"] for r in fake.received}) == 3
    assert fake.received[2]["handle_id"] == HANDLE
    assert fake.received[2]["session_id"] == SESSION


async def test_async_plugin_request_waits_past_the_ack(client: JanusClient) -> None:
    handle = await client.attach("janus.plugin.videoroom", lambda e: None)
    reply = await handle.message({"request": "join"}, {"type": "offer", "sdp": "v=0 offer"})
    assert reply.data == {"videoroom": "joined"}
    assert reply.jsep == {"type": "answer", "sdp": "v=0 answer"}
    # The event may overtake the ack; the late ack is ignored.
    reply = await handle.message({"request": "join-event-first"})
    assert reply.data == {"videoroom": "joined"}


async def test_plugin_and_core_errors_carry_janus_code(client: JanusClient) -> None:
    handle = await client.attach("janus.plugin.videoroom", lambda e: None)
    with pytest.raises(JanusError) as caught:
        await handle.message({"request": "bad"})
    assert (caught.value.code, caught.value.reason) == (426, "No such room")
    with pytest.raises(JanusError) as caught:
        await client.session_request({"janus": "bogus"})
    assert caught.value.code == 453


async def test_asynchronous_events_reach_their_handle(fake: FakeJanus, client: JanusClient) -> None:
    got: list[JanusEvent] = []
    await client.attach("janus.plugin.videoroom", got.append)
    await fake.push({"janus": "webrtcup", "session_id": SESSION, "sender": HANDLE})
    await fake.push(
        {
            "janus": "event",
            "sender": HANDLE,
            "plugindata": {"data": {"videoroom": "talking", "id": 7}},
            "jsep": {"type": "offer", "sdp": "v=0"},
        }
    )
    await fake.push({"janus": "media", "sender": 999, "receiving": True})  # unknown handle
    await fake.push({"janus": "detached", "sender": HANDLE})
    await fake.push({"janus": "hangup", "sender": HANDLE})  # after detach: nobody listens
    await client.info()  # its reply comes after everything pushed before it
    assert [e.kind for e in got] == ["webrtcup", "event", "detached"]
    assert got[1].data == {"videoroom": "talking", "id": 7}
    assert got[1].jsep == {"type": "offer", "sdp": "v=0"}


async def test_no_reply_is_a_timeout(client: JanusClient) -> None:
    handle = await client.attach("janus.plugin.videoroom", lambda e: None)
    with pytest.raises(JanusTimeout):
        await handle.message({"request": "never"}, reply_timeout=0.2)


async def test_dropped_connection_fails_pending_requests_and_is_reported(
    fake: FakeJanus,
) -> None:
    lost: list[BaseException | None] = []
    client = await JanusClient.connect(fake.url, on_lost=lost.append)
    await client.create_session()
    handle = await client.attach("janus.plugin.videoroom", lambda e: None)
    pending = asyncio.create_task(handle.message({"request": "never"}))
    await asyncio.sleep(0.05)
    await fake.connections[-1].close()
    with pytest.raises(JanusConnectionLost):
        await pending
    await client.wait_lost()
    assert len(lost) == 1
    assert not client.is_connected
    with pytest.raises(JanusConnectionLost):
        await client.info()
    await client.close()
    assert len(lost) == 1


async def test_closing_on_purpose_is_not_a_loss(fake: FakeJanus) -> None:
    lost: list[BaseException | None] = []
    client = await JanusClient.connect(fake.url, on_lost=lost.append)
    await client.create_session()
    await client.close()
    assert lost == []
    assert fake.received[-1]["janus"] == "destroy"


async def test_keepalives_flow(fake: FakeJanus) -> None:
    client = await JanusClient.connect(fake.url, keepalive_interval=0.05)
    await client.create_session()
    await asyncio.sleep(0.3)
    await client.close()
    keepalives = [r for r in fake.received if r["janus"] == "keepalive"]
    assert len(keepalives) >= 3
    assert all(r["session_id"] == SESSION for r in keepalives)


async def test_failed_keepalive_drops_the_connection(fake: FakeJanus) -> None:
    fake.script = lambda r: [] if r["janus"] == "keepalive" else default_script(r)
    lost: list[BaseException | None] = []
    client = await JanusClient.connect(
        fake.url, keepalive_interval=0.05, request_timeout=0.1, on_lost=lost.append
    )
    await client.create_session()
    async with asyncio.timeout(2):
        await client.wait_lost()
    assert len(lost) == 1
    await client.close()


async def test_nobody_listening_is_a_connection_error() -> None:
    with pytest.raises(JanusConnectionLost, match="cannot connect"):
        await JanusClient.connect("ws://127.0.0.1:9", request_timeout=1.0)
