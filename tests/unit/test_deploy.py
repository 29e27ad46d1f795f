"""docs/deploy/: what docs/OPERATIONS.md quotes is the files themselves, and the
systemd units are ones systemd accepts. (tests/e2e/test_tls_proxy.py runs the nginx
configuration, tests/integration/test_replica_set.py the one for several replicas,
tests/e2e/test_turn.py the coturn one.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "docs" / "deploy"
OPERATIONS = ROOT / "docs" / "OPERATIONS.md"
UNITS = ("teahouse.service", "janus.service")
# Every file operators copy from docs/deploy/: the proxy, the units and coturn's.
DEPLOYED = ("nginx.conf", "nginx-replicas.conf", *UNITS, "turnserver.conf")
# The `teahouse` of the environment running the tests, where the unit says /opt.
TEAHOUSE = Path(sys.executable).with_name("teahouse")


def quoted_blocks(markdown: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"^```[a-z]*\n(.*?)^```$", markdown, re.M | re.S)]


@pytest.mark.parametrize("name", DEPLOYED)
def test_operations_quotes_each_deploy_file_whole(name: str) -> None:
    assert (DEPLOY / name).read_text() in quoted_blocks(OPERATIONS.read_text())


def test_every_deploy_file_is_quoted() -> None:
    assert {p.name for p in DEPLOY.iterdir()} == set(DEPLOYED)


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("no systemd-analyze: scripts/install-system-deps test installs systemd")
    for name in UNITS:
        text = (DEPLOY / name).read_text().replace("/opt/teahouse/bin/teahouse", str(TEAHOUSE))
        (tmp_path / name).write_text(text)
    result = subprocess.run(
        [analyze, "verify", *(str(tmp_path / name) for name in UNITS)],
        capture_output=True,
        text=True,
    )
    # verify exits 0 on a misspelt key or a bad value (it ignores the line): only
    # silence means systemd takes every line as written.
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
