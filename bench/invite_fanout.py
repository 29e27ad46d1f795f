"""Invite fan-out: from a moderator's `invite_to_speak` to every listener seeing it.

The whole app runs in this process (its managed Janus in its own), with a
moderator's room and N connected listeners (WebSocket only, no media). In each
round one listener raises a hand; the clock starts when the moderator sends
`invite_to_speak` and stops, per listener, when that listener has received the
delta that shows the invited listener with role `speaker`. Between rounds the
speaker is moved back to the audience, and each round invites a different listener.

By default the listeners' clients run in one separate process (multiprocessing,
spawn; ``--procs N`` splits them over N) so that they do not share the server's
event loop; instants are CLOCK_MONOTONIC, which is one clock for every process of
the machine. ``--same-process`` runs them as tasks on the server's own loop instead
(the figure then includes the clients' work).

``--offers`` adds one more measurement at the end: the moderator publishes a tone
(aiortc) and each listener's ``subscribe_offer`` is timed (the listeners never answer).
``--ws-deflate off`` serves without WebSocket compression, for comparison.

    scripts/netns-exec .venv/bin/python -m bench.invite_fanout
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import multiprocessing
import os
import statistics
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Protocol

from tests.support.peers import PublisherPeer
from tests.support.server import PASSWORD, LiveServer, Member, open_socket
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

STEP_TIMEOUT = 20.0  # seconds, for any one step (a round's deliveries, a reply)
SETUP_TIMEOUT = 120.0  # seconds, for connecting and joining every listener
OFFERS_TIMEOUT = 60.0  # seconds, for every listener's subscribe_offer (--offers)


@dataclass(frozen=True)
class ListenerSpec:
    """What a listener process needs: where to connect, and as whom."""

    url: str
    cookie_name: str
    room: str
    members: list[tuple[str, str]]  # (user id, session token)
    loop: str


# -- the control channel between the server process and the listeners ------------


class Channel(Protocol):
    async def put(self, message: Any) -> None: ...

    async def get(self, timeout: float) -> Any: ...


class PipeChannel:
    """One end of a multiprocessing pipe, for asyncio code."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def put(self, message: Any) -> None:
        self.conn.send(message)  # small messages: the pipe's buffer takes them at once

    async def get(self, timeout: float) -> Any:
        def wait() -> Any:
            if not self.conn.poll(timeout):
                raise TimeoutError(f"no message on the control pipe within {timeout} s")
            return self.conn.recv()

        return await asyncio.to_thread(wait)


@dataclass
class QueueChannel:
    """One end of a pair of asyncio queues, for listeners on the server's loop."""

    inbox: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)
    outbox: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)

    def other_end(self) -> QueueChannel:
        return QueueChannel(inbox=self.outbox, outbox=self.inbox)

    async def put(self, message: Any) -> None:
        self.outbox.put_nowait(message)

    async def get(self, timeout: float) -> Any:
        async with asyncio.timeout(timeout):
            return await self.inbox.get()


# -- the listeners' side ----------------------------------------------------------


@dataclass
class Round:
    target: str
    seen: dict[str, float] = field(default_factory=dict)  # listener id -> instant
    done: asyncio.Event = field(default_factory=asyncio.Event)


