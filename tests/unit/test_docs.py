"""The README's configuration table lists exactly the settings the code reads, and
docs/OPERATIONS.md quotes the coturn configuration the TURN test runs."""

from __future__ import annotations

import re
from pathlib import Path

from teahouse.config import Settings

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def test_readme_config_table_matches_settings() -> None:
    documented = set(re.findall(r"^\| `TEAHOUSE_([A-Z0-9_]+)` \|", README.read_text(), re.M))
    assert documented == {name.upper() for name in Settings.model_fields}


def test_operations_quotes_the_coturn_configuration_verbatim() -> None:
    deployed = (ROOT / "docs" / "deploy" / "turnserver.conf").read_text()
    assert f"```\n{deployed}```\n" in (ROOT / "docs" / "OPERATIONS.md").read_text()
