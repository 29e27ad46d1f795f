"""create_app(settings): wiring and lifespan only."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from teahouse import __version__
from teahouse.api import (
    admin_http,
    calendar_http,
    clubs_http,
    events_http,
    hallway_http,
    http,
    reports_http,
    social_http,
    ws,
)
from teahouse.api.context import Services
from teahouse.api.errors import install_error_handlers
from teahouse.api.guards import Guards
from teahouse.api.web import mount_web_client
from teahouse.config import Settings
from teahouse.media.base import MediaBackend
from teahouse.realtime.hallway_signal import HallwaySignal, hallway_shape
from teahouse.realtime.live_notifications import NotificationPusher
from teahouse.realtime.presence import Presence
from teahouse.realtime.suspensions import Ejector, SuspensionWatch
from teahouse.services import demo_rooms
from teahouse.services.accounts import Accounts
from teahouse.services.admin import Admin
from teahouse.services.audit import AuditLog
from teahouse.services.calendar import Calendar
from teahouse.services.clubs import Clubs
from teahouse.services.events import Events
from teahouse.services.hallway import Hallway
from teahouse.services.inbox import Inbox
from teahouse.services.invite_admin import InviteAdmin
from teahouse.services.notifications import Notifications
from teahouse.services.passwords import Passwords
from teahouse.services.pings import Pings
from teahouse.services.privacy import Privacy
from teahouse.services.profiles import Profiles
from teahouse.services.reports import Reports
from teahouse.services.rooms import Rooms
from teahouse.services.search import Search
from teahouse.services.social import Social
from teahouse.services.stage import Stage
from teahouse.store.database import Database

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
        "ws_max_size": settings.ws_transport_max_bytes,
        # permessage-deflate compresses each member's copy of a broadcast separately:
        # a third of the server's CPU in a large room, for small JSON messages.
        "ws_per_message_deflate": False,
    }


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
        audit = AuditLog(db)
        ended = await rooms.end_all_live()
        if ended:
            log.info("ended %d rooms left live by the previous run", ended)
        stage = Stage(rooms, backend, audience_interval=settings.audience_interval, audit=audit)
        await backend.start()
        await demo_rooms.reopen(db, stage)  # `teahouse demo seed`'s rooms, if any
        passwords = Passwords(settings)
        accounts = Accounts(db, settings, passwords)
        notifications = Notifications(db)
        clubs = Clubs(db, notifications)
        events = Events(db, settings, clubs, rooms, stage, notifications)
        calendar = Calendar(db, settings, events)
        presence, inbox = Presence(), Inbox(db)
        pusher = NotificationPusher(presence, inbox)
        notifications.on_new(pusher.push)
        signal = HallwaySignal(presence, lambda: hallway_shape(stage))
        stage.on_rooms_changed(signal.poke)
        hallway = Hallway(db, rooms, stage, settings.public_url)
        pings = Pings(db, rooms, stage, notifications)
        social = Social(db, notifications, on_block_changed=stage.block_changed)
        ejector = Ejector(presence, stage)

        async def end_live_room(room_id: str, reason: str) -> bool:
            if stage.live(room_id) is None:
                return False
            await stage.end_room(room_id, reason)
            return True

        admin = Admin(db, audit, eject=ejector.eject, end_room=end_live_room)
        # `teahouse admin suspend` runs in another process: see realtime/suspensions.py.
        watch = SuspensionWatch(admin.suspended_since, ejector.eject)
        watch.start()
        app.state.services = Services(
            settings=settings,
            db=db,
            accounts=accounts,
            rooms=rooms,
            stage=stage,
            media=backend,
            notifications=notifications,
            clubs=clubs,
            events=events,
            calendar=calendar,
            presence=presence,
            hallway=hallway,
            inbox=inbox,
            pings=pings,
            profiles=Profiles(db),
            social=social,
            search=Search(db, social, rooms, stage),
            privacy=Privacy(db, passwords, stage),
            audit=audit,
            admin=admin,
            invite_admin=InviteAdmin(db, audit),
            reports=Reports(db, rooms, audit, stage),
        )
        try:
            yield
        finally:
            await watch.close()
            await stage.close()
            signal.close()
            await pusher.close()
            await backend.close()
            await db.close()

    app = FastAPI(
        title="Teahouse", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    install_error_handlers(app)
    app.include_router(http.router)
    app.include_router(hallway_http.router)
    app.include_router(social_http.router)
    app.include_router(ws.router)
    app.include_router(clubs_http.router)
    app.include_router(events_http.router)
    app.include_router(calendar_http.router)
    app.include_router(admin_http.router)
    app.include_router(reports_http.router)
    # Before the web client: its catch-all route would answer /calendar/... with the app.
    app.include_router(calendar_http.feeds)
    mount_web_client(app)
    app.add_middleware(Guards, allowed_origins=settings.allowed_origins)
    return app
