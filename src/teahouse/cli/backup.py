"""`teahouse backup FILE` and `teahouse restore FILE`: the database, copied while the
server runs, and put back (teahouse.store.backups says how, per engine)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from teahouse.cli.context import cli_settings


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Back the database up into FILE (a new file), consistent while the server runs.

    SQLite: a copy made with SQLite's online backup. PostgreSQL: a pg_dump archive
    (custom format), if pg_dump is installed; otherwise the pg_dump command to run.
    The file holds password hashes: it is created readable by its owner only.
    """
    from teahouse.store.backups import BackupError
    from teahouse.store.backups import backup as back_up

    try:
        click.echo(back_up(cli_settings().resolved_database_url, file))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--force", is_flag=True, help="Replace a database that is not empty (everything in it goes)."
)
def restore(file: Path, force: bool) -> None:
    """Restore the database from FILE (made by `teahouse backup`), then migrate it.

    Refuses while a server uses the database (stop it first), and refuses a database
    that holds anything unless --force is given.
    """
    from teahouse.store.backups import BackupError
    from teahouse.store.backups import restore as put_back

    try:
        done = asyncio.run(put_back(cli_settings().resolved_database_url, file, force=force))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"restored {done.members} members and {done.clubs} clubs from {file} "
        f"(schema {done.revision})"
    )
