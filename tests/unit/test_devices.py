"""Device tokens prove one member's browser, and nothing else."""

from __future__ import annotations

from teahouse.domain.devices import TOKEN_MAX, device_token, proven_device
from teahouse.domain.ids import new_id

HASH = "$argon2id$v=19$m=64,t=1,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"


def test_a_token_proves_its_device_for_its_member_only() -> None:
    ada, bob = new_id(), new_id()
    token = device_token(ada, HASH)
    device = proven_device(token, ada, HASH)
    assert device is not None
    assert device_token(ada, HASH, device) == token  # renewing keeps the device
    assert len(token) <= TOKEN_MAX
    assert proven_device(token, bob, HASH) is None
    assert proven_device(token, ada, HASH + "x") is None  # a new password retires it


def test_forged_and_malformed_tokens_prove_nothing() -> None:
    ada = new_id()
    token = device_token(ada, HASH)
    user, device, tag = token.split(".")
    for bad in (
        None,
        "",
        f"{user}.{device}.{'A' * 22}",
        f"{user}.{new_id()}.{tag}",
        f"{user}.{device}",
        token + "A",
        "x" * 500,
    ):
        assert proven_device(bad, ada, HASH) is None
