"""Join time: from a listener's `join` to the first audio RTP packet at its peer.

The whole app (managed Janus) runs in this process; a host creates a room and
publishes a tone through the app's signalling. Then, one after another, fresh
listeners (signed up and with their WebSocket open before the clock starts) send
`join` and negotiate listening as a client does::

    join -> snapshot -> subscribe_offer (server-sent) -> subscribe_answer -> ICE/DTLS
         -> first RTP packet (counted by SubscriberPeer(count_only=True), not decoded)

Run inside the media namespace::

    scripts/netns-exec .venv/bin/python -m bench.join_time
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from tests.support.peers import PublisherPeer, SubscriberPeer
from tests.support.server import Member
from tests.support.signalling import speak, start_room

from bench.common import (
    CpuMeter,
    add_loop_option,
    janus_pid,
    machine_line,
    ms,
    percentile,
    run,
    whole_app,
)

JOIN_TIMEOUT = 15.0  # seconds, for each step of one join


@dataclass(frozen=True)
class JoinSample:
    """Monotonic instants of one join, all in this process."""

    sent_join: float
    snapshot: float
    offer: float
    answer_sent: float
    answer_ok: float
    ice_connected: float
    dtls_connected: float
    first_packet: float

    @property
    def total(self) -> float:
        return self.first_packet - self.sent_join


async def first_packet_at(peer: SubscriberPeer, within: float) -> float:
    """When the first RTP packet arrived on any of the peer's m-lines."""
    async with asyncio.timeout(within):
        while True:
            arrived = [t.first_frame_at for t in peer.tracks.values() if t.first_frame_at]
            if arrived:
                return min(arrived)
            await asyncio.sleep(0.005)  # the instant itself is taken by the packet counter


def note_connection_states(peer: SubscriberPeer) -> dict[str, float]:
    """When the peer's ICE, then DTLS (the whole connection), came up."""
    states: dict[str, float] = {}
    pc = peer.pc

    @pc.on("iceconnectionstatechange")
    def ice_changed() -> None:
        if pc.iceConnectionState == "completed":
            states.setdefault("ice", time.monotonic())

    @pc.on("connectionstatechange")
    def connection_changed() -> None:
        if pc.connectionState == "connected":
            states.setdefault("dtls", time.monotonic())

    return states


async def measure_join(listener: Member, room: str, peer: SubscriberPeer) -> JoinSample:
    states = note_connection_states(peer)
    sent_join = time.monotonic()
    await listener.send({"type": "join", "room": room})
    await listener.recv("snapshot", timeout=JOIN_TIMEOUT)
    snapshot = time.monotonic()
    offer = await listener.recv("subscribe_offer", timeout=JOIN_TIMEOUT)
    offered = time.monotonic()
    answer = await peer.answer(offer["sdp"])
    await listener.send({"type": "subscribe_answer", "sdp": answer, "id": "answer"})
    answer_sent = time.monotonic()
    reply = await listener.recv("ok", "error", timeout=JOIN_TIMEOUT)
    if reply["type"] != "ok" or reply.get("ref") != "answer":
        raise RuntimeError(f"subscribe_answer refused: {reply}")
    answer_ok = time.monotonic()
    first = await first_packet_at(peer, JOIN_TIMEOUT)
    await peer.wait_connected(JOIN_TIMEOUT)
    return JoinSample(
        sent_join, snapshot, offered, answer_sent, answer_ok, states["ice"], states["dtls"], first
    )


async def main(joins: int, loop: str) -> None:
    print(machine_line(loop))
    print(
        "setup: the server, the host's aiortc publisher and every listener's aiortc peer "
        "share this process and its event loop; the managed Janus is its own process"
    )
    async with whole_app(rtp_ports="33000-33999") as app:
        host = await app.member("host")
        room = await start_room(app, host, "Join time")
        publisher = PublisherPeer(440)
        try:
            reply = await speak(host, publisher)
            if reply["type"] != "ok":
                raise RuntimeError(f"the host could not publish: {reply}")
            # Listeners can be offered the host's audio only once Janus has it.
            async with asyncio.timeout(JOIN_TIMEOUT):
                await host.upsert(host.id, publishing=True)
            listeners = [await app.member(f"listener{i}") for i in range(joins)]
            cpu = CpuMeter({"server+peers": os.getpid(), "janus": janus_pid(app)})
            cpu.start()
            samples: list[JoinSample] = []
            phase = random.Random(20)
            print(
                f"\n{joins} sequential joins (ms): total | join->offer, offer->answer, answer->1st"
            )
            for i, listener in enumerate(listeners):
                await listener.connect()
                peer = SubscriberPeer(count_only=True)
                # A random phase against the publisher's 20 ms packet clock: strictly
                # periodic joins can lock onto it and hide the wait for the next packet.
                await asyncio.sleep(phase.uniform(0, 0.04))
                try:
                    sample = await measure_join(listener, room, peer)
                    samples.append(sample)
                    print(
                        f"  join {i + 1:2d}: {ms(sample.total):>7} | "
                        f"{ms(sample.offer - sample.sent_join)}, "
                        f"{ms(sample.answer_sent - sample.offer)}, "
                        f"{ms(sample.first_packet - sample.answer_sent)}",
                        flush=True,
                    )
                    reply = await listener.request({"type": "leave"}, timeout=JOIN_TIMEOUT)
                    if reply["type"] != "ok":
                        raise RuntimeError(f"leave refused: {reply}")
                finally:
                    await peer.close()
                    await listener.close()
                host.inbox.clear()  # the host never reads the listeners' deltas
            print(cpu.report())
        finally:
            await publisher.close()
            await host.close()
    report(samples)


#: The rows of the breakdown: a label and the interval it measures.
STEPS: list[tuple[str, Callable[[JoinSample], float]]] = [
    ("join -> snapshot received", lambda s: s.snapshot - s.sent_join),
    ("join -> subscribe_offer received", lambda s: s.offer - s.sent_join),
    ("offer -> answer sent (aiortc answers)", lambda s: s.answer_sent - s.offer),
    ("answer sent -> first packet", lambda s: s.first_packet - s.answer_sent),
    ("  answer sent -> its ok (Janus `start`)", lambda s: s.answer_ok - s.answer_sent),
    ("  ok -> ICE completed", lambda s: s.ice_connected - s.answer_ok),
    ("  ICE completed -> DTLS connected", lambda s: s.dtls_connected - s.ice_connected),
    ("  DTLS connected -> first packet", lambda s: s.first_packet - s.dtls_connected),
]


def report(samples: list[JoinSample]) -> None:
    def line(label: str, values: list[float]) -> str:
        return (
            f"  {label:<42} median {ms(statistics.median(values)):>6}  "
            f"p95 {ms(percentile(values, 95)):>6}  max {ms(max(values)):>6}"
        )

    print(f"\njoin -> first audio packet, {len(samples)} joins (ms; p95 nearest-rank):")
    print(line("total", [s.total for s in samples]))
    print("breakdown (indented rows split the row above them):")
    for label, interval in STEPS:
        print(line(label, [interval(s) for s in samples]))


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--joins", type=int, default=20, choices=range(1, 201), metavar="1..200")
    add_loop_option(parser)
    args = parser.parse_args()
    run(lambda: main(args.joins, args.loop), args.loop)


if __name__ == "__main__":
    cli()
