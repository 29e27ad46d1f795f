"""Members report members and rooms; instance admins read and resolve the reports.

A report names a member, a room, or both, with a reason and up to 1000 characters
of details. The server adds what it knew at that moment (``context``): the room's id
and title, the time, and the reporter's and the reported member's roles in that live
room (``moderator``, ``speaker``, ``listener``, or null). Nothing is recorded from
the room itself: no audio, no messages.

A member cannot flood the admins: at most :data:`OPEN_PER_HOUR` of their reports
filed within the last hour may still be open (``too_many_reports``). Checking and
adding happen under one lock per process, so two quick clicks cannot both pass.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Literal, cast, get_args

from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from typing_extensions import TypedDict

from teahouse.admin.audit import AuditLog
from teahouse.admin.members import via
from teahouse.domain.clock import utcnow
from teahouse.domain.cursors import Cursor, Page
from teahouse.domain.ids import looks_like_id, new_id
from teahouse.domain.text import clean_prose
from teahouse.errors import BadRequest, Conflict, ErrorCode, NotFound, TooManyRequests
from teahouse.live.stage import Stage
from teahouse.notifications.notifier import Notifications
from teahouse.rooms.rooms import Rooms
from teahouse.social.cards import cards_by_id
from teahouse.store.admin_models import Report
from teahouse.store.database import Database
from teahouse.store.keyset import newest_first
from teahouse.store.models import Room, User
from teahouse.views import UserCard

Reason = Literal["harassment", "hate", "spam", "impersonation", "self_harm", "other"]
REASONS: tuple[str, ...] = get_args(Reason)
ReportStatus = Literal["open", "resolved"]
DETAILS_MAX = 1000
RESOLUTION_MAX = 500
OPEN_PER_HOUR = 5


class ReportContextRoomView(TypedDict):
    id: str
    title: str | None  # null once the room's creator deleted their account


class ReportContextView(TypedDict):
    """What the server knew when the report was filed."""

    at: str
    room: ReportContextRoomView | None
    reporter_role: str | None
    target_role: str | None


class ReportRoomView(TypedDict):
    id: str
    title: str
    live: bool


class ReportView(TypedDict):
    """docs/API-ADMIN.md ``Report``."""

    id: str
    status: ReportStatus
    reason: Reason
    details: str
    reporter: UserCard | None
    user: UserCard | None
    room: ReportRoomView | None
    context: ReportContextView
    created_at: str
    resolved_at: str | None
    resolved_by: UserCard | None
    resolution: str | None


def _clean(text: str, limit: int, what: str) -> str:
    # Kept as every longer text is (domain/text.py); admins read it on a page and
    # in their terminal.
    return clean_prose(text, what, limit)


class Reports:
    def __init__(
        self,
        db: Database,
        rooms: Rooms,
        audit: AuditLog,
        stage: Stage | None = None,
        notifications: Notifications | None = None,
    ) -> None:
        """``stage`` None: no live rooms here (the command line, another process).
        ``notifications``: where the admins hear of each new report."""
        self._db = db
        self._notifications = notifications
        self._rooms = rooms
        self._stage = stage
        self._audit = audit
        self._filing = asyncio.Lock()

    async def file(
        self,
        reporter_id: str,
        *,
        user_id: str | None,
        room_id: str | None,
        reason: str,
        details: str,
    ) -> ReportView:
        if reason not in REASONS:
            raise BadRequest(f"The reason is one of: {', '.join(REASONS)}.")
        details = _clean(details, DETAILS_MAX, "A report's explanation")
        if user_id is None and room_id is None:
            raise BadRequest("Say which member or which room you are reporting.")
        if user_id == reporter_id:
            raise BadRequest("You cannot report yourself.", ErrorCode.CANNOT_REPORT_YOURSELF)
        room_title: str | None = None
        async with self._db.sessions() as s:
            if user_id is not None and (
                not looks_like_id(user_id) or await s.get(User, user_id) is None
            ):
                raise NotFound("There is no such member.", ErrorCode.USER_NOT_FOUND)
        if room_id is not None:
            # A room the reporter could never enter stays invisible: room_not_found.
            room_title = await self._visible_room_title(reporter_id, room_id)
        context: ReportContextView = {
            "at": utcnow().isoformat(),
            "room": {"id": room_id, "title": room_title} if room_id else None,
            "reporter_role": self._role_of(room_id, reporter_id),
            "target_role": self._role_of(room_id, user_id),
        }
        report = Report(
            id=new_id(),
            reporter_id=reporter_id,
            target_user_id=user_id,
            room_id=room_id,
            reason=reason,
            details=details,
            context=dict(context),
            created_at=utcnow(),
        )
        async with self._filing, self._db.sessions.begin() as s:
            recent = await s.scalar(
                select(func.count()).where(
                    Report.reporter_id == reporter_id,
                    Report.resolved_at.is_(None),
                    Report.created_at > utcnow() - timedelta(hours=1),
                )
            )
            if (recent or 0) >= OPEN_PER_HOUR:
                raise TooManyRequests(
                    "You have filed many reports in the last hour; the admins will look "
                    "at those first. Try again later.",
                    ErrorCode.TOO_MANY_REPORTS,
                )
            s.add(report)
        await self._tell_admins(report)
        return (await self._views([report]))[0]

    async def _tell_admins(self, report: Report) -> None:
        """A ``report_filed`` notification for every admin but the reporter. It names
        the report, not the reporter: an admin who blocked the reporter still hears."""
        if self._notifications is None:
            return
        async with self._db.sessions() as s:
            admins = list(
                await s.scalars(
                    select(User.id).where(
                        User.is_admin, User.suspended_at.is_(None), User.id != report.reporter_id
                    )
                )
            )
        for admin_id in admins:
            await self._notifications.notify(admin_id, "report_filed", report_id=report.id)

    def _role_of(self, room_id: str | None, user_id: str | None) -> str | None:
        if self._stage is None or room_id is None or user_id is None:
            return None
        return self._stage.role_of(room_id, user_id)

    async def _visible_room_title(self, reporter_id: str, room_id: str) -> str:
        try:
            return (await self._rooms.enterable(reporter_id, room_id)).title
        except Conflict:  # ended: reporting afterwards is fine
            async with self._db.sessions() as s:
                title = await s.scalar(select(Room.title).where(Room.id == room_id))
            return title or ""

    async def mine(self, reporter_id: str) -> list[ReportView]:
        async with self._db.sessions() as s:
            rows = list(
                await s.scalars(
                    select(Report)
                    .where(Report.reporter_id == reporter_id)
                    .order_by(Report.created_at.desc(), Report.id.desc())
                )
            )
        return await self._views(rows)

    async def page(
        self, status: ReportStatus, cursor: Cursor | None, limit: int
    ) -> Page[ReportView]:
        """Open or resolved reports, newest first."""
        done = Report.resolved_at.is_not(None)
        stmt = select(Report).where(done if status == "resolved" else ~done)
        stmt = newest_first(stmt, Report.created_at, Report.id, cursor, limit)
        async with self._db.sessions() as s:
            rows = list(await s.scalars(stmt))
        page = Page.of(rows, limit, lambda report: Cursor(report.created_at, report.id))
        return Page(await self._views(page.items), page.next_cursor)

    async def resolve(self, actor_id: str | None, report_id: str, note: str) -> ReportView:
        note = _clean(note, RESOLUTION_MAX, "A resolution note")
        if not looks_like_id(report_id):
            raise NotFound("There is no such report.", ErrorCode.REPORT_NOT_FOUND)
        async with self._db.sessions.begin() as s:
            report = await s.get(Report, report_id, with_for_update=not self._db.is_sqlite)
            if report is None:
                raise NotFound("There is no such report.", ErrorCode.REPORT_NOT_FOUND)
            if report.resolved_at is not None:
                raise Conflict("This report is already resolved.", ErrorCode.ALREADY_RESOLVED)
            report.resolved_at = utcnow()
            report.resolved_by_id = actor_id
            report.resolution = note
            detail = {"report_id": report.id, **(via(actor_id) or {})}
            self._audit.add(
                s,
                actor_id,
                "resolve_report",
                room_id=report.room_id,
                target_id=report.target_user_id,
                detail=detail,
            )
        return (await self._views([report]))[0]

    async def _views(self, reports: list[Report]) -> list[ReportView]:
        room = aliased(Room)
        room_ids = {r.room_id for r in reports if r.room_id}
        people = {
            uid
            for r in reports
            for uid in (r.reporter_id, r.target_user_id, r.resolved_by_id)
            if uid
        }
        async with self._db.sessions() as s:
            cards = await cards_by_id(s, people)
            titles = dict(
                (await s.execute(select(room.id, room.title).where(room.id.in_(room_ids)))).all()
            )
        return [
            {
                "id": r.id,
                "status": "resolved" if r.resolved_at else "open",
                "reason": cast(Reason, r.reason),
                "details": r.details,
                "reporter": cards.get(r.reporter_id),
                "user": cards.get(r.target_user_id or ""),
                "room": (
                    {
                        "id": r.room_id,
                        "title": titles.get(r.room_id, ""),
                        "live": bool(self._stage and self._stage.live(r.room_id)),
                    }
                    if r.room_id
                    else None
                ),
                "context": cast(ReportContextView, r.context),
                "created_at": r.created_at.isoformat(),
                "resolved_at": r.resolved_at.isoformat() if r.resolved_at else None,
                "resolved_by": cards.get(r.resolved_by_id or ""),
                "resolution": r.resolution,
            }
            for r in reports
        ]
