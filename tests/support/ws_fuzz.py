"""Hypothesis strategies for WebSocket frames a listener may send, each with the
replies docs/PROTOCOL.md says it gets, and a client that sends them to a live server.

A :class:`Probe` is one frame and what must answer it, in order: an ``error`` whose
code is one of a set (and whose ``ref`` is the frame's usable ``id``, if any), or the
answer of a message that is served (``pong``, ``audience_page``) and then its ``ok``
when it has an ``id``. The frames are built from the client messages of
``realtime/client_messages.py``: well-formed ones a listener is refused (another's
move, out of order, a room that does not exist), ones with a field of the wrong type,
missing, or one too many, control characters, unknown types, JSON that is no object,
no JSON at all, binary frames and frames over the size limit. None of them changes
the room: the only ones served read it (``ping``, ``audience``) or have nothing to
do (``unpublish`` from someone who publishes nothing).

Used by tests/integration/test_ws_fuzz.py and bench/ws_fuzz.py.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from websockets.sync.client import ClientConnection, connect

from teahouse.realtime.client_messages import CLIENT_TYPES

Json = Any
T = TypeVar("T")
MAX_FRAME_BYTES = 65536  # the server's max_ws_message_bytes
BATCH = 50  # frames sent before their replies are read
# Hypothesis makes a frame in about 2.5 ms here (2 cores), too slow for 100,000 in a
# minute: each batch it makes is sent this many times over, and must be answered the
# same way each time (a refusal changed nothing, so the next is refused alike).
SENT_TIMES = 10
# Keep-alive pings draw on the `random` module, from the server's loop, while
# hypothesis draws frames in another thread; hypothesis takes that for a strategy
# using `random`. The sockets here are busy anyway.
NO_KEEPALIVE = None
NOT_MODERATOR = frozenset({"not_moderator"})
NOT_SPEAKER = frozenset({"not_speaker"})
WRONG_STATE = frozenset({"wrong_state"})
MALFORMED = frozenset({"malformed_message"})
UNKNOWN = frozenset({"unknown_type"})
TOO_LARGE = frozenset({"message_too_large"})
# Messages arriving meanwhile that answer no frame: the room's coalesced news.
UNSOLICITED = frozenset({"delta"})


@dataclass(frozen=True)
class Probe:
    """A frame, and the codes its ``error`` may carry (None: it is served, answered
    with ``answer`` and, when it has an ``id``, ``ok``)."""

    frame: str | bytes
    refused: frozenset[str] | None
    answer: str = ""
    ref: str | None = None

    def __repr__(self) -> str:  # frames over the limit are 64 KiB long
        frame = self.frame if len(self.frame) <= 200 else self.frame[:200] + "..."  # type: ignore[operator]
        return f"Probe({frame!r}, {self.refused}, {self.answer!r}, {self.ref!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis's report
        printer.text(repr(self))

    def replies(self) -> int:
        if self.refused is not None:
            return 1
        return bool(self.answer) + (self.ref is not None)

    def check(self, replies: list[dict[str, Any]]) -> None:
        shown = (repr(self.frame[:160]), replies)
        if self.refused is not None:
            [error] = replies
            assert error["type"] == "error" and error["code"] in self.refused, shown
            assert error.get("ref") == self.ref, shown
            return
        if self.answer:
            assert replies[0]["type"] == self.answer, shown
        if self.ref is not None:
            assert replies[-1] == {"type": "ok", "ref": self.ref}, shown


@dataclass(frozen=True)
class Room:
    """What the fuzzing listener knows: the room it is in and who else is there."""

    moderator: str
    listener: str


ids = st.text(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", min_size=22, max_size=22
)
usable_refs = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=64
).filter(lambda ref: not any(0x80 <= ord(c) <= 0x9F for c in ref))
control_characters = st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b"])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _plain(text: str) -> bool:
    """Text the protocol takes (no control character: domain/text.py)."""
    return not any((ord(c) < 0x20 and c not in "\t\n\r") or 0x7F <= ord(c) <= 0x9F for c in text)


def _not_a_type(value: Json) -> bool:
    return not (isinstance(value, str) and value in CLIENT_TYPES)


def _not_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return True
    return False


def _not_an_object(value: Json) -> bool:
    return not isinstance(value, dict)


# Strategies are made once: hypothesis analyses each new one (its filters too).
plain_texts = st.text(min_size=1, max_size=12).filter(_plain)
sdps = st.text(min_size=1, max_size=200).filter(_plain)
sinces = st.none() | st.integers(0, 2**62)
type_names: st.SearchStrategy[Json] = (st.text(max_size=20) | scalars | st.just([])).filter(
    _not_a_type
)
not_objects = json_values.filter(_not_an_object)
not_json = st.sampled_from(
    ["", "{", "}", "[" * 3000, "nul", '{"type": "ping"', "{'type': 'ping'}"]
) | st.text(max_size=40).filter(_not_json)
binaries = st.binary(max_size=64)
extra_keys = st.text("xyz_", min_size=1, max_size=8)  # no field of any message
malformations = st.sampled_from(["wrong", "missing", "extra", "control"])
fills = st.sampled_from(["x", "\u00e9", "\u4e2d", "\U0001f375"])
KINDS = st.sampled_from(
    [
        *("ping", "audience", "unpublish", "refused", "malformed", "unknown"),
        *("not_object", "not_json", "binary"),
    ]
)


@st.composite
def refused_actions(draw: st.DrawFn, room: Room) -> tuple[dict[str, Json], frozenset[str]]:
    """A well-formed message a listener is refused, and the code that refuses it."""
    pick = draw(st.integers(0, 2))
    someone = draw(ids) if pick == 2 else (room.moderator, room.listener)[pick]
    which = draw(st.integers(0, 15))
    if which < 5:
        kind = ["invite_to_speak", "make_moderator", "remove_moderator", "remove_from_room"][
            which % 4
        ]
        return {"type": kind, "user_id": someone}, NOT_MODERATOR
    choices: list[tuple[dict[str, Json], frozenset[str]]] = [
        ({"type": "move_to_audience", "user_id": room.moderator}, NOT_MODERATOR),
        ({"type": "end_room"}, NOT_MODERATOR),
        ({"type": "set_hands", "enabled": which % 2 == 0}, NOT_MODERATOR),
        ({"type": "mute", "muted": which % 2 == 0}, NOT_SPEAKER),
        ({"type": "mute", "muted": True, "user_id": room.moderator}, NOT_MODERATOR),
        # Nobody unmutes someone else, a moderator neither.
        ({"type": "mute", "muted": False, "user_id": room.moderator}, frozenset({"not_allowed"})),
        ({"type": "subscribe_answer", "sdp": "v=0\r\n"}, WRONG_STATE),
        ({"type": "accept_speak"}, WRONG_STATE),
        ({"type": "decline_speak"}, WRONG_STATE),
        ({"type": "hand", "raised": False}, WRONG_STATE),  # it is not raised
    ]
    if which == 15:
        return {"type": "publish", "sdp": draw(sdps)}, NOT_SPEAKER
    if which == 14:
        join: dict[str, Json] = {"type": "join", "room": draw(ids)}
        if (since := draw(sinces)) is not None:
            join["since"] = since
        return join, frozenset({"room_not_found"})
    return choices[which - 5]


# Each client message type with one field of its own, a value of the wrong type for
# it, and whether the field is required (so leaving it out is malformed too).
FIELDS: dict[str, tuple[str, st.SearchStrategy[Json], bool]] = {
    "join": ("room", st.integers() | st.text(max_size=21) | st.booleans(), True),
    "hand": (
        "raised",
        st.integers() | st.text(max_size=5) | st.lists(st.booleans(), max_size=2),
        True,
    ),
    "invite_to_speak": ("user_id", st.integers() | st.text(min_size=23, max_size=30), True),
    "move_to_audience": ("user_id", st.floats(allow_nan=False) | st.just([]), True),
    "mute": ("muted", st.sampled_from(["yes", 1, 0, "true"]), True),
    "make_moderator": ("user_id", st.none(), True),
    "remove_moderator": (
        "user_id",
        st.dictionaries(st.text(max_size=3), scalars, max_size=2),
        True,
    ),
    "remove_from_room": ("user_id", st.text(max_size=21), True),
    "set_hands": ("enabled", st.integers() | st.none(), True),
    "audience": (
        "limit",
        st.integers(101, 2**40) | st.integers(-(2**40), 0) | st.text(max_size=3),
        False,
    ),
    "publish": ("sdp", st.just("") | st.integers(), True),
    "subscribe_answer": ("sdp", st.none() | st.just(""), True),
    "accept_speak": ("id", st.just("") | st.integers() | st.text(min_size=65, max_size=70), False),
}


FIELD_KINDS = st.sampled_from(sorted(FIELDS))
refs = st.none() | usable_refs
limits = st.integers(1, 100)


@st.composite
def malformed(draw: st.DrawFn, room: Room) -> dict[str, Json]:
    """A known type with a field of the wrong type, missing, unknown, or with a
    control character: ``malformed_message``."""
    kind = draw(FIELD_KINDS)
    field, wrong, required = FIELDS[kind]
    message: dict[str, Json] = {"type": kind}
    how = draw(malformations)
    if how == "missing" and required:
        return message
    message |= _valid_fields(kind, room)
    if how == "extra":
        return message | {draw(extra_keys): draw(scalars)}
    if how == "control":
        text = draw(st.text(max_size=10)) + draw(control_characters)
        return message | {"id": text}
    return message | {field: draw(wrong)}


def _valid_fields(kind: str, room: Room) -> dict[str, Json]:
    if kind in FIELDS and FIELDS[kind][0] == "user_id":
        return {"user_id": room.moderator}
    fields: dict[str, dict[str, Json]] = {
        "join": {"room": room.moderator},
        "hand": {"raised": True},
        "mute": {"muted": True},
        "set_hands": {"enabled": True},
        "publish": {"sdp": "v=0\r\n"},
        "subscribe_answer": {"sdp": "v=0\r\n"},
    }
    return fields.get(kind, {})


@st.composite
def probes(draw: st.DrawFn, room: Room) -> Probe:
    """One frame of any of the kinds above, with its expected replies."""
    ref = draw(refs)

    def with_id(message: dict[str, Json]) -> str:
        return json.dumps(message if ref is None else {**message, "id": ref})

    if draw(st.integers(0, 199)) == 0:  # over the limit in bytes, whatever in characters
        fill = draw(fills)
        count = MAX_FRAME_BYTES // len(fill.encode()) + 1
        pad = json.dumps({"type": "ping", "pad": fill * count}, ensure_ascii=False)
        return Probe(pad, TOO_LARGE)
    kind = draw(KINDS)
    if kind == "ping":
        return Probe(with_id({"type": "ping"}), None, "pong", ref)
    if kind == "audience":
        page: dict[str, Json] = {"type": "audience", "limit": draw(limits)}
        if draw(st.booleans()):  # a cursor the server never gave
            page["after"] = draw(plain_texts)
            return Probe(with_id(page), frozenset({"bad_cursor"}), ref=ref)
        return Probe(with_id(page), None, "audience_page", ref)
    if kind == "unpublish":  # nothing published: nothing to do, and `ok`
        return Probe(with_id({"type": "unpublish"}), None, ref=ref)
    if kind == "refused":
        message, codes = draw(_of_room(refused_actions, room))
        return Probe(with_id(message), codes, ref=ref)
    if kind == "malformed":
        message = draw(_of_room(malformed, room))
        if "id" in message:  # an id of its own, and no usable one: no ref comes back
            return Probe(json.dumps(message), MALFORMED)
        return Probe(with_id(message), MALFORMED, ref=ref)
    if kind == "unknown":
        name = draw(type_names)
        return Probe(
            with_id({"type": name} if draw(st.booleans()) else {"kind": name}), UNKNOWN, ref=ref
        )
    if kind == "not_object":
        return Probe(json.dumps(draw(not_objects)), MALFORMED)
    if kind == "not_json":
        return Probe(draw(not_json), MALFORMED)
    # A binary frame is no message, even one that holds a message's JSON.
    data = with_id({"type": "ping"}).encode() if draw(st.booleans()) else draw(binaries)
    return Probe(data, MALFORMED)


@functools.cache
def _of_room(strategy: Callable[[Room], st.SearchStrategy[T]], room: Room) -> st.SearchStrategy[T]:
    """A strategy of the room made once (a new one costs hypothesis an analysis)."""
    return strategy(room)


def batches(room: Room, size: int) -> st.SearchStrategy[list[Probe]]:
    return st.lists(probes(room), min_size=size, max_size=size)


@dataclass
class FuzzTally:
    frames: int = 0
    served: int = 0
    # The first wrong answer: after it the socket's replies no longer line up with
    # its frames, so what follows says nothing.
    first_failure: AssertionError | None = None

    def count(self, probe: Probe) -> None:
        self.frames += 1
        if probe.refused is None:
            self.served += 1


def send_batch(
    ws: ClientConnection, batch: list[Probe], tally: FuzzTally, timeout: float = 30
) -> None:
    """Send every frame of ``batch`` at once, then read and check their replies in
    order (a socket's frames are answered in the order they came)."""
    if tally.first_failure is not None:
        return
    for probe in batch:
        ws.send(probe.frame)
    deadline = time.monotonic() + timeout
    for probe in batch:
        replies: list[dict[str, Any]] = []
        while len(replies) < probe.replies():
            message = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message["type"] not in UNSOLICITED:
                replies.append(message)
        try:
            probe.check(replies)
        except AssertionError as failure:
            tally.first_failure = failure
            raise
        tally.count(probe)


def join_sync(base_url: str, cookie_name: str, token: str, room_id: str) -> ClientConnection:
    """The fuzzing member's socket, in the room: synchronous, as hypothesis drives it
    from a thread (or a process) of its own."""
    ws = connect(
        base_url.replace("http", "ws", 1) + "/ws",
        additional_headers={"origin": base_url, "cookie": f"{cookie_name}={token}"},
        max_size=None,
        ping_interval=NO_KEEPALIVE,
        legacy=True,  # closed by its caller, not by a with block around it
    )
    ws.send(json.dumps({"type": "join", "room": room_id}))
    while json.loads(ws.recv(timeout=10))["type"] != "snapshot":
        pass
    return ws


def fuzz_socket(
    ws: ClientConnection, room: Room, frames: int, sent_times: int = SENT_TIMES
) -> FuzzTally:
    """Send ``frames`` frames (hypothesis batches, each ``sent_times`` times) and check
    every reply; raises the first wrong one."""
    tally = FuzzTally()

    @settings(
        max_examples=max(1, frames // (BATCH * sent_times)),
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # a failure is reported as found
        suppress_health_check=list(HealthCheck),
    )
    @given(batch=batches(room, BATCH))
    def send(batch: list[Probe]) -> None:
        for _ in range(sent_times):
            send_batch(ws, batch, tally)

    try:
        send()
    finally:
        if tally.first_failure is not None:
            raise tally.first_failure
    return tally


def last_ping(ws: ClientConnection) -> list[dict[str, Any]]:
    """A ping with an id, and the two replies it gets."""
    ws.send(json.dumps({"type": "ping", "id": "last"}))
    return [json.loads(ws.recv(timeout=10)) for _ in range(2)]
