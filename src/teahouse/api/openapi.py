"""The OpenAPI document of the HTTP API, as ``/openapi.json`` serves it.

``python -m teahouse.api.openapi`` prints it (the same text every time); its output
is committed as ``frontend/src/generated/openapi.json``, which the web client's types
are generated from, and a test fails when that file is stale.

FastAPI writes the document from the routes' models; this module adds what FastAPI
cannot know:

- the ``ErrorResponse`` body (with ``ErrorCode``) that every error response of
  ``api/routing.py`` refers to;
- no 422 responses: a request that does not validate is ``invalid_request`` 400
  (``api/errors.py``), which ``api/routing.py`` lists where it can happen;
- schema names as the docs write them: a ``...View`` shape is the ``...`` schema
  (``UserView`` is ``User``, ``ClubView`` is ``Club``);
- no titles on properties (pydantic's "Next Cursor" for ``next_cursor``), which
  generated TypeScript would repeat as a comment on every field.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import TypeAdapter

from teahouse import __version__
from teahouse.api.errors import ErrorResponse
from teahouse.api.routers import include_routers

TITLE = "Teahouse"
SCHEMAS = "#/components/schemas/"
VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
VIEW = "View"


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document, with the additions above."""
    document = get_openapi(
        title=app.title,
        version=app.version,
        routes=app.routes,
        separate_input_output_schemas=False,
    )
    for operations in document["paths"].values():
        for operation in operations.values():
            operation["responses"].pop("422", None)
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    for name in VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    errors = TypeAdapter(ErrorResponse).json_schema(ref_template=SCHEMAS + "{model}")
    schemas.update(errors.pop("$defs"), ErrorResponse=errors)
    for schema in schemas.values():
        for prop in schema.get("properties", {}).values():
            prop.pop("title", None)
    renamed = _view_names(schemas)
    document["components"]["schemas"] = dict(
        sorted((renamed.get(name, name), schema) for name, schema in schemas.items())
    )
    result: dict[str, Any] = _rename_refs(document, renamed)
    return result


def install_openapi(app: FastAPI) -> None:
    """Serve :func:`openapi_document` as the app's ``/openapi.json`` (built once)."""

    def cached() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = openapi_document(app)
        return app.openapi_schema

    app.openapi = cached  # type: ignore[method-assign]


def document_text(app: FastAPI) -> str:
    """The document as committed: indented JSON and a final newline."""
    return json.dumps(openapi_document(app), indent=2, ensure_ascii=False) + "\n"


def _view_names(schemas: dict[str, Any]) -> dict[str, str]:
    renamed = {
        name: name.removesuffix(VIEW) for name in schemas if name.endswith(VIEW) and name != VIEW
    }
    clashes = set(renamed.values()) & (set(schemas) - set(renamed))
    if clashes:
        raise ValueError(f"two schemas would be called {sorted(clashes)}")
    return renamed


def _rename_refs(value: Any, renamed: dict[str, str]) -> Any:
    if isinstance(value, dict):
        out = {key: _rename_refs(item, renamed) for key, item in value.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMAS):
            name = ref.removeprefix(SCHEMAS)
            out["$ref"] = SCHEMAS + renamed.get(name, name)
        if isinstance(out.get("title"), str) and out["title"] in renamed:
            out["title"] = renamed[out["title"]]
        return out
    if isinstance(value, list):
        return [_rename_refs(item, renamed) for item in value]
    return value


def api_routes_app() -> FastAPI:
    """The app's routes and nothing else (no settings, services or web client): what
    the document is made from. A test checks the app serves the same document."""
    app = FastAPI(title=TITLE, version=__version__)
    include_routers(app)
    return app


def main() -> None:
    print(document_text(api_routes_app()), end="")


if __name__ == "__main__":
    main()
