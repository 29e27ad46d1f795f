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

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from teahouse.accounts.accounts import Accounts
from teahouse.accounts.attempts import Attempts, FailedAttempts
from teahouse.accounts.passkeys import Passkeys
from teahouse.accounts.password_change import PasswordChanges
from teahouse.accounts.password_check import PasswordCheck
from teahouse.accounts.passwords import Passwords
from teahouse.accounts.privacy import Privacy
from teahouse.accounts.relying_party import RelyingParty
from teahouse.admin.audit import AuditLog
from teahouse.admin.invites import InviteAdmin
from teahouse.admin.members import Admin
from teahouse.admin.reports import Reports
from teahouse.admin.suspensions import Ejector, SuspensionWatch
from teahouse.bus.base import Bus
from teahouse.bus.local import LocalBus
from teahouse.clubs.calendar import Calendar
from teahouse.clubs.clubs import Clubs
from teahouse.clubs.events import Events
from teahouse.clubs.join_requests import JoinRequests
from teahouse.config import Settings
from teahouse.cursor_seal import CursorSeal
from teahouse.data_dir import cursor_key, limits_key
from teahouse.demo import rooms as demo_rooms
from teahouse.errors import CloseCode
from teahouse.hallway.hallway import Hallway
from teahouse.hallway.signal import HallwaySignal, hallway_shape
from teahouse.live.departures import Departures
from teahouse.live.ownership import Ownership, RedisLeases, SingleProcess
from teahouse.live.stage import Stage
from teahouse.media.base import MediaBackend
from teahouse.media.turn import TurnCredentials
from teahouse.notifications.inbox import Inbox
from teahouse.notifications.notifier import Notifications
from teahouse.notifications.push import NotificationPusher
from teahouse.ops.health import Health
from teahouse.ops.metrics import InstanceFigures
from teahouse.realtime.limits import Limit, MemberBucket, MemberBudgets
from teahouse.realtime.presence import Presence
from teahouse.replicas.room_calls import RoomCalls
from teahouse.replicas.room_router import RoomRouter
from teahouse.rooms.rooms import Rooms
from teahouse.rooms.saved import SavedRooms
from teahouse.social.avatar_worker import AvatarDecoder
from teahouse.social.graph import Social
from teahouse.social.pings import Pings
from teahouse.social.profiles import Profiles
from teahouse.social.search import Search
from teahouse.store.database import Database

log = logging.getLogger(__name__)

# How long a stopping server waits for its clients to take their last messages.
DRAIN_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Services:
    """Every service of one instance, wired to each other."""

    settings: Settings
    db: Database
    # Between the processes of the instance: in memory, or Redis for replicas.
    bus: Bus
    media: MediaBackend
    passwords: Passwords
    accounts: Accounts
    password_changes: PasswordChanges
    passkeys: Passkeys
    rooms: Rooms
    stage: Stage
    # Room messages from sockets, to their room's owner (this process or a replica).
    router: RoomRouter
    presence: Presence
    message_budgets: MemberBudgets
    notifications: Notifications
    inbox: Inbox
    clubs: Clubs
    join_requests: JoinRequests
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
    # The TURN credentials browsers fetch before each peer connection.
    turn: TurnCredentials
    # Parts that only run while serving; start() starts them, close() stops them.
    pusher: NotificationPusher
    hallway_signal: HallwaySignal
    suspension_watch: SuspensionWatch
    # The password limits (log-in, account deletion): in this process's memory, or
    # in Redis for replicas.
    attempts: Attempts
    # Whether the database and the media server answer (/readyz, the metrics).
    health: Health
    # Seals every cursor that leaves the server (cursor_seal.py).
    cursors: CursorSeal

    async def start(self) -> None:
        """Serve: migrate, start the media server, bring back the rooms the last run
        saved (and end those it left live unsaved), re-open the demo rooms, save the
        live rooms as they change, and watch for suspensions made by other processes."""
        self.cursors.ready()
        await self.bus.start()
        await self.presence.start()  # before any socket: the other replicas' commands
        if self.settings.redis_url:
            # Which replica answered: X-Teahouse-Replica (api/replica.py) says the same.
            log.info("replica %s of the instance", self.bus.replica)
        await self.attempts.start()
        await self.db.upgrade()
        await self.media.start()
        restored = await self.stage.restore_saved()
        # Real rooms only: demo rooms re-open below. With replicas, a room live and not
        # here is another replica's.
        ended = 0 if self.settings.redis_url else await self.rooms.end_all_live(but=restored)
        if restored:
            log.info("%d live rooms came back", len(restored))
        if ended:  # left live with no saved state: nothing to bring back
            log.info(
                "ended %d %s left live by the previous run",
                ended,
                "room" if ended == 1 else "rooms",
            )
        await demo_rooms.reopen(self.db, self.stage)  # `teahouse demo seed`'s rooms, if any
        self.stage.keeper.start()
        await self.router.start()
        self.suspension_watch.start()

    def figures(self) -> InstanceFigures:
        """What this instance is doing now, for the metrics (cheap: no room's audience
        is walked, only counted)."""
        # This process's rooms: with replicas each reports the rooms it owns.
        rooms = [
            room
            for rid in self.stage.live_room_ids()
            if self.stage.owns(rid) and (room := self.stage.live(rid))
        ]
        last = self.health.last
        return InstanceFigures(
            live_rooms=len(rooms),
            members_connected=self.presence.member_count(),
            sockets_open=self.presence.socket_count(),
            on_stage=sum(len(room.state.on_stage()) for room in rooms),
            in_audience=sum(room.state.listener_count for room in rooms),
            listener_streams=self.media.listener_streams(),
            dependencies={
                name: (outcome.up, outcome.seconds) for name, outcome in last.outcomes.items()
            }
            if last
            else {},
        )

    async def drain(self) -> None:
        """The server is stopping, its sockets still open: every socket closes with
        1012 (reconnect: the rooms stay live), then every live room is saved one last
        time, to come back with the next process. Waits at most ``DRAIN_SECONDS`` for
        the sockets to close (docs/PROTOCOL.md, "Close codes")."""
        self.hallway_signal.close()  # members reconnect and read the hallway afresh
        if self.settings.redis_url:
            # Replicas: every `ok` was saved already, so the rooms go first, for the
            # others to take at once rather than relay to a replica on its way out.
            await self.stage.close()
        # With one process, sockets first: while one is open it may still act, and its
        # action must be in the last save.
        if self.presence.finish_all(CloseCode.SERVER_RESTART):
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(DRAIN_SECONDS):
                    while self.presence.socket_count():  # noqa: ASYNC110 (each leaves itself)
                        await asyncio.sleep(0.02)
        await self.stage.close()

    async def close(self) -> None:
        """Stop what :meth:`start` started, then the database."""
        await self.suspension_watch.close()
        await self.router.close()
        await self.stage.close()
        self.hallway_signal.close()
        await self.pusher.close()
        await self.presence.close()  # its last commands, before the bus goes
        await self.media.close()
        await self.bus.close()
        await self.db.close()


