"""create_app(settings): wiring and lifespan only.

May import: any package.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI

from teahouse import __version__
from teahouse.api.deadlines import BodyDeadline, deadline_protocol
from teahouse.api.errors import install_error_handlers
from teahouse.api.guards import Guards, response_headers
from teahouse.api.instrumentation import Instrumentation
from teahouse.api.openapi import TITLE, install_openapi
from teahouse.api.replica import ReplicaHeader
from teahouse.api.routers import ROUTERS, include_routers
from teahouse.api.web import mount_web_client
from teahouse.config import Settings
from teahouse.media.base import MediaBackend
from teahouse.ops.listener import MetricsApp, MetricsListener
from teahouse.ops.metrics import Exposition, InstanceCollector
from teahouse.services import Services, build_services

log = logging.getLogger(__name__)


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How uvicorn serves the app, for `teahouse serve` and the tests alike."""
    return {
        "host": settings.host,
        "port": settings.port,
        # No access log, and uvicorn's own logger only from warnings up: both would
        # write members' IP addresses to the log.
        "access_log": False,
        "log_level": "warning",
        # uvicorn would otherwise take X-Forwarded-For from any loopback peer as
        # the client's address, so behind a proxy that passes the header on every
        # client could name its own. The app reads it only from the proxies the
        # operator trusts (trusted_proxies, api/context.py's address_of).
        "proxy_headers": False,
        # uvicorn's own lines go through the process's handlers (text or JSON, with
        # the request id) instead of a logging configuration of its own.
        "log_config": None,
        # uvicorn's own protocol for httptools, with a deadline for each request's
        # headers (api/deadlines.py: uvicorn has none of its own).
        "http": deadline_protocol(settings.header_timeout),
        "ws_max_size": settings.ws_transport_max_bytes,
        # permessage-deflate compresses each member's copy of a broadcast separately:
        # a third of the server's CPU in a large room, for small JSON messages.
        "ws_per_message_deflate": False,
    }


class Server(uvicorn.Server):
    """uvicorn's server, which on SIGTERM first tells the clients: it stops taking
    connections, closes every socket with 1012 (reconnect) and saves the live rooms,
    which come back with the next process; then uvicorn shuts down as usual (it would
    otherwise close the sockets before the app hears of the shutdown, and an action
    taken meanwhile could miss the last save)."""

    def __init__(self, app: FastAPI, settings: Settings, **options: Any) -> None:
        super().__init__(uvicorn.Config(app, **{**uvicorn_options(settings), **options}))
        self._app = app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        services: Services | None = getattr(self._app.state, "services", None)
        if services is not None and not self.force_exit:
            for server in self.servers:
                server.close()
            await services.drain()
        await super().shutdown(sockets)


def create_app(settings: Settings, media: MediaBackend | None = None) -> FastAPI:
    """The ASGI app. ``media`` replaces Janus in tests of the layers above it."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = build_services(settings, media)
        await services.start()
        app.state.services = services
        listener = metrics_listener(settings, services)
        try:
            if listener is not None:
                await listener.start()
            yield
        finally:
            if listener is not None:
                await listener.close()
            await services.close()

    app = FastAPI(
        title=TITLE, version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    headers = response_headers(settings.served_over_https)
    install_error_handlers(app, headers)
    include_routers(app)
    mount_web_client(app)
    install_openapi(app)
    # Inside the Guards, so that a 408 carries the security headers like any answer.
    app.add_middleware(BodyDeadline, seconds=settings.body_timeout)
    app.add_middleware(Guards, allowed_origins=settings.allowed_origins, headers=headers)
    # Outermost: it times the Guards' refusals too.
    app.add_middleware(Instrumentation, routes=[r for router in ROUTERS for r in router.routes])
    if settings.redis_url:
        app.add_middleware(ReplicaHeader)
    return app


def metrics_listener(settings: Settings, services: Services) -> MetricsListener | None:
    """The Prometheus listener of docs/OPERATIONS.md, if ``metrics_port`` is set."""
    if settings.metrics_port is None:
        return None
    exposition = Exposition(InstanceCollector(services.figures))
    app = MetricsApp(exposition, before_scrape=services.health.check)
    return MetricsListener(app, settings.metrics_host, settings.metrics_port)
