"""The WebSocket protocol as one JSON Schema document, generated from the models.

    python -m teahouse.realtime.schema > frontend/src/generated/protocol.schema.json

``$defs`` holds both directions' unions, ``ClientMessage`` (what the server
accepts, as it validates it) and ``ServerMessage`` (what it sends, every field
present), each message and payload they name, ``ErrorCode`` and ``CloseCode``
(whose ``tsEnumNames`` name its members for a TypeScript generator). The root is
any of those four, so a generator that starts from the root reaches every
definition. The output is deterministic: the same models give the same bytes (a
unit test compares the committed file with it).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode
from pydantic_core import CoreSchema

from teahouse.errors import CloseCode, ErrorCode
from teahouse.realtime.client_messages import ClientMessage
from teahouse.realtime.server_messages import PROTOCOL_VERSION, ServerMessage

DIALECT = "https://json-schema.org/draft/2020-12/schema"


class _Schema(GenerateJsonSchema):
    # A field's title is its name title-cased ("Display Name"); generators turn titles
    # into type names, so only models and enums keep theirs.
    def field_title_should_be_set(self, schema: CoreSchema) -> bool:
        return False


def protocol_schema() -> dict[str, Any]:
    """Both directions' messages, the error codes and the close codes, in one document."""
    inputs: list[tuple[str, JsonSchemaMode, TypeAdapter[Any]]] = [
        ("ClientMessage", "validation", TypeAdapter(ClientMessage)),
        ("ServerMessage", "serialization", TypeAdapter(ServerMessage)),
        ("ErrorCode", "serialization", TypeAdapter(ErrorCode)),
        ("CloseCode", "serialization", TypeAdapter(CloseCode)),
    ]
    schemas, top = TypeAdapter.json_schemas(inputs, schema_generator=_Schema)
    defs: dict[str, Any] = dict(top["$defs"])
    for name, mode, _ in inputs:
        schema = schemas[(name, mode)]
        if "$ref" not in schema:  # the unions come inline; the enums as references
            defs[name] = {"title": name, **schema}
    defs["ClientMessage"]["description"] = "Every message a client may send."
    defs["ServerMessage"]["description"] = "Every message the server sends."
    defs["ErrorCode"]["description"] = "Why a message (or an HTTP request) was refused."
    defs["CloseCode"]["tsEnumNames"] = [_pascal(code.name) for code in CloseCode]
    for name in defs:  # pydantic names a model used both ways "X-Input" and "X-Output"
        if not name.isidentifier():
            raise TypeError(f"{name!r} is not a usable type name: give the model one use")
    document: dict[str, Any] = {
        "$schema": DIALECT,
        "title": "TeahouseProtocol",
        "description": f"The Teahouse WebSocket protocol, version {PROTOCOL_VERSION} "
        "(docs/PROTOCOL.md).",
        "anyOf": [{"$ref": f"#/$defs/{name}"} for name, _, _ in inputs],
        "$defs": dict(sorted(defs.items())),
    }
    _one_line_descriptions(document)
    return document


def render() -> str:
    """The document as it is committed: two-space indent, a final newline."""
    return json.dumps(protocol_schema(), indent=2, ensure_ascii=False) + "\n"


def _one_line_descriptions(schema: Any) -> None:
    """Docstrings are wrapped for the source; a description is one line of text."""
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "description" and isinstance(value, str):
                schema[key] = " ".join(value.split())
            else:
                _one_line_descriptions(value)
    elif isinstance(schema, list):
        for item in schema:
            _one_line_descriptions(item)


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


if __name__ == "__main__":
    sys.stdout.write(render())
