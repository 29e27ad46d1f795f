"""The committed JSON Schema of the protocol is what the models produce, and reads
well as the source of generated TypeScript types."""

from __future__ import annotations

from pathlib import Path

from teahouse.errors import CloseCode
from teahouse.realtime.client_messages import CLIENT_TYPES
from teahouse.realtime.schema import protocol_schema, render
from teahouse.realtime.server_messages import SERVER_TYPES

COMMITTED = (
    Path(__file__).resolve().parents[2] / "frontend" / "src" / "generated" / "protocol.schema.json"
)
REGENERATE = "python -m teahouse.realtime.schema > frontend/src/generated/protocol.schema.json"


def test_the_committed_schema_is_what_the_models_produce() -> None:
    assert COMMITTED.read_text() == render(), f"the protocol changed: run `{REGENERATE}`"


def test_the_schema_holds_both_directions_and_the_codes() -> None:
    schema = protocol_schema()
    defs = schema["$defs"]
    assert {ref["$ref"].rsplit("/", 1)[1] for ref in schema["anyOf"]} == {
        "ClientMessage",
        "ServerMessage",
        "ErrorCode",
        "CloseCode",
    }
    for union, types in (("ClientMessage", CLIENT_TYPES), ("ServerMessage", SERVER_TYPES)):
        mapping = defs[union]["discriminator"]["mapping"]
        assert set(mapping) == set(types)
        assert {ref.rsplit("/", 1)[1] for ref in mapping.values()} == {
            model.__name__ for model in types.values()
        }
    assert defs["CloseCode"]["enum"] == [code.value for code in CloseCode]
    assert len(defs["CloseCode"]["tsEnumNames"]) == len(CloseCode)


def test_every_name_reads_as_a_type_name_and_every_server_field_is_sent() -> None:
    for name, definition in protocol_schema()["$defs"].items():
        assert name.isidentifier() and name[0].isupper(), name
        for field, prop in definition.get("properties", {}).items():
            assert "title" not in prop, (name, field)
        if name.endswith("Message") and name in {m.__name__ for m in SERVER_TYPES.values()}:
            optional = set(definition["properties"]) - set(definition["required"])
            # Only `ref` may be left out (there was no `id`), and an error's
            # `retry_after` (only rate limits have one).
            may_be_left_out = {"ref", "retry_after"} if name == "ErrorMessage" else {"ref"}
            assert optional <= may_be_left_out, (name, optional)
