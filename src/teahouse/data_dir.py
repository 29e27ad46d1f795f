"""The instance's files on disk: the data directory and what Teahouse keeps in it, all
owner-only whatever the umask.

The data directory holds the SQLite database (password hashes, sessions' hashes,
every member's data), the managed Janus's configuration (its ``api_secret``), the
key that seals cursors (``cursor.key``) and, with several replicas, the key that
hashes the log-in limits' pools in Redis (``limits.key``); backups hold the whole
database. Each is
created 0700 (directories) or 0600 (files) and set so after creation too, since
``mkdir`` and ``open`` only ever take bits away from the mode they are given: a
umask of 022 keeps 0600, but an operator's own umask can be anything. SQLite gives
the ``-wal`` and ``-shm`` files beside a database the database file's own mode, so
creating that file owner-only covers them.

Files and directories that already exist keep the mode they have: an operator who
chose a looser one (a group that reads backups, say) made that choice.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
CURSOR_KEY_FILE = "cursor.key"
LIMITS_KEY_FILE = "limits.key"
KEY_BYTES = 32


def private_dir(path: Path) -> Path:
    """``path`` as a directory; the ones this call creates (``path`` and any missing
    parents) are owner-only."""
    missing: list[Path] = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it first
            folder.mkdir(mode=PRIVATE_DIR_MODE)
            folder.chmod(PRIVATE_DIR_MODE)
    return path


def create_private_file(path: Path, *, truncate: bool = False) -> None:
    """Create ``path`` owner-only if it does not exist (empty it too if ``truncate``);
    an existing file keeps its mode."""
    private_dir(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        fd = os.open(path, flags, PRIVATE_FILE_MODE)
    except FileExistsError:
        if truncate:
            os.truncate(path, 0)
        return
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)
    finally:
        os.close(fd)


class KeyFileError(Exception):
    """A key file is there but is not a key; the message names the file."""


def cursor_key(data_dir: Path) -> bytes:
    """The key that seals this instance's cursors (cursor_seal.py), from
    ``data_dir/cursor.key``; made there (owner-only, 256 random bits) the first time.

    A file, not a key made at each start, so that a cursor a member holds still
    works after a restart; in the data directory, beside the database it pages."""
    return _key_file(
        data_dir / CURSOR_KEY_FILE, "members' open lists then start again from their first page"
    )


def limits_key(data_dir: Path) -> bytes:
    """The key under which replicas hash the log-in limits' pools in Redis
    (accounts/shared_attempts.py), from ``data_dir/limits.key``; made there the first
    time. Every replica must hold the same one (docs/OPERATIONS.md, "Several
    replicas"); it is never sent to Redis."""
    return _key_file(data_dir / LIMITS_KEY_FILE, "the log-in limits then start afresh")


def _key_file(path: Path, then: str) -> bytes:
    private_dir(path.parent)
    if not path.exists():
        _write_new_key(path)
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise KeyFileError(
            f"{path} holds {len(key)} bytes, not a {KEY_BYTES}-byte key; "
            f"delete it and a new one is made at the next start ({then})"
        )
    return key


def _write_new_key(path: Path) -> None:
    # Written whole under a name of its own, then linked into place: a second process
    # starting at the same moment reads either no key file or a whole one, and the
    # first link wins.
    draft = path.with_name(f"{path.name}.{secrets.token_hex(8)}.partial")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    try:
        os.fchmod(fd, PRIVATE_FILE_MODE)
        os.write(fd, secrets.token_bytes(KEY_BYTES))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
    finally:
        draft.unlink()
