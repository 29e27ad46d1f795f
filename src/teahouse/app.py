"""create_app(settings): wiring and lifespan only."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from teahouse import __version__
from teahouse.accounts.accounts import Accounts
from teahouse.accounts.passwords import Passwords
from teahouse.accounts.privacy import Privacy
from teahouse.admin.audit import AuditLog
from teahouse.admin.invites import InviteAdmin
from teahouse.admin.members import Admin
from teahouse.admin.reports import Reports
from teahouse.admin.suspensions import Ejector, SuspensionWatch
from teahouse.api import (
    admin,
    calendar,
    clubs,
    events,
    hallway,
    http,
    reports,
    social,
    ws,
)
from teahouse.api.context import Services
from teahouse.api.errors import install_error_handlers
from teahouse.api.guards import Guards
from teahouse.api.web import mount_web_client
from teahouse.clubs.calendar import Calendar
from teahouse.clubs.clubs import Clubs
from teahouse.clubs.events import Events
from teahouse.config import Settings
from teahouse.demo import rooms as demo_rooms
from teahouse.hallway.hallway import Hallway
from teahouse.hallway.signal import HallwaySignal, hallway_shape
from teahouse.live.stage import Stage
from teahouse.media.base import MediaBackend
from teahouse.notifications.inbox import Inbox
from teahouse.notifications.notifier import Notifications
from teahouse.notifications.push import NotificationPusher
from teahouse.realtime.presence import Presence
from teahouse.rooms.rooms import Rooms
from teahouse.social.graph import Social
from teahouse.social.pings import Pings
from teahouse.social.profiles import Profiles
from teahouse.social.search import Search
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
        # `teahouse admin suspend` runs in another process: see admin/suspensions.py.
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
    app.include_router(hallway.router)
    app.include_router(social.router)
    app.include_router(ws.router)
    app.include_router(clubs.router)
    app.include_router(events.router)
    app.include_router(calendar.router)
    app.include_router(admin.router)
    app.include_router(reports.router)
    # Before the web client: its catch-all route would answer /calendar/... with the app.
    app.include_router(calendar.feeds)
    mount_web_client(app)
    app.add_middleware(Guards, allowed_origins=settings.allowed_origins)
    return app