class Listeners:
    """N listener sockets; each notes when it sees the round's target on stage.

    Every socket is read from the moment it has joined, as a client would: a socket
    nobody reads would back up into the server's outgoing queue for it.
    """

    def __init__(self, spec: ListenerSpec) -> None:
        self.spec = spec
        self.sockets: dict[str, Any] = {}
        self.versions: dict[str, int] = {}
        self.round: Round | None = None
        self.messages = 0
        self.last_message_at = 0.0
        self.join_times: list[float] = []  # join -> snapshot, in joining order
        self.offers: dict[str, float] = {}  # listener id -> first subscribe_offer
        self.all_offered = asyncio.Event()
        self._readers: list[asyncio.Task[None]] = []

    async def connect(self) -> None:
        for uid, token in self.spec.members:
            ws = await open_socket(self.spec.url, self.spec.cookie_name, token)
            await self._expect(ws, "welcome")
            sent = time.monotonic()
            await ws.send(json.dumps({"type": "join", "room": self.spec.room}))
            snapshot = await self._expect(ws, "snapshot")
            self.join_times.append(time.monotonic() - sent)
            self.sockets[uid] = ws
            self.versions[uid] = snapshot["version"]
            self._readers.append(asyncio.create_task(self._read(uid, ws)))

    async def settle(self, quiet: float = 0.3) -> None:
        """Wait until every socket has caught up with the room and nothing arrives."""
        async with asyncio.timeout(SETUP_TIMEOUT):
            while True:
                await asyncio.sleep(quiet)
                caught_up = len(set(self.versions.values())) == 1
                if caught_up and time.monotonic() - self.last_message_at >= quiet:
                    return

    @staticmethod
    async def _expect(ws: Any, kind: str) -> dict[str, Any]:
        async with asyncio.timeout(STEP_TIMEOUT):
            while True:
                message: dict[str, Any] = json.loads(await ws.recv())
                if message["type"] == kind:
                    return message

    async def _read(self, uid: str, ws: Any) -> None:
        async for frame in ws:
            received = time.monotonic()
            self.messages += 1
            self.last_message_at = received
            message = json.loads(frame)
            if message["type"] == "subscribe_offer" and uid not in self.offers:
                self.offers[uid] = received
                if len(self.offers) == len(self.sockets):
                    self.all_offered.set()
            if message["type"] != "delta":
                continue
            self.versions[uid] = message["version"]
            current = self.round
            if current is None or uid in current.seen:
                continue
            for change in message["changes"]:
                p = change.get("participant")
                if p and p["user"]["id"] == current.target and p["role"] == "speaker":
                    current.seen[uid] = received
                    if len(current.seen) == len(self.sockets):
                        current.done.set()
                    break

    async def serve(self, channel: Channel) -> None:
        """Obey the server process's commands until told to stop."""
        started = time.monotonic()
        await self.connect()
        joined = time.monotonic() - started
        await self.settle()
        await channel.put(("ready", joined, self.join_times))
        while True:
            command, *args = await channel.get(timeout=10 * STEP_TIMEOUT)
            if command == "raise":
                (target,) = args
                self.round = Round(target)
                if target in self.sockets:  # the process that holds the target raises
                    await self.sockets[target].send(json.dumps({"type": "hand", "raised": True}))
                await channel.put(("raised",))
            elif command == "collect":
                current = self.round
                assert current is not None
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(STEP_TIMEOUT):
                        await current.done.wait()
                await channel.put(("seen", dict(current.seen)))
            elif command == "offers":
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(OFFERS_TIMEOUT):
                        await self.all_offered.wait()
                await channel.put(("offers", dict(self.offers)))
            elif command == "stop":
                await self.close()
                await channel.put(("stopped", self.messages, cpu_now()))
                return

    async def close(self) -> None:
        for task in self._readers:
            task.cancel()
        for ws in self.sockets.values():
            with contextlib.suppress(Exception):
                await ws.close()


def cpu_now() -> float:
    times = os.times()
    return times.user + times.system


def listener_process(conn: Connection, spec: ListenerSpec) -> None:
    """Entry point of a listener process (spawned: nothing inherited from the server)."""
    run(lambda: Listeners(spec).serve(PipeChannel(conn)), spec.loop)


# -- the server's side ------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    listeners: int
    rounds: int
    procs: int
    same_process: bool
    loop: str
    ws_deflate: bool
    offers: bool
    rtp_ports: str


async def sign_up(app: LiveServer, count: int) -> list[tuple[str, str]]:
    """``count`` members through the accounts service: (user id, session token)."""
    members = []
    for i in range(count):
        code = (await app.services.accounts.create_operator_invite(None)).code
        me, token = await app.services.accounts.signup(code, f"listener{i}", PASSWORD, None)
        members.append((me["id"], token))
    return members


@contextlib.asynccontextmanager
async def listener_clients(spec: ListenerSpec, options: Options) -> AsyncIterator[list[Channel]]:
    """Start the listeners (in processes, or on this loop); one channel per group."""
    channels: list[Channel] = []
    local: list[asyncio.Task[None]] = []
    processes: list[Any] = []
    if options.same_process:
        ours = QueueChannel()
        channels.append(ours)
        local.append(asyncio.create_task(Listeners(spec).serve(ours.other_end())))
    else:
        context = multiprocessing.get_context("spawn")  # never fork a running loop
        for share in range(options.procs):
            ours_end, theirs = context.Pipe()
            part = dataclasses.replace(spec, members=spec.members[share :: options.procs])
            process = context.Process(target=listener_process, args=(theirs, part))
            process.start()
            processes.append(process)
            channels.append(PipeChannel(ours_end))
    try:
        yield channels
    finally:
        for task in local:
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        for process in processes:
            await asyncio.to_thread(process.join, STEP_TIMEOUT)
            if process.is_alive():
                process.kill()


