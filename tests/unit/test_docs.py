"""The README's configuration table lists exactly the settings the code reads."""

from __future__ import annotations

import re
from pathlib import Path

from teahouse.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_config_table_matches_settings() -> None:
    documented = set(re.findall(r"^\| `TEAHOUSE_([A-Z0-9_]+)` \|", README.read_text(), re.M))
    assert documented == {name.upper() for name in Settings.model_fields}
