"""What the benchmarks share: the whole app in a temp dir, the machine line, figures."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import platform
import re
import subprocess
import tempfile
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

import uvloop
from tests.support.netns import NETNS_ADDRESS, aiortc_uses_netns_address, require_media_netns
from tests.support.server import LiveServer, free_port, run_server, server_settings

#: Event loops a benchmark can run on. ``teahouse serve`` runs uvicorn with its
#: default ``loop="auto"``, which picks uvloop (installed with uvicorn[standard]).
LOOPS = ("uvloop", "asyncio")


def add_loop_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--loop",
        choices=LOOPS,
        default="uvloop",
        help="event loop of the server process (default uvloop, as `teahouse serve` runs)",
    )


def run(main: Callable[[], Coroutine[Any, Any, None]], loop: str) -> None:
    """Run ``main`` on a fresh event loop of the kind named by ``loop``."""
    factory = uvloop.new_event_loop if loop == "uvloop" else None
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(main())


# -- the machine ------------------------------------------------------------------


def janus_version(binary: str = "janus") -> str:
    try:
        out = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    found = re.search(r"Janus version:\s*\d+\s*\(([^)]+)\)", out)
    return found.group(1) if found else "unknown"


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine_line(loop: str, janus_binary: str = "janus") -> str:
    return (
        f"machine: nproc={len(os.sched_getaffinity(0))}, cpu={cpu_model()!r}, "
        f"janus={janus_version(janus_binary)}, python={platform.python_version()}, "
        f"kernel={platform.release()}, server loop={loop}"
    )


# -- the app ----------------------------------------------------------------------


@contextlib.asynccontextmanager
async def whole_app(rtp_ports: str, **uvicorn_options: Any) -> AsyncIterator[LiveServer]:
    """The app with its own managed Janus in a temp dir, as `teahouse serve` runs it.

    Media stays in the namespace of ``scripts/netns-exec``: Janus gathers 127.0.0.2
    only, and so do the aiortc peers of this process.
    """
    require_media_netns()
    with (
        tempfile.TemporaryDirectory(prefix="teahouse-bench-") as tmp,
        aiortc_uses_netns_address(),
    ):
        settings = server_settings(
            Path(tmp),
            None,
            free_port(),
            janus_ice_enforce_list=NETNS_ADDRESS,
            janus_rtp_ports=rtp_ports,
        )
        async with run_server(settings, None, **uvicorn_options) as app:
            yield app


def janus_pid(app: LiveServer) -> int | None:
    """The managed Janus's process id (None if it is not running)."""
    source = app.services.media.session.source  # type: ignore[attr-defined]
    pid = getattr(source, "pid", None)
    return pid if isinstance(pid, int) else None


# -- CPU --------------------------------------------------------------------------


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU time of a process (all its threads), from /proc."""
    stat = Path(f"/proc/{pid or os.getpid()}/stat").read_text()
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)"; comm may hold spaces
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU used by some processes between ``start()`` and ``used()``."""

    def __init__(self, pids: dict[str, int | None]) -> None:
        self.pids = {name: pid for name, pid in pids.items() if pid is not None}
        self._start: dict[str, float] = {}
        self._wall = 0.0

    def start(self) -> None:
        self._start = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        self._wall = asyncio.get_running_loop().time()

    def report(self) -> str:
        wall = asyncio.get_running_loop().time() - self._wall
        parts = []
        for name, pid in self.pids.items():
            used = cpu_seconds(pid) - self._start[name]
            parts.append(f"{name} {used:.2f} s ({100 * used / wall:.0f}% of a core)")
        return f"CPU over {wall:.1f} s wall: " + ", ".join(parts)


# -- figures ----------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: the smallest value with at least q% at or below it."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"
