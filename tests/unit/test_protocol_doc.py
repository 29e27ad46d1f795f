"""Every example in docs/PROTOCOL.md is a message the code really speaks."""

from __future__ import annotations

import json
import re
from pathlib import Path

from teahouse.realtime.messages import MESSAGE_TYPES, parse_client_message

DOC = Path(__file__).resolve().parents[2] / "docs" / "PROTOCOL.md"
SERVER_TYPES = {
    "welcome",
    "snapshot",
    "delta",
    "room_ended",
    "ok",
    "error",
    "publish_answer",
    "subscribe_offer",
    "media_status",
    "pong",
    "notification",
    "hallway_changed",
    "audience_page",
    "removed",
}


def examples() -> list[dict[str, object]]:
    lines = re.findall(r'^(\{"type": .*\})$', DOC.read_text(), re.M)
    return [json.loads(line.replace("…", "")) for line in lines]


def test_every_client_example_parses_and_every_type_has_one() -> None:
    client = [m for m in examples() if m["type"] in MESSAGE_TYPES]
    for message in client:
        parse_client_message(message)
    assert {m["type"] for m in client} == MESSAGE_TYPES


def test_every_server_message_type_has_an_example() -> None:
    assert {m["type"] for m in examples()} - MESSAGE_TYPES == SERVER_TYPES
