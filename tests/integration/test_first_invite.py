"""The first invitation of a new instance makes its admin, so `teahouse serve` shows
it only to a person at a terminal: captured output (systemd's journal, a log file)
gets how to make one instead, and the log never holds it, as text or as JSON."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from pathlib import Path

import httpx

from tests.support.serve_process import TEAHOUSE, ServeProcess, serve_env, teahouse_serve
from tests.support.server import free_port
from tests.support.stub_janus import stub_janus

LINK = re.compile(r"http://127\.0\.0\.1:\d+/invite#([A-Za-z0-9_-]+)")


async def is_admin(server: ServeProcess, code: str) -> bool:
    token = await server.signup(code, "ada")
    async with server.client(token) as http:
        return (await http.get("/api/admin/members")).status_code == 200


async def test_captured_output_and_the_log_never_hold_the_first_link(tmp_path: Path) -> None:
    async with (
        stub_janus() as janus_url,
        teahouse_serve(tmp_path, janus_url=janus_url, log_format="json") as server,
    ):
        output = "".join(server.output)
        assert "/invite#" not in output
        # ... as a command line that works as printed: the path it was started by.
        assert "No members yet" in output and f"`{TEAHOUSE} invite create`" in output
        # What it says to do gives the admin-making invitation.
        assert await is_admin(server, await server.invite_code())
        await server.stop()
    assert "/invite#" not in "".join(server.output)


async def test_on_a_terminal_the_first_link_is_printed_and_not_logged(tmp_path: Path) -> None:
    port = free_port()
    terminal, child_end = os.openpty()
    async with stub_janus() as janus_url:
        env = serve_env(tmp_path, port, janus_url=janus_url, log_format="json")
        process = await asyncio.create_subprocess_exec(
            str(TEAHOUSE),
            "serve",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=child_end,
            stderr=asyncio.subprocess.PIPE,  # the log, captured
            env=env,
        )
        os.close(child_end)
        server = ServeProcess(process, f"http://127.0.0.1:{port}", env)
        try:
            shown = await asyncio.wait_for(read_until_link(terminal), timeout=60)
            code = LINK.findall(shown)[0]
            await until_serving(server)
            assert await is_admin(server, code)
        finally:
            if process.returncode is None:
                process.terminate()
            assert process.stderr is not None
            log = (await process.stderr.read()).decode(errors="replace")
            await process.wait()
            os.close(terminal)
    assert log and code not in log and "/invite#" not in log


async def read_until_link(terminal: int) -> str:
    seen = ""
    while not LINK.search(seen):
        chunk = await asyncio.to_thread(os.read, terminal, 4096)
        assert chunk, "the terminal closed before a link: " + seen
        seen += chunk.decode(errors="replace")
    return seen


async def until_serving(server: ServeProcess) -> None:
    async with asyncio.timeout(60), httpx.AsyncClient(base_url=server.url) as http:
        while True:
            with contextlib.suppress(httpx.TransportError):
                if (await http.get("/api/me")).status_code == 401:
                    return
            await asyncio.sleep(0.1)
