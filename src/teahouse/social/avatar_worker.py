"""Avatars are decoded in a process of their own, one per picture, never in the server.

A 40-megapixel PNG fits in a few kilobytes and decodes to 160 MB of pixels, more
while it is converted and scaled; in the server process the allocator kept that
memory after each picture (four such uploads took the server from 157 to 1,062 MiB,
docs/BENCHMARKS.md). Here each picture goes to a fresh ``python -m
teahouse.social.avatar_worker``, which

- limits its own address space (``RLIMIT_AS``) before it reads the picture, so a
  picture that needs more fails there with ``MemoryError`` (answered
  ``avatar_too_many_pixels``), never in the server or on the machine;
- gets a deadline: a worker still busy after it is killed (``avatar_too_many_pixels``);
- hands its memory back to the system when it exits, so nothing of the picture stays.

A fresh process per picture rather than a pool: uploads are rare (a member's budget
is a few an hour), a start costs about a tenth of a second, and a worker that died or
was killed needs no replacing, since the next picture has its own. At most
:data:`CONCURRENT_JOBS` run at once.

The worker reads the picture on stdin and answers on stdout: exit 0 and the WebP, or
exit :data:`REFUSED` and the error code. Anything else (a crash, a signal) is a
picture it could not read.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import resource
import sys
from collections.abc import Callable, Sequence
from typing import Final

from teahouse.errors import ErrorCode, TeahouseError
from teahouse.social import avatar_image

log = logging.getLogger(__name__)

CONCURRENT_JOBS: Final = 2
REFUSED: Final = 2
# The codes a worker may answer, by their text on its stdout.
_REFUSALS: Final[dict[str, Callable[[], TeahouseError]]] = {
    ErrorCode.AVATAR_NOT_AN_IMAGE.value: avatar_image.not_an_image,
    ErrorCode.AVATAR_TOO_MANY_PIXELS.value: avatar_image.too_many_pixels,
    ErrorCode.AVATAR_TOO_LARGE.value: avatar_image.too_large,
}


class AvatarDecoder:
    """Re-encodes avatars in worker processes with ``memory_mib`` of address space and
    ``timeout`` seconds each; ``worker`` is the command that starts one (tests give
    workers that hang or crash)."""

    def __init__(
        self, memory_mib: int, timeout: float, worker: Sequence[str] | None = None
    ) -> None:
        self.memory_mib = memory_mib
        self.timeout = timeout
        self.worker = tuple(worker or (sys.executable, "-m", __name__))
        self._jobs = asyncio.Semaphore(CONCURRENT_JOBS)

    async def reencode(self, data: bytes) -> bytes:
        """The avatar as WebP (see :func:`avatar_image.reencode`), or a
        :class:`TeahouseError`."""
        async with self._jobs:
            worker = await asyncio.create_subprocess_exec(
                *self.worker,
                str(self.memory_mib),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            try:
                async with asyncio.timeout(self.timeout):
                    out, err = await worker.communicate(data)
            except TimeoutError:
                log.info("an avatar took over %g s to decode; its worker was killed", self.timeout)
                raise avatar_image.too_many_pixels() from None
            finally:
                if worker.returncode is None:
                    with contextlib.suppress(ProcessLookupError):
                        worker.kill()
                    await worker.wait()
        if worker.returncode == 0:
            return out
        refusal = (
            _REFUSALS.get(out.decode(errors="replace")) if worker.returncode == REFUSED else None
        )
        if refusal is not None:
            raise refusal()
        log.warning(
            "an avatar worker ended with %s: %s",
            worker.returncode,
            err.decode(errors="replace")[-500:],
        )
        raise avatar_image.not_an_image()


def _work(memory_mib: int) -> int:
    """The worker's side: limit itself, decode stdin, answer on stdout."""
    limit = memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    data = sys.stdin.buffer.read()
    try:
        image = avatar_image.reencode(data)
    except TeahouseError as exc:
        sys.stdout.buffer.write(exc.code.encode())
        return REFUSED
    except MemoryError:
        sys.stdout.buffer.write(ErrorCode.AVATAR_TOO_MANY_PIXELS.encode())
        return REFUSED
    sys.stdout.buffer.write(image)
    return 0


if __name__ == "__main__":
    sys.exit(_work(int(sys.argv[1])))
