"""`teahouse demo seed`: demo members, clubs, events and rooms for a first look."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from teahouse.cli.context import cli_settings, command_name, run

if TYPE_CHECKING:
    from teahouse.demo.seed import Seeded
    from teahouse.services import Services


@click.group()
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
    from teahouse.demo.seed import MEMBERS, InstanceNotEmpty, seed

    settings = cli_settings()

    async def work(svc: Services) -> Seeded:
        return await seed(svc.db, settings, password=password)

    try:
        seeded = run(work, settings)
    except InstanceNotEmpty as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Seeded {seeded.members} members, {seeded.follows} follows, {seeded.clubs} clubs, "
        f"{seeded.events} upcoming events and {seeded.rooms} demo rooms.\n\n"
        f"  Every demo member's password: {seeded.password}\n"
        f"  Log in as any of them, e.g. {', '.join(m[0] for m in MEMBERS[:4])} "
        f"({settings.public_url}/login).\n\n"
        f"  Your own account (invited by the instance):\n\n    {seeded.invite_url}\n\n"
        f"  Live rooms: the demo rooms open when the server starts (`{command_name()} serve`;\n"
        "  restart it if it is running), with demo members on stage and listening. They\n"
        "  have no audio. Open a real room as a demo member in another browser and it\n"
        "  appears in everyone's hallway at once, ranked with its reason."
    )
