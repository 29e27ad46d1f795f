"""Client-to-server messages (docs/PROTOCOL.md), parsed without any I/O.

:func:`decode_frame` and :func:`parse_client_message` turn one text frame into a typed
message or raise a
:class:`BadRequest` whose code says what was wrong: ``message_too_large``,
``malformed_message`` (not JSON, not an object, wrong or missing fields) or
``unknown_type``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from teahouse.errors import BadRequest, ErrorCode

PROTOCOL_VERSION = 2
SDP_MAX = 32 * 1024
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{22}$")]


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: Annotated[str, Field(min_length=1, max_length=64)] | None = None


class Join(_Message):
    type: Literal["join"]
    room: Id
    since: Annotated[int, Field(ge=0)] | None = None


class Leave(_Message):
    type: Literal["leave"]


class Hand(_Message):
    type: Literal["hand"]
    raised: bool


class InviteToSpeak(_Message):
    type: Literal["invite_to_speak"]
    user_id: Id


class AcceptSpeak(_Message):
    type: Literal["accept_speak"]


class DeclineSpeak(_Message):
    type: Literal["decline_speak"]


class MoveToAudience(_Message):
    type: Literal["move_to_audience"]
    user_id: Id


class Mute(_Message):
    type: Literal["mute"]
    muted: bool
    # Someone else (a moderator muting a speaker); absent: yourself.
    user_id: Id | None = None


class MakeModerator(_Message):
    type: Literal["make_moderator"]
    user_id: Id


class RemoveModerator(_Message):
    type: Literal["remove_moderator"]
    user_id: Id


class RemoveFromRoom(_Message):
    type: Literal["remove_from_room"]
    user_id: Id


class EndRoom(_Message):
    type: Literal["end_room"]


class SetHands(_Message):
    type: Literal["set_hands"]
    enabled: bool


class Audience(_Message):
    type: Literal["audience"]
    after: Annotated[str, Field(min_length=1, max_length=12)] | None = None
    limit: Annotated[int, Field(ge=1, le=100)] = 50


class Publish(_Message):
    type: Literal["publish"]
    sdp: Annotated[str, Field(min_length=1, max_length=SDP_MAX)]


class Unpublish(_Message):
    type: Literal["unpublish"]


class SubscribeAnswer(_Message):
    type: Literal["subscribe_answer"]
    sdp: Annotated[str, Field(min_length=1, max_length=SDP_MAX)]


class Ping(_Message):
    type: Literal["ping"]


ClientMessage = Annotated[
    Join
    | Leave
    | Hand
    | InviteToSpeak
    | AcceptSpeak
    | DeclineSpeak
    | MoveToAudience
    | Mute
    | MakeModerator
    | RemoveModerator
    | RemoveFromRoom
    | EndRoom
    | SetHands
    | Audience
    | Publish
    | Unpublish
    | SubscribeAnswer
    | Ping,
    Field(discriminator="type"),
]
_ADAPTER: TypeAdapter[ClientMessage] = TypeAdapter(ClientMessage)
MESSAGE_TYPES = frozenset(
    model.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
    for model in (
        Join,
        Leave,
        Hand,
        InviteToSpeak,
        AcceptSpeak,
        DeclineSpeak,
        MoveToAudience,
        Mute,
        MakeModerator,
        RemoveModerator,
        RemoveFromRoom,
        EndRoom,
        SetHands,
        Audience,
        Publish,
        Unpublish,
        SubscribeAnswer,
        Ping,
    )
)


def message_ref(raw: Any) -> str | None:
    """The client's ``id`` when it is usable as a reply ``ref``."""
    ref = raw.get("id") if isinstance(raw, dict) else None
    return ref if isinstance(ref, str) and 1 <= len(ref) <= 64 else None


def decode_frame(text: str | bytes, max_bytes: int) -> Any:
    """Size check and JSON decoding of one frame."""
    if len(text) > max_bytes:
        raise BadRequest(f"Messages are at most {max_bytes} bytes.", ErrorCode.MESSAGE_TOO_LARGE)
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise BadRequest("Messages are JSON objects.", ErrorCode.MALFORMED_MESSAGE) from None


def parse_client_message(raw: Any) -> ClientMessage:
    """Validate decoded JSON as one of the client messages."""
    if not isinstance(raw, dict):
        raise BadRequest("Messages are JSON objects.", ErrorCode.MALFORMED_MESSAGE)
    kind = raw.get("type")
    if not isinstance(kind, str) or kind not in MESSAGE_TYPES:
        raise BadRequest(f"Unknown message type {str(kind)[:40]!r}.", ErrorCode.UNKNOWN_TYPE)
    try:
        return _ADAPTER.validate_python(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"][1:]) or "message"
        raise BadRequest(f"{kind}: {where}: {first['msg']}", ErrorCode.MALFORMED_MESSAGE) from None
