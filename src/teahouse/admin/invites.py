"""Invitations as an instance admin sees them: every one, revoking, and whole branches.

An invitation is *unused* while nobody redeemed it, nobody revoked it and it has not
expired: only those can be revoked (a used one already made a member; an expired one
can no longer do anything). Revoking does not give the invitation back to its
creator's quota: revoking a branch is how an admin stops a run of bad invitations,
and a refund would hand the same people new ones.

The *invitation tree* of a member is who they invited, whom those invited, and so
on (``users.invited_by_id``), read with one recursive CTE that runs unchanged on
SQLite and PostgreSQL and stops at :data:`MAX_DEPTH` levels.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import CTE, ColumnElement, and_, func, literal, select, update
from sqlalchemy.orm import aliased
from typing_extensions import TypedDict

from teahouse.admin.audit import AuditLog
from teahouse.admin.members import user_not_found, via
from teahouse.domain.clock import utcnow
from teahouse.domain.cursors import Cursor, Page
from teahouse.domain.ids import looks_like_id
from teahouse.errors import ErrorCode, InviteError, NotFound
from teahouse.social.cards import cards_by_id
from teahouse.store.database import Database
from teahouse.store.keyset import newest_first
from teahouse.store.models import Invite, User
from teahouse.views import UserCard

InviteStatus = Literal["all", "unused", "used", "expired", "revoked"]
InviteState = Literal["unused", "used", "expired", "revoked"]
MAX_DEPTH = 32


class AdminInviteView(TypedDict):
    """docs/API-ADMIN.md ``AdminInvite``."""

    id: str
    status: InviteState
    created_at: str
    expires_at: str
    created_by: UserCard | None
    used_by: UserCard | None
    used_at: str | None
    revoked_at: str | None


class TreeMemberView(UserCard):
    is_admin: bool
    suspended: bool


class TreeNodeView(TypedDict):
    """docs/API-ADMIN.md ``TreeNode``: a member and, below them, whom they invited."""

    member: TreeMemberView
    unused_invites: int
    children: list[TreeNodeView]


def _usable() -> ColumnElement[bool]:
    return and_(Invite.used_at.is_(None), Invite.revoked_at.is_(None), Invite.expires_at > utcnow())


def _status_filter(status: InviteStatus) -> ColumnElement[bool] | None:
    now = utcnow()
    return {
        "all": None,
        "unused": _usable(),
        "used": Invite.used_at.is_not(None),
        "revoked": and_(Invite.used_at.is_(None), Invite.revoked_at.is_not(None)),
        "expired": and_(
            Invite.used_at.is_(None), Invite.revoked_at.is_(None), Invite.expires_at <= now
        ),
    }[status]


def invite_status(invite: Invite) -> InviteState:
    if invite.used_at is not None:
        return "used"
    if invite.revoked_at is not None:
        return "revoked"
    return "expired" if invite.expires_at <= utcnow() else "unused"


def _cursor(invite: Invite) -> Cursor:
    return Cursor(invite.created_at, invite.id)


def _branch(root_id: str) -> CTE:
    """``(id, depth)`` of the member and everyone below them, at most MAX_DEPTH down."""
    top = select(User.id.label("id"), literal(0).label("depth")).where(User.id == root_id)
    branch = top.cte("branch", recursive=True)
    child = aliased(User)
    return branch.union_all(
        select(child.id, branch.c.depth + 1)
        .join(branch, child.invited_by_id == branch.c.id)
        .where(branch.c.depth < MAX_DEPTH)
    )


class InviteAdmin:
    def __init__(self, db: Database, audit: AuditLog) -> None:
        self._db = db
        self._audit = audit

    async def invites(
        self, status: InviteStatus, cursor: Cursor | None, limit: int
    ) -> Page[AdminInviteView]:
        """Every invitation, newest first, with who made it and who used it."""
        stmt = select(Invite)
        if (condition := _status_filter(status)) is not None:
            stmt = stmt.where(condition)
        stmt = newest_first(stmt, Invite.created_at, Invite.id, cursor, limit)
        async with self._db.sessions() as s:
            page = Page.of(list(await s.scalars(stmt)), limit, _cursor)
            people = {i for r in page.items for i in (r.created_by_id, r.used_by_id) if i}
            cards = await cards_by_id(s, people)

        def view(r: Invite) -> AdminInviteView:
            return {
                "id": r.id,
                "status": invite_status(r),
                "created_at": r.created_at.isoformat(),
                "expires_at": r.expires_at.isoformat(),
                "created_by": cards.get(r.created_by_id or ""),
                "used_by": cards.get(r.used_by_id or ""),
                "used_at": r.used_at.isoformat() if r.used_at else None,
                "revoked_at": r.revoked_at.isoformat() if r.revoked_at else None,
            }

        return page.map(view)

    async def revoke(self, actor_id: str | None, invite_id: str) -> InviteState:
        """Revoke one unused invitation; revoking a revoked one changes nothing.
        Returns the invitation's status afterwards (``revoked``)."""
        if not looks_like_id(invite_id):
            raise NotFound("There is no such invitation.", ErrorCode.INVITE_NOT_FOUND)
        async with self._db.sessions.begin() as s:
            invite = await s.get(Invite, invite_id, with_for_update=not self._db.is_sqlite)
            if invite is None:
                raise NotFound("There is no such invitation.", ErrorCode.INVITE_NOT_FOUND)
            status = invite_status(invite)
            if status == "used":
                raise InviteError("This invitation has already been used.", ErrorCode.INVITE_USED)
            if status == "expired":
                raise InviteError("This invitation has expired.", ErrorCode.INVITE_EXPIRED)
            if status == "unused":
                invite.revoked_at = utcnow()
                detail = {"invite_id": invite.id, **(via(actor_id) or {})}
                target = invite.created_by_id
                self._audit.add(s, actor_id, "revoke_invite", target_id=target, detail=detail)
        return "revoked"

    async def tree(self, username: str) -> TreeNodeView:
        """``{"member", "unused_invites", "children": [...]}`` from this member down."""
        async with self._db.sessions() as s:
            root_id = await s.scalar(select(User.id).where(User.username == username.lower()))
            if root_id is None:
                raise user_not_found()
            branch = _branch(root_id)
            unused = (
                select(Invite.created_by_id, func.count().label("n"))
                .where(_usable())
                .group_by(Invite.created_by_id)
                .subquery()
            )
            rows = list(
                (
                    await s.execute(
                        select(User, func.coalesce(unused.c.n, 0), branch.c.depth)
                        .join(branch, branch.c.id == User.id)
                        .outerjoin(unused, unused.c.created_by_id == User.id)
                        .order_by(branch.c.depth, User.created_at, User.id)
                    )
                ).all()
            )
            cards = await cards_by_id(s, [user.id for user, _, _ in rows])
        nodes: dict[str, TreeNodeView] = {}
        for user, count, _depth in rows:
            node: TreeNodeView = {
                "member": {
                    **cards[user.id],
                    "is_admin": user.is_admin,
                    "suspended": user.suspended_at is not None,
                },
                "unused_invites": int(count),
                "children": [],
            }
            nodes[user.id] = node
            if user.id != root_id and user.invited_by_id in nodes:
                nodes[user.invited_by_id]["children"].append(node)
        return nodes[root_id]

    async def revoke_branch(self, actor_id: str | None, username: str) -> int:
        """Revoke every unused invitation of the member and everyone below them."""
        async with self._db.sessions.begin() as s:
            root_id = await s.scalar(select(User.id).where(User.username == username.lower()))
            if root_id is None:
                raise user_not_found()
            branch = _branch(root_id)
            # Read first, then write by id: SQLite reports no row count for an UPDATE
            # that starts with WITH.
            ids = list(
                await s.scalars(
                    select(Invite.id).where(
                        Invite.created_by_id.in_(select(branch.c.id)), _usable()
                    )
                )
            )
            result = await s.execute(
                update(Invite)
                .where(Invite.id.in_(ids), _usable())
                .values(revoked_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            count = int(result.rowcount)  # type: ignore[attr-defined]
            detail: dict[str, str | int | bool] = {"count": count, **(via(actor_id) or {})}
            self._audit.add(s, actor_id, "revoke_branch", target_id=root_id, detail=detail)
        return count
