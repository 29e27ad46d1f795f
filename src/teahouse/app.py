"""create_app(settings): wiring and lifespan only."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from teahouse import __version__
from teahouse.api import http, social_http, ws
from teahouse.api.context import Services
from teahouse.api.errors import install_error_handlers
from teahouse.api.guards import Guards
from teahouse.api.web import mount_web_client
from teahouse.config import Settings
from teahouse.media.base import MediaBackend
from teahouse.services.accounts import Accounts
from teahouse.services.notifications import Notifications
from teahouse.services.passwords import Passwords
from teahouse.services.privacy import Privacy
from teahouse.services.profiles import Profiles
from teahouse.services.rooms import Rooms
from teahouse.services.search import Search
from teahouse.services.social import Social
from teahouse.services.stage import Stage
from teahouse.store.database import Database

log = logging.getLogger(__name__)


def create_app(settings: Settings, media: MediaBackend | None = None) -> FastAPI:
    """The ASGI app. ``media`` replaces Janus in tests of the layers above it."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.resolved_database_url)
        await db.upgrade()
        backend = media
        if backend is None:
            from teahouse.media.videoroom import create_media_backend

            backend = create_media_backend(settings)
        rooms = Rooms(db)
        ended = await rooms.end_all_live()
        if ended:
            log.info("ended %d rooms left live by the previous run", ended)
        stage = Stage(rooms, backend)
        await backend.start()
        passwords = Passwords(settings)
        accounts = Accounts(db, settings, passwords)
        notifications = Notifications(db)
        social = Social(db, notifications)
        app.state.services = Services(
            settings,
            db,
            accounts,
            rooms,
            stage,
            backend,
            notifications,
            profiles=Profiles(db),
            social=social,
            search=Search(db, social, rooms, stage),
            privacy=Privacy(db, passwords, stage),
        )
        try:
            yield
        finally:
            await stage.close()
            await backend.close()
            await db.close()

    app = FastAPI(
        title="Teahouse", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    install_error_handlers(app)
    app.include_router(http.router)
    app.include_router(social_http.router)
    app.include_router(ws.router)
    mount_web_client(app)
    app.add_middleware(Guards, allowed_origins=settings.allowed_origins)
    return app
