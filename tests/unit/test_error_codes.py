"""Error codes: the tree in errors.py and the API docs agree with ``ErrorCode``, and
the docs name every code each route answers (as the OpenAPI document lists them)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from teahouse import errors
from teahouse.api.openapi import api_routes_app, openapi_document
from teahouse.errors import ErrorCode

DOCS = Path(__file__).resolve().parents[2] / "docs"
API_DOCS = ["API.md", "API-SOCIAL.md", "API-ADMIN.md"]
# Answered by whole kinds of routes (api/routing.py finds them), so documented once,
# in docs/API.md's "Errors every route may answer", rather than in every row.
GENERAL = {
    ErrorCode.INVALID_REQUEST,
    ErrorCode.NOT_AUTHENTICATED,
    ErrorCode.NOT_ADMIN,
    ErrorCode.ORIGIN_FORBIDDEN,
    ErrorCode.REQUEST_TOO_LARGE,
    ErrorCode.REQUEST_TIMEOUT,
}
# "`code` 404", "`404 code`" and the status line of an example answer.
PAIRS = [
    re.compile(r"`([a-z_]+)` (\d{3})\b"),
    re.compile(r"`(\d{3}) ([a-z_]+)`"),
    re.compile(r"^(\d{3}) \{\"error\": \{\"code\": \"([a-z_]+)\"", re.M),
]
ROUTE = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) (/\S+)$")


# -- the tree in errors.py ------------------------------------------------------------


def tree_codes() -> list[tuple[str, str, int]]:
    """(class, code, status) for every code in the docstring's tree and its last
    paragraph (the codes the edges send with no exception behind them)."""
    doc = errors.__doc__ or ""
    found: list[tuple[str, str, int]] = []
    branch, status = "", ""
    for line in doc.splitlines():
        head = re.match(r"^\s+[├└]── (\w+)\s+(\d{3}|\dxx)\s+(.*)$", line)
        more = re.match(r"^\s+│?\s{20,}(.*)$", line)
        if head:
            branch, status, rest = head.groups()
        elif more and branch:
            rest = more[1]
        else:
            branch = ""
            continue
        for item in filter(None, (part.strip() for part in rest.split(","))):
            code, _, own = item.partition(" ")
            found.append((branch, code, int(own or status)))
    edges = doc.split("The edges send", 1)[1]
    found += [("edges", c, int(s)) for c, s in re.findall(r"``(\w+)`` (\d{3})", edges)]
    return found


def test_the_error_tree_lists_every_code_once_under_its_status() -> None:
    listed = tree_codes()
    counts = Counter(code for _, code, _ in listed)
    assert [code for code, n in counts.items() if n > 1] == []
    assert set(counts) == {code.value for code in ErrorCode}
    assert [(c, s) for _, c, s in listed if ErrorCode(c).status != s] == []
    for branch, code, _ in listed:
        if branch == "edges":
            continue
        kind = getattr(errors, branch)
        assert issubclass(kind, errors.TeahouseError), branch
        default = kind.__dict__.get("default_code")
        assert default is None or default.status == ErrorCode(code).status, (branch, code)


# -- the API docs ------------------------------------------------------------------------


def doc_text(name: str) -> str:
    return (DOCS / name).read_text()


def pairs_in(text: str) -> list[tuple[str, int]]:
    found = []
    for pattern in PAIRS:
        for a, b in pattern.findall(text):
            code, status = (a, b) if pattern is PAIRS[0] else (b, a)
            found.append((code, int(status)))
    return found


@pytest.mark.parametrize("name", API_DOCS)
def test_every_code_the_docs_name_has_that_status(name: str) -> None:
    pairs = pairs_in(doc_text(name))
    assert pairs, name
    known = {code.value: code for code in ErrorCode}
    assert [(c, s) for c, s in pairs if c not in known or known[c].status != s] == []


def route_rows() -> dict[tuple[str, str], str]:
    """(method, path with its parameters as ``{}``) -> the rest of its table row."""
    rows: dict[tuple[str, str], str] = {}
    for name in API_DOCS:
        for line in doc_text(name).splitlines():
            if not line.startswith("| `"):
                continue
            first, rest = line[2:].split(" | ", 1)
            path = ""
            for token in re.findall(r"`([^`]+)`", first):
                route = ROUTE.match(token.split("?")[0])
                if route:
                    method, path = route[1], route[2]
                elif token in ("GET", "POST", "PUT", "PATCH", "DELETE") and path:
                    method = token  # "`POST /api/clubs/{id}/follow`, `DELETE` same"
                else:
                    continue
                key = (method, re.sub(r"\{[^}]*\}", "{}", path))
                assert key not in rows, f"{key} has two rows"
                rows[key] = rest
    return rows


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document(api_routes_app())


def route_codes(document: dict[str, Any]) -> dict[tuple[str, str], set[ErrorCode]]:
    found = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = {
                ErrorCode(code)
                for response in operation["responses"].values()
                for code in response.get("x-error-codes", ())
            }
            found[(method.upper(), re.sub(r"\{[^}]*\}", "{}", path))] = codes
    return found


def test_every_route_has_one_row_and_every_row_a_route(document: dict[str, Any]) -> None:
    assert set(route_rows()) == set(route_codes(document))


def test_each_row_names_exactly_the_codes_its_route_answers(document: dict[str, Any]) -> None:
    rows = route_rows()
    wrong = []
    for (method, path), codes in route_codes(document).items():
        named = {ErrorCode(code) for code, _ in pairs_in(rows[(method, path)])}
        missing = sorted(str(c) for c in codes - GENERAL - named)
        extra = sorted(str(c) for c in named - codes)
        if missing or extra:
            wrong.append(f"{method} {path}: undocumented {missing}, not answered {extra}")
    assert wrong == []


def test_the_codes_every_route_may_answer_are_documented_once() -> None:
    general = doc_text("API.md").split("## Errors every route may answer", 1)[1]
    general = general.split("\n## ", 1)[0]
    assert {code for code, _ in pairs_in(general)} >= {code.value for code in GENERAL}
