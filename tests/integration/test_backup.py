"""`teahouse backup` and `teahouse restore` as an operator runs them: a backup taken
while a server writes is the database of one moment, and restored into a fresh data
directory (or a fresh PostgreSQL database) it serves the same members and clubs.
Restoring refuses a database a server uses, and one that holds anything unless
forced; a refused restore changes nothing."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from teahouse.store.models import User
from teahouse.store.social_models import Club
from tests.support.engines import postgres_database
from tests.support.fake_media import FakeMedia
from tests.support.serve_process import TEAHOUSE, teahouse_serve
from tests.support.server import PASSWORD, LiveServer, free_port, run_server, server_settings
from tests.support.stub_janus import stub_janus


async def teahouse(*args: str | Path, data_dir: Path, url: str | None = None) -> tuple[int, str]:
    """Run `teahouse ARGS` as its own process against a data directory (and database)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEAHOUSE_")}
    env["TEAHOUSE_DATA_DIR"] = str(data_dir)
    if url is not None:
        env["TEAHOUSE_DATABASE_URL"] = url
    process = await asyncio.create_subprocess_exec(
        TEAHOUSE,
        *map(str, args),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=env,
    )
    out, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode()


@contextlib.asynccontextmanager
async def another_database(like: str, tmp_path: Path) -> AsyncIterator[str | None]:
    """A fresh, empty target on the engine of ``like``: None for SQLite (the data
    directory's own file), a new PostgreSQL database otherwise."""
    if like.startswith("sqlite"):
        yield None
        return
    async with postgres_database() as url:
        yield url


async def usernames_and_clubs(server: LiveServer) -> tuple[set[str], set[str]]:
    async with server.services.db.sessions() as s:
        users = set((await s.execute(select(User.username))).scalars())
        clubs = set((await s.execute(select(Club.name))).scalars())
    return users, clubs


async def test_a_backup_taken_while_the_server_writes_restores_into_a_fresh_instance(
    tmp_path: Path, database_url: str
) -> None:
    backup_file = tmp_path / "teahouse.backup"
    written: list[str] = []
    stop = asyncio.Event()

    async with run_server(
        server_settings(tmp_path / "a", database_url, free_port()), FakeMedia()
    ) as live:
        ann = await live.member("ann")
        async with ann.http() as http:
            made = await http.post("/api/clubs", json={"name": "Night Owls"})
            assert made.status_code == 201, made.text

        async def keep_writing() -> None:
            while not stop.is_set():
                name = f"w{len(written)}"
                await live.member(name)  # an invitation, a sign-up, a session
                written.append(name)

        writer = asyncio.create_task(keep_writing())
        while len(written) < 3:  # noqa: ASYNC110 (the writer is another task)
            await asyncio.sleep(0.01)
        status, out = await teahouse(
            "backup", backup_file, data_dir=tmp_path / "a", url=database_url
        )
        before = len(written)
        while len(written) < before + 3:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        stop.set()
        await writer
        assert status == 0, out
        original_users, original_clubs = await usernames_and_clubs(live)

    assert backup_file.stat().st_mode & 0o777 == 0o600
    async with another_database(database_url, tmp_path) as target:
        fresh = tmp_path / "b"
        status, out = await teahouse("restore", backup_file, data_dir=fresh, url=target)
        assert status == 0, out
        assert "restored" in out and "1 clubs" in out
        async with run_server(server_settings(fresh, target, free_port()), FakeMedia()) as again:
            users, clubs = await usernames_and_clubs(again)
            # One moment: everyone written before it, in order, and nobody after it.
            restored = sorted((u for u in users if u.startswith("w")), key=lambda u: int(u[1:]))
            assert restored == written[: len(restored)]
            assert 3 <= len(restored) < len(written)
            assert users == {"ann", *restored} and users <= original_users
            assert clubs == original_clubs == {"Night Owls"}
            async with again.client() as http:
                login = await http.post("/api/login", json={"username": "w2", "password": PASSWORD})
                assert login.status_code == 200, login.text
                me = await http.get("/api/me")  # with the session cookie it set
                assert me.json()["username"] == "w2"


def _members(db: Path) -> list[str]:
    with contextlib.closing(sqlite3.connect(db)) as c:
        return sorted(row[0] for row in c.execute("SELECT username FROM users"))


async def test_restore_refuses_what_it_would_break_and_changes_nothing(tmp_path: Path) -> None:
    media = FakeMedia()
    a, b = tmp_path / "a", tmp_path / "b"
    async with run_server(server_settings(a, None, free_port()), media) as live:
        await live.member("ann")
    async with run_server(server_settings(b, None, free_port()), media) as live:
        await live.member("bob")
    backup_file = tmp_path / "a.backup"
    assert (await teahouse("backup", backup_file, data_dir=a))[0] == 0

    status, out = await teahouse("backup", backup_file, data_dir=a)
    assert (status, "exists already" in out) == (1, True)

    # B holds a member: not without --force.
    status, out = await teahouse("restore", backup_file, data_dir=b)
    assert status == 1 and "not empty (1 members" in out and "--force" in out
    assert _members(b / "teahouse.db") == ["bob"]

    # Not something that is no backup, nor one from a newer Teahouse.
    junk = tmp_path / "junk"
    junk.write_bytes(b"hello" * 100)
    status, out = await teahouse("restore", junk, "--force", data_dir=b)
    assert status == 1 and "neither an SQLite backup" in out
    newer = tmp_path / "newer.backup"
    newer.write_bytes(backup_file.read_bytes())
    with contextlib.closing(sqlite3.connect(newer)) as c, c:
        c.execute("UPDATE alembic_version SET version_num = '0999_from_the_future'")
    status, out = await teahouse("restore", newer, "--force", data_dir=b)
    assert status == 1 and "newer Teahouse" in out
    assert _members(b / "teahouse.db") == ["bob"]

    # Not under a running server, forced or not.
    async with stub_janus() as janus_url, teahouse_serve(b, janus_url=janus_url) as server:
        status, out = await teahouse("restore", backup_file, "--force", data_dir=b)
        assert status == 1 and "server is running" in out
        status, out = await teahouse("serve", data_dir=b)  # nor a second server
        assert status == 1 and "server is running" in out
        async with server.client() as http:
            login = await http.post("/api/login", json={"username": "bob", "password": PASSWORD})
            assert login.status_code == 200
        await server.stop()
    assert _members(b / "teahouse.db") == ["bob"]

    status, out = await teahouse("restore", backup_file, "--force", data_dir=b)
    assert status == 0, out
    assert _members(b / "teahouse.db") == ["ann"]


@pytest.mark.postgres
async def test_restore_refuses_a_postgres_database_in_use(tmp_path: Path) -> None:
    async with another_database("postgresql", tmp_path) as url:
        assert url is not None
        async with run_server(server_settings(tmp_path, url, free_port()), FakeMedia()) as live:
            await live.member("ann")
            backup_file = tmp_path / "pg.backup"
            assert (await teahouse("backup", backup_file, data_dir=tmp_path, url=url))[0] == 0
            status, out = await teahouse(
                "restore", backup_file, "--force", data_dir=tmp_path, url=url
            )
            assert status == 1 and "other connections use this database" in out
            assert (await usernames_and_clubs(live))[0] == {"ann"}
