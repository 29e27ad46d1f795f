"""Search over members, clubs and live rooms, with each engine's full-text search.

Both engines index the text as ``domain/search_text.py`` spaces it: each Chinese,
Japanese or Korean character is a word of its own, so that "威" finds 陳威 (migration
0010_cjk_search). SQLite: FTS5 tables queried with ``MATCH`` and ranked by ``bm25()``
with column weights (a hit in a username counts more than one in a bio). PostgreSQL:
the weighted ``tsvector`` columns ``search_document`` of the same migration (stored,
generated, GIN-indexed), ``@@ to_tsquery('simple', …)``, ranked by ``ts_rank``.

What a member typed never reaches the database as syntax: :class:`SearchQuery` keeps
its words and quotes them (see ``domain/search_query.py``). Members hidden from the
searcher (blocks, either way) never appear; rooms are the live rooms the searcher
may enter, leaving out rooms someone hidden from them created or is on the stage of
(the hallway's rule).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeVarTuple

from sqlalchemy import ColumnClause, Select, case, column, func, literal_column, select, table, text

from teahouse.domain.search_query import SearchQuery
from teahouse.live.stage import Stage
from teahouse.rooms.rooms import Rooms
from teahouse.social.cards import card_select
from teahouse.social.graph import Social, visible_to
from teahouse.store.database import Database, DbSession
from teahouse.store.models import Room, User
from teahouse.store.social_models import Club
from teahouse.views import ClubRef, UserCard, user_card

Kind = Literal["members", "clubs", "rooms"]
Row = TypeVarTuple("Row")
RESULTS_MAX = 20


# PostgreSQL: the stored documents of migration 0010_cjk_search, each indexed (GIN).
USERS_DOCUMENT = "users.search_document"
CLUBS_DOCUMENT = "clubs.search_document"
ROOMS_DOCUMENT = "rooms.search_document"

# SQLite: bm25 weights per FTS5 column, in the order the migration declared them.
USERS_WEIGHTS = (10.0, 5.0, 1.0)  # username, display_name, bio
CLUBS_WEIGHTS = (10.0, 1.0)  # name, description
SQLITE_FTS_TABLES = ("users_fts", "clubs_fts", "rooms_fts")


@dataclass(frozen=True, slots=True)
class Results:
    members: list[UserCard] = field(default_factory=list)
    clubs: list[ClubRef] = field(default_factory=list)
    room_ids: list[str] = field(default_factory=list)  # best first


# Matching live rooms looked at per query, before the viewer's own checks.
ROOM_CANDIDATES_MAX = 200


class Search:
    def __init__(self, db: Database, social: Social, rooms: Rooms, stage: Stage) -> None:
        self._db = db
        self._social = social
        self._rooms = rooms
        self._stage = stage

    async def search(self, viewer_id: str, raw: str, kind: Kind | None) -> Results:
        query = SearchQuery.parse(raw)  # 1-100 characters, or invalid_request
        if query.empty:
            return Results()
        results = Results()
        async with self._db.sessions() as s:
            if kind in (None, "members"):
                results.members.extend(await self._members(s, viewer_id, query))
            if kind in (None, "clubs"):
                results.clubs.extend(await self._clubs(s, query))
        if kind in (None, "rooms"):
            results.room_ids.extend(await self._rooms_for(viewer_id, query))
        return results

    async def _members(self, s: DbSession, viewer_id: str, query: SearchQuery) -> list[UserCard]:
        # Whoever is called exactly what was typed comes first; bm25 alone would
        # rank "ada" below "adalbert" when Ada's bio is longer.
        exact = case((User.username == query.text, 0), else_=1)
        stmt = card_select().where(visible_to(viewer_id, User.id)).order_by(exact)
        stmt = self._matching(stmt, "users", USERS_DOCUMENT, USERS_WEIGHTS, query)
        rows = await s.execute(stmt.order_by(User.username).limit(RESULTS_MAX))
        return [user_card(user, etag) for user, etag in rows]

    async def _clubs(self, s: DbSession, query: SearchQuery) -> list[ClubRef]:
        stmt = self._matching(
            select(Club.id, Club.name), "clubs", CLUBS_DOCUMENT, CLUBS_WEIGHTS, query
        )
        rows = await s.execute(stmt.order_by(Club.name, Club.id).limit(RESULTS_MAX))
        return [{"id": club_id, "name": name} for club_id, name in rows]

    async def _rooms_for(self, viewer_id: str, query: SearchQuery) -> list[str]:
        """Live rooms whose title matches, best first, that the viewer may enter and
        that nobody in a block with them created or is on the stage of. The text match
        comes first: it narrows thousands of live rooms to a few, and only those are
        checked."""
        stmt = self._matching(
            select(Room.id).where(Room.ended_at.is_(None)), "rooms", ROOMS_DOCUMENT, (1.0,), query
        )
        async with self._db.sessions() as s:
            found = await s.scalars(
                stmt.order_by(Room.created_at.desc()).limit(ROOM_CANDIDATES_MAX)
            )
            matched = [room_id for room_id in found if self._stage.live(room_id) is not None]
        if not matched:
            return []
        allowed = await self._rooms.enterable_live_ids(
            viewer_id, matched, self._stage.moderators_of
        )
        named = {
            room_id: room.state.on_stage() | {room.info.created_by.id}
            for room_id in matched
            if room_id in allowed and (room := self._stage.live(room_id)) is not None
        }
        hidden = await self._social.hidden_among(viewer_id, set().union(*named.values()))
        visible = [room_id for room_id, ids in named.items() if not ids & hidden]
        return visible[:RESULTS_MAX]

    def _matching(
        self,
        stmt: Select[*Row],
        table_name: str,
        document: str,
        weights: tuple[float, ...],
        query: SearchQuery,
    ) -> Select[*Row]:
        """``stmt`` (over ``table_name``) narrowed to matches and ordered by rank."""
        if self._db.is_sqlite:
            fts = table(f"{table_name}_fts", column("rowid"))
            fts_name: ColumnClause[object] = literal_column(fts.name)
            return (
                stmt.join(fts, fts.c.rowid == literal_column(f"{table_name}.rowid"))
                .where(fts_name.op("MATCH")(query.fts5()))
                .order_by(func.bm25(fts_name, *weights))
            )
        matches = text(f"({document}) @@ to_tsquery('simple', :match)")
        rank = text(f"ts_rank(({document}), to_tsquery('simple', :rank)) DESC")
        return stmt.where(matches.bindparams(match=query.tsquery())).order_by(
            rank.bindparams(rank=query.tsquery())
        )


async def forget_deleted_text(db: Database) -> None:
    """SQLite: merge each FTS5 index into one segment. FTS5 only marks a deleted row's
    words as deleted until its segments merge; after an account is deleted they must
    be gone from the index too. (On PostgreSQL, dead rows and their index entries
    are removed by autovacuum, as for every other deleted row.)"""
    if not db.is_sqlite:
        return
    async with db.sessions.begin() as s:
        for name in SQLITE_FTS_TABLES:
            await s.execute(text(f"INSERT INTO {name}({name}) VALUES ('optimize')"))
