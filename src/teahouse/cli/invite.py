"""`teahouse invite ...`: invitations made by the operator."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from teahouse.cli.context import run

if TYPE_CHECKING:
    from teahouse.services import Services


@click.group()
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

    async def work(svc: Services) -> str:
        by = (await svc.accounts.user_by_username(username)).id if username else None
        return (await svc.accounts.create_operator_invite(by)).url

    click.echo(run(work))
