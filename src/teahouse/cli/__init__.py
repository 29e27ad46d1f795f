"""The `teahouse` command: one group, a module per subcommand.

Every subcommand reads the settings through :mod:`teahouse.cli.context` and works on
the services :func:`~teahouse.services.build_services` makes, as the server does.

May import: any package.
"""

from __future__ import annotations

import sys

import click

from teahouse.cli import admin, backup, database, demo, invite, serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="teahouse")
def main() -> None:
    """Teahouse: self-hosted, invitation-only live audio rooms.

    Configuration comes from TEAHOUSE_* environment variables and an optional TOML
    file named by TEAHOUSE_CONFIG (see the README).
    """


main.add_command(serve.serve)
main.add_command(invite.invite)
main.add_command(demo.demo)
main.add_command(database.db)
main.add_command(admin.admin)
main.add_command(backup.backup)
main.add_command(backup.restore)

if __name__ == "__main__":
    sys.exit(main())
