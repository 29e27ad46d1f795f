"""The one place errors become HTTP responses."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from typing_extensions import TypedDict

from teahouse.errors import ErrorCode, TeahouseError, TooManyRequests
from teahouse.ops import metrics
from teahouse.ops.logs import REQUEST_ID

log = logging.getLogger(__name__)


class ErrorDetail(TypedDict):
    """A machine-readable code (the web client shows its own text for each) and a
    message for developers."""

    code: ErrorCode
    message: str


class ErrorResponse(TypedDict):
    """The body of every error response."""

    error: ErrorDetail


def error_response(code: ErrorCode, message: str, status: int | None = None) -> JSONResponse:
    """The error body every route answers with; the status is the code's own unless
    the framework said otherwise (``status``)."""
    body: ErrorResponse = {"error": {"code": code, "message": message}}
    return JSONResponse(body, status_code=status or code.status)


def install_error_handlers(app: FastAPI, headers: list[tuple[bytes, bytes]]) -> None:
    """``headers`` are the ones every response carries (api/guards.py): the handler
    of unexpected errors answers outside the middleware that adds them."""

    @app.exception_handler(TeahouseError)
    async def teahouse_error(_request: Request, exc: TeahouseError) -> JSONResponse:
        response = error_response(exc.code, exc.message)
        if isinstance(exc, TooManyRequests):
            response.headers["Retry-After"] = str(exc.retry_after)
        if exc.code.status == 429:  # every rate limit refuses with a 429 code
            metrics.rate_limited(exc.code)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "body"
        message = f"{where}: {first.get('msg', 'invalid')}"
        return error_response(ErrorCode.INVALID_REQUEST, message)

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        # The framework's own refusals (no such route, not with that method): the
        # first code of that status is the general one (not_found, method_not_allowed).
        code = next((c for c in ErrorCode if c.status == exc.status_code), ErrorCode.NOT_FOUND)
        return error_response(code, str(exc.detail), exc.status_code)

    @app.exception_handler(ClientDisconnect)
    async def client_gone(_request: Request, _exc: ClientDisconnect) -> JSONResponse:
        # The client went away before its body arrived, or the body missed its
        # deadline (api/deadlines.py, which has answered already): nobody reads this,
        # and it is no bug to log.
        return error_response(ErrorCode.REQUEST_TIMEOUT, "The request's body did not arrive.")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        response = error_response(ErrorCode.INTERNAL_ERROR, "Something went wrong on the server.")
        # This handler answers outside the middlewares that add the id and the
        # security headers to every other response; the member who saw the failure
        # can quote the id.
        response.raw_headers.extend(headers)
        request_id = REQUEST_ID.get()
        if request_id:
            response.headers["x-request-id"] = request_id
        return response
