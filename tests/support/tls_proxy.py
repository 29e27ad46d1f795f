"""TLS in front of Teahouse as production has it: a certificate authority made at test
time, a server certificate from it, Chromium trusting that authority through its NSS
database, and Debian's nginx running docs/deploy/nginx.conf as a child process.

Nothing here is kept: the keys and certificates live in the test's temporary
directory and are good for two days.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import pwd
import signal
import subprocess
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy"
#: The host name docs/deploy/nginx.conf serves; the test browser resolves it to
#: 127.0.0.1 (tls_browser_args), so no name is ever looked up.
HOST = "tea.example.org"
NGINX = "/usr/sbin/nginx"


@dataclass(frozen=True)
class Certificates:
    authority: Path  # the CA's certificate, for the browser to trust
    chain: Path  # the server's certificate (nginx: ssl_certificate)
    key: Path  # the server's private key (nginx: ssl_certificate_key)


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_certificates(folder: Path, host: str = HOST) -> Certificates:
    """A fresh CA and a certificate for ``host`` signed by it (P-256 keys)."""
    folder.mkdir(parents=True, exist_ok=True)
    curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    _openssl(
        "req", "-x509", *curve, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=Teahouse test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=folder,
    )  # fmt: skip
    _openssl(
        "req", "-new", *curve, "-keyout", "server.key", "-out", "server.csr",
        "-subj", f"/CN={host}",
        cwd=folder,
    )  # fmt: skip
    (folder / "server.ext").write_text(
        f"subjectAltName = DNS:{host}\n"
        "basicConstraints = critical, CA:FALSE\n"
        "keyUsage = critical, digitalSignature\n"
        "extendedKeyUsage = serverAuth\n"
    )
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server.pem",
        cwd=folder,
    )  # fmt: skip
    return Certificates(folder / "ca.pem", folder / "server.pem", folder / "server.key")


def trust_authority(home: Path, authority: Path) -> None:
    """Make ``authority`` a trusted CA for web servers in the NSS database that
    Chromium reads on Linux (``$HOME/.pki/nssdb``): real trust, as an operator's
    own CA would get, not a flag that skips certificate checks."""
    nssdb = home / ".pki" / "nssdb"
    nssdb.mkdir(parents=True, exist_ok=True)
    database = f"sql:{nssdb}"
    subprocess.run(
        ["certutil", "-N", "-d", database, "--empty-password"], check=True, capture_output=True
    )
    subprocess.run(
        ["certutil", "-A", "-d", database, "-n", "Teahouse test CA", "-t", "C,,", "-i",
         str(authority)],
        check=True,
        capture_output=True,
    )  # fmt: skip


def tls_browser_args() -> list[str]:
    """Chromium flags for the proxy's host name: it resolves to 127.0.0.1 and
    nothing else is changed (certificates are checked as always)."""
    return [f"--host-resolver-rules=MAP {HOST} 127.0.0.1"]


def site_config(
    prefix: Path, certificates: Certificates, https_port: int, http_port: int, upstream: int
) -> str:
    """docs/deploy/nginx.conf with this test's ports and paths. Every line replaced
    must be there: a change to the file that the test would not follow fails here."""
    text = (DEPLOY / "nginx.conf").read_text()
    replacements = {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "    listen [::]:443 ssl http2;\n": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "    listen [::]:80;\n": "",
        f"/etc/letsencrypt/live/{HOST}/fullchain.pem": str(certificates.chain),
        f"/etc/letsencrypt/live/{HOST}/privkey.pem": str(certificates.key),
        "root /var/www/letsencrypt;": f"root {prefix / 'acme'};",
        "http://127.0.0.1:8000": f"http://127.0.0.1:{upstream}",
    }
    for old, new in replacements.items():
        if old not in text:
            raise AssertionError(f"docs/deploy/nginx.conf no longer has {old!r}")
        text = text.replace(old, new)
    return text


def main_config(prefix: Path, site: Path) -> str:
    """An nginx.conf of the test's own around the site, shaped like Debian's: its
    http block keeps an access log for every site unless the site turns it off."""
    # nginx started by root runs its workers as `nobody`, who could not reach the
    # test's temporary directory; the workers run as whoever runs the test.
    user = f"user {pwd.getpwuid(os.getuid()).pw_name};\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"    {kind}_temp_path {prefix / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\n"
        f"error_log {prefix / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        f"    access_log {prefix / 'access.log'};\n"
        f"{temp}"
        f"    include {site};\n"
        "}\n"
    )


@dataclass
class Proxy:
    prefix: Path
    https_port: int
    http_port: int

    @property
    def origin(self) -> str:
        return f"https://{HOST}:{self.https_port}"

    @property
    def access_log(self) -> Path:
        return self.prefix / "access.log"

    def error_log(self) -> str:
        logs = [self.prefix / "stderr.log", self.prefix / "error.log"]
        return "".join(path.read_text(errors="replace") for path in logs if path.exists())


def write_configs(prefix: Path, site_text: str) -> Path:
    """The site and the main configuration in ``prefix``; the main one's path."""
    prefix.mkdir(parents=True, exist_ok=True)
    site = prefix / "teahouse.conf"
    site.write_text(site_text)
    conf = prefix / "nginx.conf"
    conf.write_text(main_config(prefix, site))
    return conf


async def _accepts(port: int) -> bool:
    with contextlib.suppress(OSError):
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.close()
        await writer.wait_closed()
        return True
    return False


@contextlib.asynccontextmanager
async def nginx(
    prefix: Path,
    certificates: Certificates,
    https_port: int,
    http_port: int,
    upstream: int,
    timeout: float = 10,
) -> AsyncIterator[Proxy]:
    """Run nginx in the foreground with its own prefix until the block ends; it stops
    by its PID, never by name."""
    site = site_config(prefix, certificates, https_port, http_port, upstream)
    proxy = Proxy(prefix, https_port, http_port)
    async with run_nginx(prefix, site, https_port, proxy.error_log, timeout):
        yield proxy


@contextlib.asynccontextmanager
async def run_nginx(
    prefix: Path, site_text: str, port: int, error_log: Callable[[], str], timeout: float = 10
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Debian's nginx in the foreground serving ``site_text`` from ``prefix``, until
    the block ends; ready once ``port`` takes connections. It stops by its PID."""
    conf = write_configs(prefix, site_text)
    # What nginx says before it has read its configuration goes to stderr.
    with (prefix / "stderr.log").open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            NGINX, "-p", str(prefix), "-c", str(conf), "-e", "stderr",
            stdin=asyncio.subprocess.DEVNULL, stdout=stderr, stderr=stderr,
        )  # fmt: skip
    try:
        async with asyncio.timeout(timeout):
            while not await _accepts(port):
                if process.returncode is not None:
                    raise AssertionError(f"nginx exited:\n{error_log()}")
                await asyncio.sleep(0.05)
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)  # nginx's fast shutdown
            try:
                async with asyncio.timeout(timeout):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()
