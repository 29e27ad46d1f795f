"""The audit log service: entries written, read back newest first, page by page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from teahouse.admin.audit import AuditLog
from teahouse.domain.clock import utcnow
from teahouse.domain.cursors import Cursor
from teahouse.domain.ids import new_id
from teahouse.store.admin_models import AuditEntry
from teahouse.store.database import Database
from teahouse.store.models import Room, User
from tests.support.members import add_members


async def test_entries_read_back_newest_first_with_cards_and_room_titles(
    database: Database,
) -> None:
    ids = await add_members(database, "ada", "bob")
    room_id = new_id()
    async with database.sessions.begin() as s:
        s.add(Room(id=room_id, title="Tea time", visibility="open", created_by_id=ids["ada"]))
    audit = AuditLog(database)
    start = utcnow() - timedelta(minutes=10)
    async with database.sessions.begin() as s:
        for i in range(5):
            audit.add(s, ids["ada"], "mute", room_id=room_id, target_id=ids["bob"],
                      detail={"muted": True, "n": i}, at=start + timedelta(seconds=i))  # fmt: skip
    await audit.record(None, "suspend", target_id=ids["bob"], detail={"via": "cli"})

    everything = await audit.all(None, 100)
    assert [e["action"] for e in everything.items] == ["suspend"] + ["mute"] * 5
    newest, *_ = everything.items
    assert newest["actor"] is None and newest["detail"] == {"via": "cli"}
    assert newest["target"]["username"] == "bob" and newest["room"] is None
    mute = everything.items[1]
    assert mute["actor"]["username"] == "ada" and mute["detail"] == {"muted": True, "n": 4}
    assert mute["room"] == {"id": room_id, "title": "Tea time"}

    seen: list[int] = []
    cursor: Cursor | None = None
    while True:
        page = await audit.for_room(room_id, cursor, 2)
        seen += [e["detail"]["n"] for e in page.items]
        if page.next_cursor is None:
            break
        cursor = Cursor.decode(page.next_cursor)
    assert seen == [4, 3, 2, 1, 0]

    # A deleted member's entries stay, naming nobody.
    async with database.sessions.begin() as s:
        await s.execute(delete(User).where(User.id == ids["bob"]))
    async with database.sessions() as s:
        assert await s.scalar(select(func.count()).where(AuditEntry.target_id.is_not(None))) == 0
    assert (await audit.all(None, 1)).items[0]["target"] is None


@pytest.mark.parametrize(
    "detail",
    [{"name": "x" * 65}, {str(i): i for i in range(9)}, {"nested": {"a": 1}}, {"x" * 65: 1}],
)
async def test_detail_must_be_small_and_flat(database: Database, detail: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="audit detail"):
        await AuditLog(database).record(None, "suspend", detail=detail)  # type: ignore[arg-type]
    async with database.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(AuditEntry)) == 0
