"""The services one app instance runs on, and request-level helpers."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from starlette.requests import HTTPConnection

from teahouse.accounts.accounts import Accounts
from teahouse.accounts.attempts import FailedAttempts
from teahouse.accounts.privacy import Privacy
from teahouse.admin.audit import AuditLog
from teahouse.admin.invites import InviteAdmin
from teahouse.admin.members import Admin
from teahouse.admin.reports import Reports
from teahouse.clubs.calendar import Calendar
from teahouse.clubs.clubs import Clubs
from teahouse.clubs.events import Events
from teahouse.config import Settings
from teahouse.errors import Forbidden, NotAuthenticated
from teahouse.hallway.hallway import Hallway
from teahouse.live.stage import Stage
from teahouse.media.base import MediaBackend
from teahouse.notifications.inbox import Inbox
from teahouse.notifications.notifier import Notifications
from teahouse.realtime.presence import Presence
from teahouse.rooms.rooms import Rooms
from teahouse.social.graph import Social
from teahouse.social.pings import Pings
from teahouse.social.profiles import Profiles
from teahouse.social.search import Search
from teahouse.store.database import Database
from teahouse.store.models import User


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    db: Database
    accounts: Accounts
    rooms: Rooms
    stage: Stage
    media: MediaBackend
    notifications: Notifications
    clubs: Clubs
    events: Events
    calendar: Calendar
    presence: Presence
    hallway: Hallway
    inbox: Inbox
    pings: Pings
    profiles: Profiles
    social: Social
    search: Search
    privacy: Privacy
    audit: AuditLog
    admin: Admin
    invite_admin: InviteAdmin
    reports: Reports
    attempts: FailedAttempts = field(default_factory=FailedAttempts)


def services(connection: HTTPConnection) -> Services:
    found: Services = connection.app.state.services
    return found


async def optional_user(connection: HTTPConnection) -> User | None:
    svc = services(connection)
    return await svc.accounts.user_for_token(
        connection.cookies.get(svc.settings.session_cookie_name)
    )


async def current_user(request: Request) -> User:
    user = await optional_user(request)
    if user is None:
        raise NotAuthenticated("Please log in.")
    return user


async def current_admin(request: Request) -> User:
    user = await current_user(request)
    if not user.is_admin:
        raise Forbidden("Only the instance's admins can do this.", "not_admin")
    return user
