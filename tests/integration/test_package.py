"""Teahouse as a package: the wheel `make wheel` builds (sdist first, then the wheel
from the sdist, as `uv build` and `python -m build` do) carries the built web client;
`pip install` puts it in a fresh virtual environment with nothing but its declared
dependencies, and `teahouse serve` from there works: migrations, sign-up, the web
client served from the installed package.

The dependencies come from the lock file, out of uv's cache (filled by `make python`),
or from PyPI when the cache lacks one; the teahouse wheel itself is installed by pip
with no index at all. About 15 s."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from teahouse import __version__
from tests.support.serve_process import teahouse_serve
from tests.support.stub_janus import stub_janus

ROOT = Path(__file__).resolve().parents[2]


def _uv() -> str:
    found = ROOT / ".tools" / "bin" / "uv"
    if found.is_file():
        return str(found)
    on_path = shutil.which("uv")
    assert on_path, "uv is missing: `make python` installs it in .tools/"
    return on_path


def _run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEAHOUSE_", "VIRTUAL_ENV"))}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done


def _uv_offline_first(*args: str | Path) -> None:
    """A uv command from the cache alone, or, if the cache lacks something, from PyPI."""
    try:
        _run(_uv(), *args, "--offline")
    except AssertionError:
        _run(_uv(), *args)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _uv_offline_first("build", "--out-dir", out, ROOT)
    [built] = out.glob("teahouse-*.whl")
    return built


def test_the_wheel_carries_the_web_client(wheel: Path) -> None:
    assert wheel.name == f"teahouse-{__version__}-py3-none-any.whl"
    built = ROOT / "src" / "teahouse" / "static"
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        assert z.read("teahouse/static/index.html") == (built / "index.html").read_bytes()
    client = {f"teahouse/{p.relative_to(built.parent)}" for p in built.rglob("*") if p.is_file()}
    assert client <= names
    assert "teahouse/store/migrations/script.py.mako" in names
    assert any(n.startswith("teahouse/store/migrations/versions/") for n in names)


async def test_pip_install_in_a_fresh_venv_then_serve(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    await asyncio.to_thread(_run, sys.executable, "-m", "venv", venv)
    python, bin_dir = venv / "bin" / "python", venv / "bin"
    lock = tmp_path / "pylock.toml"
    exported = await asyncio.to_thread(
        _run, _uv(), "export", "--frozen", "--no-dev", "--no-emit-project", "--format",
        "pylock.toml", "--quiet",
    )  # fmt: skip
    lock.write_text(exported.stdout)
    await asyncio.to_thread(_uv_offline_first, "pip", "install", "--python", python, "-r", lock)
    await asyncio.to_thread(
        _run, bin_dir / "pip", "install", "--no-index", "--disable-pip-version-check", wheel
    )

    where = await asyncio.to_thread(
        _run, python, "-c", "import teahouse; print(teahouse.__file__)", cwd=tmp_path
    )
    package = Path(where.stdout.strip()).parent
    assert package.is_relative_to(venv)
    version = await asyncio.to_thread(_run, bin_dir / "teahouse", "--version", cwd=tmp_path)
    assert version.stdout.strip() == f"teahouse, version {__version__}"
    assert "serve" in (await asyncio.to_thread(_run, bin_dir / "teahouse", "--help")).stdout

    index = (package / "static" / "index.html").read_text()
    async with (
        stub_janus() as janus_url,
        teahouse_serve(tmp_path / "data", teahouse=bin_dir / "teahouse", janus_url=janus_url) as s,
        s.client() as http,
    ):
        page = await http.get("/room/anything")
        assert page.status_code == 200
        assert page.text == index
        script = index.split('src="', 1)[1].split('"', 1)[0]
        asset = await http.get(script)
        assert asset.status_code == 200
        assert asset.content == (package / "static" / script.lstrip("/")).read_bytes()
        token = await s.signup(await s.invite_code(), "ada")
        async with s.client(token) as me:
            assert (await me.get("/api/me")).json()["username"] == "ada"
    assert (tmp_path / "data" / "teahouse.db").is_file()
