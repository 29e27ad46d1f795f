"""The stage rules, action by action and role by role: allowed actions do what they
say, refused ones raise their documented code and change nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from teahouse.domain.room_changes import Delta, Listeners, Remove, Role, Upsert, UserRef
from teahouse.domain.room_state import RoomState
from teahouse.errors import TeahouseError
from teahouse.realtime.server_messages import delta_message, encode

MOD, MOD2, SPEAKER, HAND, LISTENER, INVITED, REMOVED, OUTSIDER = (
    "mod",
    "mod2",
    "speaker",
    "hand",
    "listener",
    "invited",
    "removed",
    "outsider",
)
ROLES = (MOD, MOD2, SPEAKER, HAND, LISTENER, INVITED, REMOVED, OUTSIDER)
IN_ROOM = (MOD, MOD2, SPEAKER, HAND, LISTENER, INVITED)


def user(uid: str) -> UserRef:
    return UserRef(uid, uid, uid.title())


def sent(delta: Delta, hidden: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The delta as a member in a block with ``hidden`` receives it."""
    return json.loads(encode(delta_message(delta.hiding(hidden))))  # type: ignore[no-any-return]


def room() -> RoomState:
    """Two moderators, a speaker, a raised hand, a plain listener, an invited listener,
    and someone a moderator removed; everyone on the stage has unmuted."""
    state = RoomState("room")
    state.join(user(MOD), as_moderator=True, live=True)
    state.join(user(MOD2), as_moderator=True)
    for uid in (SPEAKER, HAND, LISTENER, INVITED, REMOVED):
        state.join(user(uid), as_moderator=False)
    state.invite_to_speak(MOD, SPEAKER)
    state.answer_invitation(SPEAKER, accept=True)
    state.set_muted(MOD2, False)
    state.set_muted(SPEAKER, False)
    state.set_hand(HAND, True)
    state.invite_to_speak(MOD, INVITED)
    state.remove(MOD, REMOVED)
    return state


def everything(state: RoomState) -> dict[str, Any]:
    return copy.deepcopy({k: v for k, v in vars(state).items() if k != "_history"})


def role(uid: str) -> Callable[[RoomState], Role | None]:
    return lambda s: s.participants[uid].role if uid in s.participants else None


Action = Callable[[RoomState, str], object]
OK = "ok"

