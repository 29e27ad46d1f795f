"""Invitation rules and accounts, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from teahouse.accounts.accounts import Accounts
from teahouse.accounts.passwords import Passwords
from teahouse.config import load_settings
from teahouse.domain.clock import utcnow
from teahouse.errors import TeahouseError
from teahouse.store.database import Database
from teahouse.store.models import Invite, User
from tests.support import social as social_support

PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(database: Database) -> Accounts:
    settings = load_settings(argon2_time_cost=1, argon2_memory_kib=64, invites_per_member=2)
    return Accounts(database, settings, Passwords(settings))


async def user_count(db: Database) -> int:
    async with db.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(User)) or 0)


async def refused(coro: object) -> str:
    with pytest.raises(TeahouseError) as error:
        await coro  # type: ignore[misc]
    return error.value.code


async def test_signup_with_an_invitation_records_who_nominated_whom(
    accounts: Accounts, database: Database
) -> None:
    first = await accounts.create_bootstrap_invite()
    assert first is not None
    ada, _ = await accounts.signup(first.code, "Ada", PASSWORD, "Ada Lovelace")
    assert ada["username"] == "ada"
    assert ada["is_admin"] and ada["invites_left"] == 2
    assert await accounts.create_bootstrap_invite() is None  # only while nobody is a member

    invite = await accounts.create_invite(ada["id"])
    assert invite.url.endswith("/invite#" + invite.code)
    nominator, _ = await accounts.inspect_invite(invite.code)
    assert nominator is not None and nominator["username"] == "ada"
    bob, token = await accounts.signup(invite.code, "bob", PASSWORD, None)
    assert not bob["is_admin"] and bob["display_name"] == "bob"
    profile = await social_support.profiles(database).profile(ada["id"], "bob")
    assert profile["nominated_by"] is not None and profile["nominated_by"]["id"] == ada["id"]
    found = await accounts.user_for_token(token)
    assert found is not None and found.id == bob["id"]
    await accounts.logout(token)
    assert await accounts.user_for_token(token) is None


async def test_an_instance_invitation_makes_an_admin_only_while_there_is_none(
    accounts: Accounts, database: Database
) -> None:
    first = await accounts.create_bootstrap_invite()
    assert first is not None
    ada, _ = await accounts.signup(first.code, "ada", PASSWORD, None)
    # The operator's invitation (no member made it) while Ada is admin: a member.
    operator = await accounts.create_operator_invite(None)
    cy, _ = await accounts.signup(operator.code, "cy", PASSWORD, None)
    assert ada["is_admin"] and not cy["is_admin"]
    # With no admin left (as after the last one's account is deleted, or in a demo
    # instance, whose seeded members are not admins), the next one makes an admin...
    async with database.sessions.begin() as s:
        await s.execute(update(User).values(is_admin=False))
    dee, _ = await accounts.signup(
        (await accounts.create_operator_invite(None)).code, "dee", PASSWORD, None
    )
    assert dee["is_admin"]
    # ... but never an invitation a member made.
    async with database.sessions.begin() as s:
        await s.execute(update(User).values(is_admin=False))
    eve, _ = await accounts.signup(
        (await accounts.create_invite(ada["id"])).code, "eve", PASSWORD, None
    )
    assert not eve["is_admin"]


async def test_invitation_codes_are_refused_with_distinct_codes(
    accounts: Accounts, database: Database
) -> None:
    first = await accounts.create_bootstrap_invite()
    assert first is not None
    await accounts.signup(first.code, "ada", PASSWORD, None)
    expired = await accounts.create_operator_invite(None)
    async with database.sessions.begin() as s:
        await s.execute(
            update(Invite)
            .values(expires_at=utcnow() - timedelta(seconds=1))
            .where(Invite.used_at.is_(None))
        )
    unknown = "A" * 32
    cases = {
        first.code: "invite_used",
        expired.code: "invite_expired",
        unknown: "invite_unknown",
        "not-a-code": "invite_malformed",
        "": "invite_malformed",
        "A" * 31 + "!": "invite_malformed",
    }
    for code, expected in cases.items():
        assert await refused(accounts.signup(code, "mallory", PASSWORD, None)) == expected
        assert await refused(accounts.inspect_invite(code)) == expected
    assert await user_count(database) == 1


async def test_twenty_concurrent_signups_with_one_code_make_one_account(
    accounts: Accounts, database: Database
) -> None:
    invite = await accounts.create_operator_invite(None)
    results = await asyncio.gather(
        *(accounts.signup(invite.code, f"racer{i}", PASSWORD, None) for i in range(20)),
        return_exceptions=True,
    )
    winners = [r for r in results if not isinstance(r, BaseException)]
    losers = [r for r in results if isinstance(r, BaseException)]
    assert len(winners) == 1
    assert all(isinstance(e, TeahouseError) and e.code == "invite_used" for e in losers), losers
    assert await user_count(database) == 1


async def test_an_exhausted_quota_refuses_a_new_link(
    accounts: Accounts, database: Database
) -> None:
    first = await accounts.create_bootstrap_invite()
    assert first is not None
    ada, _ = await accounts.signup(first.code, "ada", PASSWORD, None)
    await accounts.create_invite(ada["id"])
    await accounts.create_invite(ada["id"])
    assert await refused(accounts.create_invite(ada["id"])) == "invite_quota_exhausted"
    invites, left = await accounts.list_invites(ada["id"])
    assert (len(invites), left) == (2, 0)


async def test_signup_refusals_create_nothing(accounts: Accounts, database: Database) -> None:
    invite = await accounts.create_operator_invite(None)
    await accounts.signup(invite.code, "ada", PASSWORD, None)
    fresh = await accounts.create_operator_invite(None)
    assert await refused(accounts.signup(fresh.code, "ADA", PASSWORD, None)) == "username_taken"
    assert await refused(accounts.signup(fresh.code, "a", PASSWORD, None)) == "invalid_username"
    assert await refused(accounts.signup(fresh.code, "bob", "short", None)) == "weak_password"
    assert await user_count(database) == 1
    # The invitation survived every refusal and still works.
    await accounts.signup(fresh.code, "bob", PASSWORD, None)
    assert await user_count(database) == 2


async def test_login_checks_the_password(accounts: Accounts) -> None:
    invite = await accounts.create_operator_invite(None)
    await accounts.signup(invite.code, "ada", PASSWORD, None)
    me, token = await accounts.login(" ADA ", PASSWORD)
    assert me["username"] == "ada" and token
    assert await refused(accounts.login("ada", "wrong password!")) == "bad_credentials"
    assert await refused(accounts.login("nobody", PASSWORD)) == "bad_credentials"
