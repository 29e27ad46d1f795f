"""docs/PROTOCOL.md documents the protocol the models define: every message type of
both directions (and nothing else), every change op and close code, and every
example is a message the code really speaks."""

from __future__ import annotations

import json
import re
from pathlib import Path

from teahouse.errors import CloseCode, ErrorCode
from teahouse.realtime.client_messages import CLIENT_TYPES, parse_client_message
from teahouse.realtime.server_messages import CHANGE_OPS, SERVER_MESSAGE_ADAPTER, SERVER_TYPES

DOC = Path(__file__).resolve().parents[2] / "docs" / "PROTOCOL.md"


def examples() -> list[dict[str, object]]:
    lines = re.findall(r'^(\{"type": .*\})$', DOC.read_text(), re.M)
    return [json.loads(line.replace("…", "")) for line in lines]


def first_column(heading: str) -> list[str]:
    """The first column of the table under ``## heading`` (its header row left out)."""
    section = DOC.read_text().split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `?([^`|]+?)`? \|", section, re.M)
    return rows[1:]


def test_every_client_example_parses_and_every_type_has_one() -> None:
    client = [m for m in examples() if m["type"] in CLIENT_TYPES]
    for message in client:
        parse_client_message(message)
    assert {m["type"] for m in client} == set(CLIENT_TYPES)


def test_every_server_message_type_has_an_example() -> None:
    assert {m["type"] for m in examples()} - set(CLIENT_TYPES) == set(SERVER_TYPES)


def test_every_server_example_is_a_message_the_models_describe() -> None:
    server = [m for m in examples() if m["type"] not in CLIENT_TYPES]
    for message in server:
        parsed = SERVER_MESSAGE_ADAPTER.validate_python(message)
        assert type(parsed) is SERVER_TYPES[str(message["type"])]


def test_the_tables_name_every_message_type_and_nothing_else() -> None:
    client = first_column("Client to server")
    server = first_column("Server to client")
    assert sorted(client) == sorted(CLIENT_TYPES) and len(set(client)) == len(client)
    assert sorted(server) == sorted(SERVER_TYPES) and len(set(server)) == len(server)


def test_the_change_ops_are_the_models() -> None:
    section = DOC.read_text().split("`changes` is a list of", 1)[1].split("\n\n", 2)[1]
    assert re.findall(r"^\| `(\w+)` \|", section, re.M) == list(CHANGE_OPS)


def test_the_close_codes_are_the_enum() -> None:
    rows = re.findall(r"^\| (\d{4}) \| `(\w+)` \|", DOC.read_text(), re.M)
    assert rows == [(str(code.value), code.name) for code in CloseCode]


def test_every_error_code_named_exists() -> None:
    assert set(first_column("Error codes")) <= set(ErrorCode)
