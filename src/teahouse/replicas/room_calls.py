"""What a room message does, wherever the room is: the one Stage method or
collaborator that answers each client message, performed as one client. The socket
that read it calls this when its process owns the room; the room's owner calls it for
a socket on another replica (room_router.py). Replies other than ``ok``/``error`` are
sent to the client here, before the ``ok`` (docs/PROTOCOL.md)."""

from __future__ import annotations

from dataclasses import dataclass

from teahouse.cursor_seal import CursorSeal
from teahouse.domain.cursors import AudienceCursor
from teahouse.live.stage import Client, Stage
from teahouse.realtime.client_messages import (
    Audience,
    ClientMessage,
    EndRoom,
    Join,
    Leave,
    Publish,
    RemoveFromRoom,
    SubscribeAnswer,
    Unpublish,
)
from teahouse.realtime.server_messages import PublishAnswerMessage, encode
from teahouse.rooms.rooms import Rooms


@dataclass(frozen=True, slots=True)
class RoomCalls:
    stage: Stage
    rooms: Rooms
    cursors: CursorSeal

    async def perform(self, client: Client, message: ClientMessage) -> None:
        stage = self.stage
        match message:
            case Join(room=room_id, since=since):
                me = client.user.id
                info = await self.rooms.enterable(me, room_id, stage.moderators_of(room_id))
                await stage.join(client, info, since, await self.rooms.relations(me))
            case Leave():
                await stage.leave(client)
            case RemoveFromRoom(user_id=removed):
                await stage.remove_from_room(client, removed)
            case EndRoom():
                await stage.end_by_moderator(client)
            case Audience(after=after, limit=limit):
                # The audience's cursor leaves sealed, like every list's
                # (cursor_seal.py): the room's order of joining is its own.
                start = self.cursors.open(AudienceCursor, after).encode() if after else None
                page = stage.audience.page(client, start, limit, ref=message.id)
                sealed = self.cursors.seal(AudienceCursor, page.next)
                client.send(encode(page.model_copy(update={"next": sealed})))
            case Publish(sdp=sdp):
                answer = await stage.media.publish(client, sdp)
                client.send(encode(PublishAnswerMessage(sdp=answer)))
            case Unpublish():
                await stage.media.unpublish(client)
            case SubscribeAnswer(sdp=sdp):
                await stage.media.subscribe_answer(client, sdp)
            case _:  # a stage action: its rule and audit are declared in live/actions.py
                await stage.act(client, message)
