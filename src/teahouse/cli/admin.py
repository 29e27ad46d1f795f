"""`teahouse admin ...`: the instance admin's page, for the operator's shell.

Each command opens the database, calls the same service the web page calls, and
prints plain text, each line through :func:`~teahouse.cli.output.say` (what members
typed is escaped). Actions are written to the audit log with no actor and
``{"via": "cli"}``. This is another process than the server: a suspension reaches
the server's open sockets through its watcher, within about a second.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import click

from teahouse.cli.context import run
from teahouse.cli.output import say
from teahouse.domain.cursors import Cursor, Page

if TYPE_CHECKING:
    from teahouse.admin.invites import AdminInviteView, InviteStatus, TreeNodeView
    from teahouse.admin.members import AdminMemberView, MemberStatus
    from teahouse.admin.reports import ReportStatus, ReportView
    from teahouse.services import Services


T = TypeVar("T")


def _name(card: Mapping[str, Any] | None, default: str = "-") -> str:
    return str(card["username"]) if card else default


async def _all_pages(fetch: Callable[[Cursor | None], Awaitable[Page[T]]]) -> list[T]:
    found: list[T] = []
    cursor: Cursor | None = None
    while True:
        page = await fetch(cursor)
        found += page.items
        if page.next_cursor is None:
            return found
        cursor = Cursor.decode(page.next_cursor)


@click.group()
def admin() -> None:
    """Instance administration: members, invitations, reports, the audit log.

    Actions are recorded in the audit log as coming from the command line. A
    suspension takes effect on the running server within about a second.
    """


@admin.command("members")
@click.option("--query", default="", help="Start of a username or part of a display name.")
@click.option(
    "--status",
    type=click.Choice(["all", "active", "suspended", "admin"]),
    default="all",
    show_default=True,
)
def members(query: str, status: MemberStatus) -> None:
    """List members, newest first."""

    async def work(svc: Services) -> list[AdminMemberView]:
        return await _all_pages(lambda c: svc.admin.members(query, status, c, 100))

    for m in run(work):
        flags = (" admin" if m["is_admin"] else "") + (
            f" suspended since {m['suspended_at']}" if m["suspended_at"] else ""
        )
        say(f"{m['username']:<30} {m['display_name']}{flags}")


def _member_action(name: str, verb: str, call: Callable[[Services, str], Awaitable[Any]]) -> None:
    @admin.command(name)
    @click.argument("username")
    def command(username: str) -> None:
        member = run(lambda svc: call(svc, username))
        say(f"{member['username']}: {verb}")

    command.__doc__ = f"{verb.capitalize()} a member (by username)."


_member_action("grant", "admin", lambda svc, u: svc.admin.set_admin(None, u, True))
_member_action("revoke", "no longer an admin", lambda svc, u: svc.admin.set_admin(None, u, False))
_member_action("suspend", "suspended", lambda svc, u: svc.admin.suspend(None, u))
_member_action("unsuspend", "no longer suspended", lambda svc, u: svc.admin.unsuspend(None, u))


@admin.command("give-invites")
@click.argument("username")
@click.argument("count", type=click.IntRange(1, 100))
def give_invites(username: str, count: int) -> None:
    """Give a member COUNT more invitations to hand out (1 to 100)."""
    member = run(lambda svc: svc.admin.give_invites(None, username, count))
    say(f"{member['username']}: {member['invites_left']} invitations left")


@admin.command("reset-link")
@click.argument("username")
def reset_link(username: str) -> None:
    """Make a one-time link that sets a member's password (shown only now).

    Send it to the member yourself; it works once, for TEAHOUSE_RESET_LINK_TTL_MINUTES,
    and ends every session of theirs when used. Their earlier links stop working.
    """
    link = run(lambda svc: svc.password_changes.make_link(None, username))
    say(f"Password reset link for {link.username}, valid until {link.expires_at.isoformat()}:")
    say(link.url)


@admin.command("invites")
@click.option(
    "--status",
    type=click.Choice(["all", "unused", "used", "expired", "revoked"]),
    default="all",
    show_default=True,
)
def invites(status: InviteStatus) -> None:
    """List invitations, newest first."""

    async def work(svc: Services) -> list[AdminInviteView]:
        return await _all_pages(lambda c: svc.invite_admin.invites(status, c, 100))

    for i in run(work):
        used = f" used by {_name(i['used_by'])}" if i["used_by"] else ""
        say(
            f"{i['id']}  {i['status']:<8} by {_name(i['created_by'], '(instance)')}"
            f"  expires {i['expires_at']}{used}"
        )


@admin.command("revoke-invite")
@click.argument("invite_id")
def revoke_invite(invite_id: str) -> None:
    """Revoke one unused invitation (by id, as `admin invites` shows it)."""
    run(lambda svc: svc.invite_admin.revoke(None, invite_id))
    say(f"{invite_id}: revoked")


@admin.command("tree")
@click.argument("username")
def tree(username: str) -> None:
    """Show whom a member invited, and whom they invited, with unused invitations."""

    def show(node: TreeNodeView, depth: int) -> None:
        m = node["member"]
        flags = (" [admin]" if m["is_admin"] else "") + (" [suspended]" if m["suspended"] else "")
        say(f"{'  ' * depth}{m['username']} ({node['unused_invites']} unused){flags}")
        for child in node["children"]:
            show(child, depth + 1)

    show(run(lambda svc: svc.invite_admin.tree(username)), 0)


@admin.command("revoke-branch")
@click.argument("username")
def revoke_branch(username: str) -> None:
    """Revoke the unused invitations of a member and of everyone below them."""
    count = run(lambda svc: svc.invite_admin.revoke_branch(None, username))
    say(f"revoked {count} invitation{'s' if count != 1 else ''}")


@admin.command("reports")
@click.option(
    "--status", type=click.Choice(["open", "resolved"]), default="open", show_default=True
)
def reports(status: ReportStatus) -> None:
    """List reports, newest first."""

    async def work(svc: Services) -> list[ReportView]:
        return await _all_pages(lambda c: svc.reports.page(status, c, 100))

    for r in run(work):
        room = f" in '{r['room']['title']}'" if r["room"] else ""
        say(
            f"{r['id']}  {r['created_at']}  {r['reason']}: {_name(r['reporter'])} reported "
            f"{_name(r['user'])}{room}"
        )
        if r["details"]:
            say(f"    {r['details']}")
        if r["resolution"] is not None:
            say(f"    resolved: {r['resolution']}")


@admin.command("resolve")
@click.argument("report_id")
@click.option("--note", required=True, help="What was done (at most 500 characters).")
def resolve(report_id: str, note: str) -> None:
    """Resolve a report with a note."""

    async def work(svc: Services) -> Any:
        return await svc.reports.resolve(None, report_id, note)

    run(work)
    say(f"{report_id}: resolved")


@admin.command("audit")
@click.option("--limit", type=click.IntRange(1, 100), default=50, show_default=True)
def audit(limit: int) -> None:
    """The latest entries of the audit log, newest first."""

    async def work(svc: Services) -> Any:
        return await svc.audit.all(None, limit)

    for e in run(work).items:
        actor = _name(e["actor"], "(cli)" if e["detail"].get("via") == "cli" else "(deleted)")
        target = f" {_name(e['target'])}" if e["target"] else ""
        room = f" in '{e['room']['title']}'" if e["room"] else ""
        detail = {k: v for k, v in e["detail"].items() if k != "via"}
        say(f"{e['at']}  {actor}: {e['action']}{target}{room}  {detail or ''}".rstrip())
