"""What `teahouse serve`, `backup` and `restore` put on disk is the owner's alone
(data_dir.py): the data directory 0700; the SQLite database, its -wal and -shm, the
cursor key, the serving lock and backups 0600, under the usual umask of 022."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.serve_process import teahouse_serve
from tests.support.stub_janus import stub_janus


@pytest.fixture
def umask_022() -> Iterator[None]:
    # The child processes inherit it: files they make get 0644 unless made private.
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.usefixtures("umask_022")
async def test_a_new_instance_and_its_backups_are_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "var" / "teahouse"  # neither exists yet
    async with stub_janus() as janus_url, teahouse_serve(data, janus_url=janus_url) as server:
        # A write while serving: SQLite has its -wal and -shm beside the database.
        await server.signup(await server.invite_code(), "ada")
        files = ["teahouse.db", "teahouse.db-wal", "teahouse.db-shm", "cursor.key"]
        assert {name: mode(data / name) for name in files} == dict.fromkeys(files, 0o600)
        assert mode(data / "teahouse.db.lock") == 0o600
        assert mode(data) == 0o700 and mode(data.parent) == 0o700
        backup = tmp_path / "backup.db"
        await server.teahouse_command("backup", str(backup))
        assert mode(backup) == 0o600
        await server.stop()

    fresh = tmp_path / "restored"
    env = {**server.env, "TEAHOUSE_DATA_DIR": str(fresh)}
    restore = await _run(server.teahouse, env, "restore", str(backup))
    assert restore == 0
    assert mode(fresh) == 0o700 and mode(fresh / "teahouse.db") == 0o600


async def _run(teahouse: Path, env: dict[str, str], *args: str) -> int:
    process = await asyncio.create_subprocess_exec(
        str(teahouse), *args, env=env, stdin=asyncio.subprocess.DEVNULL
    )
    return await process.wait()
