"""Server-to-client messages (docs/PROTOCOL.md): what a socket can be sent, typed.

Services build one of these models and hand it to the hub (a :class:`LiveRoom`, a
socket, :class:`~teahouse.realtime.presence.Presence`); :func:`encode` turns it into
the :data:`~teahouse.realtime.wire.Frame` the sockets queue, once per broadcast. The
classes are listed once, in :data:`ServerMessage`; :data:`SERVER_TYPES` is derived
from it.

The domain stays pure: :mod:`teahouse.domain.room_changes` holds its dataclasses,
and :func:`delta_message` and :func:`snapshot_message` build the wire models from
them (the payloads read the dataclasses' attributes; only what a model declares is
sent).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, assert_never

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, WithJsonSchema

from teahouse.domain import room_changes as domain
from teahouse.domain.room_changes import Role
from teahouse.errors import ErrorCode
from teahouse.realtime.wire import Frame, by_literal

PROTOCOL_VERSION = 2


def _always_sent(schema: dict[str, Any], model: type[BaseModel]) -> None:
    # Every field is in every message the server sends: a default says nothing to a
    # reader of the schema (and ``ref``, the one field that may be left out, is not
    # required).
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)


class _Outgoing(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        from_attributes=True,
        json_schema_serialization_defaults_required=True,
        json_schema_extra=_always_sent,
    )


def _is_none(value: object) -> bool:
    return value is None


# The ``id`` of the client message this answers; left out when it had none.
Ref = Annotated[
    str | None,
    Field(exclude_if=_is_none),
    WithJsonSchema({"type": "string", "description": "The `id` of the message this answers."}),
]

# Whole seconds to wait before sending that again; only with `rate_limited` and
# `room_busy`.
RetryAfter = Annotated[
    int | None,
    Field(exclude_if=_is_none),
    WithJsonSchema(
        {
            "type": "integer",
            "minimum": 1,
            "description": "Seconds to wait before sending that again (`rate_limited`, "
            "`room_busy`).",
        }
    ),
]

# -- what the messages carry ----------------------------------------------------------


class User(_Outgoing):
    """A member as the room protocol shows them."""

    id: str
    username: str
    display_name: str


class UserCard(User):
    """A `User` plus the URL of their picture (docs/API-SOCIAL.md)."""

    avatar_url: str | None


class Participant(_Outgoing):
    """Someone in the visible set: on the stage, or a listener with a raised hand or
    an invitation."""

    user: User
    role: Role
    hand_raised: bool
    invited: bool = Field(description="A moderator invited this listener to speak.")
    muted: bool
    speaking: bool = Field(description="The media server's talking detector.")
    publishing: bool = Field(description="Their audio flows into the media server.")


class RoomSettings(_Outgoing):
    """The moderators' switches for a room."""

    hands: bool = Field(description="Hand-raising is on.")


class RoomHeader(_Outgoing):
    """The room a snapshot is of."""

    id: str
    title: str
    description: str = Field(
        description="What the room is about (at most 280 characters, line breaks kept); "
        "empty for nothing. Changes arrive as `description` changes."
    )
    visibility: str = Field(description="`open`, `social`, `closed` or `club`.")
    created_by: User | None = Field(
        description="Null when a block stands between the creator and this member."
    )
    created_at: str
    ended: bool = False
    demo: bool = Field(description="A demo room: seeded members, no audio.")


class UpsertChange(_Outgoing):
    """Someone entered the visible set or changed in it."""

    op: Literal["upsert"] = "upsert"
    participant: Participant


class RemoveChange(_Outgoing):
    """Someone left the visible set (left the room, or became a plain listener)."""

    op: Literal["remove"] = "remove"
    user_id: str


class ListenersChange(_Outgoing):
    """The audience count now."""

    op: Literal["listeners"] = "listeners"
    count: int


class SettingsChange(_Outgoing):
    """The moderators turned hand-raising on or off."""

    op: Literal["settings"] = "settings"
    settings: RoomSettings


class DescriptionChange(_Outgoing):
    """A moderator changed what the room says it is about."""

    op: Literal["description"] = "description"
    description: str = Field(description="The room's description now; empty for none.")


Change = Annotated[
    UpsertChange | RemoveChange | ListenersChange | SettingsChange | DescriptionChange,
    Field(discriminator="op"),
]
# ``op -> class``, derived from the union above.
CHANGE_OPS = by_literal(Change, "op")


class RoomRef(_Outgoing):
    id: str
    title: str


class EventRef(_Outgoing):
    id: str
    title: str
    starts_at: str


class ClubRef(_Outgoing):
    id: str
    name: str


class ReportRef(_Outgoing):
    """The report an admin's ``report_filed`` notification is about."""

    id: str
    reason: str = Field(description="The report's reason (docs/API-ADMIN.md).")


class Notification(_Outgoing):
    """A notification as the member's list shows it (docs/API-SOCIAL.md)."""

    id: str
    kind: str = Field(
        description="`new_follower`, `ping`, `event_starting`, `club_invite`, `report_filed`, "
        "`club_request`, `club_request_accepted` or `club_request_declined`."
    )
    created_at: str
    read: bool
    actor: UserCard | None
    room: RoomRef | None
    event: EventRef | None
    club: ClubRef | None
    report: ReportRef | None = None
    join_request_id: str | None = Field(
        default=None,
        description="The request to join a club that a `club_request` (or its answer) "
        "is about; an admin answers it by this id.",
    )
    state: (
        Literal["live", "ended", "open", "accepted", "closed", "declined", "withdrawn"] | None
    ) = Field(
        description="What became of it: a room `live` or `ended`; a club invitation "
        "`open`, `accepted` or `closed` (declined or withdrawn); a request to join "
        "`open`, `accepted`, `declined` or `withdrawn`; null for other kinds."
    )
    text: str


