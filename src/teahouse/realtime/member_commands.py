"""What one replica's presence tells the others on the bus's ``members`` topic: a
frame for a member's sockets, or which of their sockets to close.

Each command is a pydantic model with a ``type`` and a version ``v``, and says which
presence sent it (``origin``): the sender has applied it to its own sockets already
and skips it when the bus brings it back. A frame is the text the origin encoded,
carried as it is, so a message is serialised once whichever replicas it reaches.
Parsing does no I/O; a payload this version cannot read (a newer replica's, during a
rolling upgrade) raises ``ValueError``, and presence ignores it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    v: Literal[1] = 1
    # The sending presence's random id (Presence.origin).
    origin: str = Field(min_length=1)
    user: str = Field(min_length=1)


class SendToMember(_Command):
    """Queue ``frame`` on every socket of ``user``."""

    type: Literal["send"] = "send"
    frame: str


class CloseMember(_Command):
    """Close every socket of ``user`` (suspended, deleted)."""

    type: Literal["close_member"] = "close_member"
    code: int


class CloseSession(_Command):
    """Close the sockets of ``user`` opened with ``session`` (logged out)."""

    type: Literal["close_session"] = "close_session"
    session: str = Field(min_length=1)
    code: int


class CloseOtherSessions(_Command):
    """Close the sockets of ``user`` of every session but ``kept`` (a new password)."""

    type: Literal["close_other_sessions"] = "close_other_sessions"
    kept: str = Field(min_length=1)
    code: int


MemberCommand = Annotated[
    SendToMember | CloseMember | CloseSession | CloseOtherSessions,
    Field(discriminator="type"),
]

_COMMAND: TypeAdapter[MemberCommand] = TypeAdapter(MemberCommand)


def encode_command(command: MemberCommand) -> bytes:
    return command.model_dump_json().encode()


def parse_command(payload: bytes) -> MemberCommand:
    """The command in a bus payload; ``ValueError`` (pydantic's ``ValidationError``)
    for anything else."""
    return _COMMAND.validate_json(payload)
