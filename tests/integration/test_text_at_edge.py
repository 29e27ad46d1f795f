"""A control character in any text field is refused at the edge, the same on both
engines: every path, query and body field of every route (found in the app's own
OpenAPI document, so a new route is covered by itself) and every text field of every
client message. Nothing is stored or queried on the way, so nothing changes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from teahouse.realtime.client_messages import CLIENT_TYPES
from tests.support.admin import snapshot
from tests.support.server import LiveServer

NUL = "a\x00b"
# What JSON can carry and a database cannot store: a lone surrogate.
BAD_BODY_TEXTS = (NUL, "a\ud800b", "a\x1b[31mb", "a\x9bb")
METHODS = ("get", "post", "put", "patch", "delete")
SCHEMAS = "#/components/schemas/"


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # with its parameters filled in
    where: str  # "path", "query" or "body"
    field: str
    query: dict[str, str]
    body: dict[str, Any] | None

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path} {self.where}:{self.field}"


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].removeprefix(SCHEMAS)]
    return schema


def variants(document: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    schema = resolve(document, schema)
    if "anyOf" in schema:
        return [resolve(document, s) for s in schema["anyOf"]]
    return [schema]


def is_text(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    """Free text: a string (or a list of them) that is not one of a few names."""
    for s in variants(document, schema):
        if s.get("type") == "array":
            return is_text(document, s["items"])
        if s.get("type") == "string" and "enum" not in s and "const" not in s:
            return True
    return False


def sample(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A value of ``schema`` that validates (its content need not make sense)."""
    s = next(v for v in variants(document, schema) if v.get("type") != "null")
    if "enum" in s:
        return s["enum"][0]
    kind = s.get("type")
    if kind == "array":
        return []
    if kind == "integer":
        return s.get("minimum", 1)
    if kind == "boolean":
        return False
    return "x"


def bad(document: dict[str, Any], schema: dict[str, Any], text: str) -> Any:
    arrays = [s for s in variants(document, schema) if s.get("type") == "array"]
    return [text] if arrays else text


def cases(document: dict[str, Any], text: str, body_text: str) -> Iterator[Case]:
    for template, operations in document["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            params = operation.get("parameters", [])
            path_params = [p["name"] for p in params if p["in"] == "path"]
            required_query = {
                p["name"]: str(sample(document, p["schema"]))
                for p in params
                if p["in"] == "query" and p.get("required")
            }
            body_schema: dict[str, Any] | None = None
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body_schema = next(
                    s
                    for s in variants(document, content["application/json"]["schema"])
                    if s.get("type") != "null"
                )
            base_body = (
                {
                    name: sample(document, prop)
                    for name, prop in body_schema.get("properties", {}).items()
                    if name in body_schema.get("required", [])
                }
                if body_schema is not None
                else None
            )

            def fill(
                bad_param: str | None = None,
                template: str = template,
                path_params: list[str] = path_params,
            ) -> str:
                path = template
                for name in path_params:
                    value = text if name == bad_param else "x"
                    path = path.replace("{" + name + "}", quote(value, safe=""))
                return path

            for name in path_params:
                yield Case(method, fill(name), "path", name, required_query, base_body)
            for p in params:
                if p["in"] == "query" and is_text(document, p["schema"]):
                    query = {**required_query, p["name"]: text}
                    yield Case(method, fill(), "query", p["name"], query, base_body)
            if body_schema is not None:
                for name, prop in body_schema.get("properties", {}).items():
                    if is_text(document, prop):
                        body = {**(base_body or {}), name: bad(document, prop, body_text)}
                        yield Case(method, fill(), "body", name, required_query, body)


async def test_every_text_field_of_every_route_refuses_control_characters(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    admin = await server.member("root")  # the first member: an admin, so every route answers
    document = server.app.openapi()
    before = await snapshot(server.services.db)
    wrong: list[str] = []
    seen: set[tuple[str, str, str, str]] = set()
    async with admin.http() as http:
        for body_text in BAD_BODY_TEXTS:
            for case in cases(document, NUL, body_text):
                content = json.dumps(case.body) if case.body is not None else None
                response = await http.request(
                    case.method,
                    case.path,
                    params=case.query,
                    content=content,
                    headers={"content-type": "application/json"} if content else {},
                )
                seen.add((case.method, case.path, case.where, case.field))
                error = response.json().get("error", {}) if response.content else {}
                refused = (
                    response.status_code == 400
                    and error.get("code") == "invalid_request"
                    and error.get("message", "").startswith(case.field)
                )
                if not refused:
                    wrong.append(f"{case} {body_text!r}: {response.status_code} {response.text}")
    assert wrong == []
    # The sweep reached every kind of field (a document without them would pass it).
    assert {where for _, _, where, _ in seen} == {"path", "query", "body"}
    assert len(seen) > 60, len(seen)
    assert await snapshot(server.services.db) == before


def client_cases() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(type, field, message) with a control character in that text field."""
    for kind, model in sorted(CLIENT_TYPES.items()):
        schema = model.model_json_schema()
        props = schema["properties"]
        base: dict[str, Any] = {"type": kind}
        for name in schema.get("required", []):
            if name != "type":
                base[name] = sample_message_field(props[name])
        for name, prop in props.items():
            if name != "type" and is_text(schema, prop):
                yield kind, name, {**base, name: NUL}


def sample_message_field(prop: dict[str, Any]) -> Any:
    if prop.get("pattern"):  # an id
        return "A" * 22
    kind = prop.get("type")
    return {"boolean": False, "integer": 0}.get(kind or "", "v=0\r\n")


async def test_every_text_field_of_every_client_message_refuses_control_characters(
    server_on_both: LiveServer,
) -> None:
    member = await server_on_both.member("ada")
    await member.connect()
    wrong = []
    count = 0
    for kind, field, message in client_cases():
        count += 1
        await member.send({"id": "x", **message} if field != "id" else message)
        reply = await member.recv("error", "ok")
        if reply["type"] != "error" or reply["code"] != "malformed_message":
            wrong.append(f"{kind}.{field}: {reply}")
        elif field not in reply["message"]:
            wrong.append(f"{kind}.{field}: refused for something else: {reply['message']}")
        elif "\x00" in (reply.get("ref") or ""):
            wrong.append(f"{kind}.{field}: the reply echoes the control character")
    await member.close()
    assert wrong == []
    assert count > len(CLIENT_TYPES)  # every message's `id`, and the other text fields
