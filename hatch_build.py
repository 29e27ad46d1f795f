"""The wheel's build hook: a wheel without the web client would install a server that
answers every page with "not built", so building one is refused until the client is
built (`make web`, or `cd frontend && npm ci && npm run build`). An editable install
(`make python`, `uv sync`) serves the client from the source tree and needs none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class WebClientHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        index = Path(self.root) / "src" / "teahouse" / "static" / "index.html"
        if not index.is_file():
            raise RuntimeError(
                "the web client is not built, and a wheel without it serves no pages: "
                "run `make web` (or `cd frontend && npm ci && npm run build`) first"
            )
