"""The `teahouse` command as an operator uses it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from teahouse.cli import main


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TEAHOUSE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TEAHOUSE_CONFIG", raising=False)
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["serve"],
        ["invite"],
        ["invite", "create"],
        ["db"],
        ["db", "upgrade"],
        ["demo"],
        ["demo", "seed"],
        ["backup"],
        ["restore"],
    ],
)
def test_every_command_has_help(args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output


def test_db_upgrade_then_invite_create(env: Path) -> None:
    runner = CliRunner()
    upgraded = runner.invoke(main, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert (env / "teahouse.db").is_file()
    created = runner.invoke(main, ["invite", "create"])
    assert created.exit_code == 0, created.output
    assert created.output.startswith("http://127.0.0.1:8000/invite#")
    unknown = runner.invoke(main, ["invite", "create", "--by", "nobody"])
    assert unknown.exit_code == 1
    assert "No member has that username" in unknown.output


def test_serve_without_janus_says_how_to_install_it(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAHOUSE_JANUS_BINARY", str(env / "no-janus-here"))
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 1
    assert "apt-get install janus" in result.output
    assert "TEAHOUSE_JANUS_URL" in result.output


def test_serve_with_a_bad_setting_names_it(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAHOUSE_PORT", "eighty")
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 1
    assert "TEAHOUSE_PORT" in result.output


ADMIN_COMMANDS = [
    ["admin"], ["admin", "members"], ["admin", "grant"], ["admin", "revoke"],
    ["admin", "suspend"], ["admin", "unsuspend"], ["admin", "invites"],
    ["admin", "revoke-invite"], ["admin", "tree"], ["admin", "revoke-branch"],
    ["admin", "reports"], ["admin", "resolve"], ["admin", "audit"],
    ["admin", "give-invites"], ["admin", "reset-link"],
]  # fmt: skip


@pytest.mark.parametrize("args", ADMIN_COMMANDS)
def test_every_admin_command_has_help(args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output


def _signup(env: Path, username: str, by: str | None = None) -> str:
    """A member made the way the server would, through the services; their id."""
    import asyncio

    from teahouse.accounts.accounts import Accounts
    from teahouse.accounts.passwords import Passwords
    from teahouse.config import load_settings
    from teahouse.store.database import Database

    async def go() -> str:
        settings = load_settings(data_dir=env, argon2_time_cost=1, argon2_memory_kib=64)
        db = Database(settings.resolved_database_url)
        try:
            await db.upgrade()
            accounts = Accounts(db, settings, Passwords(settings))
            inviter = (await accounts.user_by_username(by)).id if by else None
            code = (await accounts.create_operator_invite(inviter)).url.split("#")[1]
            me, _ = await accounts.signup(code, username, "correct horse battery", None)
            return me["id"]
        finally:
            await db.close()

    return asyncio.run(go())


def test_admin_commands_against_a_data_dir(env: Path) -> None:
    runner = CliRunner()

    def ok(*args: str) -> str:
        result = runner.invoke(main, ["admin", *args])
        assert result.exit_code == 0, result.output
        return result.output

    def refused(*args: str) -> str:
        result = runner.invoke(main, ["admin", *args])
        assert result.exit_code == 1, result.output
        return result.output

    _signup(env, "root")
    _signup(env, "ann", by="root")
    _signup(env, "ben", by="ann")
    assert ok("members").split() == ["ben", "ben", "ann", "ann", "root", "root", "admin"]
    assert ok("members", "--query", "an").split()[0] == "ann"
    assert "instance must keep one admin" in refused("revoke", "root")
    assert ok("grant", "ann") == "ann: admin\n"
    assert "revoke their admin rights first" in refused("suspend", "ann")
    assert ok("revoke", "ann") == "ann: no longer an admin\n"
    assert ok("suspend", "ben") == "ben: suspended\n"
    assert "suspended since" in ok("members", "--status", "suspended")
    assert ok("unsuspend", "ben") == "ben: no longer suspended\n"
    assert "No member has that username" in refused("suspend", "nobody")

    created = runner.invoke(main, ["invite", "create", "--by", "ben"])
    assert created.exit_code == 0
    assert ok("tree", "root") == "root (0 unused) [admin]\n  ann (0 unused)\n    ben (1 unused)\n"
    [unused] = ok("invites", "--status", "unused").splitlines()
    invite_id = unused.split()[0]
    assert ok("revoke-invite", invite_id) == f"{invite_id}: revoked\n"
    assert ok("invites", "--status", "unused") == ""
    runner.invoke(main, ["invite", "create", "--by", "ben"])
    assert ok("revoke-branch", "ann") == "revoked 1 invitation\n"
    assert "no such invitation" in refused("revoke-invite", "x" * 22)

    assert ok("reports") == ""
    assert "no such report" in refused("resolve", "y" * 22, "--note", "done")
    log = ok("audit").splitlines()
    assert [line.split()[1:3] for line in log] == [
        ["(cli):", "revoke_branch"], ["(cli):", "revoke_invite"], ["(cli):", "unsuspend"],
        ["(cli):", "suspend"], ["(cli):", "revoke_admin"], ["(cli):", "grant_admin"],
    ]  # fmt: skip
    assert "{'count': 1}" in log[0]
