"""TURN settings are checked at start, and credentials follow coturn's REST scheme."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from teahouse.config import load_settings
from teahouse.media.turn import TurnCredentials, turn_credential

GOOD_URLS = [
    "turns:turn.example.org:443?transport=tcp",
    "turn:turn.example.org:3478",
    "turn:turn.example.org:3478?transport=udp",
    "turn:203.0.113.7",
    "turns:[2001:db8::7]:443?transport=tcp",
]
BAD_URLS = [
    "stun:turn.example.org:3478",  # STUN gives no relay
    "https://turn.example.org",
    "turn:",
    "turn:turn.example.org:99999",
    "turns:turn.example.org:443?transport=udp",  # browsers have no TURN over DTLS
    "turn:turn.example.org?transport=sctp",
    "turn:turn example.org",
]


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "turn-secret"
    path.write_text("north wind\n")
    return path


@pytest.mark.parametrize("url", GOOD_URLS)
def test_turn_urls_browsers_take_are_accepted(url: str, secret_file: Path) -> None:
    assert load_settings(turn_urls=[url], turn_secret_file=secret_file).turn_urls == [url]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_bad_turn_url_names_its_key(url: str, secret_file: Path) -> None:
    with pytest.raises(ValidationError) as error:
        load_settings(turn_urls=[GOOD_URLS[0], url], turn_secret_file=secret_file)
    assert error.value.errors()[0]["loc"] == ("turn_urls",)
    assert url in str(error.value)


def test_turn_urls_from_the_environment(secret_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAHOUSE_TURN_URLS", '["turns:turn.example.org:443?transport=tcp"]')
    monkeypatch.setenv("TEAHOUSE_TURN_SECRET_FILE", str(secret_file))
    settings = load_settings()
    assert settings.turn_urls == ["turns:turn.example.org:443?transport=tcp"]
    assert settings.turn_secret() == "north wind"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: {"turn_urls": GOOD_URLS[:1]}, "turn_urls needs turn_secret_file"),
        (lambda d: {"turn_secret_file": d / "s"}, "turn_secret_file is set but turn_urls"),
        (lambda d: {"turn_urls": GOOD_URLS[:1], "turn_secret_file": d / "absent"}, "cannot read"),
        (lambda d: {"turn_urls": GOOD_URLS[:1], "turn_secret_file": d / "blank"}, "is empty"),
        (lambda d: {"turn_ttl_minutes": 0}, "turn_ttl_minutes"),
    ],
)
def test_turn_settings_that_cannot_work_stop_the_start(
    tmp_path: Path, make: object, message: str
) -> None:
    (tmp_path / "s").write_text("a secret")
    (tmp_path / "blank").write_text(" \n")
    with pytest.raises(ValidationError, match=message):
        load_settings(**make(tmp_path))  # type: ignore[operator]


def test_the_credential_is_coturns_hmac_sha1_of_the_username() -> None:
    # Computed apart from this code: printf %s '1767225600:tag' |
    #   openssl dgst -sha1 -hmac 'north wind' -binary | base64
    assert turn_credential("north wind", "1767225600:tag") == "tRNOZ2A27D0uilM+xhXXJkK8LqI="


def test_a_credential_expires_after_the_ttl_and_names_no_one() -> None:
    turn = TurnCredentials(GOOD_URLS[:2], lambda: "north wind", 3600, clock=lambda: 1767225600.7)
    first, second = turn.issue(), turn.issue()
    server = first["ice_servers"][0]
    assert server["urls"] == GOOD_URLS[:2]
    expiry, tag = server["username"].split(":")
    assert expiry == "1767229200"
    assert first["expires_at"] == "2026-01-01T01:00:00Z"
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", tag)  # 128 random bits
    assert server["credential"] == turn_credential("north wind", server["username"])
    assert second["ice_servers"][0]["username"] != server["username"]


def test_without_turn_there_is_nothing_to_hand_out() -> None:
    assert TurnCredentials([], lambda: None, 3600).issue() == {
        "ice_servers": [],
        "expires_at": None,
    }
