"""Every router of the app, in the order :func:`teahouse.app.create_app` includes them
(the OpenAPI command builds the same routes without the rest of the app)."""

from __future__ import annotations

from fastapi import FastAPI

from teahouse.api import (
    accounts,
    admin,
    calendar,
    clubs,
    events,
    hallway,
    health,
    ice_servers,
    notifications,
    passkeys,
    passwords,
    reports,
    rooms,
    social,
    ws,
)

ROUTERS = (
    health.router,
    accounts.router,
    passkeys.router,
    passwords.router,
    rooms.router,
    ice_servers.router,
    hallway.router,
    notifications.router,
    social.router,
    ws.router,
    ws.described,
    clubs.router,
    events.router,
    calendar.router,
    admin.router,
    reports.router,
    # Before the web client: its catch-all route would answer /calendar/... with the app.
    calendar.feeds,
)


def include_routers(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router)
