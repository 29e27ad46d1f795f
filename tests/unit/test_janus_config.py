"""The managed Janus configuration, rendered without starting anything."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from teahouse.media.janus_config import (
    DISABLED_PLUGINS,
    DISABLED_TRANSPORTS,
    JANUS_CONFIG,
    VIDEOROOM_CONFIG,
    WEBSOCKETS_CONFIG,
    JanusConfigParams,
    check_port_range,
    quote,
    render_janus_configs,
)


def params(**changes: object) -> JanusConfigParams:
    base: dict[str, object] = {
        "configs_folder": Path("/data/janus"),
        "log_file": Path("/data/janus/janus.log"),
        "api_secret": "s3cret",
        "ws_port": 18188,
    }
    base.update(changes)
    return JanusConfigParams(**base)  # type: ignore[arg-type]


def setting(text: str, key: str) -> str | None:
    """The raw value of ``key = value`` in rendered jcfg text, or None."""
    match = re.search(rf"^\s*{re.escape(key)} = (.*)$", text, re.MULTILINE)
    return match[1] if match else None


def test_renders_exactly_the_three_files() -> None:
    assert set(render_janus_configs(params())) == {
        JANUS_CONFIG,
        VIDEOROOM_CONFIG,
        WEBSOCKETS_CONFIG,
    }


def test_core_config_carries_secret_folders_and_logging() -> None:
    core = render_janus_configs(params(debug_level=5))[JANUS_CONFIG]
    assert setting(core, "api_secret") == '"s3cret"'
    assert setting(core, "configs_folder") == '"/data/janus"'
    assert setting(core, "log_to_file") == '"/data/janus/janus.log"'
    assert setting(core, "log_to_stdout") == "false"
    assert setting(core, "debug_level") == "5"
    assert setting(core, "ignore_mdns") == "true"
    assert setting(core, "rtp_port_range") == '"20000-40000"'
    assert setting(core, "token_auth") is None


def test_only_videoroom_and_websockets_are_loaded() -> None:
    core = render_janus_configs(params())[JANUS_CONFIG]
    plugins = (setting(core, "disable") or "").strip('"').split(",")
    assert set(plugins) == set(DISABLED_PLUGINS)
    assert "libjanus_videoroom.so" not in plugins
    transports = re.search(r"transports: \{\n\tdisable = \"([^\"]*)\"", core)
    assert transports is not None
    assert set(transports[1].split(",")) == set(DISABLED_TRANSPORTS)
    assert "libjanus_http.so" in DISABLED_TRANSPORTS
    assert "libjanus_websockets.so" not in transports[1]
    assert setting(core, "broadcast") == "false"


def test_websocket_api_is_loopback_only_without_admin() -> None:
    ws = render_janus_configs(params(ws_port=23456))[WEBSOCKETS_CONFIG]
    assert setting(ws, "ws") == "true"
    assert setting(ws, "ws_port") == "23456"
    assert setting(ws, "ws_ip") == '"127.0.0.1"'
    assert setting(ws, "wss") == "false"
    assert setting(ws, "admin_ws") == "false"
    assert setting(ws, "admin_wss") == "false"
    assert setting(ws, "ws_interface") is None


def test_videoroom_has_no_static_rooms() -> None:
    videoroom = render_janus_configs(params())[VIDEOROOM_CONFIG]
    assert "room-" not in videoroom
    assert setting(videoroom, "admin_key") is None


@pytest.mark.parametrize(
    ("event_loops", "expected"),
    [(0, None), (1, "1"), (4, "4")],
)
def test_event_loops_only_when_asked(event_loops: int, expected: str | None) -> None:
    core = render_janus_configs(params(event_loops=event_loops))[JANUS_CONFIG]
    assert setting(core, "event_loops") == expected


def test_nat_settings_only_when_set() -> None:
    bare = render_janus_configs(params())[JANUS_CONFIG]
    assert setting(bare, "ice_enforce_list") is None
    assert setting(bare, "nat_1_1_mapping") is None
    core = render_janus_configs(
        params(ice_enforce_list="eth0,10.0.0.", nat_1_1_mapping="203.0.113.7")
    )[JANUS_CONFIG]
    assert setting(core, "ice_enforce_list") == '"eth0,10.0.0."'
    assert setting(core, "nat_1_1_mapping") == '"203.0.113.7"'


@pytest.mark.parametrize(
    ("raw", "quoted"),
    [
        ("plain", '"plain"'),
        ('with "quotes"', '"with \\"quotes\\""'),
        ("back\\slash", '"back\\\\slash"'),
    ],
)
def test_quote_escapes_for_libconfig(raw: str, quoted: str) -> None:
    assert quote(raw, key="k") == quoted


@pytest.mark.parametrize("bad", ["new\nline", "nul\x00", "tab\t", "del\x7f"])
def test_quote_refuses_control_characters_and_names_the_key(bad: str) -> None:
    with pytest.raises(ValueError, match="janus_nat_1_1_mapping"):
        quote(bad, key="janus_nat_1_1_mapping")


def test_a_setting_cannot_inject_lines() -> None:
    with pytest.raises(ValueError, match="janus_nat_1_1_mapping"):
        render_janus_configs(params(nat_1_1_mapping='1.2.3.4"\napi_secret = "x'))
    core = render_janus_configs(params(nat_1_1_mapping='1.2.3.4" api_secret = "x'))
    assert setting(core[JANUS_CONFIG], "api_secret") == '"s3cret"'
    assert setting(core[JANUS_CONFIG], "nat_1_1_mapping") == '"1.2.3.4\\" api_secret = \\"x"'


@pytest.mark.parametrize(
    ("value", "parsed"),
    [("20000-40000", (20000, 40000)), ("1024-1024", (1024, 1024)), ("50000-65535", (50000, 65535))],
)
def test_port_ranges(value: str, parsed: tuple[int, int]) -> None:
    assert check_port_range(value) == parsed


@pytest.mark.parametrize("value", ["40000-20000", "80-90", "20000-70000", "20000", "a-b", ""])
def test_bad_port_ranges_name_the_setting(value: str) -> None:
    with pytest.raises(ValueError, match="janus_rtp_ports"):
        check_port_range(value)


@pytest.mark.parametrize(
    "changes",
    [{"api_secret": ""}, {"ws_port": 0}, {"ws_port": 70000}, {"rtp_port_range": "9-8"}],
)
def test_unusable_parameters_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        render_janus_configs(params(**changes))
