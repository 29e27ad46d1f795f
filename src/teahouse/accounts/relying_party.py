"""Teahouse as a WebAuthn relying party: the options a browser is handed for a
ceremony, and the verification of its answer (with py_webauthn, the ``webauthn``
package).

The relying party id is the host name of ``public_url`` and the only origin accepted
is its origin, so a passkey made for one instance answers only that instance, and a
page on any other origin cannot use it. What this asks of authenticators:

- a discoverable credential (``residentKey: required``): logging in needs no username,
  the authenticator offers the passkeys it holds for this relying party;
- user verification (``required``): a PIN, a fingerprint or a face, not a mere touch,
  since a passkey is the whole log-in;
- no attestation (``none``): the server does not learn which make and model of
  authenticator a member uses, and keeps nothing but the public key.

Answers are untrusted input from the network, parsed by the library: whatever fails
in it (a bad signature as much as bytes it cannot parse) is a refusal with a code,
never a server error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from typing_extensions import TypedDict
from webauthn import verify_authentication_response, verify_registration_response
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.cose import COSEAlgorithmIdentifier

from teahouse.domain import passkeys as rules
from teahouse.errors import BadRequest, ErrorCode, NotAuthenticated

log = logging.getLogger(__name__)

RP_NAME = "Teahouse"
ALGORITHMS = (
    COSEAlgorithmIdentifier.EDDSA,
    COSEAlgorithmIdentifier.ECDSA_SHA_256,
    COSEAlgorithmIdentifier.RSASSA_PKCS1_v1_5_SHA_256,
)
CREDENTIAL_ID_MAX = 1023  # bytes (WebAuthn)


class PasskeyRelyingParty(TypedDict):
    id: str
    name: str


class PasskeyUser(TypedDict):
    """Who the new passkey is for: ``id`` is the member's id (base64url), which
    the authenticator hands back when logging in."""

    id: str
    name: str
    displayName: str


class PasskeyAlgorithm(TypedDict):
    type: Literal["public-key"]
    alg: int


class PasskeyDescriptor(TypedDict):
    type: Literal["public-key"]
    id: str


class PasskeyAuthenticatorSelection(TypedDict):
    residentKey: Literal["required"]
    requireResidentKey: bool
    userVerification: Literal["required"]


class PasskeyCreationOptions(TypedDict):
    """``PublicKeyCredentialCreationOptionsJSON`` (WebAuthn level 3): binary values
    base64url, as ``PublicKeyCredential.parseCreationOptionsFromJSON`` reads them."""

    rp: PasskeyRelyingParty
    user: PasskeyUser
    challenge: str
    pubKeyCredParams: list[PasskeyAlgorithm]
    timeout: int
    excludeCredentials: list[PasskeyDescriptor]
    authenticatorSelection: PasskeyAuthenticatorSelection
    attestation: Literal["none"]


class PasskeyRequestOptions(TypedDict):
    """``PublicKeyCredentialRequestOptionsJSON``: no ``allowCredentials`` listed, so
    the authenticator offers the member's passkeys for this relying party."""

    rpId: str
    challenge: str
    timeout: int
    allowCredentials: list[PasskeyDescriptor]
    userVerification: Literal["required"]


@dataclass(frozen=True, slots=True)
class NewCredential:
    credential_id: bytes
    public_key: bytes
    sign_count: int


def credential_id_of(credential: dict[str, Any]) -> bytes | None:
    """The credential id an answer claims (its ``rawId``), if it decodes."""
    raw = credential.get("rawId")
    if not isinstance(raw, str):
        return None
    try:
        found = base64url_to_bytes(raw)
    except ValueError:
        return None
    return found if 0 < len(found) <= CREDENTIAL_ID_MAX else None


class RelyingParty:
    def __init__(self, public_url: str) -> None:
        parts = urlsplit(public_url)
        self.id = rules.relying_party_id(public_url)
        # As browsers write it (a host name in lower case), which the answer must match.
        self.origin = f"{parts.scheme}://{parts.netloc.lower()}"
        self._timeout_ms = rules.CHALLENGE_TTL_SECONDS * 1000

    def creation_options(
        self,
        challenge: bytes,
        user_id: str,
        username: str,
        display_name: str,
        existing: list[bytes],
    ) -> PasskeyCreationOptions:
        """Options for ``navigator.credentials.create``; ``existing`` are the member's
        passkeys, which the authenticator then refuses to make again."""
        return {
            "rp": {"id": self.id, "name": RP_NAME},
            "user": {
                "id": bytes_to_base64url(user_id.encode()),
                "name": username,
                "displayName": display_name,
            },
            "challenge": bytes_to_base64url(challenge),
            "pubKeyCredParams": [{"type": "public-key", "alg": alg.value} for alg in ALGORITHMS],
            "timeout": self._timeout_ms,
            "excludeCredentials": [
                {"type": "public-key", "id": bytes_to_base64url(c)} for c in existing
            ],
            "authenticatorSelection": {
                "residentKey": "required",
                "requireResidentKey": True,
                "userVerification": "required",
            },
            "attestation": "none",
        }

    def request_options(self, challenge: bytes) -> PasskeyRequestOptions:
        """Options for ``navigator.credentials.get``."""
        return {
            "rpId": self.id,
            "challenge": bytes_to_base64url(challenge),
            "timeout": self._timeout_ms,
            "allowCredentials": [],
            "userVerification": "required",
        }

    def verify_registration(self, credential: dict[str, Any], challenge: bytes) -> NewCredential:
        """The new passkey in a ``navigator.credentials.create`` answer; refused with
        ``passkey_rejected`` unless it answers ``challenge``, on this origin, for this
        relying party, with the member verified."""
        try:
            verified = verify_registration_response(
                credential=credential,
                expected_challenge=challenge,
                expected_rp_id=self.id,
                expected_origin=self.origin,
                require_user_verification=True,
                supported_pub_key_algs=list(ALGORITHMS),
            )
        except Exception as exc:  # untrusted bytes: see the module's docstring
            log.debug("passkey registration refused: %s", exc)
            raise BadRequest(
                "The passkey could not be verified.", ErrorCode.PASSKEY_REJECTED
            ) from None
        if len(verified.credential_id) > CREDENTIAL_ID_MAX:
            raise BadRequest("The passkey's id is too long.", ErrorCode.PASSKEY_REJECTED)
        return NewCredential(
            verified.credential_id, verified.credential_public_key, verified.sign_count
        )

    def verify_authentication(
        self, credential: dict[str, Any], challenge: bytes, public_key: bytes, sign_count: int
    ) -> int:
        """The authenticator's new sign count, if a ``navigator.credentials.get``
        answer is signed by ``public_key`` over ``challenge`` on this origin with the
        member verified, and its counter has moved on from ``sign_count`` (unless the
        authenticator keeps none); else ``bad_credentials``."""
        try:
            verified = verify_authentication_response(
                credential=credential,
                expected_challenge=challenge,
                expected_rp_id=self.id,
                expected_origin=self.origin,
                credential_public_key=public_key,
                credential_current_sign_count=sign_count,
                require_user_verification=True,
            )
        except Exception as exc:  # untrusted bytes: see the module's docstring
            log.debug("passkey log-in refused: %s", exc)
            raise NotAuthenticated(
                "This passkey could not log you in.", ErrorCode.BAD_CREDENTIALS
            ) from None
        return verified.new_sign_count
