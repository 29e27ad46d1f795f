"""The metrics listener: ``GET /metrics`` in Prometheus's text format, on an address
and port of its own, never the public one (``metrics_host``, ``metrics_port``).

It is a second, small uvicorn server on the serving process's event loop, started
and stopped by the app's lifespan. Being on the same loop, a scrape reads the live
rooms and sockets between two of the loop's steps, never while they change; being
on its own socket, a reverse proxy that forwards the public port can never expose
it. Before each scrape the health checks run (or a result under a second old is
reused), so ``teahouse_dependency_up`` is as fresh as the scrape.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Awaitable, Callable, Iterator

import uvicorn
from prometheus_client import make_asgi_app
from prometheus_client.registry import Collector
from starlette.types import Receive, Scope, Send


class MetricsApp:
    """The listener's ASGI app: ``/metrics`` (GET or HEAD), 404 for anything else."""

    def __init__(self, exposition: Collector, before_scrape: Callable[[], Awaitable[object]]):
        self._metrics = make_asgi_app(exposition)
        self._before_scrape = before_scrape

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # lifespan is off and WebSockets are refused by the server
        if scope["path"] != "/metrics" or scope["method"] not in ("GET", "HEAD"):
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await self._before_scrape()
        await self._metrics(scope, receive, send)


class _Server(uvicorn.Server):
    """A uvicorn server that leaves signals to the process's main server: it is
    stopped by the lifespan, and a SIGTERM must reach the server that owns that."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class MetricsListener:
    """Serves :class:`MetricsApp` on ``host``:``port`` until :meth:`close`."""

    def __init__(self, app: MetricsApp, host: str, port: int) -> None:
        self._app = app
        self.host, self.port = host, port
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Bind and serve; a port that cannot be bound is an error naming it."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError as exc:
            sock.close()
            raise OSError(
                exc.errno, f"the metrics listener cannot bind {self.host}:{self.port}: {exc}"
            ) from exc
        config = uvicorn.Config(
            self._app,
            lifespan="off",
            ws="none",
            access_log=False,
            log_level="warning",
            log_config=None,
        )
        self._server = server = _Server(config)
        self._task = asyncio.create_task(server.serve(sockets=[sock]), name="metrics-listener")
        while not server.started:
            if self._task.done():
                self._task.result()
                raise RuntimeError("the metrics listener stopped while starting")
            await asyncio.sleep(0.01)

    async def close(self) -> None:
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        await self._task