# Each action, what it should have done when allowed, and the outcome for each role
# acting (OK or the error code). Targets are fixed per action.
MATRIX: list[tuple[str, Action, Callable[[RoomState, str], bool], dict[str, str]]] = [
    (
        "raise hand",
        lambda s, a: s.set_hand(a, True),
        lambda s, a: s.participants[a].hand_raised,
        {MOD: "wrong_state", MOD2: "wrong_state", SPEAKER: "wrong_state", HAND: "wrong_state",
         LISTENER: OK, INVITED: OK},
    ),
    (
        "lower hand",
        lambda s, a: s.set_hand(a, False),
        lambda s, a: not s.participants[a].hand_raised,
        {MOD: "wrong_state", MOD2: "wrong_state", SPEAKER: "wrong_state", HAND: OK,
         LISTENER: "wrong_state", INVITED: "wrong_state"},
    ),
    (
        "invite the plain listener to speak",
        lambda s, a: s.invite_to_speak(a, LISTENER),
        lambda s, a: s.participants[LISTENER].invited,
        {MOD: OK, MOD2: OK, SPEAKER: "not_moderator", HAND: "not_moderator",
         LISTENER: "not_moderator", INVITED: "not_moderator"},
    ),
    (
        "bring the raised hand up",
        lambda s, a: s.invite_to_speak(a, HAND),
        lambda s, a: role(HAND)(s) is Role.SPEAKER and not s.participants[HAND].hand_raised,
        {MOD: OK, MOD2: OK, SPEAKER: "not_moderator", HAND: "not_moderator",
         LISTENER: "not_moderator", INVITED: "not_moderator"},
    ),
    (
        "accept an invitation",
        lambda s, a: s.answer_invitation(a, accept=True),
        lambda s, a: role(a)(s) is Role.SPEAKER,
        {MOD: "wrong_state", MOD2: "wrong_state", SPEAKER: "wrong_state", HAND: "wrong_state",
         LISTENER: "wrong_state", INVITED: OK},
    ),
    (
        "decline an invitation",
        lambda s, a: s.answer_invitation(a, accept=False),
        lambda s, a: role(a)(s) is Role.LISTENER and not s.participants[a].invited,
        {MOD: "wrong_state", MOD2: "wrong_state", SPEAKER: "wrong_state", HAND: "wrong_state",
         LISTENER: "wrong_state", INVITED: OK},
    ),
    (
        "move the speaker to the audience",
        lambda s, a: s.move_to_audience(a, SPEAKER),
        lambda s, a: role(SPEAKER)(s) is Role.LISTENER,
        {MOD: OK, MOD2: OK, SPEAKER: OK, HAND: "not_moderator", LISTENER: "not_moderator",
         INVITED: "not_moderator"},
    ),
    (
        "mute yourself",
        lambda s, a: s.set_muted(a, True),
        lambda s, a: s.participants[a].muted,
        {MOD: OK, MOD2: OK, SPEAKER: OK, HAND: "not_speaker", LISTENER: "not_speaker",
         INVITED: "not_speaker"},
    ),
    (
        "mute the speaker",
        lambda s, a: s.mute_other(a, SPEAKER),
        lambda s, a: s.participants[SPEAKER].muted,
        {MOD: OK, MOD2: OK, SPEAKER: "not_moderator", HAND: "not_moderator",
         LISTENER: "not_moderator", INVITED: "not_moderator"},
    ),
    (
        "make the speaker a moderator",
        lambda s, a: s.make_moderator(a, SPEAKER),
        lambda s, a: role(SPEAKER)(s) is Role.MODERATOR,
        {MOD: OK, MOD2: OK, SPEAKER: "not_moderator", HAND: "not_moderator",
         LISTENER: "not_moderator", INVITED: "not_moderator"},
    ),
    (
        "take the second moderator's role",
        lambda s, a: s.remove_moderator(a, MOD2),
        lambda s, a: role(MOD2)(s) is Role.SPEAKER,
        {MOD: OK, MOD2: OK, SPEAKER: "not_moderator", HAND: "not_moderator",
         LISTENER: "not_moderator", INVITED: "not_moderator"},
    ),
    (
        "remove the plain listener",
        lambda s, a: s.remove(a, LISTENER),
        lambda s, a: LISTENER not in s.participants and LISTENER in s.removed,
        {MOD: OK, MOD2: OK, SPEAKER: "not_moderator", HAND: "not_moderator",
         LISTENER: "not_moderator", INVITED: "not_moderator"},
    ),
    (
        "turn hand-raising off",
        lambda s, a: s.set_hands(a, False),
        lambda s, a: not s.hands_enabled and not s.participants[HAND].hand_raised,
        {MOD: OK, MOD2: OK, SPEAKER: "not_moderator", HAND: "not_moderator",
         LISTENER: "not_moderator", INVITED: "not_moderator"},
    ),
    (
        "change the description",
        lambda s, a: s.set_description(a, "Now about jazz"),
        lambda s, a: s.description == "Now about jazz",
        {MOD: OK, MOD2: OK, SPEAKER: "not_moderator", HAND: "not_moderator",
         LISTENER: "not_moderator", INVITED: "not_moderator"},
    ),
    (
        "send audio",
        lambda s, a: s.require_on_stage(a),
        lambda s, a: True,
        {MOD: OK, MOD2: OK, SPEAKER: OK, HAND: "not_speaker", LISTENER: "not_speaker",
         INVITED: "not_speaker"},
    ),
    (
        "leave",
        lambda s, a: s.leave(a),
        lambda s, a: a not in s.participants,
        dict.fromkeys(IN_ROOM, OK),
    ),
    (
        "join",
        lambda s, a: s.join(user(a), as_moderator=False),
        lambda s, a: role(a)(s) is Role.LISTENER,
        {**dict.fromkeys(IN_ROOM, "already_in_room"), REMOVED: "removed_from_room",
         OUTSIDER: OK},
    ),
]  # fmt: skip

CASES = [
    (f"{who} may {name}" if outcomes.get(who, "not_in_room") == OK else f"{who}: {name}",
     action, holds, who, outcomes.get(who, "not_in_room"))
    for name, action, holds, outcomes in MATRIX
    for who in ROLES
]  # fmt: skip


