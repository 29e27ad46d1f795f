"""``GET /api/ice-servers``: the TURN servers a member's browser connects through, with
a credential of its own (media/turn.py). Never cached: the credential is short-lived
and belongs to the one browser that asked."""

from __future__ import annotations

from fastapi import Request, Response

from teahouse.api.context import Member, services
from teahouse.api.routing import api_router
from teahouse.media.turn import IceServers

router = api_router()


@router.get("/ice-servers")
async def ice_servers(user: Member, request: Request, response: Response) -> IceServers:
    response.headers["cache-control"] = "no-store"
    return services(request).turn.issue()
