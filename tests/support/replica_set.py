"""Several `teahouse serve` replicas as docs/OPERATIONS.md ("Several replicas") runs
them: real processes sharing one PostgreSQL database and one Redis (a prefix of their
own), behind Debian's nginx running docs/deploy/nginx-replicas.conf, with plain http
on loopback in place of TLS. Media is the stub Janus (no audio), shared by all.

Each replica has a data directory of its own, holding the same cursor.key and
limits.key: made once here and copied to each, as an operator copies them.

    async with replica_set(tmp_path, 3) as replicas:
        code = await replicas.invite_code()
        token = await replicas.signup(code, "ada")  # through the proxy
        await replicas.kill(1)                       # SIGKILL replica 1
        await replicas.restart(1)                    # back on its port
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from teahouse.data_dir import CURSOR_KEY_FILE, KEY_BYTES, LIMITS_KEY_FILE, create_private_file
from tests.support.engines import REDIS_URL, postgres_database, redis_prefix
from tests.support.serve_process import ServeProcess, teahouse_serve
from tests.support.server import PASSWORD, free_port
from tests.support.stub_janus import stub_janus
from tests.support.tls_proxy import DEPLOY, run_nginx

CONFIG = DEPLOY / "nginx-replicas.conf"
#: The response header that names the replica that answered (api/replica.py).
REPLICA_HEADER = "x-teahouse-replica"
# The example upstream's lines: `server 10.0.0.11:8000 max_fails=2 fail_timeout=10s;`.
UPSTREAM_SERVER = re.compile(r"^(\s*)server 10\.0\.0\.\d+:8000( [^;]*)?;\n", re.M)
TLS_LINES = (
    "    listen [::]:443 ssl http2;\n",
    "    ssl_certificate     /etc/letsencrypt/live/tea.example.org/fullchain.pem;\n",
    "    ssl_certificate_key /etc/letsencrypt/live/tea.example.org/privkey.pem;\n",
    "    ssl_protocols TLSv1.2 TLSv1.3;\n",
    "    ssl_session_cache shared:teahouse_tls:10m;\n",
    "    ssl_session_timeout 1d;\n",
    "    # Tickets would be encrypted with a key nginx never rotates while it runs.\n",
    "    ssl_session_tickets off;\n",
)


def replica_site_config(prefix: Path, port: int, http_port: int, upstreams: list[int]) -> str:
    """docs/deploy/nginx-replicas.conf for this test: plain http on ``port`` instead of
    TLS on 443, and an upstream line per replica port, each with the file's own
    parameters. Every line replaced must be there: a change to the file that this
    would not follow fails here."""
    text = CONFIG.read_text()
    servers = list(UPSTREAM_SERVER.finditer(text))
    if len(servers) < 2:
        raise AssertionError(f"{CONFIG.name} no longer has an upstream of several servers")
    indent, parameters = servers[0].group(1), servers[0].group(2) or ""
    lines = "".join(f"{indent}server 127.0.0.1:{p}{parameters};\n" for p in upstreams)
    text = text[: servers[0].start()] + lines + text[servers[-1].end() :]
    replacements = {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{port};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "    listen [::]:80;\n": "",
        "root /var/www/letsencrypt;": f"root {prefix / 'acme'};",
        **dict.fromkeys(TLS_LINES, ""),
    }
    for old, new in replacements.items():
        if old not in text:
            raise AssertionError(f"{CONFIG.name} no longer has {old!r}")
        text = text.replace(old, new)
    return text


@dataclass
class Replica:
    """One `teahouse serve` of the set, on a port it keeps across restarts."""

    index: int
    port: int
    data_dir: Path
    served: ServeProcess | None = None
    stack: contextlib.AsyncExitStack = field(default_factory=contextlib.AsyncExitStack)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.served is not None and self.served.process.returncode is None

    @property
    def output(self) -> str:
        return "".join(self.served.output) if self.served else ""


@dataclass
class ReplicaSet:
    proxy_port: int
    replicas: list[Replica]
    settings: dict[str, str]
    nginx_prefix: Path

    @property
    def proxy_url(self) -> str:
        """The instance's public URL: the proxy."""
        return f"http://127.0.0.1:{self.proxy_port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.proxy_port}/ws"

    def url(self, i: int) -> str:
        """Replica ``i``'s own URL, past the proxy."""
        return self.replicas[i].url

    def client(self, cookie: str | None = None, base_url: str | None = None) -> httpx.AsyncClient:
        """An HTTP client of the instance's pages (their Origin), through the proxy or
        straight to ``base_url`` (a replica's)."""
        headers = {"origin": self.proxy_url}
        if cookie:
            headers["cookie"] = f"teahouse_session={cookie}"
        return httpx.AsyncClient(base_url=base_url or self.proxy_url, headers=headers, timeout=30)

    def ws_headers(self, cookie: str) -> dict[str, str]:
        return {"origin": self.proxy_url, "cookie": f"teahouse_session={cookie}"}

    async def start(self, i: int) -> None:
        """Start replica ``i`` (again) on its port and data directory; returns once it
        answers HTTP."""
        replica = self.replicas[i]
        assert not replica.running, f"replica {i} is running"
        await replica.stack.aclose()
        replica.stack = contextlib.AsyncExitStack()
        replica.served = await replica.stack.enter_async_context(
            # Three processes starting at once on two cores share them, and take
            # their turn at the migrations: more time than one alone needs.
            teahouse_serve(replica.data_dir, port=replica.port, timeout=180, **self.settings)
        )

    async def stop(self, i: int, sig: int = signal.SIGTERM) -> int:
        """Send ``sig`` to replica ``i`` and wait for it to end; its exit status."""
        replica = self.replicas[i]
        assert replica.served is not None
        status = await replica.served.stop(sig)
        await replica.stack.aclose()
        return status

    async def kill(self, i: int) -> int:
        return await self.stop(i, signal.SIGKILL)

    async def restart(self, i: int, sig: int = signal.SIGTERM) -> None:
        if self.replicas[i].running:
            await self.stop(i, sig)
        await self.start(i)

    def pause(self, i: int) -> None:
        """SIGSTOP: the replica holds its sockets and answers nothing."""
        self._signal(i, signal.SIGSTOP)

    def resume(self, i: int) -> None:
        self._signal(i, signal.SIGCONT)

    def _signal(self, i: int, sig: int) -> None:
        served = self.replicas[i].served
        assert served is not None and served.process.returncode is None
        served.process.send_signal(sig)

    async def name(self, i: int) -> str:
        """Replica ``i``'s name, as its answers carry it."""
        async with httpx.AsyncClient(base_url=self.url(i)) as http:
            return (await http.get("/api/me")).headers[REPLICA_HEADER]

    async def invite_code(self) -> str:
        """A new invitation's code, from `teahouse invite create` beside a replica."""
        served = next(r.served for r in self.replicas if r.running and r.served)
        return await served.invite_code()

    async def signup(self, code: str, username: str) -> str:
        """A new member's session token, signed up through the proxy."""
        async with self.client() as http:
            response = await http.post(
                "/api/signup", json={"code": code, "username": username, "password": PASSWORD}
            )
            assert response.status_code == 201, response.text
            return response.cookies["teahouse_session"]

    def nginx_log(self) -> str:
        logs = [self.nginx_prefix / "stderr.log", self.nginx_prefix / "error.log"]
        return "".join(path.read_text(errors="replace") for path in logs if path.exists())

    def outputs(self) -> str:
        """Every replica's output and nginx's log: for an assertion's message."""
        parts = [f"--- replica {r.index}\n{r.output}" for r in self.replicas]
        return "\n".join([*parts, f"--- nginx\n{self.nginx_log()}"])