async def ask(channels: list[Channel], command: tuple[Any, ...], timeout: float) -> list[Any]:
    """Send ``command`` to every group of listeners; their replies, in order."""
    for c in channels:
        await c.put(command)
    return [await c.get(timeout=timeout) for c in channels]


async def main(options: Options) -> None:
    print(machine_line(options.loop))
    where = (
        "as tasks on the server's own event loop (same process)"
        if options.same_process
        else f"in {options.procs} separate process(es) (multiprocessing, spawn), "
        f"loop={options.loop}"
    )
    print(
        f"setup: server + managed Janus in one process; {options.listeners} listener clients "
        f"{where}; WebSocket permessage-deflate {'on' if options.ws_deflate else 'off'}"
    )
    async with whole_app(options.rtp_ports, ws_per_message_deflate=options.ws_deflate) as app:
        moderator = await app.member("moderator")
        room = await start_room(app, moderator, "Fan-out")
        members = await sign_up(app, options.listeners)
        spec = ListenerSpec(app.url, app.settings.session_cookie_name, room, members, options.loop)
        pids = {"server": os.getpid(), "janus": janus_pid(app)}
        try:
            async with listener_clients(spec, options) as channels:
                joining = CpuMeter(pids)
                joining.start()
                # The moderator reads the joins' deltas meanwhile, as a client would.
                draining = asyncio.create_task(moderator.recv("none", timeout=SETUP_TIMEOUT))
                setup = [await c.get(timeout=SETUP_TIMEOUT) for c in channels]
                draining.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await draining
                moderator.inbox.clear()
                report_setup(setup, options.listeners)
                print(f"  while joining: {joining.report()}")

                rounds = CpuMeter(pids)
                rounds.start()
                results = await run_rounds(moderator, members, channels, options.rounds)
                print(f"  while inviting: {rounds.report()}")
                report(results, options.listeners)
                if options.offers:
                    await measure_offers(moderator, channels, options.listeners)
                stopped = await ask(channels, ("stop",), STEP_TIMEOUT)
                if not options.same_process:
                    cpu = sum(s[2] for s in stopped)
                    print(f"\nlistener processes' CPU over their whole life: {cpu:.2f} s")
        finally:
            await moderator.close()


