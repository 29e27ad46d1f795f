"""The `teahouse` command as an operator uses it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from teahouse.cli import instance, main


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


# -- which instance a command works on (cli/instance.py) ------------------------------


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout whose `make run` instance exists (a real database in its
    teahouse-data), with the variable unset and the command run from elsewhere."""
    root = tmp_path / "checkout"
    root.mkdir()
    monkeypatch.delenv("TEAHOUSE_DATA_DIR", raising=False)
    monkeypatch.delenv("TEAHOUSE_DATABASE_URL", raising=False)
    monkeypatch.delenv("TEAHOUSE_CONFIG", raising=False)
    monkeypatch.setattr(instance, "checkout_dir", lambda: root)
    # Should `serve` ever get past the check, it stops at the missing Janus, not serves.
    monkeypatch.setenv("TEAHOUSE_JANUS_BINARY", str(tmp_path / "no-janus-here"))
    monkeypatch.chdir(root)
    made = CliRunner().invoke(main, ["db", "upgrade"])  # as `make run` would leave it
    assert made.exit_code == 0, made.output
    assert (root / "teahouse-data" / "teahouse.db").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return root


DATABASE_COMMANDS = [
    ["invite", "create"],
    ["db", "upgrade"],
    ["demo", "seed", "--password", "demo password 123"],
    ["admin", "members"],
    ["admin", "grant", "ada"],
    ["backup", "copy.db"],
    ["serve"],
]


@pytest.mark.parametrize("args", DATABASE_COMMANDS, ids=" ".join)
def test_a_command_run_elsewhere_points_at_the_checkouts_instance(
    checkout: Path, args: list[str]
) -> None:
    elsewhere = Path.cwd()
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    existing = checkout / "teahouse-data"
    assert f"{elsewhere / 'teahouse-data'} holds no Teahouse instance" in result.output
    assert f"TEAHOUSE_DATA_DIR={existing}" in result.output
    assert f"run the command from {checkout}" in result.output
    assert "TEAHOUSE_DATA_DIR=teahouse-data" in result.output
    assert "/invite#" not in result.output
    # Nothing was made here: no directory, no database, no backup.
    assert list(elsewhere.iterdir()) == []


def test_pointed_at_the_instance_it_works_there(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAHOUSE_DATA_DIR", str(checkout / "teahouse-data"))
    created = CliRunner().invoke(main, ["invite", "create"])
    assert created.exit_code == 0, created.output
    assert created.output.startswith("http://127.0.0.1:8000/invite#")
    assert list(Path.cwd().iterdir()) == []


def test_run_from_the_checkout_or_below_its_own_data_dir_it_works(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(checkout)
    created = CliRunner().invoke(main, ["invite", "create"])
    assert created.exit_code == 0, created.output


def test_a_new_instance_elsewhere_on_purpose(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEAHOUSE_DATA_DIR", "teahouse-data")  # asked for, by name
    created = CliRunner().invoke(main, ["invite", "create"])
    assert created.exit_code == 0, created.output
    assert (Path.cwd() / "teahouse-data" / "teahouse.db").is_file()


def test_a_data_dir_from_the_config_file_counts_as_chosen(
    checkout: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "teahouse.toml"
    config.write_text(f'data_dir = "{tmp_path / "other"}"\n')
    monkeypatch.setenv("TEAHOUSE_CONFIG", str(config))
    created = CliRunner().invoke(main, ["invite", "create"])
    assert created.exit_code == 0, created.output
    assert (tmp_path / "other" / "teahouse.db").is_file()


def test_an_instance_here_is_used_whatever_the_checkout_holds(checkout: Path) -> None:
    here = CliRunner().invoke(main, ["db", "upgrade"], env={"TEAHOUSE_DATA_DIR": "teahouse-data"})
    assert here.exit_code == 0, here.output
    # Later, with the variable unset again: ./teahouse-data is an instance, so it is used.
    created = CliRunner().invoke(main, ["invite", "create"])
    assert created.exit_code == 0, created.output


def test_serve_on_a_fresh_machine_needs_no_extra_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A checkout that has never served (no teahouse-data), the variable unset: serve
    # goes ahead, here up to the missing Janus, which it checks next.
    root = tmp_path / "checkout"
    root.mkdir()
    monkeypatch.delenv("TEAHOUSE_DATA_DIR", raising=False)
    monkeypatch.delenv("TEAHOUSE_CONFIG", raising=False)
    monkeypatch.setattr(instance, "checkout_dir", lambda: root)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEAHOUSE_JANUS_BINARY", str(tmp_path / "no-janus-here"))
    result = CliRunner().invoke(main, ["serve"])
    assert "apt-get install janus" in result.output
    assert "holds no Teahouse instance" not in result.output
    created = CliRunner().invoke(main, ["invite", "create"])
    assert created.exit_code == 0, created.output
    assert (tmp_path / "teahouse-data" / "teahouse.db").is_file()


def test_the_checkout_is_found_from_the_editable_install() -> None:
    # The suite runs from the checkout (`make python` installs it editable).
    assert instance.checkout_dir() == Path(__file__).resolve().parents[2]
