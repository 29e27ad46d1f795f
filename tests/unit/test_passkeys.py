"""Passkeys on the server, without a server: the ceremonies' challenges, the names,
and the relying party's options and verification against a software authenticator."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from teahouse.accounts.ceremonies import Ceremonies
from teahouse.accounts.relying_party import RelyingParty, credential_id_of
from teahouse.domain import passkeys as rules
from teahouse.errors import ErrorCode, TeahouseError
from tests.support.authenticator import SoftAuthenticator, b64url, unb64url

ORIGIN = "https://tea.example"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def refused(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(TeahouseError) as error:
        call(*args, **kwargs)
    return str(error.value.code)


# -- ceremonies ------------------------------------------------------------------------


def test_a_challenge_is_answered_once() -> None:
    ceremonies = Ceremonies()
    ceremony, challenge = ceremonies.begin("log_in")
    assert len(challenge) == rules.CHALLENGE_BYTES
    assert ceremonies.take(ceremony, "log_in") == challenge
    assert refused(ceremonies.take, ceremony, "log_in") == ErrorCode.PASSKEY_CHALLENGE_EXPIRED


def test_a_challenge_expires() -> None:
    clock = Clock()
    ceremonies = Ceremonies(ttl=120, clock=clock)
    early, _ = ceremonies.begin("log_in")
    late, challenge = ceremonies.begin("log_in")
    clock.now += 119
    assert ceremonies.take(late, "log_in") == challenge
    clock.now += 1
    assert refused(ceremonies.take, early, "log_in") == ErrorCode.PASSKEY_CHALLENGE_EXPIRED


def test_a_challenge_answers_only_its_own_kind_of_ceremony_and_member() -> None:
    ceremonies = Ceremonies()
    log_in, _ = ceremonies.begin("log_in")
    ada, _ = ceremonies.begin("register", "ada-id")
    bobs, _ = ceremonies.begin("register", "bob-id")
    expired = ErrorCode.PASSKEY_CHALLENGE_EXPIRED
    assert refused(ceremonies.take, log_in, "register", "ada-id") == expired
    assert refused(ceremonies.take, ada, "log_in") == expired
    assert refused(ceremonies.take, bobs, "register", "ada-id") == expired
    # A wrong use ends the ceremony too: nothing is left to try again with.
    assert len(ceremonies) == 0
    assert refused(ceremonies.take, "never-made", "log_in") == expired


def test_ceremonies_are_bounded_and_forget_the_expired_first() -> None:
    clock = Clock()
    ceremonies = Ceremonies(ttl=10, capacity=3, clock=clock)
    old = [ceremonies.begin("log_in")[0] for _ in range(2)]
    clock.now += 10
    fresh = [ceremonies.begin("log_in")[0] for _ in range(3)]
    assert len(ceremonies) == 3  # the expired went, none of the new ones
    newest, _ = ceremonies.begin("log_in")  # full: the oldest live one makes room
    assert len(ceremonies) == 3
    assert refused(ceremonies.take, fresh[0], "log_in") == ErrorCode.PASSKEY_CHALLENGE_EXPIRED
    assert refused(ceremonies.take, old[0], "log_in") == ErrorCode.PASSKEY_CHALLENGE_EXPIRED
    ceremonies.take(newest, "log_in")
    ceremonies.take(fresh[2], "log_in")


# -- names and the relying party id ------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Phone", "Phone"),
        ("  my   laptop ", "my laptop"),
        ("Cafe\u0301 key", "Café key"),  # NFC
        ("🔑 YubiKey 5", "🔑 YubiKey 5"),
        ("x" * 60, "x" * 60),
    ],
)
def test_passkey_names_are_kept_tidy(raw: str, stored: str) -> None:
    assert rules.normalise_name(raw) == stored


@pytest.mark.parametrize(
    "raw", ["", "   ", "x" * 61, "key\x00", "key\x1b[31m", "\u202egnp.exe", "a\u2066b"]
)
def test_passkey_names_that_are_refused(raw: str) -> None:
    assert refused(rules.normalise_name, raw) == ErrorCode.INVALID_REQUEST


@pytest.mark.parametrize(
    ("url", "rp_id", "origin"),
    [
        ("https://tea.example", "tea.example", "https://tea.example"),
        ("https://Tea.Example:8443/", "tea.example", "https://tea.example:8443"),
        ("http://localhost:8000", "localhost", "http://localhost:8000"),
    ],
)
def test_the_relying_party_is_the_public_urls_host(url: str, rp_id: str, origin: str) -> None:
    rp = RelyingParty(url)
    assert (rp.id, rp.origin) == (rp_id, origin)


# -- options -----------------------------------------------------------------------------


def test_creation_options_ask_for_a_discoverable_verified_passkey_without_attestation() -> None:
    rp = RelyingParty(ORIGIN)
    options = rp.creation_options(b"c" * 32, "user-id-0123456789abcd", "ada", "Ada", [b"old"])
    assert options["rp"] == {"id": "tea.example", "name": "Teahouse"}
    assert unb64url(options["user"]["id"]) == b"user-id-0123456789abcd"
    assert (options["user"]["name"], options["user"]["displayName"]) == ("ada", "Ada")
    assert unb64url(options["challenge"]) == b"c" * 32
    assert options["excludeCredentials"] == [{"type": "public-key", "id": b64url(b"old")}]
    assert options["authenticatorSelection"] == {
        "residentKey": "required",
        "requireResidentKey": True,
        "userVerification": "required",
    }
    assert options["attestation"] == "none"
    assert {p["alg"] for p in options["pubKeyCredParams"]} == {-8, -7, -257}
    assert options["timeout"] == rules.CHALLENGE_TTL_SECONDS * 1000


def test_request_options_list_no_passkeys_and_ask_for_verification() -> None:
    options = RelyingParty(ORIGIN).request_options(b"c" * 32)
    assert options == {
        "rpId": "tea.example",
        "challenge": b64url(b"c" * 32),
        "timeout": rules.CHALLENGE_TTL_SECONDS * 1000,
        "allowCredentials": [],
        "userVerification": "required",
    }


# -- verification ------------------------------------------------------------------------


def registered() -> tuple[RelyingParty, SoftAuthenticator, bytes, int]:
    """A relying party, an authenticator with one passkey it accepted, the passkey's
    public key and sign count."""
    rp, device = RelyingParty(ORIGIN), SoftAuthenticator(ORIGIN)
    challenge = b"r" * 32
    answer = device.create(rp.creation_options(challenge, "u" * 22, "ada", "Ada", []))
    new = rp.verify_registration(answer, challenge)
    assert new.credential_id == device.credentials[0].credential_id
    return rp, device, new.public_key, new.sign_count


def test_a_new_passkey_is_verified_and_its_public_key_kept() -> None:
    rp, device, public_key, sign_count = registered()
    assert sign_count == 0
    assert public_key == device.credentials[0].cose_key()
    assert credential_id_of(device.create(rp.creation_options(b"x", "u", "a", "A", []))) == (
        device.credentials[1].credential_id
    )


@pytest.mark.parametrize(
    "wrong",
    [
        {"origin": "https://evil.example"},
        {"origin": "http://tea.example"},
        {"rp_id": "evil.example"},
        {"verified": False},
        {"kind": "webauthn.get"},
    ],
)
def test_a_new_passkey_that_does_not_answer_this_instance_is_refused(wrong: Any) -> None:
    rp, device = RelyingParty(ORIGIN), SoftAuthenticator(ORIGIN)
    challenge = b"r" * 32
    answer = device.create(rp.creation_options(challenge, "u" * 22, "ada", "Ada", []), **wrong)
    assert refused(rp.verify_registration, answer, challenge) == ErrorCode.PASSKEY_REJECTED


def test_a_new_passkey_for_another_challenge_or_of_garbage_is_refused() -> None:
    rp, device = RelyingParty(ORIGIN), SoftAuthenticator(ORIGIN)
    answer = device.create(rp.creation_options(b"r" * 32, "u" * 22, "ada", "Ada", []))
    assert refused(rp.verify_registration, answer, b"s" * 32) == ErrorCode.PASSKEY_REJECTED
    broken = {**answer, "response": {**answer["response"], "attestationObject": b64url(b"\xa1")}}
    assert refused(rp.verify_registration, broken, b"r" * 32) == ErrorCode.PASSKEY_REJECTED
    assert refused(rp.verify_registration, {"id": 1}, b"r" * 32) == ErrorCode.PASSKEY_REJECTED


def test_a_log_in_is_verified_and_moves_the_counter_on() -> None:
    rp, device, public_key, count = registered()
    challenge = b"l" * 32
    answer = device.get(rp.request_options(challenge))
    assert rp.verify_authentication(answer, challenge, public_key, count) == 1
    again = device.get(rp.request_options(challenge))
    assert rp.verify_authentication(again, challenge, public_key, 1) == 2


@pytest.mark.parametrize(
    "wrong",
    [
        {"origin": "https://evil.example"},
        {"verified": False},
        {"count": 3},  # not past the 3 the server last saw: a clone, or a replay
        {"key": ec.generate_private_key(ec.SECP256R1())},
    ],
)
def test_a_log_in_that_does_not_verify_is_bad_credentials(wrong: Any) -> None:
    rp, device, public_key, _ = registered()
    challenge = b"l" * 32
    answer = device.get(rp.request_options(challenge), **wrong)
    code = refused(rp.verify_authentication, answer, challenge, public_key, 3)
    assert code == ErrorCode.BAD_CREDENTIALS


def test_a_log_in_for_another_challenge_or_of_garbage_is_bad_credentials() -> None:
    rp, device, public_key, count = registered()
    answer = device.get(rp.request_options(b"l" * 32))
    bad = ErrorCode.BAD_CREDENTIALS
    assert refused(rp.verify_authentication, answer, b"m" * 32, public_key, count) == bad
    broken = {**answer, "response": {**answer["response"], "authenticatorData": "AA"}}
    assert refused(rp.verify_authentication, broken, b"l" * 32, public_key, count) == bad
    assert refused(rp.verify_authentication, answer, b"l" * 32, b"\x00", count) == bad


@pytest.mark.parametrize(
    ("raw", "found"),
    [(b64url(b"abc"), b"abc"), ("", None), ("%%%", None), (b64url(b"x" * 1024), None)],
)
def test_the_credential_id_an_answer_claims(raw: str, found: bytes | None) -> None:
    assert credential_id_of({"rawId": raw}) == found
    assert credential_id_of({}) is None
