"""Password attempts: free at first, then waits that double up to a cap, forgiven
one by one, never a lock; under keyed hashes. The same table of behaviour runs against
both keepers of the pools: this process's memory (the embedded default) and Redis
(several replicas; accounts/shared_attempts.py), whose own tests follow the table."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from teahouse.accounts import attempts as module
from teahouse.accounts.attempts import BUDGETS, Attempts, Budget, FailedAttempts
from teahouse.accounts.shared_attempts import LimitsKeyMismatch, SharedAttempts
from teahouse.errors import TooManyRequests
from tests.support import engines
from tests.support.server import free_port

SECRET = bytes(range(32))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@contextlib.asynccontextmanager
async def shared(
    prefix: str, clock: Clock | None, secret: bytes = SECRET
) -> AsyncIterator[SharedAttempts]:
    """One replica's pools in Redis, over a client of its own."""
    redis = Redis.from_url(engines.REDIS_URL)
    try:
        keeper = SharedAttempts(redis, lambda name: f"{prefix}:{name}", lambda: secret, clock)
        await keeper.start()
        yield keeper
    finally:
        await redis.aclose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def attempts(request: pytest.FixtureRequest, clock: Clock) -> AsyncIterator[Attempts]:
    """The pools, kept in memory or in Redis (a prefix of the test's own), on ``clock``."""
    if request.param == "memory":
        yield FailedAttempts(clock=clock)
        return
    async with engines.redis_prefix() as prefix, shared(prefix, clock) as keeper:
        yield keeper


async def held(attempts: Attempts) -> str:
    """Everything the keeper holds, as text."""
    if isinstance(attempts, FailedAttempts):
        return repr(sorted(attempts._counts.items()))
    assert isinstance(attempts, SharedAttempts)
    redis = attempts._redis
    keys = sorted([key async for key in redis.scan_iter(match=attempts._key("attempts:*"))])
    return repr([(key, sorted((await redis.hgetall(key)).items())) for key in keys])


async def wait_of(attempts: Attempts, **pools: str) -> int:
    """The Retry-After of an attempt on ``pools`` now (0: it would be admitted)."""
    try:
        attempt = await attempts.admit(**pools)
    except TooManyRequests as refused:
        return refused.retry_after if refused.code == "too_many_attempts" else -1
    await attempts.succeeded(attempt)  # an admitted probe is a right password
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


async def test_waits_double_after_the_free_failures_and_end(
    attempts: Attempts, clock: Clock
) -> None:
    for _ in range(5):
        await attempts.admit(member="ada")  # charged when admitted: wrong passwords
    waits = []
    for _ in range(4):
        waits.append(await wait_of(attempts, member="ada"))
        clock.now += waits[-1]
        await attempts.admit(member="ada")
    assert waits == [1, 2, 4, 8]
    assert await wait_of(attempts, member="bob") == 0  # other members are not affected


async def test_a_refused_attempt_changes_nothing(attempts: Attempts, clock: Clock) -> None:
    for _ in range(7):
        clock.now += 10
        await attempts.admit(member="ada")
    before = await held(attempts)
    first = await wait_of(attempts, member="ada")
    assert first > 0
    assert [await wait_of(attempts, member="ada") for _ in range(20)] == [first] * 20
    assert await held(attempts) == before


async def test_requests_sent_at_once_cannot_share_a_free_slot(attempts: Attempts) -> None:
    # Each admitted attempt is charged before its password is checked, so of many
    # concurrent guesses only the free ones pass.
    async def one() -> bool:
        try:
            await attempts.admit(member="ada")
        except TooManyRequests:
            return False
        return True

    assert sum(await asyncio.gather(*(one() for _ in range(50)))) == 5


async def test_failures_are_forgiven_one_at_a_time(attempts: Attempts, clock: Clock) -> None:
    for _ in range(8):
        clock.now += 60
        await attempts.admit(member="ada")
    clock.now += 15 * 60 * 3  # three failures forgiven: five left, and their wait
    await attempts.admit(member="ada")  # the sixth
    assert await wait_of(attempts, member="ada") == 2


async def test_success_clears_the_members_pool_and_refunds_the_address_once(
    attempts: Attempts,
) -> None:
    for i in range(19):
        await attempts.admit(member=f"user{i}", address="192.0.2.7")
    for _ in range(4):
        await attempts.admit(member="ada")
    await attempts.succeeded(await attempts.admit(member="ada", address="192.0.2.7"))
    assert await wait_of(attempts, member="ada") == 0
    for _ in range(4):
        await attempts.admit(member="ada")
    assert await wait_of(attempts, member="ada") == 0  # ada's earlier typos are gone
    # The address keeps its 19 failures: its 20th attempt is still free, not its 21st.
    await attempts.admit(address="192.0.2.7")
    assert await wait_of(attempts, address="192.0.2.7") == 1


