"""Parsing of client messages: tables of good and bad frames."""

from __future__ import annotations

import json

import pytest

from teahouse.errors import BadRequest
from teahouse.realtime.client_messages import (
    Hand,
    Join,
    Mute,
    Publish,
    decode_frame,
    message_ref,
    parse_client_message,
)

ROOM = "A" * 22

GOOD = [
    ({"type": "join", "room": ROOM}, Join(type="join", room=ROOM)),
    (
        {"type": "join", "room": ROOM, "since": 4, "id": "x"},
        Join(type="join", room=ROOM, since=4, id="x"),
    ),
    ({"type": "hand", "raised": True}, Hand(type="hand", raised=True)),
    ({"type": "mute", "muted": False}, Mute(type="mute", muted=False)),
    ({"type": "publish", "sdp": "v=0"}, Publish(type="publish", sdp="v=0")),
]

BAD = [
    ("not json", "malformed_message"),
    ("[1, 2]", "malformed_message"),
    ('"hand"', "malformed_message"),
    ("null", "malformed_message"),
    ("{}", "unknown_type"),
    ('{"type": "dance"}', "unknown_type"),
    ('{"type": 7}', "unknown_type"),
    ('{"type": "hand"}', "malformed_message"),
    ('{"type": "hand", "raised": "yes"}', "malformed_message"),
    ('{"type": "hand", "raised": 1}', "malformed_message"),
    ('{"type": "hand", "raised": true, "extra": 1}', "malformed_message"),
    ('{"type": "join", "room": "short"}', "malformed_message"),
    ('{"type": "join", "room": "' + ROOM + '", "since": -1}', "malformed_message"),
    ('{"type": "join", "room": "' + ROOM + '", "id": ""}', "malformed_message"),
    ('{"type": "publish", "sdp": ""}', "malformed_message"),
    ('{"type": "publish", "sdp": "' + "x" * 40000 + '"}', "malformed_message"),
    ("[" * 100000 + "]" * 100000, "message_too_large"),
    ("[" * 5000 + "]" * 5000, "malformed_message"),
    # The limit is in UTF-8 bytes: 16,385 four-byte characters are 65,540 bytes.
    ('{"type": "ping", "x": "' + "\U0001f375" * 16385 + '"}', "message_too_large"),
    # Messages are text frames: a binary one is refused even when it holds a message.
    (b'{"type": "ping"}', "malformed_message"),
    ("\U0001f375".encode("utf-16"), "malformed_message"),
]


@pytest.mark.parametrize(("raw", "expected"), GOOD)
def test_good_messages_parse(raw: dict[str, object], expected: object) -> None:
    assert parse_client_message(decode_frame(json.dumps(raw), 65536)) == expected


@pytest.mark.parametrize(
    ("frame", "code"), BAD, ids=[code + str(i) for i, (_, code) in enumerate(BAD)]
)
def test_bad_frames_are_refused_with_their_code(frame: str | bytes, code: str) -> None:
    with pytest.raises(BadRequest) as refused:
        parse_client_message(decode_frame(frame, 65536))
    assert refused.value.code == code


def test_reply_ref_is_taken_only_from_a_usable_id() -> None:
    assert message_ref({"id": "abc"}) == "abc"
    assert message_ref({"id": 3}) is None
    assert message_ref({"id": "x" * 65}) is None
    assert message_ref([1]) is None
