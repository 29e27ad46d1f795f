"""Room scale: one room with thousands of WebSocket members (room state only, no audio).

Three kinds of process, all on this machine:

- the **server**: the app as `teahouse serve` runs it (uvicorn with `uvicorn_options`,
  uvloop, SQLite in a temp dir), with the in-memory ``FakeMedia`` in place of Janus:
  this measures the room protocol, not audio;
- **crowd** processes (``--procs``, default 2): the N members' WebSocket clients,
  split between them; each reads all its sockets all the time, as a client would;
- this **controller**: the moderator's and one speaker's clients, the clock and the
  figures.

Members and their sessions are written straight into the database before the server
starts (no argon2, no HTTP sign-up). Instants are CLOCK_MONOTONIC, which on Linux is
one clock for every process of the machine.

Phases:

1. **Memory**: the server's VmRSS with the room open and nobody in it, then with all N
   members connected and joined; the difference divided by N.
2. **Delivery** (quiet room): ``--events`` stage events, one every 0.5 s, from the
   moderator (mute the speaker, make them moderator, take it back) or the speaker
   (unmute). Per event: from the moment it is sent until the LAST of the N members
   has received its delta (each delta is identified by its version).
3. **Steady state** (``--steady`` s, 30 by default): 10 joins/s and 10 leaves/s (members
   leave and come back a second later) and 1 stage event/s. Server CPU over the
   window from /proc/<pid>/stat, and each crowd process's; delivery as above.

    .venv/bin/python -m bench.room_scale --members 1000
    .venv/bin/python -m bench.room_scale --members 5000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import io
import itertools
import json
import multiprocessing
import os
import platform
import pstats
import resource
import signal
import socket
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import insert
from tests.support.fake_media import FakeMedia
from tests.support.server import free_port, server_settings
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bench.common import cpu_model, cpu_seconds, ms, percentile, run
from teahouse.app import create_app, uvicorn_options
from teahouse.domain.accounts import new_session_token, token_hash
from teahouse.domain.ids import new_id
from teahouse.gc_policy import tune_for_serving
from teahouse.store.database import Database
from teahouse.store.models import Session, User

STEP_TIMEOUT = 60.0  # seconds, for any one step
CONNECT_CONCURRENCY = 32  # handshakes + joins in flight per crowd process
DELTA_PREFIX = '{"type":"delta","version":'  # how the server encodes every delta


def now() -> float:
    """CLOCK_MONOTONIC: the same clock in every process of the machine."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def raise_fd_limit() -> int:
    """Open files up to the hard limit: each member is a socket on both sides."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


# -- the server process -------------------------------------------------------------


@dataclass(frozen=True)
class ServerSpec:
    data_dir: str
    port: int
    loop: str
    ws: str
    profile: str | None  # write a cProfile of the whole run here
    gc: str  # "serve": the garbage collection `teahouse serve` uses; "default": CPython's


def watch_gc_pauses() -> dict[int, list[float]]:
    """Record how long each garbage collection pass of this process takes (ms)."""
    pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started: list[float] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            pauses[info["generation"]].append((time.perf_counter() - started.pop()) * 1000)

    gc.callbacks.append(watch)
    return pauses


def server_process(spec: ServerSpec) -> None:
    """Serve the app until SIGTERM (spawned: nothing inherited from the controller)."""
    raise_fd_limit()
    pauses = watch_gc_pauses()
    settings = server_settings(Path(spec.data_dir), None, spec.port)
    app = create_app(settings, FakeMedia())
    if spec.gc == "serve":
        tune_for_serving()  # as `teahouse serve` does
    options = {**uvicorn_options(settings), "ws": spec.ws}
    server = uvicorn.Server(uvicorn.Config(app, **options))
    profiler = cProfile.Profile() if spec.profile else None
    if profiler is not None:
        profiler.enable()

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # uvicorn re-raises SIGTERM once it has shut down

    signal.signal(signal.SIGTERM, stop)
    try:
        run(server.serve, spec.loop)
    except KeyboardInterrupt:
        pass
    finally:
        if profiler is not None and spec.profile:
            profiler.disable()
            profiler.dump_stats(spec.profile)
        for generation, took in sorted(pauses.items()):
            longest = max(took) if took else 0.0
            print(
                f"server garbage collection, generation {generation}: {len(took)} passes,"
                f" longest {longest:.0f} ms, total {sum(took):.0f} ms",
                flush=True,
            )


async def make_members(data_dir: Path, count: int) -> list[tuple[str, str]]:
    """``count`` members with a session each, straight into a fresh database."""
    settings = server_settings(data_dir, None, 0)
    db = Database(settings.resolved_database_url)
    await db.upgrade()
    created = datetime.now(UTC)
    members, users, sessions = [], [], []
    for i in range(count):
        uid, token = new_id(), new_session_token()
        members.append((uid, token))
        users.append(
            {
                "id": uid,
                "username": f"m{i}",
                "display_name": f"Member {i}",
                "bio": "",
                "password_hash": "x",
                "invites_left": 0,
                "is_admin": i == 0,
                "created_at": created,
            }
        )
        sessions.append(
            {
                "token_hash": token_hash(token),
                "user_id": uid,
                "created_at": created,
                "expires_at": created + timedelta(days=1),
            }
        )
    async with db.sessions.begin() as s:
        await s.execute(insert(User), users)
        await s.execute(insert(Session), sessions)
    await db.close()
    return members


# -- a member's socket --------------------------------------------------------------


async def open_member(url: str, cookie: str, token: str) -> ClientConnection:
    ws = await connect(
        url.replace("http", "ws", 1) + "/ws",
        additional_headers={"origin": url, "cookie": f"{cookie}={token}"},
        max_size=None,
        compression=None,
        open_timeout=STEP_TIMEOUT,
    )
    welcome = json.loads(await ws.recv())
    if welcome["type"] != "welcome":
        raise RuntimeError(f"expected welcome, got {welcome}")
    return ws


def delta_version(frame: str | bytes) -> int | None:
    """The version of a delta, without parsing the whole message."""
    if isinstance(frame, bytes) or not frame.startswith(DELTA_PREFIX):
        return None
    start = len(DELTA_PREFIX)
    return int(frame[start : frame.index(",", start)])


# -- the crowd processes ------------------------------------------------------------


@dataclass(frozen=True)
class CrowdSpec:
    url: str
    cookie: str
    room: str
    members: list[tuple[str, str]]
    loop: str


@dataclass
class Crowd:
    """Members' sockets; per delta version: how many received it, first and last when."""

    spec: CrowdSpec
    sockets: dict[str, ClientConnection] = field(default_factory=dict)
    seen: dict[int, list[float]] = field(default_factory=dict)  # version -> [n, first, last]
    readers: list[asyncio.Task[None]] = field(default_factory=list)
    dropped: int = 0

    async def connect(self) -> None:
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

        async def one(uid: str, token: str) -> None:
            async with gate:
                ws = await open_member(self.spec.url, self.spec.cookie, token)
                await ws.send(json.dumps({"type": "join", "room": self.spec.room}))
                while json.loads(await ws.recv())["type"] != "snapshot":
                    pass
                self.sockets[uid] = ws
                self.readers.append(asyncio.create_task(self.read(ws)))

        await asyncio.gather(*(one(uid, token) for uid, token in self.spec.members))

    async def read(self, ws: ClientConnection) -> None:
        seen = self.seen
        try:
            async for frame in ws:
                version = delta_version(frame)
                if version is None:
                    continue
                t = now()
                record = seen.get(version)
                if record is None:
                    seen[version] = [1, t, t]
                else:
                    record[0] += 1
                    record[2] = t
        except ConnectionClosed:
            self.dropped += 1

    async def churn(self, per_second: float, seconds: float, away: float = 1.0) -> int:
        """Members leave at ``per_second`` and each joins again ``away`` s later."""
        order = itertools.cycle(list(self.sockets.values()))
        leave, interval = json.dumps({"type": "leave"}), 1 / per_second
        join = json.dumps({"type": "join", "room": self.spec.room})
        start, done = now(), 0
        rejoins: list[asyncio.Task[None]] = []

        async def back(ws: ClientConnection) -> None:
            await asyncio.sleep(away)
            await ws.send(join)

        while now() - start < seconds:
            ws = next(order)
            await ws.send(leave)
            rejoins.append(asyncio.create_task(back(ws)))
            done += 1
            await asyncio.sleep(max(0.0, start + done * interval - now()))
        await asyncio.gather(*rejoins)
        return done

    async def serve(self, conn: Connection) -> None:
        async def reply(value: Any) -> None:
            await asyncio.to_thread(conn.send, value)

        while True:
            command, *args = await asyncio.to_thread(conn.recv)
            if command == "ready":
                await reply(None)
            elif command == "connect":
                started = now()
                await self.connect()
                await reply(now() - started)
            elif command == "collect":
                seen = dict(self.seen)  # the readers hold self.seen itself
                self.seen.clear()
                await reply((seen, self.dropped))
            elif command == "churn":
                await reply(await self.churn(*args))
            elif command == "stop":
                for task in self.readers:
                    task.cancel()
                await asyncio.gather(*(ws.close() for ws in self.sockets.values()))
                await reply(None)
                return


