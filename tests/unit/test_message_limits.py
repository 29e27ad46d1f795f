"""The WebSocket's rate limits as arithmetic: buckets, the kind of every message, a
member's budgets across sockets, a socket's gate, a room's budget (realtime/limits.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from teahouse.config import Settings
from teahouse.errors import CloseCode, ErrorCode
from teahouse.live.actions import STAGE_ACTIONS
from teahouse.realtime.client_messages import CLIENT_TYPES, parse_client_message
from teahouse.realtime.limits import (
    MEMBER_LIMITS,
    REFUSALS,
    SOCKET_FRAMES,
    Kind,
    Limit,
    MemberBucket,
    MemberBudgets,
    SocketGate,
    TokenBucket,
    kind_of,
    room_limit,
)
from teahouse.realtime.wire import literal_of
from tests.unit.test_protocol_doc import examples

ME, OTHER = "A" * 22, "B" * 22


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def takes(bucket: TokenBucket, limit: Limit, now: float, times: int) -> list[float]:
    return [bucket.take(limit, now) for _ in range(times)]


def test_a_bucket_gives_its_burst_then_refills_at_its_rate() -> None:
    limit = Limit(burst=3, per_second=2)
    bucket = TokenBucket(limit, 0.0)
    assert takes(bucket, limit, 0.0, 4) == [0.0, 0.0, 0.0, 0.5]
    assert bucket.take(limit, 0.25) == 0.25  # half a token back: half the wait left
    assert takes(bucket, limit, 0.5, 2) == [0.0, 0.5]  # one token after 0.5 s, then none
    # Never more than the burst, however long it rests.
    assert takes(bucket, limit, 100.0, 4) == [0.0, 0.0, 0.0, 0.5]


def test_a_refusal_takes_nothing_and_a_clock_going_back_adds_nothing() -> None:
    limit = Limit(burst=1, per_second=1)
    bucket = TokenBucket(limit, 10.0)
    assert bucket.take(limit, 10.0) == 0.0
    assert [bucket.take(limit, 10.0) for _ in range(50)] == [1.0] * 50
    assert bucket.take(limit, 5.0) == 1.0
    assert bucket.take(limit, 11.0) == 0.0


def test_a_bucket_whose_limit_shrinks_holds_no_more_than_the_new_burst() -> None:
    big, small = Limit(burst=100, per_second=10), Limit(burst=2, per_second=1)
    bucket = TokenBucket(big, 0.0)
    assert takes(bucket, small, 0.0, 3) == [0.0, 0.0, 1.0]


def test_every_client_message_type_has_a_kind_and_every_kind_a_limit() -> None:
    messages = [parse_client_message(m) for m in examples() if m["type"] in CLIENT_TYPES]
    assert {m.type for m in messages} == set(CLIENT_TYPES)
    kinds = {kind_of(m, ME) for m in messages}
    assert kinds == set(Kind) - {Kind.FRAME}
    assert set(MEMBER_LIMITS) == set(Kind)


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ({"type": "mute", "muted": True}, Kind.OWN),
        ({"type": "mute", "muted": True, "user_id": ME}, Kind.OWN),
        ({"type": "mute", "muted": True, "user_id": OTHER}, Kind.MODERATION),
        ({"type": "move_to_audience", "user_id": ME}, Kind.OWN),
        ({"type": "move_to_audience", "user_id": OTHER}, Kind.MODERATION),
        ({"type": "hand", "raised": True}, Kind.OWN),
        ({"type": "accept_speak"}, Kind.OWN),
        ({"type": "invite_to_speak", "user_id": OTHER}, Kind.MODERATION),
        ({"type": "end_room"}, Kind.MODERATION),
        ({"type": "join", "room": OTHER}, Kind.MEMBERSHIP),
        ({"type": "leave"}, Kind.MEMBERSHIP),
        ({"type": "publish", "sdp": "v=0"}, Kind.MEDIA),
        ({"type": "subscribe_answer", "sdp": "v=0"}, Kind.ANSWER),
        ({"type": "audience"}, Kind.AUDIENCE),
        ({"type": "ping"}, Kind.PING),
    ],
)
def test_doing_it_to_someone_else_is_moderation(message: dict[str, object], kind: Kind) -> None:
    assert kind_of(parse_client_message(message), ME) is kind


def test_a_members_budget_is_shared_by_their_sockets_and_outlives_them() -> None:
    clock = Clock()
    budgets = MemberBudgets(clock=clock)
    burst = int(MEMBER_LIMITS[Kind.OWN].burst)
    hand = parse_client_message({"type": "hand", "raised": True})
    tab, phone = SocketGate(budgets, ME), SocketGate(budgets, ME)
    assert [tab.message(hand) for _ in range(burst - 1)] == [None] * (burst - 1)
    assert phone.message(hand) is None
    refused = phone.message(hand)
    assert refused is not None and refused.code is ErrorCode.RATE_LIMITED
    assert refused.retry_after == 1 and "`hand`" in refused.message
    # A new socket (a reconnection) starts with what the member has left: nothing.
    assert SocketGate(budgets, ME).message(hand) is not None
    # Someone else, and another kind, have their own budgets.
    assert SocketGate(budgets, OTHER).message(hand) is None
    assert tab.message(parse_client_message({"type": "ping"})) is None
    clock.now += 1 / MEMBER_LIMITS[Kind.OWN].per_second
    assert tab.message(hand) is None


def test_members_are_forgotten_once_their_budgets_are_full_again() -> None:
    clock = Clock()
    start, sweep = clock.now, MemberBudgets.SWEEP_EVERY
    budgets = MemberBudgets(clock=clock)
    budgets.take(ME, Kind.PING)  # one ping, refilled long before the next look
    clock.now = start + sweep - 0.5
    for _ in range(int(MEMBER_LIMITS[Kind.OWN].burst)):
        budgets.take(OTHER, Kind.OWN)  # every hand, just before it
    clock.now = start + sweep
    budgets.take("C" * 22, Kind.PING)  # the look
    assert len(budgets) == 2  # OTHER (still refilling) and C; ME is forgotten
    assert budgets.take(OTHER, Kind.OWN) > 0  # OTHER's budget was kept as it was
    clock.now = start + 2 * sweep
    budgets.take("C" * 22, Kind.PING)
    assert len(budgets) == 1  # only the one who just sent something


def test_a_member_bucket_is_each_members_own_and_forgotten_once_full() -> None:
    clock = Clock()
    uploads = MemberBucket(Limit(3, 3 / 3600), clock)
    assert [uploads.take(ME) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert uploads.take(ME) == pytest.approx(1200)  # one more in 20 minutes
    assert uploads.take(OTHER) == 0.0
    clock.now += 1200  # OTHER is full again and forgotten at this look; ME is not
    assert uploads.take(ME) == 0.0 and uploads.take(ME) > 0
    assert len(uploads) == 1
    clock.now += 3600
    assert uploads.take("C" * 22) == 0.0 and len(uploads) == 1  # ME forgotten too


def test_frames_count_per_socket_and_per_member() -> None:
    clock = Clock()
    budgets = MemberBudgets(clock=clock)
    one = SocketGate(budgets, ME)
    frames = int(SOCKET_FRAMES.burst)
    assert [one.frame() for _ in range(frames)] == [None] * frames
    assert one.frame() is not None  # this socket's own limit
    member = int(MEMBER_LIMITS[Kind.FRAME].burst)
    others = [SocketGate(budgets, ME) for _ in range(member // frames)]
    for gate in others:
        for _ in range(frames):
            gate.frame()
    # The member's frames are spent, whichever socket they come from.
    assert SocketGate(budgets, ME).frame() is not None
    assert SocketGate(budgets, OTHER).frame() is None


def test_a_socket_that_keeps_being_refused_must_close() -> None:
    gate = SocketGate(MemberBudgets(clock=Clock()), ME)
    allowed = int(REFUSALS.burst)
    assert [gate.refused() for _ in range(allowed)] == [True] * allowed
    assert gate.refused() is False


def test_scaled_limits_multiply_bursts_and_rates() -> None:
    clock = Clock()
    budgets = MemberBudgets.scaled(2.0, clock)
    assert budgets.limits[Kind.PING] == Limit(
        MEMBER_LIMITS[Kind.PING].burst * 2, MEMBER_LIMITS[Kind.PING].per_second * 2
    )
    gate = SocketGate.scaled(budgets, ME, 2.0)
    frames = int(SOCKET_FRAMES.burst * 2)
    assert [gate.frame() for _ in range(frames)] == [None] * frames
    assert gate.frame() is not None


@pytest.mark.parametrize(
    ("sockets", "burst", "per_second"),
    [
        (0, 256, 20000),  # an empty room is a room of one
        (10, 256, 2000),  # small rooms: bounded by a quarter of a member's queue
        (100, 256, 200),
        (1000, 40, 20),  # big rooms: two seconds of deliveries at once
        (5000, 8, 4),
        (50000, 1, 0.4),  # at least one change, when one has refilled
    ],
)
def test_a_big_room_takes_fewer_changes_from_its_audience(
    sockets: int, burst: float, per_second: float
) -> None:
    assert room_limit(sockets, 20000, 1024) == Limit(burst, per_second)


# -- docs/SECURITY.md's table is the code's --------------------------------------------

SECURITY = Path(__file__).resolve().parents[2] / "docs" / "SECURITY.md"
WINDOW = re.compile(r"^(\d+) at once, then (\d+) a second$")


def limit_rows() -> list[list[str]]:
    section = SECURITY.read_text().split("\n## Message rate limits on the WebSocket\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = [line.strip("|").split(" | ") for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row] for row in rows[1:]]  # no header


def window(text: str) -> Limit:
    found = WINDOW.match(text)
    assert found, text
    return Limit(float(found[1]), float(found[2]))


def test_the_table_of_limits_is_the_code() -> None:
    rows = limit_rows()
    by_label: dict[str, list[str]] = {}
    for row in rows:
        label = re.match(r"^\*\*(\w+)\*\*", row[0])
        if label:
            by_label[label[1]] = row
    # Every kind but frames has its row, with its member limit and the code.
    assert set(by_label) == {kind.value for kind in Kind} - {Kind.FRAME}
    for name, (what, per, limit, code) in by_label.items():
        kind = Kind(name)
        assert (per, window(limit), code) == ("member", MEMBER_LIMITS[kind], "`rate_limited`")
        # The messages it names are the ones of that kind (as oneself or of another).
        named = set(re.findall(r"`(\w+)`", what))
        assert named, what
        for message_type in named:
            variants = [m for m in examples() if m["type"] == message_type]
            variants += [{**m, "user_id": ME} for m in variants if "user_id" in m]
            kinds = {kind_of(parse_client_message(m), ME) for m in variants}
            assert kind in kinds, (message_type, kinds)
    listed = {t for row in by_label.values() for t in re.findall(r"`(\w+)`", row[0])}
    assert listed == set(CLIENT_TYPES)
    frames = [(row[1], window(row[2])) for row in rows if row[0].startswith("every frame")]
    assert frames == [("socket", SOCKET_FRAMES), ("member", MEMBER_LIMITS[Kind.FRAME])]
    (refusals,) = [row for row in rows if row[0].startswith("refusals")]
    assert (refusals[1], window(refusals[2]), refusals[3]) == ("socket", REFUSALS, "close 4430")
    assert CloseCode.TOO_MANY_MESSAGES == 4430
    (room,) = [row for row in rows if row[1] == "room"]
    defaults = Settings.model_fields
    assert f"({defaults['room_delivery_budget'].default:,})" in room[2]
    assert f"({defaults['ws_send_queue'].default // 4})" in room[2]
    assert room[3] == "`room_busy`"
    assert set(re.findall(r"`(\w+)`", room[0])) == {
        literal_of(m.message) for m in STAGE_ACTIONS.values() if m.from_audience
    }
