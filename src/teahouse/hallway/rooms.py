"""The live rooms of one member's hallway, read from the Stage without scanning it.

A hallway page is the top ``limit`` rooms of the ranking of
:func:`teahouse.domain.hallway.rank_rooms`. Only two kinds of rooms can be on it:

- rooms where someone the member follows sits, found through the Stage's
  :class:`~teahouse.live.index.LiveIndex` from the member's follows (a few
  dictionary reads), every one of them ranked;
- the best ``limit + 1`` of the other ("quiet") rooms by
  :func:`~teahouse.domain.hallway.quiet_room_key`: their club's tier, the popular one
  or the rest (demo rooms after the real ones), then size, then age. That key needs
  only a room's counts of people and listeners, so picking them reads no seat.

Any room beyond those has ``limit + 1`` rooms ranking above it, so ranking just these
candidates gives the same page as ranking every live room. Rooms where someone
blocked either way is on stage are found through the index too, and rooms one of
them created by their record, and left out before the quiet rooms are picked, so a
page is never short.

The candidates carry their whole stage (a few people, cached per room version) but of
their audience only the followed listeners, in room order, and the audience's size.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter

from teahouse.domain.cursors import HallwayCursor, Page
from teahouse.domain.hallway import (
    ClubRef,
    Key,
    Ranked,
    RoomCandidate,
    Viewer,
    quiet_room_key,
    rank_rooms,
)
from teahouse.domain.room_changes import UserRef
from teahouse.live.stage import LiveRoom, Stage


@dataclass(frozen=True, slots=True)
class _Stage:
    """One live room's stage at one version of its state."""

    version: int
    speakers: tuple[UserRef, ...]


@dataclass(frozen=True, slots=True)
class ShownRoom:
    """A room of a hallway page: where it ranks, and the live room as it was read."""

    ranked: Ranked[RoomCandidate]
    live: LiveRoom


class HallwayRooms:
    """Ranks live rooms for one member at a time; caches each room's stage by version."""

    def __init__(self, stage: Stage) -> None:
        self._stage = stage
        self._stages: dict[str, _Stage] = {}
        self._created: dict[str, datetime] = {}

    def page(
        self,
        viewer: Viewer,
        admitted: Collection[str],
        cursor: HallwayCursor | None,
        limit: int,
    ) -> Page[ShownRoom]:
        """The member's rooms after ``cursor``, at most ``limit``. ``admitted``: the
        rooms that are not open which the member may enter (open ones all may)."""
        after = cursor.key if cursor is not None else None
        stage, index = self._stage, self._stage.index
        lives = {rid: live for rid in stage.live_room_ids() if (live := stage.live(rid))}
        hidden = set()
        for rid, uids in index.where(viewer.blocked).items():
            live = lives.get(rid)
            if live is not None and any(uid in self.speaker_ids(live) for uid in uids):
                hidden.add(rid)

        def visible(rid: str, live: LiveRoom) -> bool:
            if rid in hidden or live.info.created_by.id in viewer.blocked:
                return False
            return live.info.visibility == "open" or rid in admitted

        candidates = []
        followed_in = index.where(viewer.following)
        for rid, uids in followed_in.items():
            live = lives.get(rid)
            if live is not None and visible(rid, live):
                candidates.append(self._candidate(live, uids))
        quiet: list[tuple[Key, LiveRoom]] = []
        for rid, live in lives.items():
            if rid in followed_in or not visible(rid, live):
                continue
            club_id = live.info.club.id if live.info.club else None
            state = live.state
            key = quiet_room_key(
                viewer,
                club_id,
                len(state.participants),
                self._created_at(live),
                rid,
                listener_count=state.listener_count,
                demo=live.info.demo,
            )
            if after is None or key > after:
                quiet.append((key, live))
        for _, live in heapq.nsmallest(limit + 1, quiet, key=itemgetter(0)):
            candidates.append(self._candidate(live, ()))
        ranked = rank_rooms(viewer, candidates, after=after)
        self._forget_ended(lives)
        page = Page.of(ranked, limit, lambda room: HallwayCursor.at(room.key))
        return page.map(lambda room: ShownRoom(room, lives[room.item.id]))

    def speakers(self, live: LiveRoom) -> tuple[UserRef, ...]:
        """Who is on the room's stage, in room order; read again only when it changed."""
        state = live.state
        cached = self._stages.get(live.info.id)
        if cached is None or cached.version != state.version:
            cached = _Stage(
                state.version,
                tuple(p.user for p in state.participants.values() if p.role.on_stage),
            )
            self._stages[live.info.id] = cached
        return cached.speakers

    def speaker_ids(self, live: LiveRoom) -> frozenset[str]:
        return frozenset(u.id for u in self.speakers(live))

    def _candidate(self, live: LiveRoom, followed: Collection[str]) -> RoomCandidate:
        speakers = self.speakers(live)
        participants = live.state.participants
        on_stage = {u.id for u in speakers}
        wanted = [uid for uid in followed if uid not in on_stage]
        if len(wanted) > 1:  # room order matters for the reason's first name
            wanted_set = set(wanted)
            listeners = tuple(p.user for uid, p in participants.items() if uid in wanted_set)
        else:
            listeners = tuple(participants[uid].user for uid in wanted if uid in participants)
        return RoomCandidate(
            id=live.info.id,
            created_at=self._created_at(live),
            speakers=speakers,
            listeners=listeners,
            club=self._club(live),
            audience=len(participants) - len(speakers),
            created_by=live.info.created_by.id,
            demo=live.info.demo,
        )

    def _created_at(self, live: LiveRoom) -> datetime:
        rid = live.info.id
        if (created := self._created.get(rid)) is None:
            created = self._created[rid] = datetime.fromisoformat(live.info.created_at)
        return created

    @staticmethod
    def _club(live: LiveRoom) -> ClubRef | None:
        club = live.info.club
        return ClubRef(club.id, club.name) if club else None

    def _forget_ended(self, lives: dict[str, LiveRoom]) -> None:
        if len(self._created) > 2 * len(lives) + 100:
            for rid in [rid for rid in self._created if rid not in lives]:
                del self._created[rid]
            for rid in [rid for rid in self._stages if rid not in lives]:
                del self._stages[rid]
