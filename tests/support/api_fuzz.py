"""schemathesis over the live app's OpenAPI document, as members of the instance.

Every operation is fuzzed with a fixed number of examples in each generation mode
(positive: requests the document allows; negative: requests it forbids), seeded by
the operation (``derandomize``), so a run is the same every time. Each answer must
pass the four checks in :data:`CHECKS`.

Who asks: ``/api/admin/...`` as an admin (so those operations are fuzzed past
``not_admin``), everything else as an ordinary member. The operations that end the
asking member's session or account (:data:`SESSION_ENDING`) are fuzzed as they are,
each example as a member signed up for it alone.
"""

from __future__ import annotations

import asyncio
import itertools
import os
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import hypothesis
import hypothesis.errors
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from teahouse.domain.clock import utcnow
from tests.support.server import LiveServer, Member


def declared_error_code(ctx: Any, response: Any, case: Any) -> bool | None:
    """An error's code is one its operation lists for that status (``x-error-codes``):
    status conformance alone would let a 404 ``club_not_found`` pass where only
    ``room_not_found`` is declared."""
    declared = case.operation.definition.raw["responses"].get(str(response.status_code), {})
    if response.status_code < 400 or "x-error-codes" not in declared:
        return None  # a success, or a status the other checks judge
    code = response.json()["error"]["code"]
    if code not in declared["x-error-codes"]:
        raise AssertionError(
            f"{case.operation.label} answered {response.status_code} {code}, which it does "
            f"not declare (it declares {declared['x-error-codes']})"
        )
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    declared_error_code,
]
# positive: requests the document allows; negative: requests it forbids; seeded:
# allowed requests whose path names the room, club, event... that the members made,
# so that operations are fuzzed past "not found" too.
FUZZED_MODES = ("positive", "negative", "seeded")
EXAMPLES_PER_OPERATION = int(os.environ.get("API_FUZZ_EXAMPLES", "12"))
# Log-out ends the session it is sent with; DELETE /api/me ends the account when the
# password is right (schemathesis may well send the right one: the document's
# examples are among what it tries).
SESSION_ENDING = frozenset({"POST /api/logout", "DELETE /api/me"})
ADMIN_PREFIX = "/api/admin/"


@dataclass
class Identities:
    """The members the fuzzing asks as, and a way to make throw-away ones."""

    server: LiveServer
    loop: asyncio.AbstractEventLoop
    admin: Member
    member: Member
    seeds: dict[str, str]
    made: itertools.count[int] = field(default_factory=itertools.count)

    @classmethod
    async def sign_up(cls, server: LiveServer, loop: asyncio.AbstractEventLoop) -> Identities:
        """root (the first member: the instance's admin), ada (a member) who runs a live
        room, a club and an event and has reported tara (the target of the admin's
        and ada's actions by name)."""
        admin = await server.member("root")
        member = await server.member("ada")
        target = await server.member("tara")
        starts = (utcnow() + timedelta(days=1)).isoformat()
        async with member.http() as http:
            room = await _made(http.post("/api/rooms", json={"title": "Fuzzing"}))
            club = await _made(http.post("/api/clubs", json={"name": "Fuzzers"}))
            event = await _made(
                http.post(
                    "/api/events", json={"title": "Later", "starts_at": starts, "time_zone": "UTC"}
                )
            )
            spam = {"user_id": target.id, "reason": "spam"}
            report = await _made(http.post("/api/reports", json=spam))
            feed = (await _made(http.post("/api/me/calendar/rotate")))["url"]
        async with admin.http() as http:
            invite = (await _made(http.get("/api/admin/invites")))["invites"][0]
        seeds = {
            "room_id": room["id"],
            "club_id": club["id"],
            "event_id": event["id"],
            "report_id": report["id"],
            "invite_id": invite["id"],
            "username": target.username,
            "token": feed.rsplit("/", 1)[1].removesuffix(".ics"),
        }
        return cls(server, loop, admin, member, seeds)

    def throwaway(self) -> str:
        """A session of a member signed up just now (from the fuzzing thread)."""
        name = f"throwaway{next(self.made)}"
        made = asyncio.run_coroutine_threadsafe(self.server.member(name), self.loop)
        return made.result(timeout=30).token

    async def still_logged_in(self) -> bool:
        for who in (self.admin, self.member):
            async with who.http() as http:
                if (await http.get("/api/me")).status_code != 200:
                    return False
        return True