def _shared_keys(data_dirs: list[Path]) -> None:
    """The same cursor.key and limits.key in every data directory, owner-only."""
    for name in (CURSOR_KEY_FILE, LIMITS_KEY_FILE):
        key = secrets.token_bytes(KEY_BYTES)
        for folder in data_dirs:
            create_private_file(folder / name)
            (folder / name).write_bytes(key)


@contextlib.asynccontextmanager
async def replica_set(tmp_path: Path, count: int = 3, **settings: str) -> AsyncIterator[ReplicaSet]:
    """``count`` replicas, started at once, behind nginx; everything stops at the end.
    ``settings``: more TEAHOUSE_* settings for every replica."""
    proxy_port, http_port = free_port(), free_port()
    replicas = [Replica(i, free_port(), tmp_path / f"replica{i}") for i in range(count)]
    _shared_keys([r.data_dir for r in replicas])
    prefix = tmp_path / "nginx"
    async with (
        stub_janus() as janus_url,
        postgres_database() as database_url,
        redis_prefix() as key_prefix,
        contextlib.AsyncExitStack() as stack,
    ):
        every = {
            "janus_url": janus_url,
            "database_url": database_url,
            "redis_url": REDIS_URL,
            "redis_prefix": key_prefix,
            "public_url": f"http://127.0.0.1:{proxy_port}",
            "trusted_proxies": '["127.0.0.1"]',
            **settings,
        }
        group = ReplicaSet(proxy_port, replicas, every, prefix)
        for replica in replicas:
            stack.push_async_callback(replica.stack.aclose)
        # At once, as replicas that systemd starts together: they migrate in turn.
        async with asyncio.TaskGroup() as tasks:
            for i in range(count):
                tasks.create_task(group.start(i))
        site = replica_site_config(prefix, proxy_port, http_port, [r.port for r in replicas])
        await stack.enter_async_context(run_nginx(prefix, site, proxy_port, group.nginx_log))
        yield group