def report_setup(setup: list[tuple[str, float, list[float]]], listeners: int) -> None:
    """How long the listeners took to join, and whether later joins got slower."""
    joins = [t for _, _, times in setup for t in times]
    tenth = max(1, len(setup[0][2]) // 10)
    first = [t for _, _, times in setup for t in times[:tenth]]
    last = [t for _, _, times in setup for t in times[-tenth:]]
    print(
        f"{listeners} listeners connected and joined in {max(s[1] for s in setup):.1f} s "
        "(one after another in each process)"
    )
    print(
        f"  join -> snapshot: median {ms(statistics.median(joins))} ms; first tenth of joins "
        f"{ms(statistics.median(first))} ms, last tenth {ms(statistics.median(last))} ms"
    )


@dataclass(frozen=True)
class RoundResult:
    delivery: list[float]  # seconds from the invite to each listener's delta
    moderator: float  # to the moderator's own delta (the server's loop)
    missing: int


async def run_rounds(
    moderator: Member, members: list[tuple[str, str]], channels: list[Channel], rounds: int
) -> list[RoundResult]:
    results = []
    print(
        f"\n{rounds} rounds (ms from invite_to_speak): last listener | median | first | moderator"
    )
    for r in range(rounds):
        target = members[(r * 37) % len(members)][0]  # a different listener each round
        await ask(channels, ("raise", target), STEP_TIMEOUT)  # all arm; its owner raises
        async with asyncio.timeout(STEP_TIMEOUT):
            await moderator.upsert(target, hand_raised=True)
        await asyncio.sleep(0.2)  # let every listener take the hand delta first

        sent = time.monotonic()
        await moderator.send({"type": "invite_to_speak", "user_id": target})
        async with asyncio.timeout(STEP_TIMEOUT):
            await moderator.upsert(target, role="speaker")
        moderator_seen = time.monotonic() - sent
        seen: dict[str, float] = {}
        for _, part in await ask(channels, ("collect",), 2 * STEP_TIMEOUT):
            seen.update(part)
        delivery = sorted(t - sent for t in seen.values())
        result = RoundResult(delivery, moderator_seen, len(members) - len(seen))
        results.append(result)
        print(
            f"  round {r + 1:2d}: {ms(delivery[-1]):>6} | {ms(statistics.median(delivery)):>6} | "
            f"{ms(delivery[0]):>6} | {ms(moderator_seen):>6}"
            + (f"  ({result.missing} listeners never saw it)" if result.missing else ""),
            flush=True,
        )
        reply = await moderator.request({"type": "move_to_audience", "user_id": target})
        if reply["type"] != "ok":
            raise RuntimeError(f"move_to_audience refused: {reply}")
        await asyncio.sleep(0.3)  # the subscription refresh it starts runs in the background
        moderator.inbox.clear()
    return results


def report(results: list[RoundResult], listeners: int) -> None:
    last = [r.delivery[-1] for r in results]
    pooled = [t for r in results for t in r.delivery]
    mods = [r.moderator for r in results]
    missing = sum(r.missing for r in results)
    print(f"\ninvite_to_speak -> delta at each of {listeners} listeners, {len(results)} rounds")
    print(
        f"  last listener received:   p50 {ms(statistics.median(last))}  "
        f"p95 {ms(percentile(last, 95))}  max {ms(max(last))} ms  (p95 nearest-rank)"
    )
    print(
        f"  per-listener delivery:    median {ms(statistics.median(pooled))} ms "
        f"(all {len(pooled)} deliveries pooled); p95 {ms(percentile(pooled, 95))} ms"
    )
    print(f"  moderator's own delta:    median {ms(statistics.median(mods))} ms")
    print(f"  listeners that never received it: {missing}")


async def measure_offers(moderator: Member, channels: list[Channel], listeners: int) -> None:
    """Once: the moderator starts publishing; when does each listener get its offer?"""
    publisher = PublisherPeer(440)
    try:
        sent = time.monotonic()
        reply = await speak(moderator, publisher)
        if reply["type"] != "ok":
            raise RuntimeError(f"the moderator could not publish: {reply}")
        async with asyncio.timeout(STEP_TIMEOUT):
            await moderator.upsert(moderator.id, publishing=True)
        live = time.monotonic()
        offers: dict[str, float] = {}
        for _, part in await ask(channels, ("offers",), OFFERS_TIMEOUT + STEP_TIMEOUT):
            offers.update(part)
    finally:
        await publisher.close()
    waits = sorted(t - live for t in offers.values())
    print(
        f"\nonce: the moderator publishes ({ms(live - sent)} ms from `publish` to the "
        "`publishing: true` delta); then each listener is sent a subscribe_offer"
    )
    if not waits:
        print("  no listener received an offer")
        return
    print(
        f"  {len(waits)} of {listeners} listeners got one; from the delta: first {ms(waits[0])}"
        f" ms, median {ms(statistics.median(waits))} ms, last {ms(waits[-1])} ms "
        f"({ms((waits[-1] - waits[0]) / max(1, len(waits) - 1))} ms per listener)"
    )


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--listeners", type=int, default=100, choices=range(1, 2001), metavar="1..2000"
    )
    parser.add_argument("--rounds", type=int, default=10, choices=range(1, 101), metavar="1..100")
    parser.add_argument(
        "--procs",
        type=int,
        default=1,
        choices=range(1, 9),
        metavar="1..8",
        help="listener processes (default 1)",
    )
    parser.add_argument(
        "--same-process",
        action="store_true",
        help="run the listener clients on the server's own event loop instead",
    )
    parser.add_argument(
        "--ws-deflate",
        choices=("on", "off"),
        default="on",
        help="uvicorn's WebSocket permessage-deflate (default on, as `teahouse serve`)",
    )
    parser.add_argument(
        "--offers",
        action="store_true",
        help="finally, once: the moderator publishes; time each listener's subscribe_offer",
    )
    parser.add_argument(
        "--rtp-ports",
        default="30000-39999",
        metavar="LOW-HIGH",
        help="the managed Janus's UDP range; one port per PeerConnection (default 30000-39999)",
    )
    add_loop_option(parser)
    args = parser.parse_args()
    options = Options(
        listeners=args.listeners,
        rounds=args.rounds,
        procs=args.procs,
        same_process=args.same_process,
        loop=args.loop,
        ws_deflate=args.ws_deflate == "on",
        offers=args.offers,
        rtp_ports=args.rtp_ports,
    )
    run(lambda: main(options), options.loop)


if __name__ == "__main__":
    cli()
