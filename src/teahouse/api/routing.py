"""The routers' route class: each route's OpenAPI entry lists every error it answers.

A route names the refusals of its own with :func:`refuses` (``responses=refuses(
ErrorCode.USER_NOT_FOUND)``); :class:`ApiRoute` adds those that every route of its
kind may answer, found from the route itself rather than written again on each:

- ``not_authenticated`` where it needs a member (``Member``), and ``not_admin``
  where it needs an admin (``AdminUser``);
- ``origin_forbidden`` and ``request_too_large`` (or the route's own body limit, see
  ``api/guards.py``) on every write: the Guards middleware answers those;
- ``invalid_request`` where there is a body, a query or a path parameter to validate
  (a control character in any text is refused: ``api/context.py``).

Each error status then has one response, the ``ErrorResponse`` body, whose
description names its codes and whose ``x-error-codes`` lists them for tools
(``tests/unit/test_error_codes.py`` checks them against docs/API*.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from teahouse.api.context import current_admin, current_user, plain_parameters
from teahouse.api.guards import BODY_LIMITS, SAFE_METHODS
from teahouse.errors import ErrorCode

ERROR_CODES = "x-error-codes"
ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorResponse"}


def refuses(*codes: ErrorCode) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route that answers these codes (besides the ones
    :class:`ApiRoute` finds for itself)."""
    by_status: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        by_status.setdefault(code.status, {ERROR_CODES: []})[ERROR_CODES].append(code)
    return by_status


def error_codes(route: APIRoute) -> list[ErrorCode]:
    """Every code the route may answer, in the order of :class:`ErrorCode`."""
    return [code for code in ErrorCode if code in _declared(route) | _implied(route)]


class ApiRoute(APIRoute):
    """An API route whose error responses name every code it may answer."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        codes = error_codes(self)
        responses = {s: r for s, r in self.responses.items() if ERROR_CODES not in r}
        for status in sorted({code.status for code in codes}):
            answered = [code for code in codes if code.status == status]
            responses[status] = {
                "description": ", ".join(f"`{code}`" for code in answered),
                "content": {"application/json": {"schema": ERROR_SCHEMA}},
                ERROR_CODES: [str(code) for code in answered],
            }
        self.responses = responses


def api_router(prefix: str = "/api") -> APIRouter:
    """A router of :class:`ApiRoute`s whose OpenAPI operation ids are the endpoints'
    names (``followers``, not ``followers_api_users__username__followers_get``), and
    which refuse control characters in path and query parameters before anything else."""
    return APIRouter(
        prefix=prefix,
        route_class=ApiRoute,
        generate_unique_id_function=lambda r: r.name,
        dependencies=[Depends(plain_parameters)],
    )


def _declared(route: APIRoute) -> set[ErrorCode]:
    named = {code for r in route.responses.values() for code in r.get(ERROR_CODES, ())}
    return {code for code in ErrorCode if code in named}


def _implied(route: APIRoute) -> set[ErrorCode]:
    implied: set[ErrorCode] = set()
    calls = {d.call for d in _dependants(route.dependant)}
    if current_user in calls or current_admin in calls:
        implied.add(ErrorCode.NOT_AUTHENTICATED)
    if current_admin in calls:
        implied.add(ErrorCode.NOT_ADMIN)
    for method in (route.methods or set()) - SAFE_METHODS:
        _, too_large = BODY_LIMITS.get((method, route.path), (0, ErrorCode.REQUEST_TOO_LARGE))
        implied |= {ErrorCode.ORIGIN_FORBIDDEN, too_large, ErrorCode.REQUEST_TIMEOUT}
    # Any parameter may be refused: a text one for a control character if nothing else.
    if any((*d.path_params, *d.query_params, *d.body_params) for d in _dependants(route.dependant)):
        implied.add(ErrorCode.INVALID_REQUEST)
    return implied


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)
