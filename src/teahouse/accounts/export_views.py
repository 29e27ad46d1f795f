"""The shape of ``GET /api/me/export`` (``"format": "teahouse-export/1"``).

Times are ISO 8601 with their offset; other members are ``UserCard``s, or null once
they deleted their account.
"""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict

from teahouse.views import ClubRef, RoomRef, UserCard


class ExportAccount(TypedDict):
    id: str
    username: str
    display_name: str
    bio: str
    joined_at: str
    is_admin: bool
    invites_left: int
    nominated_by: UserCard | None


class ExportAvatar(TypedDict):
    content_type: str
    updated_at: str
    base64: str


class ExportSession(TypedDict):
    created_at: str
    expires_at: str


class ExportInvitation(TypedDict):
    id: str
    created_at: str
    expires_at: str
    used_at: str | None
    used_by: UserCard | None


class ExportFollowOrBlock(TypedDict):
    user: UserCard | None
    since: str


class ExportMembership(TypedDict):
    club: ClubRef
    role: str
    joined_at: str


class ExportClubFollow(TypedDict):
    club: ClubRef
    since: str


class ExportClubInvitation(TypedDict):
    club: ClubRef
    invited_by: UserCard | None
    at: str


class ExportJoinRequest(TypedDict):
    """A request of theirs to join a club, and what became of it (not who answered:
    that is the admin's, not theirs)."""

    club: ClubRef
    status: str
    at: str
    answered_at: str | None


class ExportClubs(TypedDict):
    member_of: list[ExportMembership]
    founded: list[ClubRef]
    followed: list[ExportClubFollow]
    invitations: list[ExportClubInvitation]
    join_requests: list[ExportJoinRequest]


class ExportEventRef(TypedDict):
    id: str
    title: str
    starts_at: str
    club: ClubRef | None


class ExportHostedEvent(ExportEventRef):
    description: str
    time_zone: str
    repeats: str | None
    room_id: str | None
    created_at: str
    cancelled_at: str | None
    cohosts: list[UserCard | None]


class ExportCohostedEvent(ExportEventRef):
    host: UserCard | None


class ExportInterest(TypedDict):
    event: ExportEventRef
    since: str


class ExportNotification(TypedDict):
    id: str
    kind: str
    created_at: str
    read_at: str | None
    actor: UserCard | None
    room: RoomRef | None
    event: ExportEventRef | None
    club: ClubRef | None


class ExportRoom(TypedDict):
    id: str
    title: str
    description: str
    visibility: str
    club: ClubRef | None
    created_at: str
    ended_at: str | None


class ExportReportRoom(TypedDict):
    id: str
    title: str | None


class ExportReport(TypedDict):
    id: str
    created_at: str
    reason: str
    details: str
    user: UserCard | None
    room: ExportReportRoom | None
    resolved_at: str | None
    resolution: str | None


class ExportCalendarFeed(TypedDict):
    created_at: str


class ExportPasskey(TypedDict):
    """A passkey: the name given it, and what the server checks log-ins with (the
    credential id and public key, base64url; neither is a secret)."""

    name: str
    created_at: str
    credential_id: str
    public_key: str
    sign_count: int


class AccountExport(TypedDict):
    """Everything the server holds about the member (docs/API-SOCIAL.md, "Your own
    data"): their rows, never other members' private data, never a secret."""

    format: Literal["teahouse-export/1"]
    exported_at: str
    account: ExportAccount
    avatar: ExportAvatar | None
    sessions: list[ExportSession]
    invitations: list[ExportInvitation]
    following: list[ExportFollowOrBlock]
    followers: list[ExportFollowOrBlock]
    blocks: list[ExportFollowOrBlock]
    clubs: ExportClubs
    events_hosted: list[ExportHostedEvent]
    events_cohosted: list[ExportCohostedEvent]
    events_asked_about: list[ExportInterest]
    notifications: list[ExportNotification]
    rooms_created: list[ExportRoom]
    rooms_admitted_to: list[RoomRef]
    reports_filed: list[ExportReport]
    calendar_feed: list[ExportCalendarFeed]
    passkeys: list[ExportPasskey]
