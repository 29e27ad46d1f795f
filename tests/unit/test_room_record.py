"""A live room's state survives being saved: the record, through its JSON, rebuilds
the same state (what members see, the audience's order and cursors, the resume
history), and after a crash no version a member holds resumes into the wrong state."""

from __future__ import annotations

from teahouse.domain.room_changes import RoomRecord, UserRef
from teahouse.domain.room_state import RoomState
from teahouse.rooms.saved import RECORD, SavedRoom
from tests.unit.test_room_state import HAND, IN_ROOM, INVITED, MOD, REMOVED, SPEAKER, room, user


def through_json(state: RoomState) -> RoomState:
    saved = SavedRoom(state.record(), UserRef(MOD, MOD, "Mod"), (MOD,), ("ab" * 32,), True)
    back = RECORD.validate_json(RECORD.dump_json(saved))
    assert back == saved
    return RoomState.restored(state.room_id, back.state)


def test_a_restored_state_is_the_saved_one() -> None:
    state = room()
    for uid in ("late1", "late2", "late3"):
        state.join(user(uid), as_moderator=False)
    state.leave("late2")
    state.flush_listeners()
    state.set_description(MOD, "Tea and 茶")
    state.set_hands(MOD, False)

    back = through_json(state)

    assert back.record() == state.record()
    assert back.snapshot() == state.snapshot()
    assert back.snapshot(frozenset({HAND})) == state.snapshot(frozenset({HAND}))
    assert back.removed == {REMOVED}
    # The audience keeps its order and places, so a cursor handed out before still reads.
    first = state.audience_page(None, 1)
    assert back.audience_page(None, 1) == first
    assert back.audience_page(first.next_cursor, 10) == state.audience_page(first.next_cursor, 10)
    # Resuming from an old version replays the same deltas.
    assert back.deltas_since(3) == state.deltas_since(3)
    # And the restored room goes on under the same rules.
    assert back.invite_to_speak(MOD, HAND) == state.invite_to_speak(MOD, HAND)
    assert set(back.participants) == set(state.participants) >= set(IN_ROOM) - {REMOVED}


def test_after_a_crash_every_version_held_gets_a_snapshot() -> None:
    state = room()
    saved_at = state.version
    state.set_muted(SPEAKER, True)  # a change the crash lost: a member saw saved_at + 1
    lost = RoomRecord(**{**vars_of(state.record()), "version": saved_at})
    back = RoomState.restored("room", lost)

    back.jump(100_000)
    change = back.answer_invitation(INVITED, True)

    assert change is not None and change.version > saved_at + 1
    for held in (saved_at - 1, saved_at, saved_at + 1, saved_at + 2):
        assert back.deltas_since(held) is None  # a snapshot, never a wrong replay
    # Versions the restored room made resume as ever.
    assert back.deltas_since(change.version - 1) == [change]
    assert back.deltas_since(change.version) == []


def vars_of(record: RoomRecord) -> dict[str, object]:
    return {name: getattr(record, name) for name in RoomRecord.__slots__}