@pytest.mark.parametrize(("case", "action", "holds", "who", "outcome"), CASES,
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_every_action_for_every_role(
    case: str,
    action: Action,
    holds: Callable[[RoomState, str], bool],
    who: str,
    outcome: str,
) -> None:
    state = room()
    before = everything(state)
    if outcome == OK:
        action(state, who)
        assert holds(state, who), case
        # Seen by everyone as at most one delta; a plain listener's coming and going
        # only changes the audience count, announced later.
        assert state.version - before["version"] <= 1
    else:
        with pytest.raises(TeahouseError) as refused:
            action(state, who)
        assert refused.value.code == outcome, case
        assert everything(state) == before, f"{case}: a refusal changed the room"


REFUSED_BY_STATE: list[tuple[str, Callable[[RoomState], object], str]] = [
    ("the last moderator steps down", lambda s: (s.leave(MOD2), s.remove_moderator(MOD, MOD)),
     "wrong_state"),
    ("the last moderator goes to the audience",
     lambda s: (s.leave(MOD2), s.move_to_audience(MOD, MOD)), "wrong_state"),
    ("remove a moderator", lambda s: s.remove(MOD, MOD2), "wrong_state"),
    ("remove yourself", lambda s: s.remove(MOD, MOD), "wrong_state"),
    ("remove someone absent", lambda s: s.remove(MOD, OUTSIDER), "not_in_room"),
    ("invite someone on stage", lambda s: s.invite_to_speak(MOD, SPEAKER), "wrong_state"),
    ("invite twice", lambda s: s.invite_to_speak(MOD, INVITED), "wrong_state"),
    ("invite someone absent", lambda s: s.invite_to_speak(MOD, OUTSIDER), "not_in_room"),
    ("move a listener down", lambda s: s.move_to_audience(MOD, LISTENER), "wrong_state"),
    ("mute a listener", lambda s: s.mute_other(MOD, LISTENER), "wrong_state"),
    ("mute the muted", lambda s: (s.set_muted(SPEAKER, True), s.mute_other(MOD, SPEAKER)),
     "wrong_state"),
    ("unmute when not muted", lambda s: s.set_muted(SPEAKER, False), "wrong_state"),
    ("make a listener a moderator", lambda s: s.make_moderator(MOD, LISTENER), "wrong_state"),
    ("make a moderator twice", lambda s: s.make_moderator(MOD, MOD2), "wrong_state"),
    ("take a role nobody has", lambda s: s.remove_moderator(MOD, SPEAKER), "wrong_state"),
    ("hands on when on", lambda s: s.set_hands(MOD, True), "wrong_state"),
    ("raise a hand when hands are off",
     lambda s: (s.set_hands(MOD, False), s.set_hand(LISTENER, True)), "hands_disabled"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "action", "code"), REFUSED_BY_STATE,
                         ids=[r[0] for r in REFUSED_BY_STATE])  # fmt: skip
def test_refused_by_the_room_state(
    name: str, action: Callable[[RoomState], object], code: str
) -> None:
    state = room()
    with pytest.raises(TeahouseError) as refused:
        action(state)
    assert refused.value.code == code, name


def test_a_refusal_after_setup_changes_nothing() -> None:
    state = room()
    state.set_hands(MOD, False)
    before = everything(state)
    with pytest.raises(TeahouseError):
        state.set_hand(LISTENER, True)
    assert everything(state) == before


def test_only_the_visible_set_is_broadcast_and_the_count_is_coalesced() -> None:
    state = RoomState("room")
    assert state.join(user(MOD), as_moderator=True) is not None
    start = state.version
    for i in range(100):  # a burst of plain listeners: no delta at all...
        assert state.join(user(f"u{i}"), as_moderator=False) is None
    for i in range(10):
        state.leave(f"u{i}")
    assert state.version == start
    # ... until the count is announced, once.
    announced = state.flush_listeners()
    assert announced is not None and announced.changes == (Listeners(90),)
    assert state.flush_listeners() is None
    snapshot = state.snapshot()
    assert snapshot.listeners == 90
    assert [p.user.id for p in snapshot.participants] == [MOD]
    # A raised hand is visible; lowering it takes the listener out of the set.
    raised = state.set_hand("u50", True)
    assert raised is not None and isinstance(raised.changes[0], Upsert)
    lowered = state.set_hand("u50", False)
    assert lowered is not None and lowered.changes == (Remove("u50"),)


def test_blocked_hands_are_left_out_of_what_a_member_sees() -> None:
    state = room()
    delta = state.set_hand(LISTENER, True)
    assert delta is not None
    assert sent(delta, frozenset({LISTENER}))["changes"] == []
    assert sent(delta)["changes"][0]["participant"]["hand_raised"] is True
    ids = [p.user.id for p in state.snapshot(frozenset({HAND, SPEAKER})).participants]
    assert HAND not in ids and SPEAKER in ids  # someone on stage is seen (and heard)
    page = state.audience_page(None, 100, frozenset({LISTENER}))
    assert LISTENER not in [u.id for u in page.items]


def test_audience_pages_walk_everyone_once_in_join_order() -> None:
    state = RoomState("room")
    state.join(user(MOD), as_moderator=True)
    for i in range(250):
        state.join(user(f"u{i:03}"), as_moderator=False)
    seen: list[str] = []
    after = None
    while True:
        page = state.audience_page(after, 100)
        seen.extend(u.id for u in page.items)
        if page.next_cursor is None:
            break
        after = page.next_cursor
        state.leave(seen[0]) if seen[0] in state.participants else None  # churn between pages
    assert seen == [f"u{i:03}" for i in range(250)]
    with pytest.raises(TeahouseError) as bad:
        state.audience_page("not-a-cursor", 10)
    assert bad.value.code == "bad_cursor"


ARRIVALS: list[tuple[str, Callable[[RoomState], object], str]] = [
    ("a raised hand brought up", lambda s: s.invite_to_speak(MOD, HAND), HAND),
    ("an invitation accepted", lambda s: s.answer_invitation(INVITED, accept=True), INVITED),
    ("a moderator joining (an event's co-host)",
     lambda s: s.join(user(OUTSIDER), as_moderator=True), OUTSIDER),
    ("a speaker back on stage after the audience",
     lambda s: (s.move_to_audience(MOD, SPEAKER), s.invite_to_speak(MOD, SPEAKER),
                s.answer_invitation(SPEAKER, accept=True)), SPEAKER),
]  # fmt: skip


@pytest.mark.parametrize(("case", "arrive", "who"), ARRIVALS, ids=[a[0] for a in ARRIVALS])
def test_nobody_arrives_on_stage_live(
    case: str, arrive: Callable[[RoomState], object], who: str
) -> None:
    state = room()
    arrive(state)
    arrived = state.participants[who]
    assert arrived.role.on_stage and arrived.muted, case
    # ...and everyone is told so in the delta that brought them up.
    last = sent(state.deltas_since(state.version - 1)[0])  # type: ignore[index]
    [entry] = [
        c["participant"]
        for c in last["changes"]
        if "participant" in c and c["participant"]["user"]["id"] == who
    ]
    assert entry["muted"] is True
    # They say so: unmuting is theirs.
    state.set_muted(who, False)
    assert not state.participants[who].muted


def test_only_the_opener_arrives_live() -> None:
    state = RoomState("room")
    state.join(user(MOD), as_moderator=True, live=True)
    assert not state.participants[MOD].muted
    state.join(user(MOD2), as_moderator=True)
    assert state.participants[MOD2].muted


def test_moving_a_speaker_down_stops_their_publishing_and_speaking() -> None:
    state = room()
    state.set_publishing(frozenset({SPEAKER}))
    state.set_speaking({SPEAKER: True})
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
    assert state.set_speaking({SPEAKER: True}) is None  # muted people are not speaking
    # Several talking flips become one delta.
    both = state.set_speaking({MOD: True, MOD2: True, LISTENER: True})
    assert both is not None and len(both.changes) == 2


def test_last_moderator_leaving_says_so() -> None:
    state = room()
    _, no_moderator = state.leave(MOD)
    assert not no_moderator
    _, no_moderator = state.leave(MOD2)
    assert no_moderator


def test_resume_gives_missing_deltas_then_falls_back_to_snapshot() -> None:
    state = RoomState("room")
    state.join(user(MOD), as_moderator=True)
    for i in range(5):
        state.join(user(f"u{i}"), as_moderator=False)
    start = state.version
    for i in range(5):
        state.set_hand(f"u{i}", True)
    missed = state.deltas_since(start)
    assert missed is not None
    assert [d.version for d in missed] == list(range(start + 1, start + 6))
    assert state.deltas_since(state.version) == []
    assert state.deltas_since(state.version + 1) is None
    for i in range(600):
        state.set_hand(f"u{i % 5}", i // 5 % 2 == 1)
    assert state.deltas_since(start) is None  # too old: the client needs a snapshot


def test_a_description_is_in_the_snapshot_and_an_unchanged_one_is_no_delta() -> None:
    state = RoomState("room", "About tea")
    state.join(user(MOD), as_moderator=True, live=True)
    assert state.snapshot().description == "About tea"
    version = state.version
    assert state.set_description(MOD, "About tea") is None
    assert state.version == version
    delta = state.set_description(MOD, "")
    assert delta is not None and delta.version == version + 1
    assert sent(delta)["changes"] == [{"op": "description", "description": ""}]
    assert state.snapshot().description == ""
