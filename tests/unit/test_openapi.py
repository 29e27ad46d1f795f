"""The OpenAPI document describes the real API, and the committed copy is fresh."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from teahouse.api.openapi import api_routes_app, document_text, openapi_document
from teahouse.app import create_app
from teahouse.config import load_settings
from teahouse.errors import CloseCode, ErrorCode

COMMITTED = Path(__file__).resolve().parents[2] / "frontend/src/generated/openapi.json"
COMMAND = ".venv/bin/python -m teahouse.api.openapi > frontend/src/generated/openapi.json"
REF = re.compile(r"^#/components/schemas/([A-Za-z0-9]+)$")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document(api_routes_app())


def operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_the_committed_document_is_what_the_code_says() -> None:
    fresh = document_text(api_routes_app())
    assert COMMITTED.is_file(), f"{COMMITTED} is missing: run `{COMMAND}`"
    assert COMMITTED.read_text() == fresh, f"{COMMITTED.name} is stale: run `{COMMAND}`"


async def test_the_app_serves_the_same_document(document: dict[str, Any]) -> None:
    # The transport runs no lifespan: no database, no media for this.
    transport = httpx.ASGITransport(app=create_app(load_settings()))
    async with httpx.AsyncClient(transport=transport, base_url="http://teahouse") as http:
        assert (await http.get("/openapi.json")).json() == document


def test_every_json_route_has_a_response_schema(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    untyped = []
    for name, operation in operations(document):
        successes = {s: r for s, r in operation["responses"].items() if s[0] in "12"}
        assert len(successes) == 1, name
        [(status, success)] = successes.items()
        content = success.get("content", {})
        if status in ("101", "204"):  # 101: the WebSocket, whose frames have their own schema
            assert not content, f"{name} answers {status} and declares a body"
            continue
        assert content, f"{name} declares no media type"
        if "application/json" not in content:
            continue  # the avatar image, the iCalendar feeds
        loose = loose_parts(content["application/json"].get("schema", {}), schemas, set())
        if loose:
            untyped.append((name, loose))
    assert untyped == []


def loose_parts(schema: Any, schemas: dict[str, Any], seen: set[str]) -> list[str]:
    """Where ``schema`` says nothing about its value: ``{}`` (Any) or an object with
    neither properties nor typed extra properties (``dict[str, object]``)."""
    if not isinstance(schema, dict):
        return []
    if "$ref" in schema:
        name = REF.fullmatch(schema["$ref"])
        assert name, schema["$ref"]
        if name[1] in seen:
            return []
        seen.add(name[1])
        return [f"{name[1]}.{p}" for p in loose_parts(schemas[name[1]], schemas, seen)]
    keys = set(schema) - {"title", "description", "default"}
    if not keys:
        return ["(any)"]
    if schema.get("type") == "object" and "properties" not in schema:
        extra = schema.get("additionalProperties")
        if not isinstance(extra, dict) or not extra:
            return ["(any object)"]
    found = []
    for key, value in schema.items():
        if key == "properties":
            for prop, sub in value.items():
                found += [f"{prop}: {part}" for part in loose_parts(sub, schemas, seen)]
        elif key in ("items", "additionalProperties"):
            found += loose_parts(value, schemas, seen)
        elif key in ("anyOf", "oneOf", "allOf"):
            for sub in value:
                found += loose_parts(sub, schemas, seen)
    return found


# Not errors: the readiness report says "not ready" with 503, in the same body as
# its 200 (a load balancer reads the status, an operator the body).
STATUS_REPORTS = {("GET /readyz", "503"): {"$ref": "#/components/schemas/Readiness"}}


def test_every_error_response_is_the_error_body_with_its_codes(document: dict[str, Any]) -> None:
    for name, operation in operations(document):
        assert "422" not in operation["responses"], name
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            schema = response["content"]["application/json"]["schema"]
            if (name, status) in STATUS_REPORTS:
                assert schema == STATUS_REPORTS[(name, status)], name
                continue
            assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, name
            codes = [ErrorCode(code) for code in response["x-error-codes"]]
            assert codes and all(code.status == int(status) for code in codes), (name, status)
    error = document["components"]["schemas"]["ErrorDetail"]["properties"]["code"]
    assert error == {"$ref": "#/components/schemas/ErrorCode"}
    assert document["components"]["schemas"]["ErrorCode"]["enum"] == [c.value for c in ErrorCode]


def test_names_read_well_as_typescript(document: dict[str, Any]) -> None:
    names = list(document["components"]["schemas"])
    assert [n for n in names if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", n)] == []
    assert [n for n in names if n.endswith("View")] == []
    ids = [operation["operationId"] for _, operation in operations(document)]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not re.fullmatch(r"[a-z][a-z_]*", i)] == []


def test_the_websocket_is_described_with_its_close_codes(document: dict[str, Any]) -> None:
    operation = document["paths"]["/ws"]["get"]
    assert set(operation["responses"]) == {"101", "426"}
    upgrade = operation["responses"]["101"]
    assert upgrade["x-close-codes"] == {str(int(c)): c.name.lower() for c in CloseCode}
    schema = Path(__file__).resolve().parents[2] / upgrade["x-protocol-schema"]
    assert schema.is_file()
    assert operation["responses"]["426"]["x-error-codes"] == ["upgrade_required"]


async def test_a_plain_request_to_the_websocket_is_told_to_upgrade() -> None:
    transport = httpx.ASGITransport(app=create_app(load_settings()))
    async with httpx.AsyncClient(transport=transport, base_url="http://teahouse") as http:
        response = await http.get("/ws")
    assert response.status_code == 426
    assert response.headers["upgrade"] == "websocket"
    assert response.json()["error"]["code"] == "upgrade_required"
