"""Which instance a command works on: never a new one by accident.

`make run` keeps its instance in the checkout's ``teahouse-data``, and a command
with ``TEAHOUSE_DATA_DIR`` unset takes ``./teahouse-data`` from wherever it is run.
Run from another directory (``~``, ``/tmp``, a ``cd`` into ``frontend/``), it would
make a second, empty instance there and print an invitation link to a server that
has never heard of it. So every command refuses, before it touches anything, when all
of these hold (the rule docs/OPERATIONS.md gives):

- the database is the SQLite file in the data directory (no
  ``TEAHOUSE_DATABASE_URL``), and nobody chose the data directory: neither
  ``TEAHOUSE_DATA_DIR`` nor the ``TEAHOUSE_CONFIG`` file names one;
- ``./teahouse-data`` holds no database;
- this Teahouse runs from a checkout (an editable install, as `make run` makes)
  whose own ``teahouse-data`` holds one, and that is another directory.

The refusal says where the existing instance is and how to point at it; a new
instance there on purpose is one setting away (``TEAHOUSE_DATA_DIR=teahouse-data``).
A fresh machine has no other instance, so ``serve`` there needs no extra step, and an
installed wheel has no checkout, so the rule never applies to it.
"""

from __future__ import annotations

from pathlib import Path

from teahouse.config import Settings

DATABASE_FILE = "teahouse.db"


def checkout_dir() -> Path | None:
    """The source checkout this Teahouse runs from, or None (an installed wheel)."""
    package = Path(__file__).resolve().parents[1]  # src/teahouse
    root = package.parent.parent
    if package.parent.name == "src" and (root / "pyproject.toml").is_file():
        return root
    return None


def elsewhere_instance(settings: Settings, cwd: Path, checkout: Path | None) -> Path | None:
    """The data directory of the instance the command would miss, or None when the
    command works where it should (see the module's rule)."""
    if settings.database_url or "data_dir" in settings.model_fields_set:
        return None
    if checkout is None or (cwd / settings.data_dir / DATABASE_FILE).exists():
        return None
    existing = (checkout / settings.data_dir).resolve()
    if existing == (cwd / settings.data_dir).resolve():
        return None
    return existing if (existing / DATABASE_FILE).is_file() else None


def refusal(here: Path, existing: Path) -> str:
    """What the command says instead of making a new instance in ``here``."""
    return (
        f"{here} holds no Teahouse instance, but {existing} does (the one `make run` "
        "serves).\n"
        f"  To work on it: run the command from {existing.parent}, or set\n"
        f"    TEAHOUSE_DATA_DIR={existing}\n"
        f"  To make a new instance in {here} on purpose, set\n"
        "    TEAHOUSE_DATA_DIR=teahouse-data"
    )
