"""The Janus process Teahouse starts, configures and supervises itself.

With no ``janus_url`` configured, :class:`ManagedJanus` writes a fresh configuration
folder to ``data_dir/janus`` at every start (new random ``api_secret``, a free
loopback port for the WebSocket API), starts ``janus_binary`` on it, and waits until
the API answers. If the process dies it reports ``"down"``, restarts it with
backoff, and reports ``"restarted"`` once the new one answers. Janus keeps no state
worth saving across a restart: rooms and handles are re-created by the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import secrets
import shutil
import signal
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from teahouse.config import Settings
from teahouse.data_dir import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, private_dir
from teahouse.media.janus_client import JanusClient, JanusClientError
from teahouse.media.janus_config import JanusConfigParams, render_janus_configs

logger = logging.getLogger(__name__)

ProcessState = Literal["down", "restarted"]
ProcessStateHandler = Callable[[ProcessState], Awaitable[None]]

LOG_FILE = "janus.log"
PID_FILE = "janus.pid"
# Restart delays double from MIN_BACKOFF while Janus keeps dying young.
MIN_BACKOFF = 0.25
STABLE_UPTIME = 60.0
# What Janus prints before it has read its configuration (and crash output).
CONSOLE_FILE = "janus.console.log"


def _die_with_parent() -> None:
    """In the child before exec: Linux sends SIGTERM if the app dies, even by SIGKILL."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1
    libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


class JanusNotInstalled(RuntimeError):
    """The configured Janus executable does not exist."""

    def __init__(self, binary: str) -> None:
        super().__init__(
            f"Janus is not installed: no executable {binary!r} (setting janus_binary, "
            "environment TEAHOUSE_JANUS_BINARY). Install it with `apt-get install janus` "
            "on Debian/Ubuntu, or run Janus elsewhere and point Teahouse at its WebSocket "
            "API with TEAHOUSE_JANUS_URL=ws://HOST:8188 (plus "
            "TEAHOUSE_JANUS_API_SECRET_FILE when it has an api_secret)."
        )
        self.binary = binary


class JanusStartError(RuntimeError):
    """Janus was started but did not answer; the message carries its log tail."""


@dataclass(frozen=True, slots=True)
class JanusEndpoint:
    """Where a Janus API answers and the secret it wants."""

    url: str
    api_secret: str | None


