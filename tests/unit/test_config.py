"""Settings: defaults that need nothing, a TOML file, the environment winning, and
errors that name the bad key."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from teahouse.config import load_settings


def test_defaults_need_no_database_server_and_no_janus_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEAHOUSE_CONFIG", raising=False)
    settings = load_settings()
    assert settings.resolved_database_url.startswith("sqlite+aiosqlite:///")
    assert settings.janus_url is None
    assert settings.session_cookie_name == "teahouse_session"  # plain http
    assert settings.allowed_origins == {"http://127.0.0.1:8000"}


def test_toml_file_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "teahouse.toml"
    config.write_text('public_url = "https://tea.example/"\ninvites_per_member = 5\nport = 9000\n')
    monkeypatch.setenv("TEAHOUSE_CONFIG", str(config))
    monkeypatch.setenv("TEAHOUSE_PORT", "9100")
    settings = load_settings()
    assert settings.public_url == "https://tea.example"
    assert settings.invites_per_member == 5
    assert settings.port == 9100  # the environment wins over the file


def test_https_gets_the_host_only_secure_cookie(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAHOUSE_PUBLIC_URL", "https://tea.example")
    settings = load_settings()
    assert settings.secure_cookies
    assert settings.session_cookie_name == "__Host-teahouse_session"


@pytest.mark.parametrize(
    ("variable", "value", "key"),
    [
        ("TEAHOUSE_PORT", "eighty", "port"),
        ("TEAHOUSE_PUBLIC_URL", "ftp://x", "public_url"),
        ("TEAHOUSE_JANUS_RTP_PORTS", "20000", "janus_rtp_ports"),
        ("TEAHOUSE_INVITES_PER_MEMBER", "-1", "invites_per_member"),
        ("TEAHOUSE_TRUSTED_PROXIES", '["127.0.0.1", "proxy.local"]', "trusted_proxies"),
    ],
)
def test_a_bad_value_names_its_key(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, key: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as error:
        load_settings()
    assert error.value.errors()[0]["loc"] == (key,)


def test_an_unknown_key_in_the_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "teahouse.toml"
    config.write_text('databse_url = "typo"\n')
    monkeypatch.setenv("TEAHOUSE_CONFIG", str(config))
    with pytest.raises(ValidationError, match="databse_url"):
        load_settings()


def test_a_missing_config_file_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAHOUSE_CONFIG", "/nonexistent/teahouse.toml")
    with pytest.raises(FileNotFoundError, match="nonexistent"):
        load_settings()


def test_trusted_proxies_are_addresses_or_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAHOUSE_TRUSTED_PROXIES", '["127.0.0.1", "10.0.0.0/8", "fd00::/8"]')
    settings = load_settings()
    assert [str(n) for n in settings.trusted_proxy_networks] == [
        "127.0.0.1/32",
        "10.0.0.0/8",
        "fd00::/8",
    ]
    assert load_settings(trusted_proxies=[]).trusted_proxy_networks == ()
