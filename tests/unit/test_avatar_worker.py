"""The avatar decoder's workers: what a member is answered when one is too slow, runs
out of memory or dies, and that none is left behind."""

from __future__ import annotations

import os
import sys

import pytest

from teahouse.errors import TeahouseError
from teahouse.social.avatar_worker import AvatarDecoder
from tests.support import images

HANGS = (sys.executable, "-c", "import time; time.sleep(600)")
DIES = (sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)")


def child_pids() -> set[int]:
    found: set[int] = set()
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as children:
            found |= {int(pid) for pid in children.read().split()}
    return found


async def refusal(decoder: AvatarDecoder, data: bytes) -> str:
    with pytest.raises(TeahouseError) as refused:
        await decoder.reencode(data)
    return refused.value.code


async def test_a_worker_past_its_deadline_is_killed_and_the_picture_refused() -> None:
    before = child_pids()
    decoder = AvatarDecoder(512, timeout=0.5, worker=HANGS)
    assert await refusal(decoder, images.picture("PNG")) == "avatar_too_many_pixels"
    assert child_pids() == before  # killed and reaped


async def test_a_worker_that_dies_refuses_the_picture_and_the_next_gets_its_own() -> None:
    assert await refusal(AvatarDecoder(512, 20, worker=DIES), images.picture("PNG")) == (
        "avatar_not_an_image"
    )
    webp = await AvatarDecoder(512, 20).reencode(images.picture("PNG"))
    assert webp[8:12] == b"WEBP"


async def test_a_picture_beyond_the_workers_memory_is_too_many_pixels() -> None:
    heavy = images.picture("PNG", (8000, 5000), mode="RGBA")  # 160 MB of pixels
    assert await refusal(AvatarDecoder(128, 20), heavy) == "avatar_too_many_pixels"
