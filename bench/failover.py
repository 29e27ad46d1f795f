"""Failover: SIGKILL a room's owner replica and time how long the room takes to come back.

Three real `teahouse serve` replicas share one new PostgreSQL database and Redis (the
stub Janus: no media); ``--members`` WebSocket members sit in one room, spread over the
replicas. Each round kills the replica that owns the room and measures, from the kill:

- *accepting*: until a member on a surviving replica, reconnecting and resuming as a
  client does, has a stage action (`hand`) acknowledged again;
- *converged*: until every member on a surviving replica has resumed (its `join`
  acknowledged, with the room's snapshot).

The baseline of the same run is the lease: a new owner cannot take the room sooner
than ``LEASE_MS`` after the last renewal, so the figures are read against it. The
killed replica is started again before the next round. Run::

    .venv/bin/python -m bench.failover --kills 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import tempfile
import time
from pathlib import Path

from tests.support.replicas import Replicas, replicas, socket
from tests.support.serve_process import ServeProcess
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from bench.common import machine_line, ms, percentile
from teahouse.live.ownership import LEASE_MS


async def join(ws: ClientConnection, room: str, ref: str, since: int | None = None) -> None:
    await ws.send(json.dumps({"type": "join", "room": room, "id": ref, "since": since}))
    while (message := json.loads(await ws.recv())).get("ref") != ref:
        pass
    assert message["type"] == "ok", message


def restores(server: ServeProcess, room: str) -> int:
    """How often this replica has brought the room back (its log says so each time)."""
    return sum(f"room {room} is back" in line for line in server.output)


async def comes_back(
    server_for: list[int], servers: Replicas, tokens: list[str], room: str, n: int, at: float
) -> float:
    """Member ``n`` reconnects to its replica and resumes; when its join was done."""
    while True:
        try:
            ws = await socket(servers[server_for[n]], tokens[n])
            await join(ws, room, "back", since=1)
            await ws.close()
            return time.monotonic() - at
        except (ConnectionClosed, OSError, AssertionError):
            await asyncio.sleep(0.1)


async def main(kills: int, members: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with replicas(Path(tmp), 3) as servers:
            tokens = [
                await servers[0].signup(await servers[0].invite_code(), f"m{n}")
                for n in range(members)
            ]
            async with servers[0].client(tokens[0]) as http:
                room = (await http.post("/api/rooms", json={"title": "Failover"})).json()["id"]
            host = await socket(servers[0], tokens[0])
            await join(host, room, "1")
            accepting: list[float] = []
            converged: list[float] = []
            victim = 0  # the room's owner: where it was opened, then where it came back
            for round_no in range(kills):
                living = [i for i in range(3) if i != victim]
                before = {i: restores(servers[i], room) for i in living}
                server_for = [living[n % 2] for n in range(members)]
                killed = time.monotonic()
                await servers[victim].stop(signal.SIGKILL)
                back = await asyncio.gather(
                    *(
                        comes_back(server_for, servers, tokens, room, n, killed)
                        for n in range(members)
                    )
                )
                # The moderator acts again through a surviving replica.
                ws = await socket(servers[server_for[0]], tokens[0])
                await join(ws, room, "again", since=1)
                hands = {"type": "set_hands", "enabled": round_no % 2 == 1, "id": "h"}
                await ws.send(json.dumps(hands))
                while (reply := json.loads(await ws.recv())).get("ref") != "h":
                    pass
                assert reply["type"] == "ok", reply
                accepting.append(min(back))  # the first resume: the room takes actions
                converged.append(max(back))
                await ws.close()
                await servers.restart(victim)
                victim = next(i for i in living if restores(servers[i], room) > before[i])
            print(machine_line("asyncio"))
            print(f"replicas=3 members={members} kills={kills} lease={LEASE_MS} ms")
            for name, values in (("accepting", accepting), ("converged", converged)):
                print(
                    f"{name}: p50 {ms(percentile(values, 50))} ms, "
                    f"p95 {ms(percentile(values, 95))} ms, max {ms(max(values))} ms"
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--members", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(main(args.kills, args.members))
