"""What every `teahouse` command needs: the settings, read once, and the instance's
services (built by the same :func:`~teahouse.services.build_services` as the server's,
with nothing started: the database only).

The subcommands import the service layer only when they run (or for type checking),
so that `teahouse --help` stays quick."""

from __future__ import annotations

import asyncio
import shlex
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click
from pydantic import ValidationError

from teahouse.cli import instance
from teahouse.cli.output import shown
from teahouse.config import Settings, load_settings
from teahouse.errors import TeahouseError

if TYPE_CHECKING:
    from teahouse.services import Services

T = TypeVar("T")


def command_name() -> str:
    """How to type this very command again: the path it was started by (say
    ``.venv/bin/teahouse``, which is not on PATH), so that a command line it prints
    works as printed; ``teahouse`` when it was started some other way."""
    started_as = sys.argv[0] if sys.argv else ""
    if Path(started_as).name == "teahouse":
        return shlex.quote(started_as)
    return "teahouse"


def cli_settings() -> Settings:
    """The settings, or a ClickException that names the bad key, or one that says
    where the instance is when the command would otherwise make a new one by
    accident (:mod:`teahouse.cli.instance`)."""
    settings = _loaded_settings()
    cwd = Path.cwd()
    existing = instance.elsewhere_instance(settings, cwd, instance.checkout_dir())
    if existing is not None:
        raise click.ClickException(instance.refusal(cwd / settings.data_dir, existing))
    return settings


def _loaded_settings() -> Settings:
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


def run(work: Callable[[Services], Awaitable[T]], settings: Settings | None = None) -> T:
    """Run ``work(services)`` against the configured (and migrated) database; a
    refusal the member would see becomes the command's error message."""
    settings = settings or cli_settings()

    # Imported here: `teahouse --help` need not load every service.
    from teahouse.services import build_services

    async def go() -> T:
        services = build_services(settings)
        try:
            await services.db.upgrade()
            return await work(services)
        finally:
            await services.db.close()

    try:
        return asyncio.run(go())
    except TeahouseError as exc:
        raise click.ClickException(shown(exc.message)) from None
