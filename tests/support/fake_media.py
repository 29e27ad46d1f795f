"""A stand-in media backend for tests of the layers above media (never of media)."""

from __future__ import annotations

from dataclasses import dataclass, field

from teahouse.errors import BadRequest, Conflict, ErrorCode, Unavailable
from teahouse.media.base import FeedsChanged, MediaEvent, MediaEventHandler


@dataclass
class FakeMedia:
    rooms: set[str] = field(default_factory=set)
    publishers: dict[str, set[str]] = field(default_factory=dict)
    subscriptions: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    answers: dict[tuple[str, str], str] = field(default_factory=dict)
    calls: list[tuple[str, ...]] = field(default_factory=list)
    # (room, participant) whose published audio the media server drops (muted).
    moderated: set[tuple[str, str]] = field(default_factory=set)
    # The next this many subscriptions fail, as a media server that hiccups would.
    failing_subscriptions: int = 0
    # The media server does not answer at all (the readiness check says so).
    down: bool = False
    _handler: MediaEventHandler | None = None

    def set_event_handler(self, handler: MediaEventHandler) -> None:
        self._handler = handler

    async def emit(self, event: MediaEvent) -> None:
        assert self._handler is not None
        await self._handler(event)

    async def start(self) -> None:
        self.calls.append(("start",))

    async def close(self) -> None:
        self.calls.append(("close",))

    async def ensure_room(self, room_id: str) -> None:
        self.rooms.add(room_id)

    async def destroy_room(self, room_id: str) -> None:
        self.rooms.discard(room_id)
        self.publishers.pop(room_id, None)

    async def publish(
        self, room_id: str, participant_id: str, offer_sdp: str, *, muted: bool = False
    ) -> str:
        if not offer_sdp.startswith("v=0"):
            raise BadRequest("not SDP", ErrorCode.INVALID_SDP)
        self.calls.append(("publish", room_id, participant_id))
        self.publishers.setdefault(room_id, set()).add(participant_id)
        self._moderate(room_id, participant_id, muted)
        await self.emit(FeedsChanged(room_id, self.live_publishers(room_id)))
        return "v=0\r\ns=fake-answer\r\n"

    async def unpublish(self, room_id: str, participant_id: str) -> None:
        if participant_id in self.publishers.get(room_id, set()):
            self.publishers[room_id].discard(participant_id)
            self.moderated.discard((room_id, participant_id))
            self.calls.append(("unpublish", room_id, participant_id))
            await self.emit(FeedsChanged(room_id, self.live_publishers(room_id)))

    async def set_muted(self, room_id: str, participant_id: str, muted: bool) -> None:
        if participant_id in self.publishers.get(room_id, set()):
            self.calls.append(("set_muted", room_id, participant_id, str(muted)))
            self._moderate(room_id, participant_id, muted)

    def _moderate(self, room_id: str, participant_id: str, muted: bool) -> None:
        if muted:
            self.moderated.add((room_id, participant_id))
        else:
            self.moderated.discard((room_id, participant_id))

    async def subscribe(
        self, room_id: str, participant_id: str, publishers: frozenset[str]
    ) -> str | None:
        if self.failing_subscriptions > 0:
            self.failing_subscriptions -= 1
            raise Unavailable("The media server did not answer.", ErrorCode.MEDIA_UNAVAILABLE)
        key = (room_id, participant_id)
        if self.subscriptions.get(key, frozenset()) == publishers:
            return None
        self.subscriptions[key] = publishers
        if not publishers:
            return None
        return "v=0\r\ns=fake-offer " + ",".join(sorted(publishers)) + "\r\n"

    async def answer(self, room_id: str, participant_id: str, answer_sdp: str) -> None:
        if not self.subscriptions.get((room_id, participant_id)):
            raise Conflict("There is no subscription offer to answer.", ErrorCode.WRONG_STATE)
        self.answers[(room_id, participant_id)] = answer_sdp

    async def leave(self, room_id: str, participant_id: str) -> None:
        self.subscriptions.pop((room_id, participant_id), None)
        await self.unpublish(room_id, participant_id)

    def live_publishers(self, room_id: str) -> frozenset[str]:
        return frozenset(self.publishers.get(room_id, set()))

    async def check(self) -> None:
        if self.down:
            raise Unavailable("The media server did not answer.", ErrorCode.MEDIA_UNAVAILABLE)

    def listener_streams(self) -> int:
        return sum(len(publishers) for publishers in self.subscriptions.values())
