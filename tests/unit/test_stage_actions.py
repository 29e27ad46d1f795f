"""The stage actions' table: which messages are moderation, written to the audit log,
and what no state allows (a table of messages and senders)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from teahouse.errors import Forbidden
from teahouse.live.actions import STAGE_ACTIONS, Audited
from teahouse.realtime.client_messages import (
    CLIENT_TYPES,
    AcceptSpeak,
    Hand,
    InviteToSpeak,
    MakeModerator,
    MoveToAudience,
    Mute,
    RemoveModerator,
    SetHands,
)

ME, OTHER = "M" * 22, "O" * 22

AUDITED = [
    (Hand(type="hand", raised=True), None),
    (AcceptSpeak(type="accept_speak"), None),
    (InviteToSpeak(type="invite_to_speak", user_id=OTHER), Audited("invite_to_speak", OTHER)),
    (Mute(type="mute", muted=True), None),  # yourself: not moderation
    (Mute(type="mute", muted=True, user_id=ME), None),
    (Mute(type="mute", muted=True, user_id=OTHER), Audited("mute", OTHER)),
    (MoveToAudience(type="move_to_audience", user_id=ME), None),  # stepping down
    (MoveToAudience(type="move_to_audience", user_id=OTHER), Audited("move_to_audience", OTHER)),
    (MakeModerator(type="make_moderator", user_id=OTHER), Audited("make_moderator", OTHER)),
    (RemoveModerator(type="remove_moderator", user_id=ME), Audited("remove_moderator", ME)),
    (SetHands(type="set_hands", enabled=False), Audited("set_hands", None, {"enabled": False})),
]


@pytest.mark.parametrize(("message", "entry"), AUDITED, ids=[repr(m) for m, _ in AUDITED])
def test_what_the_audit_log_gets(message: BaseModel, entry: Audited | None) -> None:
    assert STAGE_ACTIONS[type(message)].audit_entry(message, ME) == entry


def test_unmuting_someone_else_is_refused_before_any_room_is_looked_at() -> None:
    check = STAGE_ACTIONS[Mute].check
    assert check is not None
    with pytest.raises(Forbidden) as refused:
        check(Mute(type="mute", muted=False, user_id=OTHER), ME)
    assert refused.value.code == "not_allowed"
    check(Mute(type="mute", muted=False, user_id=ME), ME)  # yourself: the state decides


def test_every_action_is_a_client_message() -> None:
    assert set(STAGE_ACTIONS) <= set(CLIENT_TYPES.values())
