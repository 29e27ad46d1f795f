"""`teahouse serve` as an operator runs it: a child process with its own environment,
read through its output and its HTTP port, stopped with a signal."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.server import PASSWORD, free_port

# The `teahouse` command of the environment running the tests.
TEAHOUSE = Path(sys.executable).with_name("teahouse")


def serve_env(data_dir: Path, port: int, **settings: str) -> dict[str, str]:
    """The process environment: this one without any TEAHOUSE_* setting, then the
    data directory, the port and ``settings`` (``janus_url="ws://..."``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEAHOUSE_")}
    env |= {
        "PYTHONUNBUFFERED": "1",
        "TEAHOUSE_DATA_DIR": str(data_dir),
        "TEAHOUSE_PORT": str(port),
        "TEAHOUSE_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TEAHOUSE_ARGON2_TIME_COST": "1",
        "TEAHOUSE_ARGON2_MEMORY_KIB": "64",
    }
    env |= {f"TEAHOUSE_{key.upper()}": value for key, value in settings.items()}
    return env


@dataclass
class ServeProcess:
    process: asyncio.subprocess.Process
    url: str
    env: Mapping[str, str]
    teahouse: Path = TEAHOUSE
    output: list[str] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return self.url

    def client(self, cookie: str | None = None) -> httpx.AsyncClient:
        headers = {"origin": self.url}
        if cookie:
            headers["cookie"] = f"teahouse_session={cookie}"
        return httpx.AsyncClient(base_url=self.url, headers=headers, timeout=30)

    async def teahouse_command(self, *args: str) -> str:
        """Run ``teahouse ARGS`` as the operator would beside this server (same
        environment); its standard output."""
        command = await asyncio.create_subprocess_exec(
            str(self.teahouse),
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=dict(self.env),
        )
        out, err = await command.communicate()
        assert command.returncode == 0, err.decode(errors="replace")
        return out.decode()

    async def invite_code(self) -> str:
        """The code of a new invitation from `teahouse invite create`, as a new
        operator gets the first one (`serve` prints it only to a terminal)."""
        link = (await self.teahouse_command("invite", "create")).strip()
        assert "/invite#" in link, link
        return link.split("#", 1)[1]

    async def signup(self, code: str, username: str) -> str:
        """A new member's session token."""
        async with self.client() as http:
            response = await http.post(
                "/api/signup", json={"code": code, "username": username, "password": PASSWORD}
            )
            assert response.status_code == 201, response.text
            return response.cookies["teahouse_session"]

    async def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        """Send ``sig`` and wait for the process to end; its exit status."""
        if self.process.returncode is None:
            self.process.send_signal(sig)
        async with asyncio.timeout(timeout):
            return await self.process.wait()


async def _read(process: asyncio.subprocess.Process, into: list[str]) -> None:
    assert process.stdout is not None
    while line := await process.stdout.readline():
        into.append(line.decode(errors="replace"))


@contextlib.asynccontextmanager
async def teahouse_serve(
    data_dir: Path,
    *,
    teahouse: Path = TEAHOUSE,
    env: Mapping[str, str] | None = None,
    timeout: float = 60,
    port: int | None = None,
    **settings: str,
) -> AsyncIterator[ServeProcess]:
    """Start ``teahouse serve`` and wait until it answers HTTP; SIGKILL it at the end
    if the test has not stopped it. ``port``: the one to serve on (a restart keeps
    its predecessor's, so that clients find it again); by default a free one."""
    port = port or free_port()
    full_env = {**serve_env(data_dir, port, **settings), **(env or {})}
    process = await asyncio.create_subprocess_exec(
        str(teahouse),
        "serve",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=full_env,
    )
    served = ServeProcess(process, f"http://127.0.0.1:{port}", full_env, teahouse)
    reader = asyncio.create_task(_read(process, served.output))
    try:
        async with asyncio.timeout(timeout), httpx.AsyncClient(base_url=served.url) as http:
            while True:
                if process.returncode is not None:
                    await reader
                    raise AssertionError("teahouse serve exited:\n" + "".join(served.output))
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get("/api/me")).status_code == 401:
                        break
                await asyncio.sleep(0.1)
        yield served
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await reader