def crowd_process(conn: Connection, spec: CrowdSpec) -> None:
    raise_fd_limit()
    run(lambda: Crowd(spec).serve(conn), spec.loop)


class CrowdHandle:
    def __init__(self, process: Any, conn: Connection) -> None:
        self.process = process
        self.conn = conn

    async def ask(self, *command: Any) -> Any:
        self.conn.send(command)

        def wait() -> Any:
            if not self.conn.poll(10 * STEP_TIMEOUT):
                raise TimeoutError(f"no answer to {command[0]!r}")
            return self.conn.recv()

        return await asyncio.to_thread(wait)


async def ask_all(crowds: list[CrowdHandle], *command: Any) -> list[Any]:
    return list(await asyncio.gather(*(c.ask(*command) for c in crowds)))


# -- the controller's own clients: the moderator and the speaker ---------------------


class Actor:
    """A client that acts: requests with an id, and the deltas seen meanwhile."""

    def __init__(self, ws: ClientConnection, uid: str) -> None:
        self.ws = ws
        self.id = uid
        self.deltas: list[dict[str, Any]] = []
        self.replies: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._refs = itertools.count()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for frame in self.ws:
                message = json.loads(frame)
                if message["type"] == "delta":
                    self.deltas.append(message)
                elif message["type"] in ("ok", "error") and message.get("ref") in self.replies:
                    self.replies[message["ref"]].set_result(message)

    async def request(self, message: dict[str, Any]) -> tuple[float, dict[str, Any]]:
        """Send; the instant it was sent and the reply."""
        ref = f"r{next(self._refs)}"
        future = self.replies[ref] = asyncio.get_running_loop().create_future()
        text = json.dumps({**message, "id": ref})
        sent = now()
        await self.ws.send(text)
        async with asyncio.timeout(STEP_TIMEOUT):
            reply = await future
        del self.replies[ref]
        if reply["type"] != "ok":
            raise RuntimeError(f"{message} refused: {reply}")
        return sent, reply