def new_bus(settings: Settings) -> Bus:
    """Redis when the instance has several replicas, else memory."""
    if settings.redis_url:
        from teahouse.bus.redis_bus import RedisBus

        return RedisBus(settings.redis_url, settings.redis_prefix)
    return LocalBus()


def new_ownership(bus: Bus) -> Ownership:
    """Leases in Redis when replicas share the rooms, else this process owns them all."""
    if isinstance(bus, LocalBus):
        return SingleProcess(bus.replica)
    from teahouse.bus.redis_bus import RedisBus

    assert isinstance(bus, RedisBus)
    return RedisLeases(bus.redis, bus.key, bus.replica)


def new_attempts(settings: Settings, bus: Bus) -> Attempts:
    """The password limits: shared in Redis when the instance has several replicas
    (over the bus's own client), else in this process's memory."""
    if settings.redis_url:
        from teahouse.accounts.shared_attempts import SharedAttempts
        from teahouse.bus.redis_bus import RedisBus

        assert isinstance(bus, RedisBus)
        return SharedAttempts(bus.redis, bus.key, lambda: limits_key(settings.data_dir))
    return FailedAttempts()


def build_services(settings: Settings, media: MediaBackend | None = None) -> Services:
    """The instance's services. ``media`` replaces Janus in tests of the layers above
    it; by default it is the configured Janus (managed or external), not yet started."""
    if media is None:
        from teahouse.media.videoroom import create_media_backend

        media = create_media_backend(settings)
    db = Database(settings.resolved_database_url)
    bus = new_bus(settings)
    ownership = new_ownership(bus)
    cursors = CursorSeal(lambda: cursor_key(settings.data_dir))
    passwords = Passwords(settings)
    attempts = new_attempts(settings, bus)
    checks = PasswordCheck(passwords, attempts)
    rooms = Rooms(db)
    audit = AuditLog(db)
    stage = Stage(
        rooms,
        media,
        reconnect_grace=settings.reconnect_grace,
        audience_interval=settings.audience_interval,
        audit=audit,
        saved=SavedRooms(db),
        ownership=ownership,
        delivery_budget=settings.room_delivery_budget,
        send_queue=settings.ws_send_queue,
    )
    # Members' sockets on other replicas are reached over the bus; one process has
    # nobody else to tell.
    presence, inbox = Presence(bus if settings.redis_url else None), Inbox(db)
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
    router = RoomRouter(RoomCalls(stage, rooms, cursors), bus, ownership)
    admin = Admin(db, audit, eject=ejector.eject, end_room=router.end_if_live)
    return Services(
        settings=settings,
        db=db,
        bus=bus,
        media=media,
        passwords=passwords,
        accounts=Accounts(db, settings, passwords, checks, departures),
        password_changes=PasswordChanges(
            db, settings, passwords, checks, attempts, audit, departures
        ),
        passkeys=Passkeys(db, checks, RelyingParty(settings.public_url)),
        rooms=rooms,
        stage=stage,
        router=router,
        presence=presence,
        message_budgets=MemberBudgets.scaled(settings.ws_rate_scale),
        notifications=notifications,
        inbox=inbox,
        clubs=clubs,
        join_requests=JoinRequests(db, settings, notifications),
        events=events,
        calendar=Calendar(db, settings, events),
        hallway=Hallway(db, rooms, stage, settings.public_url),
        pings=Pings(db, rooms, stage, notifications),
        profiles=Profiles(
            db,
            AvatarDecoder(settings.avatar_memory_mib, settings.avatar_decode_timeout),
            MemberBucket(
                Limit(settings.avatar_uploads_per_hour, settings.avatar_uploads_per_hour / 3600)
            ),
        ),
        social=social,
        search=Search(db, social, rooms, stage),
        privacy=Privacy(db, checks, stage, departures),
        audit=audit,
        admin=admin,
        invite_admin=InviteAdmin(db, audit),
        reports=Reports(db, rooms, audit, stage, notifications),
        turn=TurnCredentials.from_settings(settings),
        pusher=pusher,
        hallway_signal=hallway_signal,
        # `teahouse admin suspend` runs in another process: see admin/suspensions.py.
        suspension_watch=SuspensionWatch(admin.suspended_since, ejector.eject),
        attempts=attempts,
        health=Health(
            {"database": db.ping, "media": media.check}
            | ({"redis": bus.check} if settings.redis_url else {})
        ),
        cursors=cursors,
    )
