"""Failed log-ins are budgeted per username and per address, in memory only."""

from __future__ import annotations

import pytest

from teahouse.accounts.attempts import FailedAttempts
from teahouse.errors import TooManyRequests


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_username_is_refused_after_its_budget_until_the_window_passes() -> None:
    clock = Clock()
    attempts = FailedAttempts(per_user=3, per_address=100, window=60, clock=clock)
    for _ in range(3):
        attempts.check("ada", "10.0.0.1")
        attempts.failed("Ada ", "10.0.0.1")  # the same member however it is typed
    with pytest.raises(TooManyRequests) as refused:
        attempts.check("ada", "10.0.0.2")  # from anywhere
    assert refused.value.code == "too_many_attempts"
    assert 0 < refused.value.retry_after <= 61
    attempts.check("bob", "10.0.0.2")  # others are not affected
    clock.now += 61
    attempts.check("ada", "10.0.0.2")


def test_an_address_guessing_many_usernames_is_refused() -> None:
    attempts = FailedAttempts(per_user=100, per_address=5, window=60, clock=Clock())
    for i in range(5):
        attempts.failed(f"user{i}", "10.0.0.9")
    with pytest.raises(TooManyRequests):
        attempts.check("someone_else", "10.0.0.9")
    attempts.check("someone_else", "10.0.0.10")


def test_success_clears_the_usernames_failures_and_nothing_is_kept_in_the_clear() -> None:
    attempts = FailedAttempts(per_user=2, per_address=100, window=60, clock=Clock())
    attempts.failed("ada", "192.0.2.7")
    attempts.succeeded("ada")
    attempts.failed("ada", "192.0.2.7")
    attempts.check("ada", "192.0.2.7")
    held = repr(attempts._failures)
    assert "ada" not in held and "192.0.2.7" not in held
