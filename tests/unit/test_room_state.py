"""The stage rules: allowed actions do what they say, refused ones change nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from teahouse.domain.room_state import Role, RoomState, UserRef
from teahouse.errors import TeahouseError

MOD, SPEAKER, HAND, LISTENER, INVITED, OUTSIDER = (
    "mod",
    "speaker",
    "hand",
    "listener",
    "invited",
    "outsider",
)


def user(uid: str) -> UserRef:
    return UserRef(uid, uid, uid.title())


def room() -> RoomState:
    """A moderator, a speaker, a listener with a raised hand, a plain listener, an invited one."""
    state = RoomState("room")
    state.join(user(MOD), as_moderator=True)
    for uid in (SPEAKER, HAND, LISTENER, INVITED):
        state.join(user(uid), as_moderator=False)
    state.invite_to_speak(MOD, SPEAKER)
    state.answer_invitation(SPEAKER, accept=True)
    state.set_hand(HAND, True)
    state.invite_to_speak(MOD, INVITED)
    return state


Action = Callable[[RoomState], object]

ALLOWED: list[tuple[str, Action, Callable[[RoomState], bool]]] = [
    (
        "listener raises hand",
        lambda s: s.set_hand(LISTENER, True),
        lambda s: s.participants[LISTENER].hand_raised,
    ),
    (
        "listener lowers hand",
        lambda s: s.set_hand(HAND, False),
        lambda s: not s.participants[HAND].hand_raised,
    ),
    (
        "moderator brings a raised hand up",
        lambda s: s.invite_to_speak(MOD, HAND),
        lambda s: (
            s.participants[HAND].role is Role.SPEAKER and not s.participants[HAND].hand_raised
        ),
    ),
    (
        "moderator invites a quiet listener",
        lambda s: s.invite_to_speak(MOD, LISTENER),
        lambda s: (
            s.participants[LISTENER].invited and s.participants[LISTENER].role is Role.LISTENER
        ),
    ),
    (
        "invited listener accepts",
        lambda s: s.answer_invitation(INVITED, accept=True),
        lambda s: s.participants[INVITED].role is Role.SPEAKER,
    ),
    (
        "invited listener declines",
        lambda s: s.answer_invitation(INVITED, accept=False),
        lambda s: (
            s.participants[INVITED].role is Role.LISTENER and not s.participants[INVITED].invited
        ),
    ),
    (
        "moderator moves a speaker down",
        lambda s: s.move_to_audience(MOD, SPEAKER),
        lambda s: s.participants[SPEAKER].role is Role.LISTENER,
    ),
    (
        "speaker leaves the stage",
        lambda s: s.move_to_audience(SPEAKER, SPEAKER),
        lambda s: s.participants[SPEAKER].role is Role.LISTENER,
    ),
    (
        "speaker mutes",
        lambda s: s.set_muted(SPEAKER, True),
        lambda s: s.participants[SPEAKER].muted,
    ),
    ("moderator mutes", lambda s: s.set_muted(MOD, True), lambda s: s.participants[MOD].muted),
    ("listener leaves", lambda s: s.leave(LISTENER), lambda s: LISTENER not in s.participants),
]

REFUSED: list[tuple[str, Action, str]] = [
    ("speaker raises hand", lambda s: s.set_hand(SPEAKER, True), "wrong_state"),
    ("hand raised twice", lambda s: s.set_hand(HAND, True), "wrong_state"),
    ("outsider raises hand", lambda s: s.set_hand(OUTSIDER, True), "not_in_room"),
    ("listener invites", lambda s: s.invite_to_speak(LISTENER, HAND), "not_moderator"),
    ("speaker invites", lambda s: s.invite_to_speak(SPEAKER, HAND), "not_moderator"),
    ("invite someone on stage", lambda s: s.invite_to_speak(MOD, SPEAKER), "wrong_state"),
    ("invite someone absent", lambda s: s.invite_to_speak(MOD, OUTSIDER), "not_in_room"),
    ("invite twice", lambda s: s.invite_to_speak(MOD, INVITED), "wrong_state"),
    (
        "accept without invitation",
        lambda s: s.answer_invitation(LISTENER, accept=True),
        "wrong_state",
    ),
    ("listener moves a speaker", lambda s: s.move_to_audience(LISTENER, SPEAKER), "not_moderator"),
    ("speaker moves the moderator", lambda s: s.move_to_audience(SPEAKER, MOD), "not_moderator"),
    ("move a listener down", lambda s: s.move_to_audience(MOD, LISTENER), "wrong_state"),
    ("last moderator steps down", lambda s: s.move_to_audience(MOD, MOD), "wrong_state"),
    ("listener mutes", lambda s: s.set_muted(LISTENER, True), "not_speaker"),
    ("unmute when not muted", lambda s: s.set_muted(SPEAKER, False), "wrong_state"),
    ("listener may not publish", lambda s: s.require_on_stage(LISTENER), "not_speaker"),
    ("join twice", lambda s: s.join(user(LISTENER), as_moderator=False), "already_in_room"),
    ("outsider leaves", lambda s: s.leave(OUTSIDER), "not_in_room"),
]


@pytest.mark.parametrize(("name", "action", "holds"), ALLOWED, ids=[row[0] for row in ALLOWED])
def test_allowed_action_does_what_it_says(
    name: str, action: Action, holds: Callable[[RoomState], bool]
) -> None:
    state = room()
    version = state.version
    action(state)
    assert holds(state), name
    assert state.version == version + 1
    assert state.deltas_since(version) is not None


@pytest.mark.parametrize(("name", "action", "code"), REFUSED, ids=[row[0] for row in REFUSED])
def test_refused_action_changes_nothing(name: str, action: Action, code: str) -> None:
    state = room()
    before = (state.version, copy.deepcopy(state.participants))
    with pytest.raises(TeahouseError) as refused:
        action(state)
    assert refused.value.code == code, name
    assert (state.version, state.participants) == before


def test_last_moderator_leaving_empties_the_stage_of_moderators() -> None:
    state = room()
    _, no_moderator = state.leave(MOD)
    assert no_moderator


def test_moving_a_speaker_down_stops_their_publishing_and_speaking() -> None:
    state = room()
    state.set_publishing(frozenset({SPEAKER}))
    state.set_speaking(SPEAKER, True)
    assert state.participants[SPEAKER].speaking
    state.move_to_audience(MOD, SPEAKER)
    moved = state.participants[SPEAKER]
    assert (moved.publishing, moved.speaking, moved.muted) == (False, False, False)


def test_media_facts_only_apply_to_people_on_stage_and_only_emit_on_change() -> None:
    state = room()
    assert state.set_publishing(frozenset({LISTENER})) is None  # listeners never publish
    assert state.set_publishing(frozenset({SPEAKER})) is not None
    assert state.set_publishing(frozenset({SPEAKER})) is None
    state.set_muted(SPEAKER, True)
    assert state.set_speaking(SPEAKER, True) is None  # muted people are not speaking


def test_resume_gives_missing_deltas_then_falls_back_to_snapshot() -> None:
    state = RoomState("room")
    state.join(user(MOD), as_moderator=True)
    start = state.version
    for i in range(5):
        state.join(user(f"u{i}"), as_moderator=False)
    missed = state.deltas_since(start)
    assert missed is not None
    assert [d.version for d in missed] == list(range(start + 1, start + 6))
    assert state.deltas_since(state.version) == []
    assert state.deltas_since(state.version + 1) is None
    for i in range(600):
        state.set_hand(f"u{i % 5}", i // 5 % 2 == 0)
    assert state.deltas_since(start) is None  # too old: the client needs a snapshot
