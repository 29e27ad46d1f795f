"""The `teahouse` command."""

from __future__ import annotations

import asyncio
import logging
import shutil
import sys
from typing import TYPE_CHECKING

import click
from pydantic import ValidationError

from teahouse.config import Settings, load_settings
from teahouse.errors import TeahouseError
from teahouse.media.managed import JanusNotInstalled

if TYPE_CHECKING:
    from teahouse.demo.seed import Seeded


def load_cli_settings() -> Settings:
    """The settings, or a ClickException that names the bad key."""
    return _settings()


def _settings() -> Settings:
    try:
        return load_settings()
    except ValidationError as exc:
        lines = [
            f"  TEAHOUSE_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        ]
        raise click.ClickException("bad configuration:\n" + "\n".join(lines)) from None
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="teahouse")
def main() -> None:
    """Teahouse: self-hosted, invitation-only live audio rooms.

    Configuration comes from TEAHOUSE_* environment variables and an optional TOML
    file named by TEAHOUSE_CONFIG (see the README).
    """


@main.command()
def serve() -> None:
    """Start the server (applies migrations; starts Janus unless TEAHOUSE_JANUS_URL is set).

    On an instance with no members yet it prints an invitation link for the first one.
    """
    import uvicorn

    from teahouse.app import create_app, uvicorn_options
    from teahouse.gc_policy import tune_for_serving

    settings = _settings()
    if settings.janus_url is None and shutil.which(settings.janus_binary) is None:
        # Say it before anything starts, not as a traceback out of the lifespan.
        raise click.ClickException(str(JanusNotInstalled(settings.janus_binary)))
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    first = asyncio.run(_prepare(settings))
    if first:
        click.echo(
            f"\n  No members yet. Open this link to create the first account:\n\n    {first}\n"
        )
    click.echo(f"  Teahouse is starting on {settings.public_url}\n")
    app = create_app(settings)
    tune_for_serving()
    uvicorn.run(app, **uvicorn_options(settings))


async def _prepare(settings: Settings) -> str | None:
    from teahouse.accounts.accounts import Accounts
    from teahouse.accounts.passwords import Passwords
    from teahouse.store.database import Database

    db = Database(settings.resolved_database_url)
    try:
        await db.upgrade()
        invite = await Accounts(db, settings, Passwords(settings)).create_bootstrap_invite()
        return invite.url if invite else None
    finally:
        await db.close()


@main.group()
def invite() -> None:
    """Manage invitations."""


@invite.command("create")
@click.option(
    "--by",
    "username",
    help="Make the invitation in this member's name "
    "(without using their quota). Default: from the instance itself.",
)
def invite_create(username: str | None) -> None:
    """Print a new invitation link."""
    try:
        click.echo(asyncio.run(_create_invite(_settings(), username)))
    except TeahouseError as exc:
        raise click.ClickException(exc.message) from None


async def _create_invite(settings: Settings, username: str | None) -> str:
    from teahouse.accounts.accounts import Accounts
    from teahouse.accounts.passwords import Passwords
    from teahouse.store.database import Database

    db = Database(settings.resolved_database_url)
    try:
        await db.upgrade()
        accounts = Accounts(db, settings, Passwords(settings))
        by = (await accounts.user_by_username(username)).id if username else None
        return (await accounts.create_operator_invite(by)).url
    finally:
        await db.close()


@main.group()
def demo() -> None:
    """Demo data for a first look."""


@demo.command("seed")
@click.option(
    "--password",
    help="The password every demo member gets (10+ characters). Default: a random one, printed.",
)
def demo_seed(password: str | None) -> None:
    """Fill a NEW, empty instance with demo members, follows, clubs and events.

    Refuses an instance that already has members. Prints the demo password and an
    invitation link for you. Demo rooms (seeded members sitting in them, no audio) go
    live when the server starts, and at every start after.
    """
    from teahouse.demo.seed import MEMBERS, InstanceNotEmpty

    settings = _settings()
    try:
        seeded = asyncio.run(_seed(settings, password))
    except (InstanceNotEmpty, TeahouseError) as exc:
        raise click.ClickException(getattr(exc, "message", None) or str(exc)) from None
    click.echo(
        f"Seeded {seeded.members} members, {seeded.follows} follows, {seeded.clubs} clubs, "
        f"{seeded.events} upcoming events and {seeded.rooms} demo rooms.\n\n"
        f"  Every demo member's password: {seeded.password}\n"
        f"  Log in as any of them, e.g. {', '.join(m[0] for m in MEMBERS[:4])} "
        f"({settings.public_url}/login).\n\n"
        f"  Your own account (invited by the instance):\n\n    {seeded.invite_url}\n\n"
        "  Live rooms: the demo rooms open when the server starts (`teahouse serve`;\n"
        "  restart it if it is running), with demo members on stage and listening. They\n"
        "  have no audio. Open a real room as a demo member in another browser and it\n"
        "  appears in everyone's hallway at once, ranked with its reason."
    )


async def _seed(settings: Settings, password: str | None) -> Seeded:
    from teahouse.demo.seed import seed
    from teahouse.store.database import Database

    db = Database(settings.resolved_database_url)
    try:
        await db.upgrade()
        return await seed(db, settings, password=password)
    finally:
        await db.close()


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations (serve does this too)."""
    from teahouse.store.database import Database

    async def run() -> None:
        database = Database(_settings().resolved_database_url)
        try:
            await database.upgrade()
        finally:
            await database.close()

    asyncio.run(run())
    click.echo("database is up to date")


def _add_admin_commands() -> None:
    from teahouse.cli.admin import admin

    main.add_command(admin)


_add_admin_commands()

if __name__ == "__main__":
    sys.exit(main())
