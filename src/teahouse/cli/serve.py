"""`teahouse serve`: start the server."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import click

from teahouse.cli.context import cli_settings, run
from teahouse.media.managed import JanusNotInstalled

if TYPE_CHECKING:
    from teahouse.services import Services


@click.command()
def serve() -> None:
    """Start the server (applies migrations; starts Janus unless TEAHOUSE_JANUS_URL is set).

    On an instance with no members yet it prints an invitation link for the first one.
    """
    import uvicorn

    from teahouse.app import create_app, uvicorn_options
    from teahouse.gc_policy import tune_for_serving
    from teahouse.ops.logs import configure_logging

    settings = cli_settings()
    if settings.janus_url is None and shutil.which(settings.janus_binary) is None:
        # Say it before anything starts, not as a traceback out of the lifespan.
        raise click.ClickException(str(JanusNotInstalled(settings.janus_binary)))
    configure_logging(settings.log_level, settings.log_format)
    first = run(_first_invite, settings)
    if first:
        click.echo(
            f"\n  No members yet. Open this link to create the first account:\n\n    {first}\n"
        )
    click.echo(f"  Teahouse is starting on {settings.public_url}\n")
    app = create_app(settings)
    tune_for_serving()
    uvicorn.run(app, **uvicorn_options(settings))


async def _first_invite(svc: Services) -> str | None:
    invite = await svc.accounts.create_bootstrap_invite()
    return invite.url if invite else None
