"""``/healthz`` and ``/readyz`` (docs/API.md, docs/OPERATIONS.md): for load balancers,
orchestrators and uptime checks. They answer without a session and say nothing but
up or down: no versions, no addresses, no error texts, no counts."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from typing_extensions import TypedDict

from teahouse.api.context import services
from teahouse.api.routing import ApiRoute

router = APIRouter(route_class=ApiRoute, generate_unique_id_function=lambda r: r.name)

NO_STORE = {"cache-control": "no-store"}


class Liveness(TypedDict):
    """The process is up and its event loop answers."""

    status: Literal["ok"]


class Readiness(TypedDict):
    """Whether every dependency answers; each one's state by name (``database``,
    ``media``, and ``redis`` once one is configured)."""

    status: Literal["ready", "not_ready"]
    checks: dict[str, Literal["up", "down"]]


@router.get("/healthz")
async def healthz(response: Response) -> Liveness:
    response.headers.update(NO_STORE)
    return {"status": "ok"}


@router.get(
    "/readyz",
    responses={503: {"model": Readiness, "description": "A dependency does not answer."}},
)
async def readyz(request: Request, response: Response) -> Readiness:
    readiness = await services(request).health.check()
    response.headers.update(NO_STORE)
    if not readiness.ready:
        response.status_code = 503
    return {
        "status": "ready" if readiness.ready else "not_ready",
        "checks": {name: "up" if o.up else "down" for name, o in readiness.outcomes.items()},
    }
