"""`hallway_changed` on live sockets: sent on real changes, at most once a second."""

from __future__ import annotations

import asyncio
import itertools

from teahouse.hallway.signal import HALLWAY_CHANGED
from tests.support import social
from tests.support.server import LiveServer, eventually


async def test_sent_when_a_room_opens_and_ends(server: LiveServer) -> None:
    watcher, ada = await server.member("watcher"), await server.member("ada")
    await watcher.connect()
    room_id = await social.open_room(ada, "Tea", connect=False)
    assert await watcher.recv("hallway_changed", timeout=2) == {"type": "hallway_changed"}

    await ada.connect()
    await ada.join(room_id)
    await watcher.recv("hallway_changed", timeout=2)
    await ada.send({"type": "leave"})  # the last moderator leaves: the room ends
    await watcher.recv("hallway_changed", timeout=2)
    assert server.services.stage.live(room_id) is None
    await watcher.close()
    await ada.close()


async def test_a_burst_of_joins_is_coalesced(server: LiveServer) -> None:
    watcher, ada = await server.member("watcher"), await server.member("ada")
    crowd = [await server.member(f"m{i}") for i in range(20)]
    await watcher.connect()
    for member in crowd:
        await member.connect()
    room_id = await social.open_room(ada)
    # The room opening, then Ada walking in: let those go by, and a quiet second pass.
    assert await social.count_messages(watcher, "hallway_changed", 1.2) >= 1

    # When the server sends each one, by its own clock: what reaches the socket later
    # also carries the busy loop's delay in sending, which says nothing about pacing.
    presence = server.services.presence
    sent_at: list[float] = []
    send_to_all = presence.send_to_all

    def timed(text: str, *, in_rooms: bool = True) -> None:
        if text == HALLWAY_CHANGED:
            sent_at.append(asyncio.get_running_loop().time())
        send_to_all(text, in_rooms=in_rooms)

    presence.send_to_all = timed  # type: ignore[method-assign]
    await asyncio.gather(*(member.join(room_id) for member in crowd))
    assert len(server.services.stage.live(room_id).state.participants) == 21  # type: ignore[union-attr]
    arrived = await social.arrivals(watcher, "hallway_changed", 1.2)
    # The first join at once, the rest together a second later (or, on a slow
    # machine where joining took over a second, in one more), a second apart.
    assert 1 <= len(arrived) == len(sent_at) <= 3, (arrived, sent_at)
    assert all(later - earlier > 0.5 for earlier, later in itertools.pairwise(sent_at)), sent_at
    social.hang_up(ada, *crowd)
    await watcher.close()


async def test_nothing_the_hallway_shows_sends_nothing(server: LiveServer) -> None:
    watcher, ada, bob = [await server.member(n) for n in ("watcher", "ada", "bob")]
    await watcher.connect()
    room_id = await social.open_room(ada)
    await social.enter(room_id, bob)
    await social.count_messages(watcher, "hallway_changed", 1.2)  # let those go by

    for raised in (True, False, True):
        assert (await bob.request({"type": "hand", "raised": raised}))["type"] == "ok"
    assert (await ada.request({"type": "mute", "muted": True}))["type"] == "ok"
    assert await social.count_messages(watcher, "hallway_changed", 1.2) == 0

    # Moving Bob onto the stage is a change the hallway shows.
    assert (await ada.request({"type": "invite_to_speak", "user_id": bob.id}))["type"] == "ok"
    await watcher.recv("hallway_changed", timeout=2)
    for member in (watcher, ada, bob):
        await member.close()


async def test_sockets_leave_presence_when_they_close(server: LiveServer) -> None:
    ada = await server.member("ada")
    presence = server.services.presence
    await ada.connect()
    second = type(ada)(server, ada.username, ada.id, ada.token)
    await second.connect()
    await eventually(lambda: presence.socket_count() == 2)
    await second.close()
    await eventually(lambda: presence.socket_count() == 1)
    await ada.close()
    await eventually(lambda: not presence.is_online(ada.id))
