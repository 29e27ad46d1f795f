"""Bookkeeping of the VideoRoom backend: IDs, live feeds, per-key locks."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest

from teahouse.media.base import FeedsChanged, Talking
from teahouse.media.janus_client import JanusEvent, JanusHandle
from teahouse.media.videoroom_state import (
    KeyedLocks,
    PublisherState,
    RoomState,
    SubscriberState,
    random_janus_id,
)

HANDLE = cast(JanusHandle, object())


def test_random_ids_fit_in_53_bits_and_avoid_taken_ones() -> None:
    ids = {random_janus_id() for _ in range(1000)}
    assert all(1 <= i < 2**53 for i in ids)
    assert len(ids) == 1000
    taken = set(range(1, 10))
    assert random_janus_id(taken) not in taken


def room_with(*publishers: tuple[str, int, bool]) -> RoomState:
    room = RoomState(room_id="r", janus_id=1, secret="s")
    for who, feed, live in publishers:
        room.publishers[who] = PublisherState(who, feed, HANDLE, live=live)
    return room


def test_live_set_counts_only_publishers_whose_media_is_up() -> None:
    room = room_with(("alice", 11, True), ("carol", 22, False))
    assert room.live() == {"alice"}
    assert room.live_feeds() == {"alice": 11}
    assert room.feed_ids() == {11, 22}


def test_pruning_forgets_feeds_that_went_away() -> None:
    room = room_with(("alice", 11, True), ("carol", 22, False))
    room.subscribers["bob"] = SubscriberState("bob", HANDLE, {11, 22, 33})
    room.prune_subscriptions()
    assert room.subscribers["bob"].feeds == {11}


async def test_keyed_locks_serialise_one_key_and_not_others() -> None:
    locks = KeyedLocks()
    order: list[str] = []

    async def work(key: Any, name: str, pause: float) -> None:
        async with locks.hold(key):
            order.append(f"{name}+")
            await asyncio.sleep(pause)
            order.append(f"{name}-")

    await asyncio.gather(work("a", "1", 0.05), work("a", "2", 0), work("b", "3", 0))
    assert order.index("1-") < order.index("2+")
    assert order.index("3+") < order.index("1-")
    assert len(locks) == 0  # nothing left behind


async def test_keyed_lock_is_released_on_error() -> None:
    locks = KeyedLocks()
    with pytest.raises(RuntimeError):
        async with locks.hold("k"):
            raise RuntimeError("boom")
    assert len(locks) == 0
    async with asyncio.timeout(1), locks.hold("k"):
        pass


def event(kind: str, **data: Any) -> JanusEvent:
    return JanusEvent(kind=kind, data=data, jsep=None)


def test_publisher_is_live_from_webrtcup_until_hangup() -> None:
    room = room_with(("alice", 11, False))
    alice = room.publishers["alice"]
    assert room.publisher_event(alice, event("webrtcup")) == [
        FeedsChanged("r", frozenset({"alice"}))
    ]
    # Repeats and media reports change nothing, "not receiving" included.
    assert room.publisher_event(alice, event("media", receiving=True)) == []
    assert room.publisher_event(alice, event("media", receiving=False)) == []
    assert room.publisher_event(alice, event("hangup")) == [FeedsChanged("r", frozenset())]
    assert room.publisher_event(alice, event("detached")) == []


def test_media_flowing_also_makes_a_publisher_live() -> None:
    room = room_with(("alice", 11, False))
    got = room.publisher_event(room.publishers["alice"], event("media", receiving=True))
    assert got == [FeedsChanged("r", frozenset({"alice"}))]


@pytest.mark.parametrize("data", [{"unpublished": 11}, {"leaving": 11}])
def test_own_unpublished_or_leaving_ends_the_feed(data: dict[str, Any]) -> None:
    room = room_with(("alice", 11, True), ("carol", 22, True))
    room.reported_live = frozenset({"alice", "carol"})
    got = room.publisher_event(room.publishers["alice"], event("event", videoroom="event", **data))
    assert got == [FeedsChanged("r", frozenset({"carol"}))]


def test_other_feeds_events_are_not_ours() -> None:
    room = room_with(("alice", 11, True), ("carol", 22, True))
    room.reported_live = frozenset({"alice", "carol"})
    alice = room.publishers["alice"]
    assert room.publisher_event(alice, event("event", videoroom="event", unpublished=22)) == []
    assert room.publisher_event(alice, event("event", videoroom="talking", id=22)) == []


def test_talking_is_reported_on_change_and_ends_with_the_feed() -> None:
    room = room_with(("alice", 11, True))
    room.reported_live = frozenset({"alice"})
    alice = room.publishers["alice"]
    talking = event("event", videoroom="talking", id=11)
    assert room.publisher_event(alice, talking) == [Talking("r", "alice", True)]
    assert room.publisher_event(alice, talking) == []
    # No packets for a second: Janus never says "stopped-talking" then.
    silent = event("media", receiving=False)
    assert room.publisher_event(alice, silent) == [Talking("r", "alice", False)]
    assert room.publisher_event(alice, silent) == []
    assert room.publisher_event(alice, talking) == [Talking("r", "alice", True)]
    assert room.publisher_event(alice, event("hangup")) == [
        Talking("r", "alice", False),
        FeedsChanged("r", frozenset()),
    ]


def test_going_away_prunes_subscriptions() -> None:
    room = room_with(("alice", 11, True), ("carol", 22, True))
    room.subscribers["bob"] = SubscriberState("bob", HANDLE, {11, 22})
    room.publisher_gone(room.publishers["alice"])
    assert room.subscribers["bob"].feeds == {22}
