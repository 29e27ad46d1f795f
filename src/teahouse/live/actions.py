"""The stage actions a member sends, each declared once: the message, the room rule
it applies, and whether it is a moderation action written to the audit log.

:meth:`Stage.act <teahouse.live.stage.Stage.act>` looks a client message up in
:data:`STAGE_ACTIONS` and applies its rule to the room's :class:`RoomState` as the
sender. Removing someone and ending the room do more than change the state (the
removed member is told, the room's media goes); they are the Stage's own methods
and say there what they write down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from teahouse.domain.room_changes import Delta
from teahouse.domain.room_state import RoomState
from teahouse.errors import ErrorCode, Forbidden
from teahouse.realtime.client_messages import (
    AcceptSpeak,
    DeclineSpeak,
    Hand,
    InviteToSpeak,
    MakeModerator,
    MoveToAudience,
    Mute,
    RemoveModerator,
    SetHands,
)

M = TypeVar("M", bound=BaseModel)
Detail = Mapping[str, str | int | bool]

log = logging.getLogger(__name__)


class AuditSink(Protocol):
    """Where moderation actions are written down (the audit log)."""

    async def record(
        self,
        actor_id: str | None,
        action: str,
        *,
        room_id: str | None = None,
        target_id: str | None = None,
        detail: Detail | None = None,
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class Audited:
    """A moderation action to write down once it has been applied."""

    action: str
    target_id: str | None = None
    detail: Detail | None = None


async def write_down(
    audit: AuditSink | None, actor_id: str, room_id: str, audited: Audited
) -> None:
    """Write an applied moderation action to the audit log. The action stands either
    way: a lost entry is logged loudly, never raised."""
    if audit is None:
        return
    try:
        await audit.record(
            actor_id,
            audited.action,
            room_id=room_id,
            target_id=audited.target_id,
            detail=audited.detail,
        )
    except Exception:
        log.exception("audit entry for %s in %s failed", audited.action, room_id)


@dataclass(frozen=True, slots=True)
class StageAction(Generic[M]):
    """One kind of client message that changes the stage through a room rule."""

    message: type[M]
    # The rule, applied as ``rule(state, sender's id, message)``; a refusal raises.
    rule: Callable[[RoomState, str, M], Delta | None]
    # Refuses what no state allows, before the room is even looked at.
    check: Callable[[M, str], None] | None = None
    # A listener's change that reaches every socket in the room: it draws on the
    # room's budget for its audience (realtime/limits.py, room_limit).
    from_audience: bool = False
    # The audit log's name for it; None: not a moderation action.
    audited: str | None = None
    # Whom it is done to, for the audit log.
    target: Callable[[M], str | None] = lambda message: None
    # Done to yourself (stepping down, muting yourself) it is not moderation.
    audited_for_others_only: bool = False
    detail: Callable[[M], Detail] | None = None

    def audit_entry(self, message: M, actor_id: str) -> Audited | None:
        """What the audit log gets once the action is applied, if anything."""
        if self.audited is None:
            return None
        target = self.target(message)
        if self.audited_for_others_only and target in (None, actor_id):
            return None
        return Audited(self.audited, target, self.detail(message) if self.detail else None)


def _only_yourself_unmuted(message: Mute, actor_id: str) -> None:
    if not message.muted and message.user_id not in (None, actor_id):
        raise Forbidden("Only a speaker can unmute themselves.", ErrorCode.NOT_ALLOWED)


def _mute(state: RoomState, me: str, message: Mute) -> Delta | None:
    if message.user_id in (None, me):
        return state.set_muted(me, message.muted)
    return state.mute_other(me, message.user_id)


_ACTIONS = (
    StageAction(Hand, lambda state, me, m: state.set_hand(me, m.raised), from_audience=True),
    StageAction(
        InviteToSpeak,
        lambda state, me, m: state.invite_to_speak(me, m.user_id),
        audited="invite_to_speak",
        target=lambda m: m.user_id,
    ),
    StageAction(
        AcceptSpeak,
        lambda state, me, m: state.answer_invitation(me, accept=True),
        from_audience=True,
    ),
    StageAction(
        DeclineSpeak,
        lambda state, me, m: state.answer_invitation(me, accept=False),
        from_audience=True,
    ),
    StageAction(
        MoveToAudience,
        lambda state, me, m: state.move_to_audience(me, m.user_id),
        audited="move_to_audience",
        target=lambda m: m.user_id,
        audited_for_others_only=True,
    ),
    StageAction(
        Mute,
        _mute,
        check=_only_yourself_unmuted,
        audited="mute",
        target=lambda m: m.user_id,
        audited_for_others_only=True,
    ),
    StageAction(
        MakeModerator,
        lambda state, me, m: state.make_moderator(me, m.user_id),
        audited="make_moderator",
        target=lambda m: m.user_id,
    ),
    StageAction(
        RemoveModerator,
        lambda state, me, m: state.remove_moderator(me, m.user_id),
        audited="remove_moderator",
        target=lambda m: m.user_id,
    ),
    StageAction(
        SetHands,
        lambda state, me, m: state.set_hands(me, m.enabled),
        audited="set_hands",
        detail=lambda m: {"enabled": m.enabled},
    ),
)
# ``message class -> its action``, derived from the table above.
STAGE_ACTIONS: dict[type[BaseModel], StageAction[Any]] = {a.message: a for a in _ACTIONS}
