"""Club rules as tables: names, who may remove whom, keyset cursors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from teahouse.domain.clubs import Role, check_removal, normalise_club_name, require_admin
from teahouse.domain.cursors import Cursor
from teahouse.errors import BadRequest, TeahouseError


@pytest.mark.parametrize(
    ("raw", "name", "key"),
    [
        ("Tea Lovers", "Tea Lovers", "tea lovers"),
        ("  tea   LOVERS ", "tea LOVERS", "tea lovers"),
        ("Straße", "Straße", "strasse"),
        ("ab", "ab", "ab"),
        ("x" * 60, "x" * 60, "x" * 60),
    ],
)
def test_club_names_and_their_case_free_keys(raw: str, name: str, key: str) -> None:
    assert normalise_club_name(raw) == (name, key)


@pytest.mark.parametrize("raw", ["", "a", "   a  ", "x" * 61, "ß" * 31])
def test_club_names_out_of_bounds(raw: str) -> None:
    with pytest.raises(BadRequest):
        normalise_club_name(raw)


def test_only_admins_pass_the_admin_check() -> None:
    require_admin("admin")
    roles: tuple[Role | None, ...] = ("member", None)
    for role in roles:
        with pytest.raises(TeahouseError) as refused:
            require_admin(role)
        assert refused.value.code == "not_club_admin"


REMOVALS: list[tuple[Role | None, Role | None, bool, int, str | None]] = [
    # actor, target, leaving (target is the actor), admins in the club, refusal
    ("admin", "member", False, 1, None),
    ("admin", "admin", False, 2, None),
    ("admin", None, False, 1, "not_member"),
    ("member", "member", False, 1, "not_club_admin"),
    (None, "member", False, 1, "not_club_admin"),
    ("member", "member", True, 1, None),
    ("admin", "admin", True, 2, None),
    ("admin", "admin", True, 1, "last_admin"),
    (None, None, True, 1, "not_member"),
]


@pytest.mark.parametrize(("actor", "target", "leaving", "admins", "refusal"), REMOVALS)
def test_who_may_remove_whom(
    actor: Role | None, target: Role | None, leaving: bool, admins: int, refusal: str | None
) -> None:
    if refusal is None:
        check_removal(actor, target, leaving=leaving, admins=admins)
        return
    with pytest.raises(TeahouseError) as refused:
        check_removal(actor, target, leaving=leaving, admins=admins)
    assert refused.value.code == refusal


def test_cursors_round_trip_and_refuse_what_we_did_not_make() -> None:
    at = datetime(2026, 3, 28, 18, 0, 0, 123456, tzinfo=UTC)
    cursor = Cursor(at, "A" * 22).encode()
    assert Cursor.decode(cursor) == Cursor(at, "A" * 22)
    for bad in ["", "!!!", "bm90IGpzb24", Cursor(at, "short").encode(), "A" * 300]:
        with pytest.raises(BadRequest):
            Cursor.decode(bad)
