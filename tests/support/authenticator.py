"""A WebAuthn authenticator in software, and the browser around it, for tests.

It answers a relying party's options as ``navigator.credentials.create`` and
``.get`` would, in their JSON form: ES256 keys, discoverable credentials, the
member verified, a "none" attestation and a sign count that goes up by one each
time. Every part of an answer can be made wrong on purpose (another origin, another
relying party, no user verification, a stale counter) to see the server refuse it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, AT = 0x01, 0x04, 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class SoftCredential:
    credential_id: bytes
    rp_id: str
    user_handle: bytes
    key: ec.EllipticCurvePrivateKey
    sign_count: int = 0

    def cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: -7,  # alg: ES256
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )


@dataclass
class SoftAuthenticator:
    """One device's authenticator, used from pages on ``origin``."""

    origin: str
    credentials: list[SoftCredential] = field(default_factory=list)

    def create(
        self,
        options: dict[str, Any],
        *,
        origin: str | None = None,
        rp_id: str | None = None,
        verified: bool = True,
        kind: str = "webauthn.create",
        credential_id: bytes | None = None,
    ) -> dict[str, Any]:
        """A new credential for ``options`` (PublicKeyCredentialCreationOptionsJSON)."""
        rp = rp_id or options["rp"]["id"]
        credential = SoftCredential(
            credential_id=credential_id or os.urandom(16),
            rp_id=rp,
            user_handle=unb64url(options["user"]["id"]),
            key=ec.generate_private_key(ec.SECP256R1()),
        )
        self.credentials.append(credential)
        client_data = self._client_data(kind, options["challenge"], origin)
        attested = (
            bytes(16)  # AAGUID: none
            + struct.pack(">H", len(credential.credential_id))
            + credential.credential_id
            + credential.cose_key()
        )
        flags = UP | AT | (UV if verified else 0)
        auth_data = _rp_hash(rp) + bytes([flags]) + struct.pack(">I", 0) + attested
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            "id": b64url(credential.credential_id),
            "rawId": b64url(credential.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }

    def get(
        self,
        options: dict[str, Any],
        *,
        credential: SoftCredential | None = None,
        origin: str | None = None,
        verified: bool = True,
        count: int | None = None,
        key: ec.EllipticCurvePrivateKey | None = None,
    ) -> dict[str, Any]:
        """An assertion for ``options`` (PublicKeyCredentialRequestOptionsJSON), by the
        newest credential for its relying party unless ``credential`` says which."""
        chosen = credential or next(
            c for c in reversed(self.credentials) if c.rp_id == options["rpId"]
        )
        chosen.sign_count = chosen.sign_count + 1 if count is None else count
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        flags = UP | (UV if verified else 0)
        auth_data = _rp_hash(chosen.rp_id) + bytes([flags]) + struct.pack(">I", chosen.sign_count)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = (key or chosen.key).sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64url(chosen.credential_id),
            "rawId": b64url(chosen.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(chosen.user_handle),
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin or self.origin},
            separators=(",", ":"),
        ).encode()


def _rp_hash(rp_id: str) -> bytes:
    return hashlib.sha256(rp_id.encode()).digest()
