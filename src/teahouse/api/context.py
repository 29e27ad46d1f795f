"""The services one app instance runs on, and request-level helpers."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from starlette.requests import HTTPConnection

from teahouse.config import Settings
from teahouse.errors import Forbidden, NotAuthenticated
from teahouse.media.base import MediaBackend
from teahouse.realtime.presence import Presence
from teahouse.services.accounts import Accounts
from teahouse.services.admin import Admin
from teahouse.services.attempts import FailedAttempts
from teahouse.services.audit import AuditLog
from teahouse.services.calendar import Calendar
from teahouse.services.clubs import Clubs
from teahouse.services.events import Events
from teahouse.services.hallway import Hallway
from teahouse.services.inbox import Inbox
from teahouse.services.invite_admin import InviteAdmin
from teahouse.services.notifications import Notifications
from teahouse.services.pings import Pings
from teahouse.services.privacy import Privacy
from teahouse.services.profiles import Profiles
from teahouse.services.reports import Reports
from teahouse.services.rooms import Rooms
from teahouse.services.search import Search
from teahouse.services.social import Social
from teahouse.services.stage import Stage
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
