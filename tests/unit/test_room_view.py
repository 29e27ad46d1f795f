"""The test client's room model applies the protocol as docs/PROTOCOL.md says."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.room_view import Outcome, ProtocolViolation, RoomView, server_state


def person(
    uid: str, role: str = "listener", invited: bool = False, **fields: Any
) -> dict[str, Any]:
    return {
        "user": {"id": uid, "username": uid, "display_name": uid.title()},
        "role": role,
        "hand_raised": False,
        "invited": invited,
        "muted": False,
        "speaking": False,
        "publishing": False,
        **fields,
    }


def snapshot(version: int = 5, *participants: dict[str, Any], listeners: int = 3) -> dict[str, Any]:
    return {
        "type": "snapshot",
        "version": version,
        "room": {"id": "r"},
        "participants": list(participants) or [person("ada", "moderator")],
        "listeners": listeners,
        "settings": {"hands": True},
        "you": "bob",
    }


def delta(version: int, *changes: dict[str, Any]) -> dict[str, Any]:
    return {"type": "delta", "version": version, "changes": list(changes)}


def joined() -> RoomView:
    view = RoomView()
    assert view.apply(snapshot()) is Outcome.APPLIED
    return view


def test_a_snapshot_replaces_everything() -> None:
    view = joined()
    view.apply(delta(6, {"op": "upsert", "participant": person("bob", hand_raised=True)}))
    view.apply(snapshot(9, person("cy", "moderator"), listeners=7))
    assert view.state() == {
        "version": 9,
        "participants": {"cy": person("cy", "moderator")},
        "listeners": 7,
        "settings": {"hands": True},
    }
    assert view.snapshots == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"op": "upsert", "participant": person("bob", "listener", True)},
            {
                "participants": {
                    "ada": person("ada", "moderator"),
                    "bob": person("bob", invited=True),
                }
            },
        ),
        (
            {"op": "upsert", "participant": person("ada", "moderator", muted=True)},
            {"participants": {"ada": person("ada", "moderator", muted=True)}},
        ),
        ({"op": "remove", "user_id": "ada"}, {"participants": {}}),
        # A hand this client never saw (hidden by a block) is lowered: nothing to do.
        ({"op": "remove", "user_id": "zed"}, {"participants": {"ada": person("ada", "moderator")}}),
        ({"op": "listeners", "count": 40}, {"listeners": 40}),
        ({"op": "settings", "settings": {"hands": False}}, {"settings": {"hands": False}}),
    ],
)
def test_each_op(change: dict[str, Any], expected: dict[str, Any]) -> None:
    view = joined()
    before = view.state()
    assert view.apply(delta(6, change)) is Outcome.APPLIED
    assert view.state() == {**before, **expected, "version": 6}


def test_an_empty_delta_still_moves_the_version() -> None:
    view = joined()
    assert view.apply(delta(6)) is Outcome.APPLIED  # a change hidden by a block
    assert view.version == 6


def test_old_news_is_ignored() -> None:
    view = joined()
    view.apply(delta(6, {"op": "listeners", "count": 4}))
    assert view.apply(delta(6, {"op": "listeners", "count": 99})) is Outcome.IGNORED
    assert view.apply(delta(2, {"op": "remove", "user_id": "ada"})) is Outcome.IGNORED
    assert view.listeners == 4 and "ada" in view.participants


def test_a_gap_asks_once_to_resume_and_the_missing_deltas_fill_it() -> None:
    view = joined()
    assert view.apply(delta(8, {"op": "listeners", "count": 8})) is Outcome.RESUME
    assert view.version == 5 and view.listeners == 3  # nothing applied
    assert view.apply(delta(9, {"op": "listeners", "count": 9})) is Outcome.IGNORED
    # The server answers `join` + `since: 5` with 6, 7, 8, 9, then live deltas.
    for version in (6, 7, 8, 9, 10):
        assert view.apply(delta(version, {"op": "listeners", "count": version})) is Outcome.APPLIED
    assert view.state()["version"] == 10 and view.listeners == 10
    assert not view.resuming
    assert view.apply(delta(12)) is Outcome.RESUME  # a new gap asks again


def test_a_gap_filled_by_a_fresh_snapshot() -> None:
    view = joined()
    assert view.apply(delta(700)) is Outcome.RESUME
    assert view.apply(snapshot(701, listeners=1)) is Outcome.APPLIED
    assert view.version == 701 and not view.resuming


def test_deltas_before_the_first_snapshot_are_not_applied() -> None:
    view = RoomView()
    assert view.apply(delta(1, {"op": "listeners", "count": 1})) is Outcome.IGNORED
    assert not view.ready


def test_counts_listener_changes() -> None:
    view = joined()
    view.apply(delta(6, {"op": "listeners", "count": 4}))
    view.apply(delta(7, {"op": "upsert", "participant": person("bob", hand_raised=True)}))
    assert (view.deltas, view.listener_changes) == (2, 1)


@pytest.mark.parametrize(
    "message",
    [delta(6, {"op": "rename", "user_id": "ada"})],
)
def test_an_unknown_op_is_a_violation(message: dict[str, Any]) -> None:
    with pytest.raises(ProtocolViolation):
        joined().apply(message)


def test_not_a_room_message() -> None:
    with pytest.raises(ValueError, match="not a room message"):
        joined().apply({"type": "pong"})


def test_server_state_has_the_views_shape() -> None:
    snap = {
        "version": 3,
        "participants": [person("ada", "moderator")],
        "listeners": 2,
        "settings": {"hands": False},
    }
    assert server_state(snap) == {
        "version": 3,
        "participants": {"ada": person("ada", "moderator")},
        "listeners": 2,
        "settings": {"hands": False},
    }
