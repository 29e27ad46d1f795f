"""Passkeys (docs/API.md, "Passkeys"): a member adds, lists and removes theirs, and
anyone logs in with one.

Each ceremony is two requests: options (with a challenge, named by ``ceremony``),
then the browser's answer with the same ``ceremony``. The answers are the JSON forms
of WebAuthn's ``PublicKeyCredential`` (what its ``toJSON()`` gives); fields beyond
the ones read here (``clientExtensionResults``, ``authenticatorAttachment``, a
response's ``transports`` or ``publicKey``) are accepted and ignored, as WebAuthn
grows them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Response
from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict

from teahouse.accounts.passkeys import PasskeyView
from teahouse.accounts.relying_party import PasskeyCreationOptions, PasskeyRequestOptions
from teahouse.api.context import Asking, Body, Member, Svc, set_session_cookie
from teahouse.api.routing import api_router, refuses
from teahouse.domain.addresses import address_bucket
from teahouse.errors import ErrorCode
from teahouse.views import MeView

router = api_router()

B64 = r"^[A-Za-z0-9_-]*={0,2}$"  # base64url, padding tolerated
CeremonyId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
CredentialId = Annotated[str, Field(min_length=1, max_length=1400, pattern=B64)]
ClientData = Annotated[str, Field(min_length=1, max_length=4096, pattern=B64)]
AttestationObject = Annotated[str, Field(min_length=1, max_length=32768, pattern=B64)]
AuthenticatorData = Annotated[str, Field(min_length=1, max_length=4096, pattern=B64)]
Signature = Annotated[str, Field(min_length=1, max_length=2048, pattern=B64)]
UserHandle = Annotated[str, Field(max_length=128, pattern=B64)]


class _Credential(BaseModel):
    """Strict types, but unknown fields pass (and are dropped): see the docstring."""

    model_config = ConfigDict(extra="ignore", strict=True)


class PasskeyAttestationResponse(_Credential):
    clientDataJSON: ClientData
    attestationObject: AttestationObject


class PasskeyRegistrationCredential(_Credential):
    """What ``navigator.credentials.create`` made, as JSON."""

    id: CredentialId
    rawId: CredentialId
    type: Literal["public-key"]
    response: PasskeyAttestationResponse


class PasskeyAssertionResponse(_Credential):
    clientDataJSON: ClientData
    authenticatorData: AuthenticatorData
    signature: Signature
    userHandle: UserHandle | None = None


class PasskeyAuthenticationCredential(_Credential):
    """What ``navigator.credentials.get`` answered, as JSON."""

    id: CredentialId
    rawId: CredentialId
    type: Literal["public-key"]
    response: PasskeyAssertionResponse


class PasskeyOptionsBody(Body):
    password: Annotated[str, Field(max_length=1024)]


class NewPasskeyBody(Body):
    ceremony: CeremonyId
    name: Annotated[str, Field(max_length=200)]
    credential: PasskeyRegistrationCredential


class PasskeyLoginBody(Body):
    ceremony: CeremonyId
    credential: PasskeyAuthenticationCredential


class PasskeyCreationView(TypedDict):
    """A ceremony to add a passkey: its id and the options for the browser."""

    ceremony: str
    options: PasskeyCreationOptions


class PasskeyRequestView(TypedDict):
    """A ceremony to log in with a passkey: its id and the options for the browser."""

    ceremony: str
    options: PasskeyRequestOptions


class PasskeyListView(TypedDict):
    passkeys: list[PasskeyView]


@router.get("/me/passkeys")
async def list_passkeys(user: Member, svc: Svc) -> PasskeyListView:
    return {"passkeys": await svc.passkeys.list_passkeys(user.id)}


@router.post(
    "/me/passkeys/options",
    responses=refuses(
        ErrorCode.BAD_CREDENTIALS, ErrorCode.TOO_MANY_PASSKEYS, ErrorCode.TOO_MANY_ATTEMPTS
    ),
)
async def passkey_creation_options(
    body: PasskeyOptionsBody, user: Member, caller: Asking, svc: Svc
) -> PasskeyCreationView:
    # A password check like any other: the same limits as logging in.
    ceremony, options = await svc.passkeys.creation_options(user, body.password, caller)
    return {"ceremony": ceremony, "options": options}


@router.post(
    "/me/passkeys",
    status_code=201,
    responses=refuses(
        ErrorCode.PASSKEY_CHALLENGE_EXPIRED,
        ErrorCode.PASSKEY_REJECTED,
        ErrorCode.PASSKEY_EXISTS,
        ErrorCode.TOO_MANY_PASSKEYS,
    ),
)
async def add_passkey(body: NewPasskeyBody, user: Member, svc: Svc) -> PasskeyView:
    return await svc.passkeys.register(
        user.id, body.ceremony, body.name, body.credential.model_dump()
    )


@router.delete(
    "/me/passkeys/{passkey_id}", status_code=204, responses=refuses(ErrorCode.PASSKEY_NOT_FOUND)
)
async def remove_passkey(passkey_id: str, user: Member, svc: Svc) -> None:
    await svc.passkeys.remove(user.id, passkey_id)


@router.post("/login/passkey/options")
async def passkey_request_options(svc: Svc) -> PasskeyRequestView:
    ceremony, options = svc.passkeys.request_options()
    return {"ceremony": ceremony, "options": options}


@router.post(
    "/login/passkey",
    responses=refuses(
        ErrorCode.PASSKEY_CHALLENGE_EXPIRED,
        ErrorCode.BAD_CREDENTIALS,
        ErrorCode.SUSPENDED,
        ErrorCode.TOO_MANY_ATTEMPTS,
    ),
)
async def log_in_with_passkey(
    body: PasskeyLoginBody, caller: Asking, svc: Svc, response: Response
) -> MeView:
    credential = body.credential.model_dump()
    claim = await svc.passkeys.claim(credential)
    # The log-in limits of POST /api/login, counted against the member the passkey
    # belongs to; a passkey nobody has counts only against the address (a ':' is in
    # no username).
    who = claim.user.username if claim else f":passkey:{body.credential.rawId}"
    address = address_bucket(caller.address) if caller.address else None
    attempt = await svc.attempts.admit(member=who, address=address)
    user = await svc.passkeys.log_in(body.ceremony, credential, claim)
    await svc.attempts.succeeded(attempt)
    me, token = await svc.accounts.open_session(user)
    set_session_cookie(response, svc, token)
    return me