def free_loopback_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tail(path: Path, lines: int = 30) -> str:
    """The last ``lines`` lines of a text file, or an empty string."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 16384))
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def leftover_janus(folder: Path) -> int | None:
    """The PID in ``folder``'s pid file if that process is a Janus on ``folder``."""
    try:
        pid = int((folder / PID_FILE).read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return None
    wanted = f"--configs-folder={folder.resolve()}".encode()
    return pid if wanted in cmdline else None


class ManagedJanus:
    """A local Janus process: configured per start, supervised, restarted on death."""

    def __init__(
        self,
        settings: Settings,
        *,
        start_timeout: float = 15.0,
        stop_timeout: float = 5.0,
        max_backoff: float = 30.0,
    ) -> None:
        self._settings = settings
        self.folder = settings.data_dir / "janus"
        self._start_timeout = start_timeout
        self._stop_timeout = stop_timeout
        self._max_backoff = max_backoff
        self._process: asyncio.subprocess.Process | None = None
        self._endpoint: JanusEndpoint | None = None
        self._ready = asyncio.Event()
        self._closing = False
        self._supervisor: asyncio.Task[None] | None = None
        self._on_state: ProcessStateHandler | None = None

    def set_state_handler(self, handler: ProcessStateHandler) -> None:
        """Register the coroutine told about ``"down"`` and ``"restarted"``."""
        self._on_state = handler

    @property
    def pid(self) -> int | None:
        """The running Janus process ID (tests kill it to check recovery)."""
        return self._process.pid if self._process is not None else None

    async def start(self) -> None:
        """Start Janus and return once its API answers; then supervise it."""
        if self._supervisor is not None:
            raise RuntimeError("ManagedJanus already started")
        if shutil.which(self._settings.janus_binary) is None:
            raise JanusNotInstalled(self._settings.janus_binary)
        await self._reap_leftover()
        await self._spawn_until_ready()
        self._supervisor = asyncio.create_task(self._supervise(), name="janus-supervisor")

    async def endpoint(self) -> JanusEndpoint:
        """The current endpoint; waits while Janus is being restarted."""
        while True:
            if self._closing:
                raise RuntimeError("ManagedJanus is closed")
            await self._ready.wait()
            if self._endpoint is not None and self._ready.is_set():
                return self._endpoint

    async def close(self) -> None:
        """Stop supervising, then SIGTERM Janus and SIGKILL it if it lingers."""
        self._closing = True
        self._ready.set()  # wake endpoint() waiters so they see the close
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
        await self._stop_process()
        (self.folder / PID_FILE).unlink(missing_ok=True)

    async def _spawn_until_ready(self) -> None:
        # A port found free can be taken before Janus binds it: try a few ports.
        for attempt in range(3):
            try:
                await self._spawn()
                await self._wait_answering()
                return
            except JanusStartError:
                await self._stop_process()
                if attempt == 2:
                    raise
                logger.warning("Janus did not come up; trying again on another port")

    async def _spawn(self) -> None:
        # The configuration holds the api_secret: owner-only, like the data dir.
        private_dir(self.folder).chmod(PRIVATE_DIR_MODE)
        secret = secrets.token_urlsafe(32)
        port = free_loopback_port()
        params = JanusConfigParams(
            configs_folder=self.folder.resolve(),
            log_file=(self.folder / LOG_FILE).resolve(),
            api_secret=secret,
            ws_port=port,
            debug_level=self._settings.janus_debug_level,
            event_loops=self._settings.janus_event_loops,
            rtp_port_range=self._settings.janus_rtp_ports,
            ice_enforce_list=self._settings.janus_ice_enforce_list,
            nat_1_1_mapping=self._settings.janus_nat_1_1_mapping,
        )
        for name, text in render_janus_configs(params).items():
            path = self.folder / name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
            with os.fdopen(fd, "w") as handle:
                handle.write(text)
        console: IO[bytes] = (self.folder / CONSOLE_FILE).open("ab")
        try:
            self._process = await asyncio.create_subprocess_exec(
                self._settings.janus_binary,
                f"--configs-folder={params.configs_folder}",
                stdin=asyncio.subprocess.DEVNULL,
                stdout=console,
                stderr=asyncio.subprocess.STDOUT,
                # Its own session: a Ctrl-C in the terminal reaches the app, which stops
                # Janus in order, instead of killing Janus under a live app.
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        except FileNotFoundError as exc:
            raise JanusNotInstalled(self._settings.janus_binary) from exc
        finally:
            console.close()
        self._endpoint = JanusEndpoint(url=f"ws://127.0.0.1:{port}", api_secret=secret)
        (self.folder / PID_FILE).write_text(f"{self._process.pid}\n")
        logger.info("started Janus (pid %s) on 127.0.0.1:%s", self._process.pid, port)

    async def _reap_leftover(self) -> None:
        """Stop a Janus an earlier, killed app left running on this data dir.

        Only a process whose command line names this very configuration folder is
        touched, so a reused PID is safe.
        """
        pid = leftover_janus(self.folder)
        if pid is None:
            return
        logger.warning("stopping a leftover Janus (pid %s) from an earlier run", pid)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
            for _ in range(int(self._stop_timeout * 10)):
                await asyncio.sleep(0.1)
                os.kill(pid, 0)
            os.kill(pid, signal.SIGKILL)

    async def _wait_answering(self) -> None:
        assert self._process is not None
        assert self._endpoint is not None
        deadline = asyncio.get_running_loop().time() + self._start_timeout
        last_error: Exception | None = None
        while asyncio.get_running_loop().time() < deadline:
            if self._process.returncode is not None:
                raise JanusStartError(
                    f"Janus exited with status {self._process.returncode} while starting. "
                    + self._log_tail()
                )
            try:
                client = await JanusClient.connect(
                    self._endpoint.url, api_secret=self._endpoint.api_secret, request_timeout=2.0
                )
                try:
                    info = await client.info()
                finally:
                    await client.close()
            except JanusClientError as exc:
                last_error = exc
                await asyncio.sleep(0.1)
                continue
            self._warn_about_extras(info)
            self._ready.set()
            return
        raise JanusStartError(
            f"Janus did not answer on {self._endpoint.url} within {self._start_timeout:.0f} s "
            f"(last error: {last_error}). " + self._log_tail()
        )

    def _warn_about_extras(self, info: dict[str, object]) -> None:
        # Another Janus build may ship plugins or transports the disable lists miss.
        for key, wanted in (
            ("plugins", "janus.plugin.videoroom"),
            ("transports", "janus.transport.websockets"),
        ):
            loaded = info.get(key)
            extra = sorted(n for n in loaded if n != wanted) if isinstance(loaded, dict) else []
            if extra:
                logger.warning("managed Janus loaded unexpected %s: %s", key, extra)

    def _log_tail(self) -> str:
        log = tail(self.folder / LOG_FILE) or tail(self.folder / CONSOLE_FILE)
        where = self.folder / LOG_FILE
        return f"Last lines of {where}:\n{log}" if log else f"No log output in {where}."

    async def _supervise(self) -> None:
        backoff = MIN_BACKOFF
        while not self._closing:
            process = self._process
            assert process is not None
            started = asyncio.get_running_loop().time()
            status = await process.wait()
            if self._closing:
                return
            if asyncio.get_running_loop().time() - started > STABLE_UPTIME:
                backoff = MIN_BACKOFF  # a crash now and then, not a crash loop
            self._ready.clear()
            logger.error(
                "Janus (pid %s) died with status %s. %s", process.pid, status, self._log_tail()
            )
            await self._report("down")
            while not self._closing:
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)
                try:
                    await self._spawn_until_ready()
                except (JanusStartError, JanusNotInstalled, OSError) as exc:
                    logger.error("restarting Janus failed: %s", exc)
                    continue
                logger.info("Janus restarted (pid %s)", self.pid)
                await self._report("restarted")
                break

    async def _report(self, state: ProcessState) -> None:
        if self._on_state is None:
            return
        try:
            await self._on_state(state)
        except Exception:
            logger.exception("Janus state handler failed on %r", state)

    async def _stop_process(self) -> None:
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            async with asyncio.timeout(self._stop_timeout):
                await process.wait()
        except TimeoutError:
            logger.warning("Janus ignored SIGTERM for %s s; killing it", self._stop_timeout)
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
