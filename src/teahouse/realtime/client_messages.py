"""Client-to-server messages (docs/PROTOCOL.md), parsed without any I/O.

:func:`decode_frame` and :func:`parse_client_message` turn one text frame into a typed
message or raise a :class:`BadRequest` whose code says what was wrong:
``message_too_large``, ``malformed_message`` (not JSON, not an object, wrong or missing
fields, or a control character in any text: ``domain/text.py``) or ``unknown_type``.
The classes are listed once, in :data:`ClientMessage`;
:data:`CLIENT_TYPES` is derived from it.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from teahouse.domain.cursors import SEALED_MAX
from teahouse.domain.text import edge_problem
from teahouse.errors import BadRequest, ErrorCode
from teahouse.realtime.wire import by_literal

SDP_MAX = 32 * 1024
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{22}$", description="A member's or room's id.")]
Sdp = Annotated[str, Field(min_length=1, max_length=SDP_MAX)]


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        default=None,
        description="The client's own name for this message; the `ok` or `error` that "
        "answers it carries it as `ref`.",
    )

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        problem = edge_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


class Join(_Message):
    """Enter a room (or resume in it from `since`); answered with `snapshot` or the missed
    `delta`s."""

    type: Literal["join"]
    room: Id
    since: Annotated[int, Field(ge=0)] | None = None


class Leave(_Message):
    """Leave the room; the last moderator leaving ends it."""

    type: Literal["leave"]


class Hand(_Message):
    """A listener raises or lowers their hand."""

    type: Literal["hand"]
    raised: bool


class InviteToSpeak(_Message):
    """A moderator invites a listener to the stage (one with a raised hand goes up at once)."""

    type: Literal["invite_to_speak"]
    user_id: Id


class AcceptSpeak(_Message):
    """An invited listener goes on the stage."""

    type: Literal["accept_speak"]


class DeclineSpeak(_Message):
    """An invited listener stays in the audience."""

    type: Literal["decline_speak"]


class MoveToAudience(_Message):
    """Back to the audience: a moderator moves someone, or someone on the stage steps down."""

    type: Literal["move_to_audience"]
    user_id: Id


class Mute(_Message):
    """Mute or unmute yourself; a moderator mutes a speaker by naming them."""

    type: Literal["mute"]
    muted: bool
    user_id: Annotated[
        Id | None,
        Field(description="Someone else (a moderator muting a speaker); absent: yourself."),
    ] = None


class MakeModerator(_Message):
    """A moderator makes a speaker a moderator."""

    type: Literal["make_moderator"]
    user_id: Id


class RemoveModerator(_Message):
    """A moderator makes a moderator (another, or themselves) a speaker."""

    type: Literal["remove_moderator"]
    user_id: Id


class RemoveFromRoom(_Message):
    """A moderator removes someone, who cannot come back while the room lives."""

    type: Literal["remove_from_room"]
    user_id: Id


class EndRoom(_Message):
    """A moderator ends the room for everyone."""

    type: Literal["end_room"]


class SetHands(_Message):
    """A moderator turns hand-raising on or off."""

    type: Literal["set_hands"]
    enabled: bool


class Audience(_Message):
    """Ask for one page of the audience; answered with `audience_page`."""

    type: Literal["audience"]
    after: Annotated[str, Field(min_length=1, max_length=SEALED_MAX)] | None = None
    limit: Annotated[int, Field(ge=1, le=100)] = 50


class Publish(_Message):
    """Someone on the stage sends a complete SDP offer to publish audio; answered with
    `publish_answer`."""

    type: Literal["publish"]
    sdp: Sdp


class Unpublish(_Message):
    """Stop publishing."""

    type: Literal["unpublish"]


class SubscribeAnswer(_Message):
    """The client's SDP answer to a `subscribe_offer`."""

    type: Literal["subscribe_answer"]
    sdp: Sdp


class Ping(_Message):
    """Answered with `pong`."""

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
# ``type -> class``, derived from the union above (the one list of client messages).
CLIENT_TYPES = by_literal(ClientMessage)


def message_ref(raw: Any) -> str | None:
    """The client's ``id`` when it is usable as a reply ``ref`` (one with a control
    character is not sent back)."""
    ref = raw.get("id") if isinstance(raw, dict) else None
    if not isinstance(ref, str) or not 1 <= len(ref) <= 64 or edge_problem(ref):
        return None
    return ref


def decode_frame(text: str | bytes, max_bytes: int) -> Any:
    """Size check and JSON decoding of one text frame.

    A binary frame is refused whatever it holds: messages are JSON text, and
    ``json.loads`` would otherwise read a message out of UTF-8 (or UTF-16) bytes. The
    limit is on the frame's UTF-8 bytes, not its characters (a frame of emoji is
    four times longer on the wire than it counts)."""
    if isinstance(text, bytes):
        raise BadRequest("Messages are JSON text frames.", ErrorCode.MALFORMED_MESSAGE)
    if len(text) > max_bytes or (
        len(text) * 4 > max_bytes and len(text.encode("utf-8", "surrogatepass")) > max_bytes
    ):
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
    if not isinstance(kind, str) or kind not in CLIENT_TYPES:
        raise BadRequest(f"Unknown message type {str(kind)[:40]!r}.", ErrorCode.UNKNOWN_TYPE)
    try:
        return _ADAPTER.validate_python(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"][1:]) or "message"
        raise BadRequest(f"{kind}: {where}: {first['msg']}", ErrorCode.MALFORMED_MESSAGE) from None
