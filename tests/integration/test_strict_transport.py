"""HSTS: over HTTPS every response tells the browser to come back only over HTTPS,
refusals and failures included; over plain http no response says so."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx

from teahouse.app import create_app
from teahouse.config import load_settings

HSTS = "strict-transport-security"


async def responses(public_url: str) -> AsyncIterator[tuple[str, httpx.Response]]:
    """A response of each kind, from the app without its lifespan (none of these
    requests needs the services): a page, refused writes, an unknown API route and
    a failure inside a route."""
    app = create_app(load_settings(public_url=public_url))

    async def fails() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/fails", fails, methods=["POST"])
    origin = {"origin": public_url}
    # The failure is answered (500) and not raised into the test.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=public_url) as http:
        yield "page", await http.get("/room/whatever")
        yield "refused", await http.post("/api/signup", headers={"origin": "https://evil.example"})
        too_large = {**origin, "content-length": str(10**7)}
        yield "too large", await http.post("/api/signup", headers=too_large, content=b"")
        yield "no route", await http.get("/api/no-such-thing")
        yield "failure", await http.post("/api/fails", headers=origin)


async def test_over_https_every_response_carries_hsts() -> None:
    statuses = {}
    async for name, response in responses("https://teahouse.example"):
        statuses[name] = response.status_code
        assert response.headers.get(HSTS) == "max-age=63072000", name
        assert response.headers["x-content-type-options"] == "nosniff", name
    assert statuses["refused"] == 403 and statuses["failure"] == 500
    assert statuses["too large"] == 413 and statuses["no route"] == 404


async def test_over_plain_http_no_response_carries_hsts() -> None:
    async for name, response in responses("http://127.0.0.1:8000"):
        assert HSTS not in response.headers, name
