"""Which live rooms each member sits in, kept up to date by the Stage.

The hallway asks "where are the people I follow?" and "is someone I blocked on a
stage?". Answering that by reading every seat of every live room costs as much as the
server is busy (200,000 seats: ~85 ms a call). This index answers it from the member's
side: the Stage calls :meth:`LiveIndex.joined`, :meth:`LiveIndex.left` and
:meth:`LiveIndex.ended` as it changes a room's participants, and a lookup costs as many
dictionary reads as the member follows people (or as there are seated people, when
that is fewer).

The Stage stays the one writer and the source of truth: the index says where to look,
and readers then read the room's participants themselves (roles change without the
index hearing of it).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable


class LiveIndex:
    """``user id -> ids of the live rooms they are in``, maintained incrementally."""

    def __init__(self) -> None:
        self._rooms_of: dict[str, set[str]] = {}

    # -- written by the Stage -------------------------------------------------------

    def joined(self, room_id: str, user_id: str) -> None:
        self._rooms_of.setdefault(user_id, set()).add(room_id)

    def left(self, room_id: str, user_id: str) -> None:
        rooms = self._rooms_of.get(user_id)
        if rooms is not None:
            rooms.discard(room_id)
            if not rooms:
                del self._rooms_of[user_id]

    def ended(self, room_id: str, user_ids: Iterable[str]) -> None:
        for user_id in list(user_ids):
            self.left(room_id, user_id)

    # -- read by the hallway --------------------------------------------------------

    def rooms_of(self, user_id: str) -> frozenset[str]:
        return frozenset(self._rooms_of.get(user_id, ()))

    def where(self, user_ids: Collection[str]) -> dict[str, list[str]]:
        """``room id -> those of user_ids seated in it`` (in no particular order),
        iterating the smaller side: the given people or everyone seated."""
        found: dict[str, list[str]] = {}
        seated = self._rooms_of
        if len(user_ids) <= len(seated):
            pairs = ((uid, seated.get(uid)) for uid in user_ids)
        else:
            pairs = ((uid, rooms) for uid, rooms in seated.items() if uid in user_ids)
        for uid, rooms in pairs:
            for room_id in rooms or ():
                found.setdefault(room_id, []).append(uid)
        return found

    def __len__(self) -> int:
        """How many members sit in at least one live room."""
        return len(self._rooms_of)