@dataclass
class StageEvents:
    """Stage events about one speaker, in a cycle; each returns (sent, version)."""

    moderator: Actor
    speaker: Actor
    step: int = 0

    async def next(self) -> tuple[str, float, int]:
        sid = self.speaker.id
        actions: list[tuple[str, Actor, dict[str, Any]]] = [
            ("mute", self.moderator, {"type": "mute", "muted": True, "user_id": sid}),
            ("unmute", self.speaker, {"type": "mute", "muted": False}),
            ("make_moderator", self.moderator, {"type": "make_moderator", "user_id": sid}),
            ("remove_moderator", self.moderator, {"type": "remove_moderator", "user_id": sid}),
        ]
        name, actor, message = actions[self.step % len(actions)]
        self.step += 1
        before = len(actor.deltas)
        sent, _ = await actor.request(message)
        # The delta reaches the actor before its `ok`: the last one about the speaker.
        for delta in reversed(actor.deltas[before:]):
            if any(
                c.get("participant", {}).get("user", {}).get("id") == sid for c in delta["changes"]
            ):
                return name, sent, delta["version"]
        raise RuntimeError(f"no delta for {name}")


@dataclass(frozen=True)
class Delivery:
    name: str
    latency: float  # from sending to the last member's receipt
    received: int  # members that received it


async def collect(
    crowds: list[CrowdHandle], events: list[tuple[str, float, int]]
) -> tuple[list[Delivery], int]:
    answers = await ask_all(crowds, "collect")
    deliveries = []
    for name, sent, version in events:
        records = [seen[version] for seen, _ in answers if version in seen]
        last = max((r[2] for r in records), default=float("nan"))
        deliveries.append(Delivery(name, last - sent, int(sum(r[0] for r in records))))
    return deliveries, sum(dropped for _, dropped in answers)


