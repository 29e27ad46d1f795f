"""`teahouse serve`: start the server."""

from __future__ import annotations

import contextlib
import shutil
import sys
from typing import TYPE_CHECKING

import click

from teahouse.cli.context import cli_settings, command_name, run
from teahouse.media.managed import JanusNotInstalled

if TYPE_CHECKING:
    from teahouse.services import Services


@click.command()
def serve() -> None:
    """Start the server (applies migrations; starts Janus unless TEAHOUSE_JANUS_URL is set).

    On an instance with no members yet it prints an invitation link for the first one
    when its output is a terminal, and otherwise how to get one.
    """
    from teahouse.app import Server, create_app
    from teahouse.gc_policy import tune_for_serving
    from teahouse.ops.logs import configure_logging
    from teahouse.store.backups import BackupError, hold_serving_lock, sqlite_file

    settings = cli_settings()
    if settings.janus_url is None and shutil.which(settings.janus_binary) is None:
        # Say it before anything starts, not as a traceback out of the lifespan.
        raise click.ClickException(str(JanusNotInstalled(settings.janus_binary)))
    configure_logging(settings.log_level, settings.log_format)
    try:
        # One server per SQLite file; `teahouse restore` will not replace it under one.
        if database := sqlite_file(settings.resolved_database_url):
            hold_serving_lock(database)  # held until the process ends
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    # The first invitation makes an admin: it is shown only to a person at a terminal,
    # never where output is kept (systemd's journal, a log file, a container's log).
    if sys.stdout.isatty():
        first = run(_first_invite, settings)
        if first:
            click.echo(
                f"\n  No members yet. Open this link to create the first account:\n\n    {first}\n"
            )
    elif not run(_has_members, settings):
        click.echo(
            "\n  No members yet. For the link that creates the first account (the admin), run\n"
            f"  `{command_name()} invite create` as this server's user, with its environment.\n"
        )
    click.echo(f"  Teahouse is starting on {settings.public_url}\n")
    app = create_app(settings)
    tune_for_serving()
    server = Server(app, settings)
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    if not server.started:
        sys.exit(3)  # as uvicorn.run exits: the app did not start (the log says why)


async def _has_members(svc: Services) -> bool:
    return await svc.accounts.has_members()


async def _first_invite(svc: Services) -> str | None:
    invite = await svc.accounts.create_bootstrap_invite()
    return invite.url if invite else None
