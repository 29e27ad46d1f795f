"""Audience pages: the listeners of a live room, a page at a time (the ``audience``
message). A room may hold thousands of listeners; only the visible set is broadcast,
and the rest is read on request, in the order people joined the audience."""

from __future__ import annotations

from teahouse.live.room import Client, LiveRooms
from teahouse.realtime.server_messages import AudiencePageMessage, User


class AudiencePages:
    """Answers ``audience`` for every live room."""

    def __init__(self, live: LiveRooms) -> None:
        self._live = live

    def page(
        self, client: Client, after: str | None, limit: int, ref: str | None = None
    ) -> AudiencePageMessage:
        """One page of the client's room, without the members in a block with them."""
        room = self._live.of(client)
        page = room.state.audience_page(after, limit, room.hidden_for(client.user.id))
        return AudiencePageMessage(
            listeners=[User.model_validate(user) for user in page.items],
            next=page.next_cursor,
            count=room.state.listener_count,
            ref=ref,
        )