def describe(deliveries: list[Delivery], members: int) -> str:
    latencies = [d.latency for d in deliveries]
    short = [d for d in deliveries if d.received < members]
    lines = [
        f"  {len(deliveries)} stage events, sent -> LAST member received (ms): "
        f"p50 {ms(statistics.median(latencies))}  p99 {ms(percentile(latencies, 99))}  "
        f"max {ms(max(latencies))}  min {ms(min(latencies))}",
    ]
    for kind in sorted({d.name for d in deliveries}):
        mine = [d.latency for d in deliveries if d.name == kind]
        lines.append(f"    {kind:<17} n={len(mine):<3} p50 {ms(statistics.median(mine))} ms")
    slowest = sorted(range(len(deliveries)), key=lambda i: -deliveries[i].latency)[:5]
    lines.append(
        "    slowest: "
        + ", ".join(f"#{i + 1} {deliveries[i].name} {ms(deliveries[i].latency)}" for i in slowest)
    )
    received = [d.received for d in deliveries]
    lines.append(
        f"  members who received each event: min {min(received)}, max {max(received)} of "
        f"{members}" + (f" ({len(short)} events missed by some)" if short else "")
    )
    return "\n".join(lines)


class CpuWindow:
    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.start = {name: cpu_seconds(pid) for name, pid in pids.items()}
        self.wall = now()

    def report(self) -> tuple[float, str]:
        wall = now() - self.wall
        used = {name: cpu_seconds(pid) - self.start[name] for name, pid in self.pids.items()}
        parts = [f"{name} {100 * u / wall:.0f}%" for name, u in used.items()]
        return 100 * used["server"] / wall, f"CPU over {wall:.1f} s (% of one core): " + ", ".join(
            parts
        )


# -- the run ------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    members: int
    procs: int
    events: int
    steady: float
    loop: str
    ws: str
    profile: str | None
    gc: str


async def wait_for_port(port: int, process: Any) -> None:
    async with asyncio.timeout(STEP_TIMEOUT):
        while True:
            if not process.is_alive():
                raise RuntimeError("the server process died")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                return
            await asyncio.sleep(0.1)


async def quiet_events(
    events: StageEvents, count: int, every: float
) -> list[tuple[str, float, int]]:
    done = []
    start = now()
    for i in range(count):
        done.append(await events.next())
        await asyncio.sleep(max(0.0, start + (i + 1) * every - now()))
    return done


