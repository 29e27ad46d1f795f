"""A normal member's ping times while another member fuzzes the WebSocket, against the
same member's ping times with nobody fuzzing, in one run.

The app runs in this process (SQLite, media faked: nothing here reaches Janus) with
every message limit raised a thousandfold (``ws_rate_scale=1000``), as in
tests/integration/test_ws_fuzz.py. A moderator opens a room; bob, a listener, sends
a `ping` every 10 ms and times the `ok` that answers it: first with nobody else
talking (the baseline), then while mallory, a listener in the same room, sends the
hypothesis-made frames of tests/support/ws_fuzz.py from a process of her own (so
that drawing them does not compete with the server for this process's GIL), each
reply checked.

    .venv/bin/python -m bench.ws_fuzz [--frames 100000] [--sent-times 10]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tests.support.fake_media import FakeMedia
from tests.support.server import Member, free_port, run_server, server_settings
from tests.support.ws_fuzz import NO_KEEPALIVE, SENT_TIMES, Room, fuzz_socket, join_sync

from bench.common import add_loop_option, machine_line, ms, percentile, run

PING_EVERY = 0.01


def fuzz_in_process(
    url: str, cookie: str, token: str, room_id: str, room: Room, frames: int, sent_times: int
) -> tuple[int, int, float]:
    """Frames sent, frames served (not refused), seconds taken."""
    ws = join_sync(url, cookie, token, room_id)
    started = time.perf_counter()
    tally = fuzz_socket(ws, room, frames, sent_times)
    took = time.perf_counter() - started
    ws.close()
    return tally.frames, tally.served, took


async def ping_once(member: Member) -> float:
    started = time.perf_counter()
    assert (await member.request({"type": "ping"}))["type"] == "ok"
    return time.perf_counter() - started


def figures(name: str, times: list[float]) -> str:
    ordered = sorted(times)
    return (
        f"{name:<14} pings={len(ordered):>5}  p50={ms(percentile(ordered, 50))} ms  "
        f"p99={ms(percentile(ordered, 99))} ms  max={ms(ordered[-1])} ms"
    )


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = server_settings(Path(tmp), None, free_port(), ws_rate_scale=1000)
        async with run_server(settings, FakeMedia(), ws_ping_interval=NO_KEEPALIVE) as server:
            ada, bob, mallory = [await server.member(n) for n in ("ada", "bob", "mallory")]
            async with ada.http() as http:
                made = await http.post("/api/rooms", json={"title": "Fuzzing"})
                room_id = made.json()["id"]
            for member in (ada, bob):
                await member.connect(ping_interval=NO_KEEPALIVE)
                await member.join(room_id)

            baseline = []
            for _ in range(args.baseline_pings):
                baseline.append(await ping_once(bob))
                await asyncio.sleep(PING_EVERY)

            spawn = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(1, mp_context=spawn) as pool:
                fuzzing = asyncio.get_running_loop().run_in_executor(
                    pool,
                    fuzz_in_process,
                    server.url,
                    settings.session_cookie_name,
                    mallory.token,
                    room_id,
                    Room(moderator=ada.id, listener=bob.id),
                    args.frames,
                    args.sent_times,
                )
                during = []
                while not fuzzing.done():
                    during.append(await ping_once(bob))
                    await asyncio.sleep(PING_EVERY)
                frames, served, took = await fuzzing
            for member in (ada, bob):
                await member.close()

    print(machine_line(args.loop))
    print(
        f"fuzzing: {frames} frames in {took:.1f} s ({frames / took:.0f}/s), {served} served, "
        f"every batch of hypothesis sent {args.sent_times} times"
    )
    print(figures("no fuzzing", baseline))
    print(figures("fuzzing", during))


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--sent-times", type=int, default=SENT_TIMES)
    parser.add_argument("--baseline-pings", type=int, default=2000)
    add_loop_option(parser)
    args = parser.parse_args()
    run(lambda: main(args), args.loop)


if __name__ == "__main__":
    cli()
