"""Media negotiated through the app's own WebSocket signalling (docs/PROTOCOL.md):
``publish`` -> ``publish_answer``, server-sent ``subscribe_offer`` -> ``subscribe_answer``.

Shared by the whole-product tests and the benchmarks in ``bench/``.
"""

from __future__ import annotations

from typing import Any

from tests.support.peers import PublisherPeer, SubscriberPeer
from tests.support.server import LiveServer, Member


async def start_room(app: LiveServer, moderator: Member, title: str = "Tones") -> str:
    """Create a room as ``moderator``, connect and join it; returns the room id."""
    async with moderator.http() as http:
        room: str = (await http.post("/api/rooms", json={"title": title})).json()["id"]
    await moderator.connect()
    await moderator.join(room)
    return room


async def speak(member: Member, peer: PublisherPeer) -> dict[str, Any]:
    """Publish through the app; returns the reply (`ok`, or the `error`)."""
    reply = await member.request({"type": "publish", "sdp": await peer.offer()})
    if reply["type"] == "ok":
        await peer.accept((await member.recv("publish_answer"))["sdp"])
        await peer.wait_connected()
    return reply


async def listen(member: Member, peer: SubscriberPeer) -> None:
    """Answer the next subscription offer the app sends this member."""
    offer = await member.recv("subscribe_offer", timeout=15)
    answer = await peer.answer(offer["sdp"])
    assert (await member.request({"type": "subscribe_answer", "sdp": answer}))["type"] == "ok"