# -- the messages -----------------------------------------------------------------------


class WelcomeMessage(_Outgoing):
    """The first message on every socket: who the server takes the client for."""

    type: Literal["welcome"] = "welcome"
    protocol: int = PROTOCOL_VERSION
    user: User


class SnapshotMessage(_Outgoing):
    """The whole visible state of a room, as of `version` (on `join`, or on a resume
    the server can no longer fill with deltas)."""

    type: Literal["snapshot"] = "snapshot"
    version: int
    participants: list[Participant]
    listeners: int = Field(description="How many are in the audience, raised hands included.")
    settings: RoomSettings
    room: RoomHeader
    you: str = Field(description="Your user id.")


class DeltaMessage(_Outgoing):
    """What one change did to the room; versions go up by exactly 1."""

    type: Literal["delta"] = "delta"
    version: int
    changes: list[Change]


class AudiencePageMessage(_Outgoing):
    """One page of the audience, in the order they joined it (reply to `audience`)."""

    type: Literal["audience_page"] = "audience_page"
    listeners: list[User]
    next: str | None = Field(description="Pass as `after` for the next page; null: the last.")
    count: int
    ref: Ref = None


class RoomEndedMessage(_Outgoing):
    """The room ended; the client is no longer in it."""

    type: Literal["room_ended"] = "room_ended"
    room: str
    reason: str = Field(description="`no_moderator`, `ended_by_moderator` or `ended_by_admin`.")


class RemovedMessage(_Outgoing):
    """A moderator removed you; you cannot join this room again while it lives."""

    type: Literal["removed"] = "removed"
    room: str


class OkMessage(_Outgoing):
    """The message with this `id` succeeded."""

    type: Literal["ok"] = "ok"
    ref: str


class ErrorMessage(_Outgoing):
    """A message was refused (and changed nothing)."""

    type: Literal["error"] = "error"
    code: ErrorCode
    message: str = Field(description="For developers; people are shown a text for `code`.")
    ref: Ref = None
    retry_after: RetryAfter = None


class PublishAnswerMessage(_Outgoing):
    """The media server's SDP answer to `publish`."""

    type: Literal["publish_answer"] = "publish_answer"
    sdp: str


class SubscribeOfferMessage(_Outgoing):
    """The set of speakers you hear changed: answer with `subscribe_answer`."""

    type: Literal["subscribe_offer"] = "subscribe_offer"
    sdp: str


class MediaStatusMessage(_Outgoing):
    """The media server failed, or came back (then publish again if on the stage)."""

    type: Literal["media_status"] = "media_status"
    state: Literal["down", "restarted"]


class PongMessage(_Outgoing):
    """The answer to `ping`."""

    type: Literal["pong"] = "pong"


class NotificationMessage(_Outgoing):
    """A notification was made for you (on every socket you have open)."""

    type: Literal["notification"] = "notification"
    notification: Notification


class HallwayChangedMessage(_Outgoing):
    """The hallway shows something new: fetch it again."""

    type: Literal["hallway_changed"] = "hallway_changed"


ServerMessage = Annotated[
    WelcomeMessage
    | SnapshotMessage
    | DeltaMessage
    | AudiencePageMessage
    | RoomEndedMessage
    | RemovedMessage
    | OkMessage
    | ErrorMessage
    | PublishAnswerMessage
    | SubscribeOfferMessage
    | MediaStatusMessage
    | PongMessage
    | NotificationMessage
    | HallwayChangedMessage,
    Field(discriminator="type"),
]
SERVER_MESSAGE_ADAPTER: TypeAdapter[ServerMessage] = TypeAdapter(ServerMessage)
# ``type -> class``, derived from the union above (the one list of server messages).
SERVER_TYPES = by_literal(ServerMessage)


def encode(message: ServerMessage) -> Frame:
    """The message as the JSON text every socket it goes to is sent."""
    return Frame(message.model_dump_json())


# -- from the domain's dataclasses --------------------------------------------------------


def delta_message(delta: domain.Delta) -> DeltaMessage:
    return DeltaMessage(version=delta.version, changes=[_change(c) for c in delta.changes])


def snapshot_message(snapshot: domain.RoomSnapshot, room: RoomHeader, you: str) -> SnapshotMessage:
    return SnapshotMessage(
        version=snapshot.version,
        participants=[Participant.model_validate(p) for p in snapshot.participants],
        listeners=snapshot.listeners,
        settings=RoomSettings(hands=snapshot.hands),
        room=room,
        you=you,
    )


def _change(change: domain.Change) -> Change:
    match change:
        case domain.Upsert(participant=participant):
            return UpsertChange(participant=Participant.model_validate(participant))
        case domain.Remove(user_id=user_id):
            return RemoveChange(user_id=user_id)
        case domain.Listeners(count=count):
            return ListenersChange(count=count)
        case domain.Settings(hands=hands):
            return SettingsChange(settings=RoomSettings(hands=hands))
        case domain.Description(text=text):
            return DescriptionChange(description=text)
        case _:
            assert_never(change)
