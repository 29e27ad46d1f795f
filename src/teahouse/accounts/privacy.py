"""A member's own data: everything the server holds about them, and deleting it.

The export holds the member's rows and, for every other member it mentions, only
their :class:`UserCard` (never a bio, never whom *they* follow or block). Secrets are
left out even though they are the member's: session tokens, invitation codes and the
calendar feed's token exist only as hashes, and a hash says nothing useful.

Deleting an account (``DELETE /api/me``) hands over or ends what the member owns,
then deletes the user row; every foreign key naming a member cascades or nulls
(store/social_models.py), so no row names them afterwards:

1. their sessions end (no new request can act as them) and their sockets close;
2. they leave every live room through the :class:`Stage`, so a room goes on under
   another moderator or ends;
3. live rooms they created now name another moderator of the room as creator; the
   rows of their ended rooms are deleted;
4. clubs they founded pass to the longest-standing admin, else the longest-standing
   member (who becomes an admin), else are deleted; a club where they were the last
   admin gets its longest-standing member as admin;
5. reports about their deleted rooms forget the room's title (reports they filed
   go with them; reports about them and audit entries keep the facts and lose the
   name: those references are ``SET NULL``);
6. the user row goes, and with it their passkeys; on SQLite the full-text indexes
   drop their words, and the deleting connection uses ``secure_delete`` so freed
   pages are zeroed.
"""

from __future__ import annotations

from sqlalchemy import case, delete, select, text, update

from teahouse.accounts.export import collect_export
from teahouse.accounts.export_views import AccountExport
from teahouse.accounts.password_check import Caller, PasswordCheck
from teahouse.errors import ErrorCode, NotAuthenticated
from teahouse.live.departures import Departures
from teahouse.live.stage import Stage
from teahouse.social.search import forget_deleted_text
from teahouse.store.admin_models import Report
from teahouse.store.database import Database, DbSession
from teahouse.store.models import Room, Session, User
from teahouse.store.social_models import Club, ClubMember

__all__ = ["Privacy"]


class Privacy:
    def __init__(
        self, db: Database, checks: PasswordCheck, stage: Stage, departures: Departures
    ) -> None:
        self._db = db
        self._checks = checks
        self._stage = stage
        self._departures = departures

    # -- export --------------------------------------------------------------------

    async def export(self, user_id: str) -> AccountExport:
        async with self._db.sessions() as s:
            data = await collect_export(s, user_id)
        if data is None:
            raise NotAuthenticated("Please log in.")
        return data

    # -- deletion ------------------------------------------------------------------

    async def delete_account(
        self, user_id: str, password: str, caller: Caller | None = None
    ) -> None:
        """Delete the account, if ``password`` is the member's: a password check like
        log-in's, with the same limits (accounts/password_check.py)."""
        async with self._db.sessions() as s:
            user = await s.get(User, user_id)
        if user is None:
            raise NotAuthenticated("Please log in.")
        if not await self._checks.verify(user, user.username, password, caller or Caller()):
            raise NotAuthenticated("That is not your password.", ErrorCode.BAD_CREDENTIALS)
        async with self._db.sessions.begin() as s:
            await s.execute(delete(Session).where(Session.user_id == user_id))
        await self._departures.member_gone(user_id)
        handed_over = await self._hand_over_live_rooms(user_id)
        async with self._db.sessions.begin() as s:
            if self._db.is_sqlite:
                await s.execute(text("PRAGMA secure_delete = ON"))
            for room_id, successor in handed_over.items():
                await s.execute(
                    update(Room).where(Room.id == room_id).values(created_by_id=successor)
                )
            await _forget_room_titles(s, user_id)
            await s.execute(delete(Room).where(Room.created_by_id == user_id))
            await _pass_on_clubs(s, user_id)
            await s.execute(delete(User).where(User.id == user_id))
        # A socket opened before the sessions ended may have joined a room meanwhile.
        await self._stage.remove_user(user_id)
        await forget_deleted_text(self._db)

    async def _hand_over_live_rooms(self, user_id: str) -> dict[str, str]:
        """Live rooms they created: to the longest-present other moderator, or end."""
        handed_over: dict[str, str] = {}
        for room_id in self._stage.live_room_ids():
            room = self._stage.live(room_id)
            if room is None or room.info.created_by.id != user_id:
                continue
            moderators = [m for m in room.state.moderators() if m != user_id]
            if moderators:
                successor = room.state.participants[moderators[0]].user
                self._stage.hand_over(room_id, successor)
                handed_over[room_id] = successor.id
            else:
                await self._stage.end_room(room_id, "no_moderator")
        return handed_over


async def _forget_room_titles(s: DbSession, user_id: str) -> None:
    """Reports keep the title of their room as it was (``context``); the rooms about
    to be deleted are the member's own words, so their titles go too."""
    going = select(Room.id).where(Room.created_by_id == user_id)
    for report in await s.scalars(select(Report).where(Report.room_id.in_(going))):
        room = dict(report.context.get("room") or {})
        report.context = {**report.context, "room": {**room, "title": None}}


async def _pass_on_clubs(s: DbSession, user_id: str) -> None:
    founded = set(await s.scalars(select(Club.id).where(Club.founder_id == user_id)))
    admin_of = set(
        await s.scalars(
            select(ClubMember.club_id).where(
                ClubMember.user_id == user_id, ClubMember.role == "admin"
            )
        )
    )
    for club_id in sorted(founded | admin_of):
        others = (
            select(ClubMember)
            .where(ClubMember.club_id == club_id, ClubMember.user_id != user_id)
            .order_by(
                case((ClubMember.role == "admin", 0), else_=1),
                ClubMember.joined_at,
                ClubMember.user_id,
            )
        )
        successor = await s.scalar(others.limit(1))
        if successor is None:
            if club_id in founded:
                await s.execute(delete(Club).where(Club.id == club_id))
            continue
        if club_id in founded:
            await s.execute(
                update(Club).where(Club.id == club_id).values(founder_id=successor.user_id)
            )
        # The founder's heir, or the last admin's: a club always keeps an admin.
        successor.role = "admin"
