"""`teahouse db ...`: database maintenance."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from teahouse.cli.context import run

if TYPE_CHECKING:
    from teahouse.services import Services


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations (serve does this too)."""

    async def work(_svc: Services) -> None:
        return None  # run() has migrated the database already

    run(work)
    click.echo("database is up to date")
