/**
 * Passkeys (WebAuthn) in the browser. The server's options are JSON with binary values
 * in base64url (docs/API.md, "Passkeys"); `navigator.credentials` wants bytes, and
 * gives back a credential whose bytes go to the server as base64url again. Written out
 * here rather than left to `PublicKeyCredential.parseCreationOptionsFromJSON` and
 * `toJSON()`, which browsers of 2024 and before do not all have.
 */
import type {
  PasskeyAuthenticationCredential,
  PasskeyCreationOptions,
  PasskeyRegistrationCredential,
  PasskeyRequestOptions,
} from "./api-types";

export function base64urlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesToBase64url(data: ArrayBuffer | Uint8Array): string {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The server's creation options as `navigator.credentials.create({publicKey})` takes them. */
export function creationOptions(json: PasskeyCreationOptions): PublicKeyCredentialCreationOptions {
  return {
    rp: json.rp,
    user: { id: base64urlToBytes(json.user.id), name: json.user.name, displayName: json.user.displayName },
    challenge: base64urlToBytes(json.challenge),
    pubKeyCredParams: json.pubKeyCredParams,
    timeout: json.timeout,
    excludeCredentials: json.excludeCredentials.map((c) => ({ type: c.type, id: base64urlToBytes(c.id) })),
    authenticatorSelection: json.authenticatorSelection,
    attestation: json.attestation,
  };
}

/** The server's request options as `navigator.credentials.get({publicKey})` takes them. */
export function requestOptions(json: PasskeyRequestOptions): PublicKeyCredentialRequestOptions {
  return {
    rpId: json.rpId,
    challenge: base64urlToBytes(json.challenge),
    timeout: json.timeout,
    allowCredentials: json.allowCredentials.map((c) => ({ type: c.type, id: base64urlToBytes(c.id) })),
    userVerification: json.userVerification,
  };
}

/** What the server reads of a new credential. */
export function registrationJSON(credential: PublicKeyCredential): PasskeyRegistrationCredential {
  const response = credential.response as AuthenticatorAttestationResponse;
  return {
    id: credential.id,
    rawId: bytesToBase64url(credential.rawId),
    type: "public-key",
    response: {
      clientDataJSON: bytesToBase64url(response.clientDataJSON),
      attestationObject: bytesToBase64url(response.attestationObject),
    },
  };
}

/** What the server reads of an assertion. */
export function authenticationJSON(credential: PublicKeyCredential): PasskeyAuthenticationCredential {
  const response = credential.response as AuthenticatorAssertionResponse;
  return {
    id: credential.id,
    rawId: bytesToBase64url(credential.rawId),
    type: "public-key",
    response: {
      clientDataJSON: bytesToBase64url(response.clientDataJSON),
      authenticatorData: bytesToBase64url(response.authenticatorData),
      signature: bytesToBase64url(response.signature),
      userHandle: response.userHandle ? bytesToBase64url(response.userHandle) : null,
    },
  };
}

/** Whether this browser, on this page, can use passkeys at all (a secure page with WebAuthn). */
export function passkeysSupported(): boolean {
  return typeof window !== "undefined" && window.isSecureContext && typeof window.PublicKeyCredential === "function";
}

/** The browser's prompt to make a passkey for the member; its answer as the server reads it. */
export async function createPasskey(options: PasskeyCreationOptions): Promise<PasskeyRegistrationCredential> {
  const credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
  if (!(credential instanceof PublicKeyCredential)) throw new PasskeyCancelled();
  return registrationJSON(credential);
}

/** The browser's prompt to pick one of this instance's passkeys; its answer as the server reads it. */
export async function getPasskey(options: PasskeyRequestOptions): Promise<PasskeyAuthenticationCredential> {
  const credential = await navigator.credentials.get({ publicKey: requestOptions(options) });
  if (!(credential instanceof PublicKeyCredential)) throw new PasskeyCancelled();
  return authenticationJSON(credential);
}

/** The prompt was closed without a passkey. */
export class PasskeyCancelled extends Error {
  constructor() {
    super("No passkey was chosen.");
    this.name = "PasskeyCancelled";
  }
}

/**
 * A sentence for what the browser refused (its `DOMException`s), or null when the
 * error came from elsewhere (the server's are ApiErrors, shown by their code).
 */
export function browserRefusal(err: unknown): string | null {
  if (err instanceof PasskeyCancelled) return "No passkey was chosen.";
  if (!(err instanceof DOMException)) return null;
  switch (err.name) {
    case "NotAllowedError":
      return "The passkey prompt was closed or timed out.";
    case "InvalidStateError":
      return "This device already has a passkey for your account.";
    case "SecurityError":
      return "Passkeys need this Teahouse on a domain name over HTTPS.";
    case "NotSupportedError":
      return "This device can't make a passkey Teahouse accepts.";
    case "AbortError":
      return "The passkey prompt was closed.";
    default:
      return "The browser couldn't use a passkey.";
  }
}
