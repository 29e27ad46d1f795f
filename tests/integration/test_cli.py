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
