"""Every password check goes through the one guard that carries the limits."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "teahouse"
GUARD = SRC / "accounts" / "password_check.py"


def test_only_the_guard_verifies_passwords() -> None:
    # A route that checked a password itself would be a guessing oracle without
    # limits (as DELETE /api/me was).
    verifying = {
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if re.search(r"passwords\.verify\(", path.read_text())
    }
    assert verifying == {GUARD.relative_to(SRC).as_posix()}