async def test_a_device_pool_is_apart_from_the_members(attempts: Attempts) -> None:
    for _ in range(30):
        with contextlib.suppress(TooManyRequests):
            await attempts.admit(member="ada", address="192.0.2.7")
    assert await wait_of(attempts, device="device:abc") == 0


async def test_nothing_is_kept_in_the_clear(attempts: Attempts) -> None:
    # Values with letters no hexadecimal digest holds, so none can appear by chance.
    await attempts.admit(member="zoltan", address="192.0.2.7", device="device:xyzzy")
    kept = await held(attempts)
    assert "attempt" in kept or "_Count" in kept  # something is held, just not these
    assert "zoltan" not in kept and "192.0.2.7" not in kept and "xyzzy" not in kept


async def test_a_flood_of_keys_is_bounded_and_cannot_wash_out_a_pool(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # In memory only: Redis forgets each pool when its window ends (below).
    monkeypatch.setattr(module, "MAX_KEYS", 100)
    clock = Clock()
    attempts = FailedAttempts(clock=clock)
    for _ in range(5):
        await attempts.admit(member="ada")
    for i in range(50):
        await attempts.admit(member=f"old{i}")
    clock.now += 15 * 60  # the old ones are forgiven: spent, they go first
    for i in range(300):
        await attempts.admit(member=f"flood{i}")
    assert len(attempts._counts) <= 100
    # Ada's pool still holds her four unforgiven failures: the next is free, the
    # one after waits.
    await attempts.admit(member="ada")
    assert await wait_of(attempts, member="ada") == 1


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


# -- in Redis: shared by the replicas, forgotten with their window ---------------------


@pytest.mark.redis
async def test_failures_on_one_replica_count_on_another() -> None:
    # Redis's own clock, as replicas have it: no clock of the test's.
    async with (
        engines.redis_prefix() as prefix,
        shared(prefix, None) as first,
        shared(prefix, None) as second,
    ):
        for keeper in (first, second, first, second, first):  # the five free failures
            await keeper.admit(member="ada", address="192.0.2.7")
        for keeper in (second, first):
            assert await wait_of(keeper, member="ada") == 1
        # The address, which 20 failures would hold up, is not yet held up.
        assert await wait_of(second, address="192.0.2.7") == 0


@pytest.mark.redis
async def test_each_pool_expires_when_its_window_ends(redis_prefix: str) -> None:
    clock = Clock()
    async with shared(redis_prefix, clock) as keeper:
        redis = keeper._redis
        for _ in range(7):  # two past the free ones: a wait of 2 s, 7 failures to forgive
            clock.now += 64  # past each wait; each step forgives 0.07 of a failure
            await keeper.admit(member="ada")
        await keeper.admit(address="192.0.2.7")
        keys = [key async for key in redis.scan_iter(match=f"{redis_prefix}:attempts:*")]
        ttls = sorted([await redis.pttl(key) for key in keys])
        # One failure of the address forgiven in a minute; seven of ada's in 7 x 15 min.
        assert 0 < ttls[0] <= 60_000 < ttls[1] <= 7 * 15 * 60_000
        assert ttls[1] > 6 * 15 * 60_000

        short = Budget(free=0, first_wait=0.05, max_wait=0.05, forgive=0.1)
        BUDGETS["member"], saved = short, BUDGETS["member"]
        try:
            attempt = await keeper.admit(member="bob")
        finally:
            BUDGETS["member"] = saved
        ((_, key),) = attempt.pools
        async with asyncio.timeout(10):
            # Gone by itself a tenth of a second on; Redis says nothing when a key
            # expires (without keyspace events), so the test asks.
            while await redis.exists(key):  # noqa: ASYNC110
                await asyncio.sleep(0.02)


@pytest.mark.redis
async def test_a_replica_with_another_key_refuses_to_start(redis_prefix: str) -> None:
    async with shared(redis_prefix, None):
        with pytest.raises(LimitsKeyMismatch, match=r"limits\.key"):
            async with shared(redis_prefix, None, secret=b"\x01" * 32):
                pass
        async with shared(redis_prefix, None):  # the same key starts
            pass


async def test_without_redis_a_replica_counts_alone(free_redis_url: str) -> None:
    # Redis does not answer (nothing listens there): log-ins go on, limited by this
    # replica's own count.
    redis = Redis.from_url(free_redis_url)
    try:
        keeper = SharedAttempts(redis, lambda name: f"x:{name}", lambda: SECRET, Clock())
        keeper._secret = SECRET  # start() would need Redis
        for _ in range(5):
            await keeper.admit(member="ada")
        assert await wait_of(keeper, member="ada") == 1
    finally:
        await redis.aclose()


@pytest.fixture
def free_redis_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"
