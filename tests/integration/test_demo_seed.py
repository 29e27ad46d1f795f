"""`teahouse demo seed`: a new instance filled for a first look, and only a new one."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from teahouse.accounts.accounts import Accounts
from teahouse.accounts.passwords import Passwords
from teahouse.cli import main
from teahouse.config import Settings, load_settings
from teahouse.demo import rooms as demo_rooms
from teahouse.demo.seed import CLUBS, EVENTS, MEMBERS
from teahouse.domain.clock import utcnow
from teahouse.domain.ids import new_id
from teahouse.store.database import Database
from teahouse.store.models import DemoResident, Invite, Room, User
from teahouse.store.social_models import (
    Club,
    ClubFollow,
    ClubMember,
    Event,
    EventCohost,
    EventInterest,
    Follow,
)
from tests.support.demo import seeded_instance
from tests.support.fake_media import FakeMedia
from tests.support.server import Member, free_port, run_server, server_settings

PASSWORD = "demo password 123"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TEAHOUSE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TEAHOUSE_CONFIG", raising=False)
    return tmp_path


def counts(settings: Settings) -> dict[str, int]:
    async def run() -> dict[str, int]:
        db = Database(settings.resolved_database_url)
        try:
            async with db.sessions() as s:
                found = {}
                for model in (User, Follow, Club, ClubMember, ClubFollow, Event, EventCohost):
                    found[model.__name__] = int(
                        await s.scalar(select(func.count()).select_from(model)) or 0
                    )
                found["EventInterest"] = int(
                    await s.scalar(select(func.count()).select_from(EventInterest)) or 0
                )
                found["admins"] = int(
                    await s.scalar(
                        select(func.count())
                        .select_from(ClubMember)
                        .where(ClubMember.role == "admin")
                    )
                    or 0
                )
                found["zones"] = int(
                    await s.scalar(select(func.count(func.distinct(Event.time_zone)))) or 0
                )
                found["club_events"] = int(
                    await s.scalar(
                        select(func.count()).select_from(Event).where(Event.club_id.is_not(None))
                    )
                    or 0
                )
                found["past_events"] = int(
                    await s.scalar(
                        select(func.count()).select_from(Event).where(Event.starts_at <= utcnow())
                    )
                    or 0
                )
                found["demo_rooms"] = int(
                    await s.scalar(select(func.count()).select_from(Room).where(Room.demo)) or 0
                )
                found["residents"] = int(
                    await s.scalar(select(func.count()).select_from(DemoResident)) or 0
                )
                found["open_invites"] = int(
                    await s.scalar(
                        select(func.count()).select_from(Invite).where(Invite.used_at.is_(None))
                    )
                    or 0
                )
                return found
        finally:
            await db.close()

    return asyncio.run(run())


def logs_in(settings: Settings, username: str, password: str) -> str:
    async def run() -> str:
        db = Database(settings.resolved_database_url)
        try:
            me, _token = await Accounts(db, settings, Passwords(settings)).login(username, password)
            return me["display_name"]
        finally:
            await db.close()

    return asyncio.run(run())


def test_seeds_a_new_instance(env: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "seed", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert PASSWORD in result.output
    assert re.search(r"http://127\.0\.0\.1:8000/invite#[A-Za-z0-9_-]{32}", result.output)
    assert "Live rooms" in result.output

    settings = load_settings()
    found = counts(settings)
    assert found["User"] == len(MEMBERS) == 30
    assert found["Follow"] >= 3 * len(MEMBERS)
    assert found["Club"] == len(CLUBS) == 4
    assert found["admins"] == sum(len(c[3]) for c in CLUBS) >= 8
    assert found["ClubMember"] == sum(len(c[3]) + len(c[4]) for c in CLUBS)
    assert found["ClubFollow"] > 0
    assert found["Event"] == len(EVENTS) == 8
    assert found["club_events"] >= 3
    assert found["EventCohost"] > 0
    assert found["EventInterest"] > 0
    assert found["zones"] >= 6
    assert found["past_events"] == 0
    assert found["open_invites"] == 1  # the operator's
    assert found["demo_rooms"] == len(demo_rooms.ROOMS) and found["residents"] > 20

    # A seeded member logs in with the printed password.
    assert logs_in(settings, "ada", PASSWORD) == "Ada Okafor"


def test_prints_a_random_password_that_works(env: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "seed"])
    assert result.exit_code == 0, result.output
    found = re.search(r"password: (\S+)", result.output)
    assert found is not None
    assert logs_in(load_settings(), "hana", found.group(1)) == "Hana Sato"


def test_refuses_an_instance_with_members(env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["demo", "seed", "--password", PASSWORD]).exit_code == 0
    again = runner.invoke(main, ["demo", "seed", "--password", PASSWORD])
    assert again.exit_code == 1
    assert "already has members" in again.output
    assert counts(load_settings())["User"] == len(MEMBERS)


def test_refuses_a_short_password(env: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "seed", "--password", "short"])
    assert result.exit_code == 1
    assert "Passwords are" in result.output
    assert counts(load_settings())["User"] == 0


async def test_a_seeded_member_logs_in_and_sees_the_schedule(tmp_path: Path) -> None:
    settings = server_settings(tmp_path, None, free_port())
    seeded = await seeded_instance(settings, PASSWORD)
    assert seeded.members == len(MEMBERS)

    async with run_server(settings, FakeMedia()) as live, live.client() as http:
        response = await http.post("/api/login", json={"username": "nadia", "password": PASSWORD})
        assert response.status_code == 200, response.text
        http.cookies = response.cookies
        profile = (await http.get("/api/users/uma")).json()
        assert profile["bio"] and profile["followers_count"] > 0
        assert {c["name"] for c in profile["clubs"]} == {"Night Owls Book Club"}
        hallway = (await http.get("/api/hallway")).json()
        assert len(hallway["rooms"]) == len(demo_rooms.ROOMS)
        kinds = {e["reason"]["kind"] for e in hallway["events"]}
        assert "club" in kinds or "following_host" in kinds
        assert any(e["cohosts"] for e in hallway["events"])


async def test_demo_rooms_are_live_after_a_start_and_a_member_can_join_one(
    tmp_path: Path,
) -> None:
    settings = server_settings(tmp_path, None, free_port())
    await seeded_instance(settings, PASSWORD)
    for start in range(2):  # rooms survive a restart: every start re-opens them
        async with run_server(settings, FakeMedia()) as live, live.client() as http:
            response = await http.post(
                "/api/login", json={"username": "nadia", "password": PASSWORD}
            )
            assert response.status_code == 200, response.text
            token = response.cookies[settings.session_cookie_name]
            http.cookies = response.cookies
            rooms = (await http.get("/api/hallway")).json()["rooms"]
            assert {r["title"] for r in rooms} == {d.title for d in demo_rooms.ROOMS}
            assert all(r["demo"] and r["speakers"] and r["listener_count"] for r in rooms)
            kinds = [r["reason"]["kind"] for r in rooms]
            # Nadia is in the book club and follows seeded members, so the rooms say
            # why; a demo room's made-up audience never makes it "Popular".
            assert set(kinds) - {"demo"} and "popular" not in kinds, kinds
            followed = [r for r in rooms if r["reason"]["kind"].startswith("following")]
            assert all(r["reason"]["users"] for r in followed)

            me = (await http.get("/api/me")).json()
            nadia = Member(live, "nadia", me["id"], token)
            await nadia.connect()
            snapshot = await nadia.join(rooms[0]["id"])
            assert snapshot["room"]["demo"] is True and snapshot["room"]["ended"] is False
            roles = {p["user"]["username"]: p["role"] for p in snapshot["participants"]}
            # Nadia listens: counted with the audience, not in the visible set.
            assert "nadia" not in roles and "moderator" in roles.values()
            assert snapshot["listeners"] >= 1
            assert (await nadia.request({"type": "hand", "raised": True}))["type"] == "ok"
            await nadia.request({"type": "leave"})
            await nadia.close()
            # The room goes on without her: its residents moderate it.
            assert live.services.stage.live(rooms[0]["id"]) is not None, start


LEFT_LIVE = "left live by the previous run"


async def test_a_start_after_a_seed_ends_only_real_rooms_a_previous_run_left_live(
    tmp_path: Path, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="teahouse")
    settings = server_settings(tmp_path, database_url, free_port())
    await seeded_instance(settings, PASSWORD)

    # The first start after a seed: the demo rooms open, and nothing was left live.
    async with run_server(settings, FakeMedia()) as live:
        assert len(live.services.stage.live_room_ids()) == len(demo_rooms.ROOMS)
        creator = (await live.services.accounts.user_by_username("ada")).id
    messages = [r.getMessage() for r in caplog.records]
    assert f"re-opened {len(demo_rooms.ROOMS)} demo rooms" in messages
    assert not [m for m in messages if LEFT_LIVE in m], messages

    # A process that died with a real room live (no shutdown to end it), as a kill -9
    # leaves the database; then the next start ends that room alone.
    db = Database(settings.resolved_database_url)
    try:
        async with db.sessions.begin() as s:
            s.add(Room(id=new_id(), title="Tea", visibility="open", created_by_id=creator))
    finally:
        await db.close()
    caplog.clear()
    async with run_server(settings, FakeMedia()) as live:
        assert len(live.services.stage.live_room_ids()) == len(demo_rooms.ROOMS)
    messages = [r.getMessage() for r in caplog.records]
    assert [m for m in messages if LEFT_LIVE in m] == [f"ended 1 room {LEFT_LIVE}"]
    assert f"re-opened {len(demo_rooms.ROOMS)} demo rooms" in messages
