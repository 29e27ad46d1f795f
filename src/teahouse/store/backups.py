"""Backups of an instance's database, and restoring one (`teahouse backup`,
`teahouse restore`; docs/OPERATIONS.md, "Backups").

- **SQLite**: SQLite's online backup API copies the database in one step inside a
  read transaction, so the copy is the database as of one moment even while the
  server writes (WAL lets the writer go on meanwhile). The copy is checked
  (`PRAGMA integrity_check`), made a single self-contained file (journal mode
  DELETE, no `-wal` beside it), owner-only, and renamed into place only when whole.
- **PostgreSQL**: `pg_dump --format=custom` (consistent by PostgreSQL's snapshot),
  run by the command when `pg_dump` is installed; otherwise the command says the exact
  `pg_dump` to run. Restoring runs `pg_restore`.

Restoring refuses a database a server is using (a running `teahouse serve` holds
:func:`hold_serving_lock` on an SQLite file; on PostgreSQL any other connection to the
database counts) and, unless forced, one that holds anything. A backup from a newer
Teahouse than this one (a migration this code does not know) is refused; an older one
is migrated after restoring.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from teahouse.data_dir import PRIVATE_FILE_MODE, create_private_file, private_dir
from teahouse.store import admin_models, social_models
from teahouse.store.database import Database, alembic_config
from teahouse.store.models import Base

# Every table is Teahouse's to count (the model modules add theirs to Base).
_MODELS = (admin_models, social_models)

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
PG_DUMP_ARGS = ("--format=custom", "--no-owner", "--no-privileges")
PG_RESTORE_ARGS = ("--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction")


class BackupError(Exception):
    """A backup or restore refused or failed; the message tells the operator why."""


@dataclass(frozen=True)
class Restored:
    members: int
    clubs: int
    revision: str


def sqlite_file(url: str) -> Path | None:
    """The database file of an SQLite URL; None for any other engine."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(parsed.database)


# -- the serving lock (SQLite) ------------------------------------------------------


def _lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def hold_serving_lock(database: Path) -> int:
    """Take the lock a serving process holds on an SQLite database for its whole life
    (the returned descriptor; the lock goes when the process ends); BackupError if
    another process holds it."""
    private_dir(database.parent)
    fd = os.open(_lock_path(database), os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise BackupError(f"a Teahouse server is running on {database}: stop it first") from None
    return fd


@contextlib.contextmanager
def _not_served(database: Path) -> Iterator[None]:
    fd = hold_serving_lock(database)
    try:
        yield
    finally:
        os.close(fd)


# -- backup -----------------------------------------------------------------------


def _new_private_file(path: Path) -> None:
    create_private_file(path, truncate=True)


def _sqlite_copy(source: Path, dest: Path) -> None:
    """``source`` copied to ``dest`` (replaced) as one consistent, checked file."""
    _new_private_file(dest)
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)  # all pages in one step: one read transaction, one moment
            dst.execute("PRAGMA journal_mode=DELETE")
            (verdict,) = dst.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise BackupError(f"the copy of {source} does not check out: {verdict}")
        finally:
            dst.close()
    finally:
        src.close()