async def main(options: Options) -> None:
    fds = raise_fd_limit()
    print(
        f"machine: nproc={len(os.sched_getaffinity(0))}, cpu={cpu_model()!r}, "
        f"python={platform.python_version()}, server loop={options.loop}, "
        f"uvicorn ws={options.ws}, gc={options.gc}, "
        f"open files limit={fds}"
    )
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="teahouse-roomscale-") as tmp:
        started = now()
        accounts = await make_members(Path(tmp), options.members + 2)
        print(f"{options.members + 2} members and sessions written in {now() - started:.1f} s")
        (mod_id, mod_token), (speaker_id, speaker_token), *crowd = accounts
        port = free_port()
        spec = ServerSpec(tmp, port, options.loop, options.ws, options.profile, options.gc)
        server = context.Process(target=server_process, args=(spec,))
        server.start()
        assert server.pid is not None
        crowds: list[CrowdHandle] = []
        try:
            await wait_for_port(port, server)
            settings = server_settings(Path(tmp), None, port)
            url, cookie = f"http://127.0.0.1:{port}", settings.session_cookie_name
            async with httpx.AsyncClient(
                base_url=url, headers={"origin": url, "cookie": f"{cookie}={mod_token}"}
            ) as http:
                room = (await http.post("/api/rooms", json={"title": "Scale"})).json()["id"]
            moderator = Actor(await open_member(url, cookie, mod_token), mod_id)
            await moderator.request({"type": "join", "room": room})
            speaker = Actor(await open_member(url, cookie, speaker_token), speaker_id)
            await speaker.request({"type": "join", "room": room})
            await moderator.request({"type": "invite_to_speak", "user_id": speaker_id})
            await speaker.request({"type": "accept_speak"})
            await speaker.request({"type": "mute", "muted": False})  # arrived muted
            await asyncio.sleep(2)
            empty = rss_kib(server.pid)

            for share in range(options.procs):
                ours, theirs = context.Pipe()
                part = CrowdSpec(url, cookie, room, crowd[share :: options.procs], options.loop)
                process = context.Process(target=crowd_process, args=(theirs, part))
                process.start()
                crowds.append(CrowdHandle(process, ours))
            pids = {"server": server.pid}
            pids |= {f"crowd{i}": c.process.pid for i, c in enumerate(crowds)}
            await ask_all(crowds, "ready")  # started and imported
            joining = CpuWindow(pids)
            took = await ask_all(crowds, "connect")
            print(
                f"{options.members} members connected and joined in {max(took):.1f} s "
                f"({options.procs} crowd processes, {CONNECT_CONCURRENCY} at a time each); "
                + joining.report()[1]
            )
            await asyncio.sleep(3)  # the audience count goes out; nothing else moves
            full = rss_kib(server.pid)
            await collect(crowds, [])
            print(
                f"\nmemory: server VmRSS {empty / 1024:.1f} MiB with the room empty, "
                f"{full / 1024:.1f} MiB with {options.members} members: "
                f"{(full - empty) / options.members:.1f} KiB per member"
            )

            events = StageEvents(moderator, speaker)
            print(f"\ndelivery, quiet room: {options.events} stage events, one every 0.5 s")
            window = CpuWindow(pids)
            sent = await quiet_events(events, options.events, 0.5)
            await asyncio.sleep(1)
            cpu = window.report()[1]
            deliveries, dropped = await collect(crowds, sent)
            print(describe(deliveries, options.members))
            print(f"  {cpu}")

            print(
                f"\nsteady state, {options.steady:.0f} s: 10 leaves/s and 10 joins/s "
                "(each member back 1 s after leaving), 1 stage event/s"
            )
            window = CpuWindow(pids)
            churn = ask_all(crowds, "churn", 10 / options.procs, options.steady)
            stage = quiet_events(events, int(options.steady), 1.0)
            churned, sent = await asyncio.gather(churn, stage)
            server_cpu, cpu = window.report()
            await asyncio.sleep(1.5)
            deliveries, dropped2 = await collect(crowds, sent)
            print(f"  {sum(churned)} leaves and as many joins")
            print(f"  {cpu}")
            print(f"  server CPU at steady state: {server_cpu:.1f}% of one core")
            print(describe(deliveries, options.members))
            print(f"\nclients dropped by the server (4408 or closed): {dropped + dropped2}")
            await ask_all(crowds, "stop")
            for actor in (moderator, speaker):
                await actor.ws.close()
        finally:
            for handle in crowds:
                await asyncio.to_thread(handle.process.join, STEP_TIMEOUT)
                if handle.process.is_alive():
                    handle.process.kill()
            if server.pid is not None and server.is_alive():
                os.kill(server.pid, signal.SIGTERM)
            await asyncio.to_thread(server.join, STEP_TIMEOUT)
            if server.is_alive():
                server.kill()
    if options.profile:
        out = io.StringIO()
        stats = pstats.Stats(options.profile, stream=out)
        stats.sort_stats("tottime").print_stats(25)
        print(f"\nserver profile (whole run, by own time), {options.profile}:\n{out.getvalue()}")


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--members", type=int, default=1000, choices=range(10, 20001), metavar="N")
    parser.add_argument("--procs", type=int, default=2, choices=range(1, 9), metavar="1..8")
    parser.add_argument("--events", type=int, default=40, choices=range(1, 1001), metavar="N")
    parser.add_argument("--steady", type=float, default=30.0, help="seconds (default 30)")
    parser.add_argument("--loop", choices=("uvloop", "asyncio"), default="uvloop")
    parser.add_argument(
        "--ws",
        choices=("auto", "websockets", "websockets-sansio", "wsproto"),
        default="auto",
        help="uvicorn's WebSocket implementation (default auto, as `teahouse serve`)",
    )
    parser.add_argument("--profile", metavar="FILE", help="cProfile the server into FILE")
    parser.add_argument(
        "--gc",
        choices=("serve", "default"),
        default="serve",
        help="the server's garbage collection: as `teahouse serve` (default) or CPython's",
    )
    args = parser.parse_args()
    options = Options(
        args.members,
        args.procs,
        args.events,
        args.steady,
        args.loop,
        args.ws,
        args.profile,
        args.gc,
    )
    run(lambda: main(options), options.loop)


if __name__ == "__main__":
    cli()
