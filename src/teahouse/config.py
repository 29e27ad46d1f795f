"""Typed settings, read once at start-up and passed down.

Sources, later ones winning: built-in defaults, an optional TOML file (path in
``TEAHOUSE_CONFIG``), then ``TEAHOUSE_*`` environment variables. Secrets are never
values here, only paths of files that hold them (``*_file``). A bad value fails
loudly and names the key.
"""

from __future__ import annotations

import os
import re
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class Settings(BaseSettings):
    """Every knob of a Teahouse instance; the README has the table."""

    model_config = SettingsConfigDict(env_prefix="TEAHOUSE_", extra="forbid", frozen=True)

    data_dir: Path = Field(
        default=Path("teahouse-data"),
        description="Where the SQLite file and the managed Janus configuration live.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; unset means an SQLite file in data_dir. PostgreSQL: postgresql+asyncpg://user@host/db.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis URL (redis://host:6379/0); set, this process is one of several "
        "replicas sharing it and one PostgreSQL. Unset: one process, nothing shared.",
    )
    redis_prefix: str = Field(
        default="teahouse",
        pattern=r"^[A-Za-z0-9_-]{1,40}$",
        description="The prefix of every Redis key and channel of this instance, so that "
        "instances can share a Redis.",
    )
    host: str = Field(default="127.0.0.1", description="Address the HTTP server binds.")
    port: int = Field(default=8000, ge=0, le=65535, description="Port the HTTP server binds.")
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The URL members open; invitation links and the Origin check use it.",
    )
    extra_origins: list[str] = Field(
        default_factory=list, description="Further origins allowed to make state-changing requests."
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description=(
            "Addresses or networks (CIDR) of the reverse proxies whose X-Forwarded-For"
            " names the client; unset: the connecting address is the client."
        ),
    )
    invites_per_member: int = Field(
        default=2, ge=0, le=1000, description="Invitations each new member starts with."
    )
    invite_ttl_hours: int = Field(
        default=168, ge=1, le=24 * 365, description="How long an invitation link stays valid."
    )
    reset_link_ttl_minutes: int = Field(
        default=60,
        ge=5,
        le=7 * 24 * 60,
        description="How long an admin's password reset link stays valid.",
    )
    session_ttl_days: int = Field(default=30, ge=1, le=365, description="How long a login lasts.")
    argon2_time_cost: int = Field(default=3, ge=1, le=20, description="argon2id passes.")
    argon2_memory_kib: int = Field(
        default=65536, ge=8, le=4 * 1024 * 1024, description="argon2id memory per hash, KiB."
    )
    header_timeout: float = Field(
        default=10.0,
        ge=0.5,
        le=300.0,
        description="Seconds a client has to send a request's headers; then the "
        "connection is closed.",
    )
    body_timeout: float = Field(
        default=30.0,
        ge=0.5,
        le=3600.0,
        description="Seconds a request's declared body has to arrive after its headers; "
        "then 408 request_timeout.",
    )
    max_ws_message_bytes: int = Field(
        default=65536,
        ge=1024,
        le=1024 * 1024,
        description="Largest WebSocket message a client may send.",
    )
    ws_send_queue: int = Field(
        default=1024,
        ge=8,
        le=65536,
        description="Messages a client may fall behind before it is dropped to resume.",
    )
    ws_rate_scale: float = Field(
        default=1.0,
        ge=0.1,
        le=1000.0,
        description="Multiplies every WebSocket message limit per socket and per member "
        "(docs/SECURITY.md).",
    )
    ws_sockets_per_member: int = Field(
        default=8,
        ge=1,
        le=1000,
        description="WebSockets one member may have open at once (tabs, devices); "
        "one more is closed with 4429.",
    )
    room_delivery_budget: int = Field(
        default=20000,
        ge=100,
        le=10_000_000,
        description="Deliveries a second that a live room's audience may cause with hands "
        "and answers to invitations (each reaches every socket in the room).",
    )
    audience_interval: float = Field(
        default=1.0,
        ge=0.05,
        le=10.0,
        description="Seconds between announcements of a room's audience count.",
    )
    reconnect_grace: float = Field(
        default=20.0,
        ge=1.0,
        le=600.0,
        description="Seconds a live room keeps the place of a member whose socket dropped "
        "(and, after a restart, of everyone in it) before they leave it.",
    )
    avatar_uploads_per_hour: int = Field(
        default=10,
        ge=1,
        le=10000,
        description="Avatar uploads one member may make an hour (each is decoded in a "
        "worker process); beyond it 429 rate_limited.",
    )
    club_requests_per_hour: int = Field(
        default=10,
        ge=1,
        le=10000,
        description="Requests to join clubs one member may make an hour (withdrawn ones "
        "count), so nobody floods club admins; beyond it 429 rate_limited.",
    )
    avatar_memory_mib: int = Field(
        default=512,
        ge=128,
        le=65536,
        description="Address space of the worker process that decodes one avatar, MiB; "
        "a picture that needs more is refused.",
    )
    avatar_decode_timeout: float = Field(
        default=20.0,
        ge=1.0,
        le=600.0,
        description="Seconds a worker may take to decode one avatar; then it is killed "
        "and the picture refused.",
    )
    janus_url: str | None = Field(
        default=None,
        description="WebSocket URL of an external Janus API; unset: Teahouse starts its own.",
    )
    janus_api_secret_file: Path | None = Field(
        default=None, description="File holding the external Janus's api_secret."
    )
    janus_binary: str = Field(
        default="janus", description="The Janus executable the managed mode starts."
    )
    janus_rtp_ports: str = Field(
        default="20000-40000",
        pattern=r"^\d{1,5}-\d{1,5}$",
        description="UDP range the managed Janus uses for media.",
    )
    janus_event_loops: int = Field(
        default=2, ge=0, le=64, description="Janus event_loops (0: a thread per handle)."
    )
    janus_ice_enforce_list: str | None = Field(
        default=None, description="Interfaces or addresses Janus gathers ICE candidates on."
    )
    janus_nat_1_1_mapping: str | None = Field(
        default=None, description="Public address Janus advertises when behind NAT."
    )
    janus_debug_level: int = Field(
        default=3, ge=0, le=7, description="Managed Janus log verbosity."
    )
    turn_urls: list[str] = Field(
        default_factory=list,
        description=(
            "TURN server URLs handed to browsers, e.g."
            ' `["turns:turn.example.org:443?transport=tcp"]`'
            ' (docs/OPERATIONS.md, "TURN for networks that block UDP"); unset: no TURN.'
        ),
    )
    turn_secret_file: Path | None = Field(
        default=None,
        description="File holding coturn's static-auth-secret; needed with turn_urls.",
    )
    turn_ttl_minutes: int = Field(
        default=60,
        ge=5,
        le=24 * 60,
        description="How long a TURN credential handed to a browser stays valid.",
    )
    log_level: str = Field(
        default="info", pattern=r"^(debug|info|warning|error)$", description="Log verbosity."
    )
    log_format: str = Field(
        default="text",
        pattern=r"^(text|json)$",
        description="Log lines as text or as JSON objects, one a line; both carry the request id.",
    )
    # Off by default: an extra listening port that nobody asked for can collide with
    # another service (two instances on one machine, an exporter on the same port)
    # and stop `teahouse serve`, and loopback is open to every local user. Whoever
    # runs Prometheus configures a scrape target anyway, so turning this on is part
    # of that same step.
    metrics_host: str = Field(
        default="127.0.0.1",
        description="Address the metrics listener binds; keep it loopback or private.",
    )
    metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Port of the Prometheus metrics listener (GET /metrics); unset: no listener.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get("TEAHOUSE_CONFIG")
        if config_file:
            path = Path(config_file)
            if not path.is_file():
                raise FileNotFoundError(f"TEAHOUSE_CONFIG names {path}, which is not a file")
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("public_url must be an http(s) URL such as https://teahouse.example")
        return value.rstrip("/")

    @field_validator("trusted_proxies")
    @classmethod
    def _check_trusted_proxies(cls, value: list[str]) -> list[str]:
        for entry in value:
            try:
                ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an address or network such as 127.0.0.1 or 10.0.0.0/8"
                ) from None
        return value

    @field_validator("turn_urls")
    @classmethod
    def _check_turn_urls(cls, value: list[str]) -> list[str]:
        for entry in value:
            problem = turn_url_problem(entry)
            if problem:
                raise ValueError(f"{entry!r} {problem}")
        return value

    @field_validator("turn_secret_file")
    @classmethod
    def _check_turn_secret_file(cls, value: Path | None) -> Path | None:
        # Checked here so that a missing or empty file stops the start, not the first
        # member who asks for a credential.
        if value is not None:
            try:
                secret = value.read_text().strip()
            except OSError as error:
                raise ValueError(f"cannot read {value}: {error.strerror}") from None
            if not secret:
                raise ValueError(f"{value} is empty; it must hold coturn's static-auth-secret")
        return value

    @model_validator(mode="after")
    def _replicas_need_postgresql(self) -> Settings:
        if self.redis_url and not (self.database_url or "").startswith("postgresql"):
            raise ValueError("redis_url (several replicas) needs a PostgreSQL database_url")
        return self

    @model_validator(mode="after")
    def _turn_needs_both(self) -> Settings:
        if self.turn_urls and self.turn_secret_file is None:
            raise ValueError("turn_urls needs turn_secret_file (coturn's static-auth-secret)")
        if self.turn_secret_file is not None and not self.turn_urls:
            raise ValueError("turn_secret_file is set but turn_urls is empty")
        return self

    @property
    def trusted_proxy_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        return tuple(ip_network(entry, strict=False) for entry in self.trusted_proxies)

    @field_validator("metrics_port")
    @classmethod
    def _check_metrics_port(cls, value: int | None, info: ValidationInfo) -> int | None:
        # Never the app's port (on any address): the Origin check and the reverse
        # proxy's rules are written for the app, not for the metrics.
        if value is not None and value == info.data.get("port"):
            raise ValueError("must differ from port: the metrics stay off the app's port")
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'teahouse.db').resolve()}"

    @property
    def public_origin(self) -> str:
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def allowed_origins(self) -> frozenset[str]:
        return frozenset({self.public_origin, *(o.rstrip("/") for o in self.extra_origins)})

    @property
    def served_over_https(self) -> bool:
        """Members reach the instance over HTTPS (a TLS proxy in front of it)."""
        return urlsplit(self.public_url).scheme == "https"

    @property
    def secure_cookies(self) -> bool:
        """Secure cookies need HTTPS. Chromium and Firefox also keep them on
        http://127.0.0.1, but Safari does not, so plain http gets a plain cookie."""
        return self.served_over_https

    @property
    def session_cookie_name(self) -> str:
        # __Host- pins the cookie to this exact origin (Secure, Path=/, no Domain).
        return "__Host-teahouse_session" if self.secure_cookies else "teahouse_session"

    @property
    def device_cookie_name(self) -> str:
        """The cookie that says a browser has logged in as a member before
        (accounts/password_check.py); it outlives log-out."""
        return "__Host-teahouse_device" if self.secure_cookies else "teahouse_device"

    @property
    def ws_transport_max_bytes(self) -> int:
        """Frames up to this size get a `message_too_large` error and the socket stays
        open; only beyond it does the server close the connection (code 1009)."""
        return self.max_ws_message_bytes * 16

    def janus_api_secret(self) -> str | None:
        if self.janus_api_secret_file is None:
            return None
        return self.janus_api_secret_file.read_text().strip()

    def turn_secret(self) -> str | None:
        if self.turn_secret_file is None:
            return None
        return self.turn_secret_file.read_text().strip()


# RFC 7065: turn:host[:port][?transport=udp|tcp] and turns:host[:port][?transport=tcp];
# host is a name, an IPv4 address or a bracketed IPv6 address.
_TURN_URL = re.compile(
    r"^(?P<scheme>turns?):(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)"
    r"(?::(?P<port>\d{1,5}))?(?:\?transport=(?P<transport>udp|tcp))?$"
)


def turn_url_problem(url: str) -> str | None:
    """Why ``url`` is no TURN URL a browser takes, or None when it is one."""
    found = _TURN_URL.match(url)
    if found is None:
        return (
            "is not a TURN URL such as turns:turn.example.org:443?transport=tcp"
            " or turn:turn.example.org:3478"
        )
    if found["port"] is not None and not 1 <= int(found["port"]) <= 65535:
        return "has a port outside 1-65535"
    # Browsers speak TURN over TLS, never over DTLS: turns: with UDP reaches no one.
    if found["scheme"] == "turns" and found["transport"] == "udp":
        return "asks for turns: over UDP, which browsers do not speak; use ?transport=tcp"
    return None


def load_settings(**overrides: Any) -> Settings:
    """Read the settings once; keyword overrides win (used by tests and the CLI)."""
    return Settings(**overrides)