def pg_dump_command(url: str, dest: Path) -> tuple[list[str], dict[str, str]]:
    """The `pg_dump` that backs up ``url`` into ``dest``, and the environment it needs
    (the password goes in PGPASSWORD, never on the command line)."""
    dbname, env = _libpq(url)
    return ["pg_dump", *PG_DUMP_ARGS, f"--file={dest}", f"--dbname={dbname}"], env


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The libpq URI of a SQLAlchemy URL (without its password) and the environment
    that carries the password and a socket directory given as ``?host=``."""
    parsed = make_url(url)
    env = {"PGPASSWORD": parsed.password} if parsed.password else {}
    if isinstance(host := parsed.query.get("host"), str):
        env["PGHOST"] = host
    uri = parsed.set(drivername="postgresql", password=None, query={})
    return uri.render_as_string(hide_password=False), env


def backup(url: str, dest: Path) -> str:
    """Back the database at ``url`` up into the new file ``dest``; what was done."""
    if dest.exists():
        raise BackupError(f"{dest} exists already; name a new file")
    partial = dest.with_name(dest.name + ".partial")
    database = sqlite_file(url)
    try:
        if database is not None:
            if not database.is_file():
                raise BackupError(f"there is no database at {database}")
            _sqlite_copy(database, partial)
        else:
            command, env = pg_dump_command(url, partial)
            if shutil.which("pg_dump") is None:
                shown = " ".join(command).replace(str(partial), str(dest))
                raise BackupError(
                    "pg_dump is not installed (apt-get install postgresql-client); "
                    f"or run it where it is: {shown}"
                )
            _new_private_file(partial)
            _run(command, env, "pg_dump")
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return f"backed up {'SQLite' if database else 'PostgreSQL'} database to {dest}"


def _run(command: list[str], env: dict[str, str], name: str) -> None:
    done = subprocess.run(
        command, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{name} failed: {done.stderr.strip() or done.returncode}")


# -- restore ----------------------------------------------------------------------


def _known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _sqlite_revision(path: Path) -> str:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (verdict,) = db.execute("PRAGMA integrity_check").fetchone()
        if verdict != "ok":
            raise BackupError(f"{path} is damaged: {verdict}")
        row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a Teahouse backup: {exc}") from None
    finally:
        db.close()
    if row is None:
        raise BackupError(f"{path} is not a Teahouse backup: it has no schema version")
    return str(row[0])


def _pg_revision(path: Path) -> str:
    """The schema version inside a pg_dump archive (its alembic_version row)."""
    if shutil.which("pg_restore") is None:
        raise BackupError("pg_restore is not installed (apt-get install postgresql-client)")
    done = subprocess.run(
        ["pg_restore", "--data-only", "--table=alembic_version", "--file=-", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.splitlines()
    for line, after in itertools.pairwise(lines):
        if line.startswith("COPY ") and "alembic_version" in line and after != "\\.":
            return after.strip()
    raise BackupError(f"{path} is not a Teahouse backup: it has no schema version")


def _check_revision(revision: str) -> None:
    if revision not in _known_revisions():
        raise BackupError(
            f"the backup is from a newer Teahouse (schema {revision}): install that "
            "version or a later one, then restore"
        )


async def _contents(db: Database) -> tuple[int, int, int]:
    """(rows in all of Teahouse's tables, members, clubs) of a database."""
    names = sorted(Base.metadata.tables)
    async with db.engine.connect() as conn:
        present = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        counts = {
            name: (await conn.execute(text(f'SELECT count(*) FROM "{name}"'))).scalar_one()
            for name in names
            if name in present
        }
    return sum(counts.values()), counts.get("users", 0), counts.get("clubs", 0)


async def _refuse_unless_empty(db: Database, force: bool) -> None:
    rows, members, clubs = await _contents(db)
    if rows and not force:
        raise BackupError(
            f"the database is not empty ({members} members, {clubs} clubs, {rows} rows "
            "in all): restoring replaces everything in it; add --force to do so"
        )


async def _summary(db: Database) -> Restored:
    _, members, clubs = await _contents(db)
    async with db.engine.connect() as conn:
        revision = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    return Restored(members, clubs, str(revision))


async def restore(url: str, source: Path, *, force: bool = False) -> Restored:
    """Replace the database at ``url`` by the backup ``source``, then migrate it."""
    try:
        with source.open("rb") as f:
            magic = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"cannot read {source}: {exc.strerror}") from None
    database = sqlite_file(url)
    engine = "SQLite" if database is not None else "PostgreSQL"
    kinds = {SQLITE_MAGIC: "SQLite", PGDUMP_MAGIC: "PostgreSQL"}
    kind = kinds.get(magic) or kinds.get(magic[: len(PGDUMP_MAGIC)])
    if kind is None:
        raise BackupError(f"{source} is neither an SQLite backup nor a pg_dump archive")
    if kind != engine:
        raise BackupError(f"{source} is a {kind} backup, and this instance uses {engine}")
    if database is not None:
        _check_revision(_sqlite_revision(source))
        with _not_served(database):
            if database.is_file():
                db = Database(url)
                try:
                    await _refuse_unless_empty(db, force)
                finally:
                    await db.close()
            _replace_sqlite(source, database)
            return await _migrate(url)
    _check_revision(_pg_revision(source))
    await _restore_postgres(url, source, force)
    return await _migrate(url)


def _replace_sqlite(source: Path, database: Path) -> None:
    partial = database.with_name(database.name + ".restoring")
    try:
        _sqlite_copy(source, partial)
        # A -wal left beside the old file would be replayed into the new one.
        for suffix in ("-wal", "-shm"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
        os.replace(partial, database)
    finally:
        partial.unlink(missing_ok=True)


async def _restore_postgres(url: str, source: Path, force: bool) -> None:
    if shutil.which("pg_restore") is None:
        raise BackupError("pg_restore is not installed (apt-get install postgresql-client)")
    db = Database(url)
    try:
        async with db.engine.connect() as conn:
            others = (
                await conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
            ).scalar_one()
        if others:
            raise BackupError(
                f"{others} other connections use this database (a running Teahouse "
                "server?): stop them first"
            )
        await _refuse_unless_empty(db, force)
        async with db.engine.begin() as conn:  # forced: empty the schema first
            tables = (
                await conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
                )
            ).scalars()
            for table in list(tables):
                await conn.execute(text(f'DROP TABLE IF EXISTS "{table}" CASCADE'))
    finally:
        await db.close()
    dbname, env = _libpq(url)
    _run(["pg_restore", *PG_RESTORE_ARGS, f"--dbname={dbname}", str(source)], env, "pg_restore")


async def _migrate(url: str) -> Restored:
    db = Database(url)
    try:
        await db.upgrade()
        return await _summary(db)
    finally:
        await db.close()
