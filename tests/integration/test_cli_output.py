"""What members typed reaches the operator's terminal escaped: no escape sequence,
bell or direction override from a name, a title or a report runs in the shell."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from teahouse.cli import main

# A row written before names were checked, or straight into the database.
EVIL = "\x1b]0;owned\x07\x1b[2J\x1b[31mMallory\u202e\x9b1m\r\nroot admin"


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TEAHOUSE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TEAHOUSE_CONFIG", raising=False)
    assert CliRunner().invoke(main, ["db", "upgrade"]).exit_code == 0
    with sqlite3.connect(tmp_path / "teahouse.db") as db:
        db.execute(
            "INSERT INTO users (id, username, display_name, bio, password_hash, invites_left,"
            " is_admin, created_at) VALUES (hex(randomblob(11)), 'mallory', ?, ?, 'x',"
            " 0, 0, '2026-01-01 00:00:00.000000')",
            (EVIL, EVIL),
        )
        user = db.execute("SELECT id FROM users").fetchone()[0]
        db.execute(
            "INSERT INTO rooms (id, title, visibility, created_by_id, created_at, demo)"
            " VALUES (hex(randomblob(11)), ?, 'open', ?, '2026-01-01 00:00:00.000000', 0)",
            (EVIL, user),
        )
        room = db.execute("SELECT id FROM rooms").fetchone()[0]
        db.execute(
            "INSERT INTO reports (id, reporter_id, target_user_id, room_id, reason, details,"
            " context, created_at) VALUES (hex(randomblob(11)), ?, ?, ?, 'spam', ?, '{}',"
            " '2026-01-01 00:00:00.000000')",
            (user, user, room, EVIL),
        )
    return tmp_path


@pytest.mark.parametrize(
    "args", [["admin", "members"], ["admin", "members", "--query", "mallory"], ["admin", "reports"]]
)
def test_member_text_is_escaped_on_the_terminal(instance: Path, args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Mallory" in result.output
    assert not [ch for ch in result.output if ch in "\x1b\x07\x9b\u202e\r"]
    assert r"\x1b[31mMallory\u202e" in result.output
    # A line break in a name cannot forge a line of its own.
    assert not [line for line in result.output.splitlines() if line.startswith("root admin")]


@pytest.mark.parametrize(
    ("started_as", "printed"),
    [
        (".venv/bin/teahouse", ".venv/bin/teahouse"),
        ("/opt/teahouse/bin/teahouse", "/opt/teahouse/bin/teahouse"),
        ("/home/me/my checkout/.venv/bin/teahouse", "'/home/me/my checkout/.venv/bin/teahouse'"),
        ("/usr/lib/python3/pytest", "teahouse"),  # not started as the command
    ],
)
def test_a_command_line_it_prints_names_the_command_as_it_was_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, started_as: str, printed: str
) -> None:
    monkeypatch.setenv("TEAHOUSE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TEAHOUSE_CONFIG", raising=False)
    monkeypatch.setenv("TEAHOUSE_ARGON2_TIME_COST", "1")  # quick hashes for 30 members
    monkeypatch.setenv("TEAHOUSE_ARGON2_MEMORY_KIB", "64")
    monkeypatch.setattr(sys, "argv", [started_as, "demo", "seed"])
    result = CliRunner().invoke(main, ["demo", "seed", "--password", "demo password 123"])
    assert result.exit_code == 0, result.output
    # What to run next works as printed, even with teahouse not on PATH.
    assert f"(`{printed} serve`;" in result.output
