"""What every route needs: the instance's services, who is asking (and from where),
and the shapes shared by the routers (request bodies, page parameters, the cookies).

No text comes in with a control character (``domain/text.py``): :class:`Body` refuses
one in any field of a request body, and :func:`plain_parameters`, which every API
router runs first, in any path or query parameter; both answer ``invalid_request``
before anything is stored or queried, the same on every database."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, field_validator
from starlette.requests import HTTPConnection

from teahouse.accounts.password_check import Caller
from teahouse.domain.accounts import token_hash
from teahouse.domain.addresses import client_address
from teahouse.domain.cursors import (
    LIMIT_MAX,
    LIMIT_MIN,
    SEALED_MAX,
    Cursor,
    HallwayCursor,
    Page,
    SortKey,
)
from teahouse.domain.text import edge_problem
from teahouse.errors import BadRequest, ErrorCode, Forbidden, NotAuthenticated
from teahouse.services import Services
from teahouse.store.models import User

log = logging.getLogger(__name__)
DEVICE_COOKIE_DAYS = 365


def services(connection: HTTPConnection) -> Services:
    found: Services = connection.app.state.services
    return found


async def optional_user(connection: HTTPConnection) -> User | None:
    svc = services(connection)
    return await svc.accounts.user_for_token(
        connection.cookies.get(svc.settings.session_cookie_name)
    )


async def current_user(request: Request) -> User:
    user = await optional_user(request)
    if user is None:
        raise NotAuthenticated("Please log in.")
    return user


async def current_admin(request: Request) -> User:
    user = await current_user(request)
    if not user.is_admin:
        raise Forbidden("Only the instance's admins can do this.", ErrorCode.NOT_ADMIN)
    return user


def address_of(connection: HTTPConnection) -> str | None:
    """The client's network address: the connection's, or the one a trusted proxy
    names in ``X-Forwarded-For`` (domain/addresses.py). Only ever a limit's key in
    memory: never stored, never logged."""
    settings = services(connection).settings
    peer = connection.client.host if connection.client else None
    forwarded = connection.headers.getlist("x-forwarded-for")
    if forwarded and not settings.trusted_proxies and not _warned(connection):
        log.warning(
            "requests carry X-Forwarded-For but trusted_proxies is empty, so the header is "
            "ignored and every client of the proxy counts as one address; name the proxy "
            "in TEAHOUSE_TRUSTED_PROXIES (docs/OPERATIONS.md)"
        )
    return client_address(peer, forwarded, settings.trusted_proxy_networks)


def _warned(connection: HTTPConnection) -> bool:
    """Whether the warning about an untrusted X-Forwarded-For was given (once per app)."""
    state = connection.app.state
    warned = getattr(state, "warned_forwarded_for", False)
    state.warned_forwarded_for = True
    return bool(warned)


async def caller(request: Request) -> Caller:
    """What the password limits need to know about who is asking."""
    svc = services(request)
    token = request.cookies.get(svc.settings.session_cookie_name)
    session_user = await svc.accounts.user_for_token(token) if token else None
    return Caller(
        address=address_of(request),
        device_token=request.cookies.get(svc.settings.device_cookie_name),
        session_user_id=session_user.id if session_user else None,
        session_key=token_hash(token) if token and session_user else None,
    )


K = TypeVar("K", bound=SortKey)


def cursor_parameter(kind: type[K]) -> Callable[[Request, str | None], K | None]:
    """The dependency that reads a list's ``?cursor=`` as a ``kind``: none (or an
    empty one) is the first page; one that does not open (cursor_seal.py) is
    ``invalid_request``."""

    def read(
        request: Request, cursor: Annotated[str | None, Query(max_length=SEALED_MAX)] = None
    ) -> K | None:
        return services(request).cursors.open(kind, cursor) if cursor else None

    return read


def next_cursor(
    connection: HTTPConnection, page: Page[Any], kind: type[SortKey] = Cursor
) -> str | None:
    """The ``next_cursor`` a response carries for ``page``: its cursor sealed, never
    the sort key itself."""
    return services(connection).cursors.seal(kind, page.next_cursor)


optional_cursor = cursor_parameter(Cursor)

Member = Annotated[User, Depends(current_user)]
AdminUser = Annotated[User, Depends(current_admin)]
Svc = Annotated[Services, Depends(services)]
Asking = Annotated[Caller, Depends(caller)]
Limit = Annotated[int, Query(ge=LIMIT_MIN, le=LIMIT_MAX)]
# Declared after ``Member`` in a route: a request without a session is answered
# ``not_authenticated`` before its cursor is read.
KeysetCursor = Annotated[Cursor | None, Depends(optional_cursor)]
HallwayCursorParam = Annotated[HallwayCursor | None, Depends(cursor_parameter(HallwayCursor))]


class Body(BaseModel):
    """A JSON request body: unknown fields, loose types and control characters in any
    text are refused."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        problem = edge_problem(value)
        if problem is not None:
            raise ValueError(problem)
        return value


def plain_parameters(request: Request) -> None:
    """Refuse a control character in any path or query parameter (``invalid_request``
    with the parameter's name, as a body field's refusal reads)."""
    for name, value in (*request.path_params.items(), *request.query_params.multi_items()):
        problem = edge_problem(value)
        if problem is not None:
            raise BadRequest(f"{name}: {problem}")


def set_session_cookie(response: Response, svc: Services, token: str) -> None:
    response.set_cookie(
        svc.settings.session_cookie_name,
        token,
        httponly=True,
        samesite="lax",
        secure=svc.settings.secure_cookies,
        path="/",
        max_age=svc.settings.session_ttl_days * 86400,
    )


def clear_session_cookie(response: Response, svc: Services) -> None:
    response.delete_cookie(
        svc.settings.session_cookie_name,
        path="/",
        secure=svc.settings.secure_cookies,
        httponly=True,
        samesite="lax",
    )


def set_device_cookie(response: Response, svc: Services, token: str) -> None:
    """The device cookie (domain/devices.py): kept through log-out, so that this
    browser keeps its own password limits."""
    response.set_cookie(
        svc.settings.device_cookie_name,
        token,
        httponly=True,
        samesite="strict",
        secure=svc.settings.secure_cookies,
        path="/",
        max_age=DEVICE_COOKIE_DAYS * 86400,
    )


def clear_device_cookie(response: Response, svc: Services) -> None:
    response.delete_cookie(
        svc.settings.device_cookie_name,
        path="/",
        secure=svc.settings.secure_cookies,
        httponly=True,
        samesite="strict",
    )
