"""The object graph of one instance: :func:`build_services` makes it, once.

The server's lifespan (``app.py``) and every command of ``teahouse`` (``cli/``)
build the same graph; they differ only in what they start. Building does no I/O:
the database is opened on first use and the media server is started only by
:meth:`Services.start`, which ``teahouse serve`` calls and a command line tool
never does (live rooms exist only in the serving process; a command that changes
something they depend on, a suspension say, reaches them through the database).

May import: any package but the edges (api, cli).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from teahouse.accounts.accounts import Accounts
from teahouse.accounts.attempts import FailedAttempts
from teahouse.accounts.passwords import Passwords
from teahouse.accounts.privacy import Privacy
from teahouse.admin.audit import AuditLog
from teahouse.admin.invites import InviteAdmin
from teahouse.admin.members import Admin
from teahouse.admin.reports import Reports
from teahouse.admin.suspensions import Ejector, SuspensionWatch
from teahouse.clubs.calendar import Calendar
from teahouse.clubs.clubs import Clubs
from teahouse.clubs.events import Events
from teahouse.config import Settings
from teahouse.demo import rooms as demo_rooms
from teahouse.hallway.hallway import Hallway
from teahouse.hallway.signal import HallwaySignal, hallway_shape
from teahouse.live.departures import Departures
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


@dataclass(frozen=True, slots=True)
class Services:
    """Every service of one instance, wired to each other."""

    settings: Settings
    db: Database
    media: MediaBackend
    passwords: Passwords
    accounts: Accounts
    rooms: Rooms
    stage: Stage
    presence: Presence
    notifications: Notifications
    inbox: Inbox
    clubs: Clubs
    events: Events
    calendar: Calendar
    hallway: Hallway
    pings: Pings
    profiles: Profiles
    social: Social
    search: Search
    privacy: Privacy
    audit: AuditLog
    admin: Admin
    invite_admin: InviteAdmin
    reports: Reports
    # Parts that only run while serving; start() starts them, close() stops them.
    pusher: NotificationPusher
    hallway_signal: HallwaySignal
    suspension_watch: SuspensionWatch
    attempts: FailedAttempts = field(default_factory=FailedAttempts)

    async def start(self) -> None:
        """Serve: migrate, end what the last run left live, start the media server,
        re-open the demo rooms, and watch for suspensions made by other processes."""
        await self.db.upgrade()
        ended = await self.rooms.end_all_live()
        if ended:
            log.info("ended %d rooms left live by the previous run", ended)
        await self.media.start()
        await demo_rooms.reopen(self.db, self.stage)  # `teahouse demo seed`'s rooms, if any
        self.suspension_watch.start()

    async def close(self) -> None:
        """Stop what :meth:`start` started, then the database."""
        await self.suspension_watch.close()
        await self.stage.close()
        self.hallway_signal.close()
        await self.pusher.close()
        await self.media.close()
        await self.db.close()


def build_services(settings: Settings, media: MediaBackend | None = None) -> Services:
    """The instance's services. ``media`` replaces Janus in tests of the layers above
    it; by default it is the configured Janus (managed or external), not yet started."""
    if media is None:
        from teahouse.media.videoroom import create_media_backend

        media = create_media_backend(settings)
    db = Database(settings.resolved_database_url)
    passwords = Passwords(settings)
    rooms = Rooms(db)
    audit = AuditLog(db)
    stage = Stage(rooms, media, audience_interval=settings.audience_interval, audit=audit)
    presence, inbox = Presence(), Inbox(db)
    notifications = Notifications(db)
    pusher = NotificationPusher(presence, inbox)
    notifications.on_new(pusher.push)
    hallway_signal = HallwaySignal(presence, lambda: hallway_shape(stage))
    stage.on_rooms_changed(hallway_signal.poke)
    clubs = Clubs(db, notifications)
    events = Events(db, settings, clubs, rooms, stage, notifications)
    social = Social(db, notifications, on_block_changed=stage.block_changed)
    departures = Departures(presence, stage)
    ejector = Ejector(departures)
    admin = Admin(db, audit, eject=ejector.eject, end_room=stage.end_if_live)
    return Services(
        settings=settings,
        db=db,
        media=media,
        passwords=passwords,
        accounts=Accounts(db, settings, passwords, departures),
        rooms=rooms,
        stage=stage,
        presence=presence,
        notifications=notifications,
        inbox=inbox,
        clubs=clubs,
        events=events,
        calendar=Calendar(db, settings, events),
        hallway=Hallway(db, rooms, stage, settings.public_url),
        pings=Pings(db, rooms, stage, notifications),
        profiles=Profiles(db),
        social=social,
        search=Search(db, social, rooms, stage),
        privacy=Privacy(db, passwords, stage, departures),
        audit=audit,
        admin=admin,
        invite_admin=InviteAdmin(db, audit),
        reports=Reports(db, rooms, audit, stage),
        pusher=pusher,
        hallway_signal=hallway_signal,
        # `teahouse admin suspend` runs in another process: see admin/suspensions.py.
        suspension_watch=SuspensionWatch(admin.suspended_since, ejector.eject),
    )
