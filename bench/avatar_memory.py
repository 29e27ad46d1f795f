"""Avatar memory: what four 40-megapixel pictures uploaded at once cost the server.

A real ``teahouse serve`` (over a stub Janus API, no media) in a child process; one
member uploads four 40-megapixel PNGs (RGBA, a few hundred KB each) at once. Printed:
how long one small picture took before, how long the four took,
the server process's resident memory (VmRSS) before, its peak (VmHWM) and after,
and the peak of any process the server started while the uploads ran (the avatar
workers, read from /proc every 10 ms). Run::

    .venv/bin/python -m bench.avatar_memory [--pictures 4] [--format PNG|JPEG]

On another checkout of the code, put its ``src`` first on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import tempfile
import time
from pathlib import Path

from PIL import Image
from tests.support.serve_process import teahouse_serve
from tests.support.stub_janus import stub_janus

from bench.common import machine_line

MIB = 1024 * 1024
WIDTH, HEIGHT = 8000, 5000  # 40 megapixels


def status_kib(pid: int, field: str) -> int:
    """A field of /proc/<pid>/status in KiB (0 once the process is gone)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def children(pid: int) -> set[int]:
    found: set[int] = set()
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def picture(index: int, fmt: str, size: tuple[int, int] = (WIDTH, HEIGHT)) -> bytes:
    mode = "RGBA" if fmt == "PNG" else "RGB"
    image = Image.new(mode, size, (40 * index, 90, 160, 255)[: len(mode)])
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


async def watch_children(pid: int, peaks: dict[int, int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for child in children(pid):
            peaks[child] = max(peaks.get(child, 0), status_kib(child, "VmHWM"))
        await asyncio.sleep(0.01)


async def main(count: int, fmt: str) -> None:
    pictures = [picture(i, fmt) for i in range(count)]
    with tempfile.TemporaryDirectory() as tmp:
        async with (
            stub_janus() as janus_url,
            teahouse_serve(Path(tmp), janus_url=janus_url) as server,
        ):
            token = await server.signup(await server.invite_code(), "ada")
            pid = server.process.pid
            async with server.client(token) as http:
                await http.get("/api/me")
                small = picture(0, fmt, (640, 480))
                start = time.perf_counter()
                await http.put("/api/me/avatar", content=small)
                one_small = time.perf_counter() - start
                before = status_kib(pid, "VmRSS")
                start = time.perf_counter()
                peaks: dict[int, int] = {}
                stop = asyncio.Event()
                watcher = asyncio.create_task(watch_children(pid, peaks, stop))
                answers = await asyncio.gather(
                    *(http.put("/api/me/avatar", content=p, timeout=300) for p in pictures)
                )
                elapsed = time.perf_counter() - start
                stop.set()
                await watcher
                peak, after = status_kib(pid, "VmHWM"), status_kib(pid, "VmRSS")
                await asyncio.sleep(5)
                settled = status_kib(pid, "VmRSS")
            await server.stop()
    print(machine_line("uvloop"))  # teahouse serve runs uvicorn on uvloop
    sizes = ", ".join(f"{len(p) // 1024} KiB" for p in pictures)
    print(f"{count} {fmt} pictures of {WIDTH}x{HEIGHT} ({sizes}), uploaded at once")
    print("answers:", ", ".join(str(a.status_code) for a in answers), f"after {elapsed:.1f} s")
    print(f"one 640x480 {fmt} beforehand: {one_small * 1000:.0f} ms")
    print(f"server RSS before: {before / 1024:.0f} MiB")
    print(f"server RSS peak:   {peak / 1024:.0f} MiB")
    print(f"server RSS after:  {after / 1024:.0f} MiB (5 s later: {settled / 1024:.0f} MiB)")
    worker_peaks = sorted(peaks.values(), reverse=True)
    if worker_peaks:
        shown = ", ".join(f"{kib / 1024:.0f}" for kib in worker_peaks)
        print(f"processes the server started: {len(worker_peaks)}, peak RSS each (MiB): {shown}")
    else:
        print("processes the server started: none")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pictures", type=int, default=4)
    parser.add_argument("--format", choices=("PNG", "JPEG"), default="PNG")
    args = parser.parse_args()
    asyncio.run(main(args.pictures, args.format))