async def _made(request: Awaitable[httpx.Response]) -> Any:
    response = await request
    assert response.is_success, response.text
    return response.json()


@dataclass
class Failure:
    operation: str
    mode: str
    error: BaseException

    def __str__(self) -> str:
        found = getattr(self.error, "exceptions", None) or [self.error]
        return f"{self.operation} ({self.mode}): " + "\n".join(str(e) for e in found)


@dataclass
class FuzzReport:
    operations: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    not_authenticated: int = 0
    nothing_to_negate: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    def summary(self) -> str:
        answers = sum(self.statuses.values())
        by_status = ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))
        return (
            f"{self.operations} operation runs, {answers} requests ({by_status}), "
            f"{self.not_authenticated} not_authenticated, {len(self.failures)} failing, "
            f"{len(self.nothing_to_negate)} with nothing to negate"
        )

    def describe_failures(self) -> str:
        return "\n\n".join(str(f) for f in self.failures)


class ApiFuzzer:
    """Runs schemathesis over every operation the live server's document names."""

    def __init__(self, server: LiveServer, identities: Identities) -> None:
        self.server = server
        self.identities = identities
        self.http = requests.Session()
        document = self.http.get(f"{server.url}/openapi.json", timeout=30).json()
        self.schema = schemathesis.openapi.from_dict(document)
        self.operations = [result.ok() for result in self.schema.get_all_operations()]

    def operation_count(self) -> int:
        return len(self.operations)

    def run(self, modes: tuple[str, ...]) -> FuzzReport:
        """Fuzz every operation in each of ``modes``; the HTTP session is closed after."""
        report = FuzzReport()
        try:
            for operation in self.operations:
                for mode in modes:
                    self._fuzz(operation, mode, report)
                    report.operations += 1
        finally:
            self.http.close()
        return report

    def _strategy(self, operation: Any, mode: str) -> Any:
        if mode == "negative":
            return operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
        named = {p.name for p in operation.path_parameters}
        seeds = {k: v for k, v in self.identities.seeds.items() if k in named}
        if mode == "seeded":
            return operation.as_strategy(path_parameters=seeds) if seeds else None
        return operation.as_strategy()

    def _headers(self, label: str, path: str) -> dict[str, str]:
        if label in SESSION_ENDING:
            token = self.identities.throwaway()
        elif path.startswith(ADMIN_PREFIX):
            token = self.identities.admin.token
        else:
            token = self.identities.member.token
        settings = self.server.settings
        cookie = f"{settings.session_cookie_name}={token}"
        return {"origin": settings.public_origin, "cookie": cookie}

    def _fuzz(self, operation: Any, mode: str, report: FuzzReport) -> None:
        label = f"{operation.method.upper()} {operation.path}"
        strategy = self._strategy(operation, mode)
        if strategy is None:
            return

        @hypothesis.settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            database=None,
            deadline=None,
            # A failure is reported as found: shrinking it could take longer than the run.
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @hypothesis.given(case=strategy)
        def fuzz(case: Any) -> None:
            headers = self._headers(label, operation.path)
            response = case.call(base_url=self.server.url, session=self.http, headers=headers)
            report.statuses[response.status_code] += 1
            if response.status_code == 401 and "not_authenticated" in response.text:
                report.not_authenticated += 1
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            fuzz()
        except hypothesis.errors.Unsatisfiable:
            # Nothing in the request to break (no body, no parameter, or only path
            # text, which any string fits): the negative mode has no example to send.
            report.nothing_to_negate.append(label)
        # schemathesis's FailureGroup is a BaseExceptionGroup: each operation's failures
        # are collected, and the run goes on to the next.
        except (Exception, FailureGroup) as error:
            report.failures.append(Failure(label, mode, error))
