"""Names that lie are refused where members type them, on both engines: display
names, room titles, club names and event titles, bios and descriptions; a display
name that looks like another member's is refused with its own code; a refusal
changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from teahouse.domain.clock import utcnow
from teahouse.store.models import Invite, User
from tests.support.admin import snapshot
from tests.support.server import PASSWORD, LiveServer

# What the probe typed, and more of the same kind: each one a name that lies.
LYING = {
    "a right-to-left override": "\u202eevil.exe",
    "an isolate": "ada\u2067",
    "only zero-width spaces": "\u200b\u200b",
    "a zero-width space inside": "a\u200bda",
    "a soft hyphen": "a\u00adda",
    "only a Hangul filler": "\u3164",
    "only a braille blank": "\u2800\u2800",
    "a right-to-left mark": "\u200fada",
    "ESC and BEL": "\x1b[31mred\x07",
    "59 stacked combining marks": "Z" + "\u0301" * 59,
    "only combining marks": "\u0301\u0302",
}


def soon() -> str:
    return (utcnow() + timedelta(days=2)).isoformat()


@pytest.mark.parametrize("why", sorted(LYING))
async def test_names_that_lie_are_refused_everywhere(server_on_both: LiveServer, why: str) -> None:
    server = server_on_both
    ada = await server.member("ada")
    name = LYING[why]
    before = await snapshot(server.services.db)
    async with ada.http() as http:
        answers = {
            "display name": await http.patch("/api/me/profile", json={"display_name": name}),
            "room title": await http.post("/api/rooms", json={"title": name}),
            "club name": await http.post("/api/clubs", json={"name": name}),
            "event title": await http.post(
                "/api/events", json={"title": name, "starts_at": soon(), "time_zone": "UTC"}
            ),
        }
        profile = (await http.get("/api/users/ada")).json()
    wrong = {
        what: (r.status_code, r.text)
        for what, r in answers.items()
        if r.status_code != 400 or r.json()["error"]["code"] != "invalid_request"
    }
    assert wrong == {}
    assert profile["display_name"] == "ada"
    assert await snapshot(server.services.db) == before


LYING_PROSE = {
    "a right-to-left override": "I like \u202etea",
    "ESC": "\x1b[2J",
    "59 stacked combining marks": "Z" + "\u0301" * 59,
    "only zero-width spaces": "\u200b\u200b",
}


@pytest.mark.parametrize("why", sorted(LYING_PROSE))
async def test_texts_that_lie_are_refused(server_on_both: LiveServer, why: str) -> None:
    ada = await server_on_both.member("ada")
    text = LYING_PROSE[why]
    async with ada.http() as http:
        club = (await http.post("/api/clubs", json={"name": "Tea club"})).json()
        answers = [
            await http.patch("/api/me/profile", json={"bio": text}),
            await http.post("/api/clubs", json={"name": "Other club", "description": text}),
            await http.patch(f"/api/clubs/{club['id']}", json={"rules": text}),
            await http.post(
                "/api/events",
                json={"title": "T", "description": text, "starts_at": soon(), "time_zone": "UTC"},
            ),
        ]
        profile = (await http.get("/api/users/ada")).json()
    assert [(r.status_code, r.json()["error"]["code"]) for r in answers] == [
        (400, "invalid_request")
    ] * 4
    assert profile["bio"] == ""


HONEST = {
    "Zoe\u0301 Ng": "Zoé Ng",  # decomposed é, stored composed (NFC)
    "  Ada \t Lovelace ": "Ada Lovelace",
    "👩‍👩‍👧 family": "👩‍👩‍👧 family",  # joined with ZWJ
    "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Morag": "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Morag",  # the flag of Scotland: emoji tags
    "می‌خواهم": "می‌خواهم",  # Persian, with a zero-width non-joiner
    "Tiếng Việt": "Tiếng Việt",
    "❤️ tea": "❤️ tea",  # with a variation selector
}


async def test_honest_names_in_any_script_are_kept(server_on_both: LiveServer) -> None:
    ada = await server_on_both.member("ada")
    async with ada.http() as http:
        for typed, kept in HONEST.items():
            profile = await http.patch("/api/me/profile", json={"display_name": typed})
            assert profile.status_code == 200, (typed, profile.text)
            assert profile.json()["display_name"] == kept
            room = await http.post("/api/rooms", json={"title": typed})
            assert room.status_code == 201, (typed, room.text)
            assert room.json()["title"] == kept


async def test_a_display_name_that_looks_like_another_members_is_refused(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    ada, bob = await server.member("ada"), await server.member("bob")
    async with ada.http() as http:
        assert (
            await http.patch("/api/me/profile", json={"display_name": "Ian"})
        ).status_code == 200
    async with bob.http() as http:
        for copy in (
            "Ian",  # the same
            "IAN",  # other case
            "lan",  # small L for capital i
            "Іan",  # Cyrillic І
            "Ｉａｎ",  # fullwidth
            "ada",  # another member's username
            "αda",  # Greek alpha in it
        ):
            refused = await http.patch("/api/me/profile", json={"display_name": copy})
            assert refused.status_code == 409, (copy, refused.text)
            assert refused.json()["error"]["code"] == "display_name_taken"
        profile = (await http.get("/api/users/bob")).json()
        assert profile["display_name"] == "bob"
        kept = await http.patch("/api/me/profile", json={"display_name": "Ivan"})
        assert kept.status_code == 200
    async with ada.http() as http:
        # Her own name in another case is still hers.
        mine = await http.patch("/api/me/profile", json={"display_name": "IAN"})
        assert mine.status_code == 200, mine.text
        # Changing only the bio never re-checks the name.
        assert (await http.patch("/api/me/profile", json={"bio": "hi"})).status_code == 200


async def test_signing_up_with_a_look_alike_name_writes_nothing(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    await server.member("ada")
    code = await server.invite_code()
    db = server.services.db

    async def attempt(body: dict[str, Any]) -> Any:
        async with server.client() as http:
            return await http.post("/api/signup", json={"code": code, "password": PASSWORD, **body})

    for body in (
        {"username": "mallory", "display_name": "Аda"},  # Cyrillic А
        {"username": "mallory", "display_name": "ADA"},
        {"username": "rnallory_", "display_name": "\u202eada"},
    ):
        refused = await attempt(body)
        assert refused.status_code in (400, 409), refused.text
    refused = await attempt({"username": "mallory", "display_name": "Аda"})
    assert refused.json()["error"]["code"] == "display_name_taken"
    async with db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(User)) == 1
        assert await s.scalar(select(func.count()).where(Invite.used_at.is_not(None))) == 1
    # The invitation was not used up: it still signs someone up.
    made = await attempt({"username": "mallory", "display_name": "Mallory"})
    assert made.status_code == 201, made.text
