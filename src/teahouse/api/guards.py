"""ASGI middleware that applies to every request: Origin, body size, headers."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from teahouse.api.errors import error_response
from teahouse.errors import ErrorCode
from teahouse.social import avatar_image

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_BODY_BYTES = 64 * 1024
# (method, path) -> (limit, error code): the few writes that carry more than JSON.
BODY_LIMITS = {("PUT", "/api/me/avatar"): (avatar_image.MAX_BYTES, ErrorCode.AVATAR_TOO_LARGE)}
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; connect-src 'self'; media-src 'self' blob: mediastream:; "
        b"img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; "
        b"base-uri 'none'; frame-ancestors 'none'",
    ),
    # Not "no-referrer": with it, browsers send `Origin: null` on POST, and the Origin
    # check above could not tell our pages from anyone else's.
    (b"referrer-policy", b"same-origin"),
    (b"x-content-type-options", b"nosniff"),
    (b"permissions-policy", b"microphone=(self), camera=(), geolocation=()"),
]
# Two years, as the browsers' preload list recommends, and no includeSubDomains:
# the instance's host name is all that Teahouse can speak for (docs/SECURITY.md,
# "Served over TLS").
STRICT_TRANSPORT_SECURITY = (b"strict-transport-security", b"max-age=63072000")


def response_headers(served_over_https: bool) -> list[tuple[bytes, bytes]]:
    """The headers every response carries. HSTS only over HTTPS: browsers ignore it
    on plain http, and it would be a lie there."""
    if served_over_https:
        return [*SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY]
    return list(SECURITY_HEADERS)


class Guards:
    """Refuse cross-origin writes and oversized bodies; add ``headers`` (see
    response_headers) to every response, refusals included."""

    def __init__(
        self,
        app: ASGIApp,
        allowed_origins: frozenset[str],
        headers: list[tuple[bytes, bytes]],
    ) -> None:
        self.app = app
        self.allowed_origins = allowed_origins
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        headers = dict(scope["headers"])
        if scope["method"] not in SAFE_METHODS:
            if sole_origin(scope) not in self.allowed_origins:
                response = error_response(
                    ErrorCode.ORIGIN_FORBIDDEN, "Requests must come from this Teahouse's own pages."
                )
                await response(scope, receive, send_with_headers)
                return
            # A body without a declared length (chunked) is refused too: the limit
            # must hold before anything is read.
            chunked = b"transfer-encoding" in headers
            length = headers.get(b"content-length", b"x" if chunked else b"0")
            limit, code = BODY_LIMITS.get(
                (scope["method"], scope["path"]), (MAX_BODY_BYTES, ErrorCode.REQUEST_TOO_LARGE)
            )
            if not length.isdigit() or int(length) > limit:
                response = error_response(code, f"Request bodies are at most {limit} bytes.")
                await response(scope, receive, send_with_headers)
                return
        await self.app(scope, receive, send_with_headers)


def sole_origin(scope: Scope) -> str | None:
    """The request's one ``Origin``; None when it has none or several. Two are refused
    rather than one of them taken: the proxy and the app might each take another."""
    origins = [value for name, value in scope["headers"] if name == b"origin"]
    return origins[0].decode("latin-1") if len(origins) == 1 else None
