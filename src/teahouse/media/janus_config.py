"""The configuration folder of the Janus process Teahouse manages, rendered as text.

Pure: :func:`render_janus_configs` turns :class:`JanusConfigParams` into file
contents (libconfig ``.jcfg`` syntax) and does no I/O, so the unit tests can pin
every security-relevant line. :mod:`teahouse.media.managed` writes the files.

What the rendering guarantees:

- the Janus API is reachable only over a WebSocket bound to 127.0.0.1 (plain ``ws``;
  TLS would protect nothing on loopback), guarded by a per-start ``api_secret``;
- no Admin API on any transport, no HTTP/MQTT/RabbitMQ/... transports, no plugin but
  VideoRoom, no event handlers;
- no rooms in the plugin configuration: Teahouse creates them over the API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: Every plugin Janus 1.1 ships except VideoRoom. Janus loads every library in its
#: plugins folder unless told not to; names it does not find are harmless.
DISABLED_PLUGINS = (
    "libjanus_audiobridge.so",
    "libjanus_duktape.so",
    "libjanus_echotest.so",
    "libjanus_lua.so",
    "libjanus_nosip.so",
    "libjanus_recordplay.so",
    "libjanus_sip.so",
    "libjanus_streaming.so",
    "libjanus_textroom.so",
    "libjanus_videocall.so",
    "libjanus_voicemail.so",
)

#: Every transport Janus 1.1 ships except WebSockets.
DISABLED_TRANSPORTS = (
    "libjanus_http.so",
    "libjanus_mqtt.so",
    "libjanus_nanomsg.so",
    "libjanus_pfunix.so",
    "libjanus_rabbitmq.so",
)

DISABLED_LOGGERS = ("libjanus_jsonlog.so",)

JANUS_CONFIG = "janus.jcfg"
VIDEOROOM_CONFIG = "janus.plugin.videoroom.jcfg"
WEBSOCKETS_CONFIG = "janus.transport.websockets.jcfg"

_PORT_RANGE = re.compile(r"^(\d{1,5})-(\d{1,5})$")
# libconfig strings cannot hold raw control characters; reject rather than escape.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class JanusConfigParams:
    """Everything that varies between two renderings of the managed configuration."""

    configs_folder: Path
    log_file: Path
    api_secret: str
    ws_port: int
    debug_level: int = 3
    event_loops: int = 2
    rtp_port_range: str = "20000-40000"
    ice_enforce_list: str | None = None
    nat_1_1_mapping: str | None = None


def quote(value: str, *, key: str) -> str:
    """A libconfig string literal; ``key`` names the setting in the error."""
    if _CONTROL.search(value):
        raise ValueError(f"{key} must not contain control characters")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def check_port_range(value: str) -> tuple[int, int]:
    """Parse ``"min-max"``; raise ValueError naming the setting when it is unusable."""
    match = _PORT_RANGE.match(value)
    if match is None:
        raise ValueError(f"janus_rtp_ports must look like 20000-40000, got {value!r}")
    low, high = int(match[1]), int(match[2])
    if not 1024 <= low <= high <= 65535:
        raise ValueError(
            f"janus_rtp_ports must be a range within 1024-65535 with min <= max, got {value!r}"
        )
    return low, high


def render_janus_configs(params: JanusConfigParams) -> dict[str, str]:
    """File name -> contents for the whole managed configuration folder."""
    if not params.api_secret:
        raise ValueError("the managed Janus needs a non-empty api_secret")
    if not 1 <= params.ws_port <= 65535:
        raise ValueError(f"WebSocket port out of range: {params.ws_port}")
    check_port_range(params.rtp_port_range)
    return {
        JANUS_CONFIG: _render_core(params),
        VIDEOROOM_CONFIG: _render_videoroom(),
        WEBSOCKETS_CONFIG: _render_websockets(params.ws_port),
    }


def _render_core(p: JanusConfigParams) -> str:
    general = [
        f"configs_folder = {quote(str(p.configs_folder), key='data_dir')}",
        # Janus writes its own log file; stdout would duplicate every line.
        "log_to_stdout = false",
        f"log_to_file = {quote(str(p.log_file), key='data_dir')}",
        f"debug_level = {int(p.debug_level)}",
        "debug_timestamps = true",
        "debug_colors = false",
        f"api_secret = {quote(p.api_secret, key='api_secret')}",
        'server_name = "teahouse"',
        # Keep-alives arrive every ~25 s; a session silent for 60 s is an orphan.
        "session_timeout = 60",
        # The app's session dies with its WebSocket: nothing may outlive the app.
        "reclaim_session_timeout = 0",
        "hide_dependencies = true",
    ]
    if p.event_loops > 0:
        # A fixed pool of loop threads instead of one per handle: measured to about
        # halve Janus CPU per subscriber (docs in shared notes).
        general.append(f"event_loops = {int(p.event_loops)}")
    nat = [
        "nice_debug = false",
        # Browsers hide their addresses behind mDNS names Janus would try to resolve;
        # a media server on the Internet never shares a LAN with its listeners.
        "ignore_mdns = true",
    ]
    if p.ice_enforce_list:
        nat.append(f"ice_enforce_list = {quote(p.ice_enforce_list, key='janus_ice_enforce_list')}")
    if p.nat_1_1_mapping:
        nat.append(f"nat_1_1_mapping = {quote(p.nat_1_1_mapping, key='janus_nat_1_1_mapping')}")
    media = [
        f"rtp_port_range = {quote(p.rtp_port_range, key='janus_rtp_ports')}",
        "ipv6 = false",
    ]
    sections = [
        ("general", general),
        ("certificates", []),  # Janus generates a fresh DTLS certificate per start.
        ("media", media),
        ("nat", nat),
        ("plugins", [f"disable = {quote(','.join(DISABLED_PLUGINS), key='plugins')}"]),
        ("transports", [f"disable = {quote(','.join(DISABLED_TRANSPORTS), key='transports')}"]),
        ("loggers", [f"disable = {quote(','.join(DISABLED_LOGGERS), key='loggers')}"]),
        ("events", ["broadcast = false"]),
    ]
    header = "# Generated by Teahouse at every start of the managed Janus; edits are lost.\n"
    return header + "".join(_section(name, lines) for name, lines in sections)


def _render_videoroom() -> str:
    # No static rooms: Teahouse creates each room with a random ID and secret. No
    # admin_key either: api_secret already keeps every other client out.
    return "# Generated by Teahouse; rooms are created over the API.\n" + _section(
        "general", ["string_ids = false", "events = false"]
    )


def _render_websockets(port: int) -> str:
    general = [
        'json = "compact"',
        "ws = true",
        f"ws_port = {port}",
        # Loopback only: the app is the only client; browsers never see this API.
        'ws_ip = "127.0.0.1"',
        'ws_acl = "127.0.0.1"',
        "wss = false",
        'ws_logging = "err,warn"',
    ]
    admin = ["admin_ws = false", "admin_wss = false"]
    return (
        "# Generated by Teahouse; the Janus API on loopback, no Admin API.\n"
        + _section("general", general)
        + _section("admin", admin)
    )


def _section(name: str, lines: list[str]) -> str:
    body = "".join(f"\t{line}\n" for line in lines)
    return f"{name}: {{\n{body}}}\n"
