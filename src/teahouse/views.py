"""JSON-ready shapes the services hand to the edges (see docs/API.md).

May import: domain, store."""

from __future__ import annotations

from typing_extensions import TypedDict

from teahouse.domain.room_changes import UserRef
from teahouse.store.models import User


class UserView(TypedDict):
    id: str
    username: str
    display_name: str


class UserCard(UserView):
    """docs/API-SOCIAL.md: a ``User`` plus the URL of their picture."""

    avatar_url: str | None


class MeView(UserView):
    invites_left: int
    is_admin: bool


class ClubRef(TypedDict):
    id: str
    name: str


class RoomRef(TypedDict):
    id: str
    title: str


class RoomSummary(TypedDict):
    id: str
    title: str
    description: str
    visibility: str
    created_by: UserView | None  # None: hidden from the viewer by a block
    created_at: str
    speakers: list[UserView]
    listener_count: int
    participant_count: int
    club: ClubRef | None


def user_view(user: User) -> UserView:
    return {"id": user.id, "username": user.username, "display_name": user.display_name}


def avatar_url(username: str, etag: str | None) -> str | None:
    # Usernames are [a-z0-9_]: nothing to escape. The etag makes the URL immutable.
    return f"/api/users/{username}/avatar?v={etag}" if etag else None


def user_card(user: User | UserRef, avatar_etag: str | None = None) -> UserCard:
    """A `UserCard`; without the avatar's etag (views that do not load avatars yet)
    the card has no picture and the client shows initials."""
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "avatar_url": avatar_url(user.username, avatar_etag),
    }


def ref_view(ref: UserRef) -> UserView:
    return {"id": ref.id, "username": ref.username, "display_name": ref.display_name}


def me_view(user: User) -> MeView:
    return {**user_view(user), "invites_left": user.invites_left, "is_admin": user.is_admin}


def user_ref(user: User) -> UserRef:
    return UserRef(id=user.id, username=user.username, display_name=user.display_name)
