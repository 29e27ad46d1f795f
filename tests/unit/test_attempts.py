"""Password attempts: free at first, then waits that double up to a cap, forgiven
one by one, never a lock; in memory only, under keyed hashes."""

from __future__ import annotations

import contextlib

import pytest

from teahouse.accounts import attempts as module
from teahouse.accounts.attempts import BUDGETS, Budget, FailedAttempts
from teahouse.errors import TooManyRequests


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def wait_of(attempts: FailedAttempts, **pools: str) -> int:
    """The Retry-After of an attempt on ``pools`` now (0: it would be admitted)."""
    try:
        attempt = attempts.admit(**pools)
    except TooManyRequests as refused:
        return refused.retry_after if refused.code == "too_many_attempts" else -1
    attempts.succeeded(attempt)  # an admitted probe is a right password
    return 0


@pytest.mark.parametrize(
    ("failures", "wait"),
    [(0, 0), (4, 0), (5, 1), (6, 2), (7, 4), (10, 32), (14, 512), (15, 900), (500, 900)],
)
def test_a_members_schedule(failures: int, wait: float) -> None:
    assert BUDGETS["member"].wait(failures) == wait
    assert BUDGETS["device"].wait(failures) == wait


def test_an_addresss_schedule_lets_more_through_and_forgives_faster() -> None:
    address = BUDGETS["address"]
    assert [address.wait(n) for n in (19, 20, 21, 30)] == [0, 1, 2, 900]
    assert address.forgive < BUDGETS["member"].forgive


def test_a_partly_forgiven_failure_still_counts() -> None:
    budget = Budget(free=1, first_wait=1, max_wait=60, forgive=10)
    assert budget.wait(1.5) == budget.wait(2) == 2


def test_waits_double_after_the_free_failures_and_end() -> None:
    clock = Clock()
    attempts = FailedAttempts(clock=clock)
    for _ in range(5):
        attempts.admit(member="ada")  # charged when admitted: wrong passwords
    waits = []
    for _ in range(4):
        waits.append(wait_of(attempts, member="ada"))
        clock.now += waits[-1]
        attempts.admit(member="ada")
    assert waits == [1, 2, 4, 8]
    assert wait_of(attempts, member="bob") == 0  # other members are not affected


def test_a_refused_attempt_changes_nothing() -> None:
    clock = Clock()
    attempts = FailedAttempts(clock=clock)
    for _ in range(7):
        clock.now += 10
        attempts.admit(member="ada")
    held = dict(attempts._counts)
    first = wait_of(attempts, member="ada")
    assert [wait_of(attempts, member="ada") for _ in range(20)] == [first] * 20
    assert attempts._counts == held


def test_requests_sent_at_once_cannot_share_a_free_slot() -> None:
    # Each admitted attempt is charged before its password is checked, so of many
    # concurrent guesses only the free ones pass.
    attempts = FailedAttempts(clock=Clock())
    admitted = 0
    for _ in range(50):
        try:
            attempts.admit(member="ada")
            admitted += 1
        except TooManyRequests:
            pass
    assert admitted == 5


def test_failures_are_forgiven_one_at_a_time() -> None:
    clock = Clock()
    attempts = FailedAttempts(clock=clock)
    for _ in range(8):
        clock.now += 60
        attempts.admit(member="ada")
    clock.now += 15 * 60 * 3  # three failures forgiven: five left, and their wait
    attempts.admit(member="ada")  # the sixth
    assert wait_of(attempts, member="ada") == 2


def test_success_clears_the_members_pool_and_refunds_the_address_once() -> None:
    clock = Clock()
    attempts = FailedAttempts(clock=clock)
    for i in range(19):
        attempts.admit(member=f"user{i}", address="192.0.2.7")
    for _ in range(4):
        attempts.admit(member="ada")
    attempts.succeeded(attempts.admit(member="ada", address="192.0.2.7"))
    assert wait_of(attempts, member="ada") == 0
    for _ in range(4):
        attempts.admit(member="ada")
    assert wait_of(attempts, member="ada") == 0  # ada's earlier typos are gone
    # The address keeps its 19 failures: its 20th attempt is still free, not its 21st.
    attempts.admit(address="192.0.2.7")
    assert wait_of(attempts, address="192.0.2.7") == 1


def test_a_device_pool_is_apart_from_the_members() -> None:
    attempts = FailedAttempts(clock=Clock())
    for _ in range(30):
        with contextlib.suppress(TooManyRequests):
            attempts.admit(member="ada", address="192.0.2.7")
    assert wait_of(attempts, device="device:abc") == 0


def test_nothing_is_kept_in_the_clear() -> None:
    # Values with letters no hexadecimal digest holds, so none can appear by chance.
    attempts = FailedAttempts(clock=Clock())
    attempts.admit(member="zoltan", address="192.0.2.7", device="device:xyzzy")
    held = repr(attempts._counts)
    assert "zoltan" not in held and "192.0.2.7" not in held and "xyzzy" not in held


def test_a_flood_of_keys_is_bounded_and_cannot_wash_out_a_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(module, "MAX_KEYS", 100)
    clock = Clock()
    attempts = FailedAttempts(clock=clock)
    for _ in range(5):
        attempts.admit(member="ada")
    for i in range(50):
        attempts.admit(member=f"old{i}")
    clock.now += 15 * 60  # the old ones are forgiven: spent, they go first
    for i in range(300):
        attempts.admit(member=f"flood{i}")
    assert len(attempts._counts) <= 100
    # Ada's pool still holds her four unforgiven failures: the next is free, the
    # one after waits.
    attempts.admit(member="ada")
    assert wait_of(attempts, member="ada") == 1


# -- docs/SECURITY.md's table, held to BUDGETS ----------------------------------------


def _seconds(text: str) -> float:
    number, unit = text.split()
    return float(number) * {"s": 1, "min": 60}[unit]


def test_the_security_docs_table_is_the_budgets() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "SECURITY.md").read_text()
    section = doc.split("\n## Log-in and password limits\n", 1)[1].split("\n## ", 1)[0]
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| ") and "failures |" in line
    ]
    pools = {"username typed": "member", "network address": "address", "that browser": "device"}
    seen = set()
    for _what, whom, free, then, forgiven, code in rows:
        kind = next(pools[k] for k in pools if whom.startswith(k))
        budget = BUDGETS[kind]  # type: ignore[index]
        seen.add(kind)
        assert int(free.split()[0]) == budget.free, whom
        first, cap = then.removeprefix("waits of ").split(", doubling, up to ")
        assert (_seconds(first), _seconds(cap)) == (budget.first_wait, budget.max_wait), whom
        per = forgiven.removeprefix("one failure per ")
        assert _seconds(per if per[0].isdigit() else "1 min") == budget.forgive, whom
        assert code.startswith("`429 too_many_attempts`")
    assert seen == set(BUDGETS)
